"""The organisation's shared core: units (a tree), their staff, and the service catalogue."""
import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import markup


class Unit(models.Model):
    """An organisational unit. Exactly one is the monitoring unit that owns triage."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    is_monitoring = models.BooleanField(_("is the monitoring unit"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_monitoring"], condition=Q(is_monitoring=True),
                name="unit_single_monitoring_unit",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Unit"]:
        """Parents from the nearest up to the root (used for escalation and breadcrumbs)."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    @classmethod
    def monitoring(cls) -> "Unit":
        return cls.objects.get(is_monitoring=True)


class UnitMember(models.Model):
    """Ties a staff user to the unit whose cases they may see; heads answer for the unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="unit_membership",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members")
    is_head = models.BooleanField(_("head of unit"), default=False)
    # Staff contact for unit messages (new cases, assignments) by SMS; e-mail is the user's.
    mobile = models.CharField(
        _("mobile"), max_length=11, blank=True,
        validators=[RegexValidator(r"^09\d{9}$", _("A mobile number such as 09121234567."))],
        help_text=_("For SMS about the unit's cases, e.g. 09121234567."),
    )
    # When this member last opened the desk's inbox: later arrivals are shown as new.
    desk_seen_at = models.DateTimeField(_("desk last seen"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("unit member")
        verbose_name_plural = _("unit members")

    def __str__(self) -> str:
        return f"{self.user} – {self.unit}"


class ServiceQuerySet(models.QuerySet):
    def open_to_citizens(self):
        """Services a citizen can see in the catalogue and file a case about: active, not internal."""
        return self.filter(is_active=True, is_internal=False)


class Service(models.Model):
    """A service of the catalogue, with the structured fields of its published SLA document (§1.4)."""

    objects = ServiceQuerySet.as_manager()

    class Cost(models.TextChoices):
        FREE = "free", _("Free of charge")
        PAID = "paid", _("Paid electronically")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("providing unit"), on_delete=models.PROTECT, related_name="services"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_internal = models.BooleanField(
        _("internal service"), default=False,
        help_text=_("Offered to the organisation's own departments rather than to citizens."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # The SLA document of §1.4, one field per heading.
    definition = models.TextField(_("definition of the service"))
    recipients = models.TextField(_("service recipients"))
    provider = models.TextField(_("service provider"))
    single_window_url = models.URLField(_("single-window link"), blank=True)
    responsibilities = models.TextField(_("responsibilities"))
    mutual_obligations = models.TextField(_("mutual obligations"))
    required_data = models.TextField(_("required data fields"))
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    tariff = models.CharField(
        _("tariff"), max_length=200, blank=True,
        help_text=_("Only for paid services: the amount set by the budget tables."),
    )
    payment_method = models.CharField(_("payment method"), max_length=200, blank=True)
    dispute_resolution = models.TextField(_("dispute resolution"))
    dispute_negotiation_days = models.PositiveSmallIntegerField(
        _("negotiation period (days)"), default=30,
        help_text=_("After this period of negotiation the provider's view stands."),
    )
    termination = models.TextField(_("termination of the agreement"))
    document_version = models.CharField(_("document version"), max_length=20, default="1.0")
    last_edited = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost="free") | ~Q(tariff=""), name="service_paid_has_tariff",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:detail", kwargs={"slug": self.slug})


class PerformanceTarget(models.Model):
    """The SLA's performance period: time to the first result, per request type."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="performance_targets"
    )
    request_type = models.CharField(_("request type"), max_length=200)
    working_days = models.PositiveSmallIntegerField(_("working days to first result"))

    class Meta:
        verbose_name = _("performance target")
        verbose_name_plural = _("performance targets")
        ordering = ["service", "working_days"]
        constraints = [
            models.UniqueConstraint(fields=["service", "request_type"], name="target_unique_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.request_type}"


class WorkingWeek(models.Model):
    """One weekday's working hours in Asia/Tehran; seven rows make the organisation's week.

    `weekday` uses Python's numbering (Monday 0 … Sunday 6, as `date.weekday()`), so the rows map
    straight onto `sajad.calendar.WorkingCalendar`; lists show them in the Iranian order, Saturday
    first. Changing a row changes every deadline computed afterwards.
    """

    class Weekday(models.IntegerChoices):
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, unique=True)
    is_working = models.BooleanField(_("working day"), default=True)
    start = models.TimeField(_("start of work"), default=datetime.time(7, 30))
    end = models.TimeField(_("end of work"), default=datetime.time(14, 30))

    class Meta:
        verbose_name = _("working day of the week")
        verbose_name_plural = _("days of the working week")
        # Saturday first: (weekday + 2) mod 7 turns Python's numbering into the Iranian order.
        ordering = [Mod(F("weekday") + 2, 7)]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="workingweek_weekday_range"
            ),
            models.CheckConstraint(
                condition=Q(is_working=False) | Q(start__lt=F("end")), name="workingweek_start_before_end",
                violation_error_message=_("A working day must start before it ends."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_weekday_display())


class Holiday(models.Model):
    """A day without work: a solar date that recurs every Jalali year, or one dated day.

    Recurring rows hold a Jalali month and day (Nowruz, 22 Bahman…); one-off rows hold the Gregorian
    `date` of a lunar holiday or a special closure, entered in admin as a Jalali date. The database
    guarantees each row is exactly one of the two kinds and never duplicated.
    """

    class JalaliMonth(models.IntegerChoices):
        FARVARDIN = 1, _("Farvardin")
        ORDIBEHESHT = 2, _("Ordibehesht")
        KHORDAD = 3, _("Khordad")
        TIR = 4, _("Tir")
        MORDAD = 5, _("Mordad")
        SHAHRIVAR = 6, _("Shahrivar")
        MEHR = 7, _("Mehr")
        ABAN = 8, _("Aban")
        AZAR = 9, _("Azar")
        DEY = 10, _("Dey")
        BAHMAN = 11, _("Bahman")
        ESFAND = 12, _("Esfand")

    name = models.CharField(_("name"), max_length=200)
    recurring = models.BooleanField(
        _("every year"), default=False,
        help_text=_("A solar holiday on the same Jalali month and day every year."),
    )
    jalali_month = models.PositiveSmallIntegerField(
        _("Jalali month"), choices=JalaliMonth.choices, null=True, blank=True
    )
    jalali_day = models.PositiveSmallIntegerField(_("Jalali day"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["-recurring", "jalali_month", "jalali_day", "date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recurring=True, jalali_month__isnull=False, jalali_day__isnull=False,
                      date__isnull=True)
                    | Q(recurring=False, jalali_month__isnull=True, jalali_day__isnull=True,
                        date__isnull=False)
                ),
                name="holiday_recurring_or_dated",
                violation_error_message=_(
                    "A holiday either recurs on a Jalali month and day or has one date, not both."
                ),
            ),
            # Farvardin–Shahrivar have 31 days, Mehr–Bahman 30, Esfand 29 (30 in leap years).
            models.CheckConstraint(
                condition=Q(jalali_month__isnull=True)
                | Q(jalali_month__gte=1, jalali_month__lte=6, jalali_day__gte=1, jalali_day__lte=31)
                | Q(jalali_month__gte=7, jalali_month__lte=12, jalali_day__gte=1, jalali_day__lte=30),
                name="holiday_valid_jalali_month_day",
                violation_error_message=_("That day does not exist in that Jalali month."),
            ),
            models.UniqueConstraint(
                fields=["jalali_month", "jalali_day"], condition=Q(recurring=True),
                name="holiday_unique_recurring_day",
                violation_error_message=_("That Jalali day is already a recurring holiday."),
            ),
            models.UniqueConstraint(
                fields=["date"], condition=Q(recurring=False), name="holiday_unique_date",
                violation_error_message=_("That date is already a holiday."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StaticPage(models.Model):
    """A public page whose text staff edit in admin (e.g. the citizen-participation commitments).

    The body uses the small markup of `sajad.markup` (shared with the FAQ), which escapes everything first, so staff
    can never put raw HTML on a public page.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Blank line between paragraphs; **bold**; lines starting with “- ” make a list; "
            "[text](https://…) makes a link."
        ),
    )
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        verbose_name = _("static page")
        verbose_name_plural = _("static pages")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def body_html(self) -> str:
        return markup.render(self.body)
