"""The monitoring unit's side of report calls: open a call, grant extensions, review the reports,
and see which units have not submitted. Dates are typed and shown in Jalali; rules are in
`unit_reports/services.py`, which every form and action here calls.
"""
import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from complaints import roles
from complaints.views.files import attachment_response
from dashboards.periods import current_period
from sajad.admin_calendar import JalaliDateField
from sajad.calendar import TEHRAN
from sajad.errors import DomainError
from sajad.jalali import format_jalali
from sajad.models import Service
from sajad.persian import to_ascii_digits, to_persian_digits

from . import selectors, services
from .models import (
    CallExtension, CallSection, ReportAnswer, ReportCall, ReportFile, UnitContact, UnitReport,
)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), TEHRAN)


def _day_before(instant: dt.datetime) -> dt.date:
    """The last day a window ending at `instant` (exclusive) includes, in Tehran."""
    return (instant.astimezone(TEHRAN) - dt.timedelta(microseconds=1)).date()


class ReportCallForm(forms.ModelForm):
    open_date = JalaliDateField(
        label=_("opening day"),
        help_text=_("Jalali, e.g. ۱۴۰۵/۰۹/۰۱. Units can write from the start of this day (Tehran)."),
    )
    close_date = JalaliDateField(
        label=_("closing day"),
        help_text=_("Jalali. The last day reports are accepted: the call closes at the end of it."),
    )
    reminder_text = forms.CharField(
        label=_("reminders (days before the close)"), required=False, initial="۳، ۱",
        help_text=_("Whole days, separated by commas, e.g. ۳، ۱. Units that have not submitted "
                    "are reminded by e-mail and SMS on those days."),
    )

    class Meta:
        model = ReportCall
        fields = ["title", "service", "period_kind", "period_year", "period_index", "units"]
        help_texts = {"period_year": _("e.g. ۱۴۰۵")}
        widgets = {"units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance
        if call.pk:
            self.initial["open_date"] = call.opens_at.astimezone(TEHRAN).date()
            self.initial["close_date"] = _day_before(call.closes_at)
            self.initial["reminder_text"] = to_persian_digits(
                "، ".join(str(d) for d in call.reminder_days))
        else:
            self.initial.setdefault("units", services.default_call_units())
            internal = Service.objects.filter(is_internal=True, is_active=True)
            if len(internal[:2]) == 1:
                self.initial.setdefault("service", internal[0].pk)
            self.initial.setdefault("period_year", current_period("year").year)

    def clean_reminder_text(self) -> list[int]:
        text = to_ascii_digits(self.cleaned_data.get("reminder_text") or "")
        parts = [p.strip() for p in text.replace("،", ",").split(",") if p.strip()]
        try:
            return sorted({int(p) for p in parts}, reverse=True)
        except ValueError:
            raise ValidationError(_("Write whole numbers of days, e.g. ۳، ۱.")) from None

    def clean(self):
        data = super().clean()
        if not all(data.get(k) is not None for k in ("open_date", "close_date", "period_kind",
                                                     "period_year", "period_index")):
            return data
        opens_at = _start_of(data["open_date"])
        closes_at = _start_of(data["close_date"] + dt.timedelta(days=1))
        try:
            services.call_check(
                period_kind=data["period_kind"], period_year=data["period_year"],
                period_index=data["period_index"], opens_at=opens_at, closes_at=closes_at,
                reminder_days=data.get("reminder_text") or [],
            )
        except DomainError as exc:
            raise ValidationError(exc.message) from None
        if data.get("service") is not None and not data["service"].is_internal:
            self.add_error("service", _("A report call belongs to an internal service."))
        self.instance.opens_at, self.instance.closes_at = opens_at, closes_at
        self.instance.reminder_days = data.get("reminder_text") or []
        return data


class CallSectionInline(admin.TabularInline):
    model = CallSection
    extra = 0
    min_num = 1
    validate_min = True
    fields = ["order", "title", "guidance"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}


class CallExtensionInline(admin.TabularInline):
    """The record of extensions; new ones are granted from the extensions list."""

    model = CallExtension
    extra = 0
    can_delete = False
    fields = ["unit", "until_display", "reason", "granted_by", "granted_display"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("until"))
    def until_display(self, obj):
        return format_jalali(obj.until)

    @admin.display(description=_("granted at"))
    def granted_display(self, obj):
        return format_jalali(obj.granted_at)


def _monitoring_only(request) -> None:
    if not roles.is_monitoring(request.user):
        raise PermissionDenied


@admin.register(ReportCall)
class ReportCallAdmin(admin.ModelAdmin):
    form = ReportCallForm
    inlines = [CallSectionInline, CallExtensionInline]
    list_display = ["title", "period_label", "opens_display", "closes_display", "progress_link"]
    list_select_related = ["service"]
    search_fields = ["title"]
    fieldsets = [
        (None, {"fields": ["title", "service"]}),
        (_("Period covered"), {"fields": ["period_kind", "period_year", "period_index"]}),
        (_("Window"), {"fields": ["open_date", "close_date", "reminder_text"]}),
        (_("Units asked to report"), {"fields": ["units"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            asked=Count("units", distinct=True),
            submitted=Count("reports", filter=Q(reports__status__in=services.DONE), distinct=True),
        )

    @admin.display(description=_("period"))
    def period_label(self, obj):
        return obj.period.label

    @admin.display(description=_("opens at"), ordering="opens_at")
    def opens_display(self, obj):
        return format_jalali(obj.opens_at)

    @admin.display(description=_("closes at"), ordering="closes_at")
    def closes_display(self, obj):
        return format_jalali(obj.closes_at)

    @admin.display(description=_("submitted"))
    def progress_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:unit_reports_reportcall_progress", args=[obj.pk]),
            gettext("%(done)s of %(asked)s units") % {
                "done": to_persian_digits(obj.submitted), "asked": to_persian_digits(obj.asked)},
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("<int:call_id>/progress/", self.admin_site.admin_view(self.progress_view),
                 name="unit_reports_reportcall_progress"),
        ] + super().get_urls()

    def progress_view(self, request, call_id: int):
        """Who has submitted and who has not, per call: monitoring's follow-up list."""
        _monitoring_only(request)
        call = get_object_or_404(ReportCall, pk=call_id)
        rows = selectors.call_progress(call)
        missing = [row for row in rows if not row["submitted"]]
        return TemplateResponse(request, "admin/unit_reports/call_progress.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Reports of “%(call)s”") % {"call": call.title},
            "call": call,
            "rows": rows,
            "missing": missing,
        })


class CallExtensionForm(forms.ModelForm):
    until_date = JalaliDateField(
        label=_("until (last day)"),
        help_text=_("Jalali. The unit may submit until the end of this day (Tehran)."),
    )

    class Meta:
        model = CallExtension
        fields = ["call", "unit", "reason"]

    def clean(self):
        data = super().clean()
        if data.get("until_date"):
            self.instance.until = _start_of(data["until_date"] + dt.timedelta(days=1))
        if data.get("call") and data.get("unit") and data.get("until_date"):
            try:
                services.extension_check(call=data["call"], unit=data["unit"],
                                         until=self.instance.until)
            except DomainError as exc:
                raise ValidationError(exc.message) from None
        return data


@admin.register(CallExtension)
class CallExtensionAdmin(admin.ModelAdmin):
    """Extensions are a record: granted here, never edited or deleted."""

    form = CallExtensionForm
    list_display = ["unit", "call", "until_display", "granted_by", "granted_display", "reason"]
    list_select_related = ["unit", "call", "granted_by"]
    list_filter = ["call"]
    autocomplete_fields = ["call"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("until"), ordering="until")
    def until_display(self, obj):
        return format_jalali(obj.until)

    @admin.display(description=_("granted at"), ordering="granted_at")
    def granted_display(self, obj):
        return format_jalali(obj.granted_at)

    def save_model(self, request, obj, form, change):
        # The form checked the rules; the service records the grant (and checks them again).
        granted = services.extension_grant(call=obj.call, unit=obj.unit, until=obj.until,
                                           reason=obj.reason, actor=request.user)
        obj.pk = granted.pk


class ReportAnswerInline(admin.StackedInline):
    model = ReportAnswer
    extra = 0
    can_delete = False
    fields = ["section", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    """Monitoring reads each report here and returns it for changes or accepts it."""

    list_display = ["unit", "call", "status", "submitted_display", "submitted_late"]
    list_select_related = ["unit", "call"]
    list_filter = ["call", "status", "submitted_late"]
    search_fields = ["unit__name", "call__title"]
    inlines = [ReportAnswerInline]
    change_form_template = "admin/unit_reports/unitreport/change_form.html"
    fields = ["call", "unit", "status", "self_assessment", "submitted_display", "submitted_by",
              "submitted_late", "return_reason", "reviewed_display", "reviewed_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("submitted at"), ordering="submitted_at")
    def submitted_display(self, obj):
        return format_jalali(obj.submitted_at) or "—"

    @admin.display(description=_("reviewed at"))
    def reviewed_display(self, obj):
        return format_jalali(obj.reviewed_at) or "—"

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["report_files"] = list(obj.files.all())
            context["can_review"] = (obj.status == UnitReport.Status.SUBMITTED
                                     and roles.is_monitoring(request.user))
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_urls(self):
        return [
            path("<int:report_id>/review/", self.admin_site.admin_view(self.review_view),
                 name="unit_reports_unitreport_review"),
            path("files/<int:file_id>/", self.admin_site.admin_view(self.file_view),
                 name="unit_reports_reportfile_download"),
        ] + super().get_urls()

    def review_view(self, request, report_id: int):
        view = require_POST(self._review)
        return view(request, report_id)

    def _review(self, request, report_id: int):
        _monitoring_only(request)
        report = get_object_or_404(UnitReport, pk=report_id)
        try:
            if request.POST.get("action") == "return":
                services.report_return(report_id=report.pk, reason=request.POST.get("reason", ""),
                                       actor=request.user)
                messages.success(request, gettext("The report was returned to the unit for changes."))
            else:
                services.report_accept(report_id=report.pk, actor=request.user)
                messages.success(request, gettext("The report was accepted."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("admin:unit_reports_unitreport_change", args=[report.pk]))

    def file_view(self, request, file_id: int):
        _monitoring_only(request)
        row = get_object_or_404(ReportFile, pk=file_id)
        return attachment_response(row)


@admin.register(UnitContact)
class UnitContactAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "mobile", "email"]
    list_select_related = ["unit"]
    list_filter = ["unit"]
