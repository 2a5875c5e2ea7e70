"""Admin for the watch and improvement plans (the monitoring unit's tools).

Plans are written in admin (finding, evidence, linked cases, actions with owner units and due
dates); moving a plan along (start, complete, cancel) goes through `services`, as admin actions.
Every saved change of a plan or its actions is written to the plan's history.
"""
from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from sajad.admin_calendar import JalaliDateField
from sajad.errors import DomainError
from sajad.jalali import format_jalali

from . import services
from .models import AlarmEpisode, ImprovementPlan, PlanAction, PlanHistory, PlanStatus, ServiceWatch


@admin.register(ServiceWatch)
class ServiceWatchAdmin(admin.ModelAdmin):
    list_display = ("service", "fixed_threshold", "is_flagged", "checked")
    list_filter = ("is_flagged",)
    list_select_related = ("service",)
    search_fields = ("service__name",)
    fields = ("service", "fixed_threshold", "is_flagged", "last_checked_at", "last_result")
    readonly_fields = ("service", "is_flagged", "last_checked_at", "last_result")
    show_full_result_count = False

    @admin.display(description=_("last checked"), ordering="last_checked_at")
    def checked(self, obj):
        return format_jalali(obj.last_checked_at)

    def has_add_permission(self, request):
        return False


@admin.register(AlarmEpisode)
class AlarmEpisodeAdmin(admin.ModelAdmin):
    list_display = ("service", "week_display", "rules", "opened_display", "closed_at")
    list_select_related = ("service",)
    readonly_fields = [f.name for f in AlarmEpisode._meta.fields]
    show_full_result_count = False

    @admin.display(description=_("week"), ordering="week_start")
    def week_display(self, obj):
        return format_jalali(obj.week_start, "%Y/%m/%d")

    @admin.display(description=_("opened at"), ordering="opened_at")
    def opened_display(self, obj):
        return format_jalali(obj.opened_at)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlanActionForm(forms.ModelForm):
    due_date = JalaliDateField(label=_("due date"))

    class Meta:
        model = PlanAction
        fields = ("description", "owner_unit", "due_date")
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "cols": 50})}


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    form = PlanActionForm
    extra = 1
    fields = ("description", "owner_unit", "due_date", "status", "percent_done", "progress_note")
    readonly_fields = ("status", "percent_done", "progress_note")
    autocomplete_fields = ("owner_unit",)

    def _closed(self, obj):
        return obj is not None and obj.status in (PlanStatus.COMPLETED, PlanStatus.CANCELLED)

    def has_add_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_delete_permission(request, obj)


class PlanHistoryInline(admin.TabularInline):
    model = PlanHistory
    extra = 0
    fields = ("when", "who", "note")
    readonly_fields = ("when", "who", "note")
    can_delete = False

    @admin.display(description=_("time"))
    def when(self, obj):
        return format_jalali(obj.created_at)

    @admin.display(description=_("by"))
    def who(self, obj):
        return obj.actor.get_full_name() or obj.actor.get_username() if obj.actor else _("the system")

    def has_add_permission(self, request, obj=None):
        return False


class CompleteForm(forms.Form):
    summary = forms.CharField(label=_("What was done (public)"), widget=forms.Textarea)


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "service", "status", "created_display", "completed_display")
    list_filter = ("status",)
    list_select_related = ("service",)
    search_fields = ("title", "service__name")
    autocomplete_fields = ("service",)
    raw_id_fields = ("cases",)
    readonly_fields = ("status", "episode", "completed_at")
    fields = ("service", "title", "finding", "evidence", "cases", "public_summary", "status", "episode",
              "completed_at")
    inlines = [PlanActionInline, PlanHistoryInline]
    actions = ["start", "complete"]
    show_full_result_count = False

    @admin.display(description=_("created at"), ordering="created_at")
    def created_display(self, obj):
        return format_jalali(obj.created_at)

    @admin.display(description=_("completed at"), ordering="completed_at")
    def completed_display(self, obj):
        return format_jalali(obj.completed_at)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data:
            services.plan_history_record(plan=obj, actor=request.user, note=str(_("Plan edited: %(fields)s"))
                                         % {"fields": "، ".join(str(form.fields[f].label) for f in form.changed_data)})

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is PlanAction:
            for action in formset.new_objects:
                services.plan_history_record(plan=form.instance, action=action, actor=request.user,
                                             note=str(_("Action added: %(a)s")) % {"a": action.description[:80]})
            for action, fields in formset.changed_objects:
                services.plan_history_record(plan=form.instance, action=action, actor=request.user,
                                             note=str(_("Action changed: %(a)s")) % {"a": action.description[:80]})

    @admin.action(description=_("Start the selected draft plans"))
    def start(self, request, queryset):
        for plan in queryset:
            try:
                services.plan_activate(plan_id=plan.pk, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{plan}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Complete and publish the selected plans"))
    def complete(self, request, queryset):
        for plan in queryset:
            try:
                services.plan_complete(plan_id=plan.pk, actor=request.user, public_summary=plan.public_summary)
            except DomainError as exc:
                self.message_user(request, f"{plan}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("«%(t)s» is completed and shown on the public page.") % {"t": plan.title})
