"""Admin for the monitoring unit: surveys with an inline question editor, invitations, responses.

Questions are edited inline on the survey's page while the version has no responses; after that
the inline is read-only and the "make a new version" action copies the questions into a draft.
Publishing goes through `services.survey_publish` (an action), never by ticking a box.
"""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import datetime as dt

from django import forms
from django.utils import timezone

from sajad.admin_calendar import JalaliDateField
from sajad.errors import DomainError
from sajad.jalali import format_jalali

from . import services
from .models import Invitation, Question, Response, Survey


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = (("order", "kind", "required"), "text", "help_text", "choices")
    classes = ("survey-questions",)

    def _locked(self, obj) -> bool:
        return obj is not None and services.survey_questions_locked(survey=obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class SurveyForm(forms.ModelForm):
    """The answer window in Jalali dates: from the start of the first day to the end of the last."""

    opens_on = JalaliDateField(label=_("answers accepted from"), required=False)
    closes_on = JalaliDateField(label=_("answers accepted until"), required=False,
                                help_text=_("Inclusive; leave both empty for a survey that is always open."))

    class Meta:
        model = Survey
        fields = ("kind", "service", "title", "slug", "intro", "thanks")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.opens_at:
            self.initial["opens_on"] = timezone.localtime(self.instance.opens_at).date()
        if self.instance.closes_at:
            self.initial["closes_on"] = (timezone.localtime(self.instance.closes_at) - dt.timedelta(days=1)).date()

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The window must end on or after the day it opens."))
        tz = timezone.get_current_timezone()
        self.instance.opens_at = dt.datetime.combine(opens, dt.time.min, tzinfo=tz) if opens else None
        self.instance.closes_at = (dt.datetime.combine(closes + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
                                   if closes else None)
        return data


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    form = SurveyForm
    list_display = ("title", "service", "kind", "version_display", "is_current", "window")
    list_filter = ("kind", "is_current", "is_published")
    list_select_related = ("service",)
    search_fields = ("title", "slug", "service__name")
    autocomplete_fields = ("service",)
    readonly_fields = ("version", "is_published", "is_current", "published_at")
    fieldsets = (
        (None, {"fields": ("kind", "service", "title", "slug", "intro", "thanks")}),
        (_("Answer window"), {"fields": ("opens_on", "closes_on")}),
        (_("Version"), {"fields": ("version", "is_published", "is_current", "published_at")}),
    )
    inlines = [QuestionInline]
    actions = ["publish", "new_version"]
    show_full_result_count = False

    @admin.display(description=_("version"), ordering="version")
    def version_display(self, obj):
        from sajad.persian import to_persian_digits

        return to_persian_digits(obj.version)

    @admin.display(description=_("answer window"))
    def window(self, obj):
        if not obj.opens_at and not obj.closes_at:
            return _("always open")
        return f"{format_jalali(obj.opens_at, '%Y/%m/%d') or '…'} – {format_jalali(obj.closes_at, '%Y/%m/%d') or '…'}"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and services.survey_questions_locked(survey=obj):
            fields += ["kind", "service", "slug"]
        return fields

    @admin.action(description=_("Publish and make current"))
    def publish(self, request, queryset):
        done = 0
        for survey in queryset:
            try:
                services.survey_publish(survey_id=survey.pk, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{survey}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, ngettext("%d survey published.", "%d surveys published.", done) % done)

    @admin.action(description=_("Make a new version (copy the questions into a draft)"))
    def new_version(self, request, queryset):
        for survey in queryset:
            copy = services.survey_new_version(survey_id=survey.pk, actor=request.user)
            self.message_user(request, _("Draft version %(v)s of «%(t)s» created; edit it, then publish it.")
                              % {"v": copy.version, "t": copy.title})


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("case", "service", "unit", "created_display", "skipped", "reminded_at", "answered_at")
    list_filter = ("skipped",)
    list_select_related = ("case", "service", "unit")
    search_fields = ("case__tracking_number", "mobile")
    readonly_fields = [f.name for f in Invitation._meta.fields if f.name != "token"]
    exclude = ("token",)
    show_full_result_count = False

    @admin.display(description=_("created at"), ordering="created_at")
    def created_display(self, obj):
        return format_jalali(obj.created_at)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("survey", "service", "unit", "channel", "submitted_display")
    list_filter = ("channel",)
    list_select_related = ("survey", "service", "unit")
    show_full_result_count = False
    readonly_fields = ("survey", "service", "unit", "case", "channel", "submitted_at")
    exclude = ("invitation", "browser_key")

    @admin.display(description=_("submitted at"), ordering="submitted_at")
    def submitted_display(self, obj):
        return format_jalali(obj.submitted_at)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
from . import admin_plans  # noqa: E402,F401  (the watch and improvement plans)
