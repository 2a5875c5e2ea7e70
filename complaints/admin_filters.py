"""Admin list filters that speak Jalali: the monitoring unit thinks in ۱۴۰۵/۰۹/۰۱, not ISO dates."""
import datetime as dt

import jdatetime
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sajad.jalali import format_jalali, parse_jalali_date

from . import escalation


def _start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the portal's time zone (Asia/Tehran), as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class JalaliDateRangeFilter(admin.ListFilter):
    """Two free-text Jalali dates ("from", "to", both inclusive) plus quick presets.

    Any digits are accepted (۱۴۰۵/۰۹/۰۱, ١٤٠٥-٠٩-٠١, 1405/9/1). An impossible date is reported with
    a message and filters nothing, rather than silently showing an empty list. The range becomes a
    half-open `[from 00:00, to+1 00:00)` on the indexed column, so the database can range-scan.
    """

    title = gettext_lazy("filed between (Jalali)")
    template = "admin/complaints/jalali_date_range_filter.html"
    field_name = "created_at"
    from_param = "filed_from"
    to_param = "filed_to"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.request = request
        self.raw = {}
        for name in (self.from_param, self.to_param):
            if name in params:
                value = params.pop(name)
                value = value[-1] if isinstance(value, list) else value
                self.raw[name] = value.strip()
                if self.raw[name]:
                    self.used_parameters[name] = self.raw[name]
        self.bounds: dict[str, dt.date] = {}
        self.invalid: list[str] = []
        for name, text in self.used_parameters.items():
            try:
                self.bounds[name] = parse_jalali_date(text)
            except (ValueError, TypeError):
                self.invalid.append(text)

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return [self.from_param, self.to_param]

    def queryset(self, request, queryset):
        if self.invalid:
            messages.error(
                request,
                _("“%(value)s” is not a valid Jalali date; write it like 1405/09/01. "
                  "The date filter was not applied.") % {"value": "، ".join(self.invalid)},
            )
            return queryset
        start, end = self.bounds.get(self.from_param), self.bounds.get(self.to_param)
        if start:
            queryset = queryset.filter(**{f"{self.field_name}__gte": _start_of_day(start)})
        if end:
            end_exclusive = _start_of_day(end + dt.timedelta(days=1))
            queryset = queryset.filter(**{f"{self.field_name}__lt": end_exclusive})
        return queryset

    def presets(self) -> list[tuple[str, dt.date, dt.date]]:
        today = timezone.localdate()
        month_start = jdatetime.date.fromgregorian(date=today).replace(day=1).togregorian()
        return [
            (_("Today"), today, today),
            (_("Last 7 days"), today - dt.timedelta(days=6), today),
            (_("This month"), month_start, today),
        ]

    def choices(self, changelist):
        """Preset links; the template also reads `form_*` below to draw the two inputs."""
        current = (self.raw.get(self.from_param, ""), self.raw.get(self.to_param, ""))
        yield {
            "selected": not any(current),
            "query_string": changelist.get_query_string(remove=self.expected_parameters()),
            "display": _("Any date"),
        }
        for label, start, end in self.presets():
            values = (format_jalali(start, "%Y/%m/%d"), format_jalali(end, "%Y/%m/%d"))
            yield {
                "selected": current == values,
                "query_string": changelist.get_query_string(
                    {self.from_param: values[0], self.to_param: values[1]}
                ),
                "display": label,
            }
        # The form keeps every other filter and the search as hidden inputs.
        self.form_hidden = [
            (key, value)
            for key, values in changelist.params.items()
            if key not in (*self.expected_parameters(), "p", "e")
            for value in (values if isinstance(values, list) else [values])
        ]
        self.form_from = current[0]
        self.form_to = current[1]


class EscalationLevelFilter(admin.SimpleListFilter):
    """The escalation ladder of §3.1 by name rather than by number (`complaints.escalation`)."""

    title = gettext_lazy("escalation")
    parameter_name = "escalation"

    def lookups(self, request, model_admin):
        return [(str(rung.level), rung.label) for rung in escalation.LADDER]

    def queryset(self, request, queryset):
        if self.value() in {str(rung.level) for rung in escalation.LADDER}:
            return queryset.filter(escalation_level=int(self.value()))
        return queryset
