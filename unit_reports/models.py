"""Report calls (فراخوان) of the internal service "performance evaluation of the units" (§3.2).

The monitoring unit opens a call for a Jalali period with an open and a close instant and the
sections every report must cover; each unit asked writes one report (text per section, files in
the private storage) and submits it before the close, or before the end of an extension the
monitoring unit granted to that unit. Rules live in `unit_reports/services.py`; these models keep
the data and what the database can guarantee.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sajad.models import Service, Unit
from sajad.storage import get_private_storage

from dashboards.periods import Period


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ReportCall(models.Model):
    """One call: the window in which the units asked submit their report for one period."""

    title = models.CharField(_("title"), max_length=200)
    service = models.ForeignKey(
        Service, verbose_name=_("internal service"), on_delete=models.PROTECT,
        related_name="report_calls", limit_choices_to={"is_internal": True},
        help_text=_("The internal service whose SLA page shows this call."),
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_year = models.PositiveSmallIntegerField(_("Jalali year of the period"))
    period_index = models.PositiveSmallIntegerField(
        _("month or quarter"), default=1,
        help_text=_("Month 1–12 or quarter 1–4 of that Jalali year; 1 for a whole year."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    reminder_days = models.JSONField(
        _("reminders (days before the close)"), default=list, blank=True,
        help_text=_("Whole days before the close on which units that have not submitted are reminded."),
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("units asked to report"), related_name="report_calls",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report call")
        verbose_name_plural = _("report calls")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="reportcall_closes_after_opening",
                violation_error_message=_("A call must close after it opens."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(period_kind="month", period_index__gte=1, period_index__lte=12)
                    | Q(period_kind="quarter", period_index__gte=1, period_index__lte=4)
                    | Q(period_kind="year", period_index=1)
                ),
                name="reportcall_period_index_in_range",
            ),
        ]
        indexes = [
            # The reminder task and the SLA page: calls still open, by their close.
            models.Index(fields=["closes_at"], name="reportcall_closes_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_year, self.period_index)


class CallSection(models.Model):
    """A question or section every report of the call must answer, in order."""

    call = models.ForeignKey(
        ReportCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="sections",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("question or section"), max_length=300)
    guidance = models.TextField(_("guidance for the units"), blank=True)

    class Meta:
        verbose_name = _("section of the report")
        verbose_name_plural = _("sections of the report")
        ordering = ["call", "order", "id"]

    def __str__(self) -> str:
        return self.title


class UnitReport(models.Model):
    """One unit's report for one call; at most one per unit and call."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    call = models.ForeignKey(
        ReportCall, verbose_name=_("call"), on_delete=models.PROTECT, related_name="reports",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="performance_reports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    self_assessment = models.TextField(
        _("self-assessment"), blank=True,
        help_text=_("Starts from the unit's scorecard for the period."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    submitted_late = models.BooleanField(_("submitted under an extension"), default=False)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["call", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["call", "unit"], name="unitreport_one_per_unit"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "accepted"]),
                name="unitreport_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "returned"]) | Q(submitted_at__isnull=False),
                name="unitreport_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.call}"


class ReportAnswer(models.Model):
    """The unit's text for one section."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="answers")
    section = models.ForeignKey(CallSection, verbose_name=_("section of the report"),
                                on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer to a section")
        verbose_name_plural = _("answers to the sections")
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="reportanswer_one_per_section"),
        ]

    def __str__(self) -> str:
        return self.section.title


def report_file_path(instance, filename: str) -> str:
    # The stored name never carries the uploaded one: files are found through their row.
    return f"unit_reports/{instance.report.call_id}/{instance.report.unit_id}/{instance.sha256[:16]}"


class ReportFile(models.Model):
    """A document attached to a report, in the private storage (served only through the desk)."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=get_private_storage, upload_to=report_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class CallExtension(models.Model):
    """A late window the monitoring unit granted one unit: who, when, until when, why."""

    call = models.ForeignKey(
        ReportCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="extensions",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="+")
    until = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason"), blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["-granted_at"]
        indexes = [
            # The lock check: this unit's extensions on this call, latest end first.
            models.Index(fields=["call", "unit", "-until"], name="callextension_lookup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.call}"


class UnitContact(models.Model):
    """Who hears a unit's report reminders by SMS (and e-mail) besides the heads' own e-mail."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="report_contacts")
    name = models.CharField(_("name"), max_length=200)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("reporting contact")
        verbose_name_plural = _("reporting contacts")
        ordering = ["unit", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(mobile="") | ~Q(email=""),
                                   name="unitcontact_has_a_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"
