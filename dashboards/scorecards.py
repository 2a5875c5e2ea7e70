"""Unit scorecards (§3.2 "Unit performance"): one unit's figures for a Jalali period, beside the
previous period and the organisation's average over the units with cases in the period.

Read from the summary tables only. "Answered on time" is the unit's answer clocks stopped within
budget; "median working time to answer" is the median of those clocks; "returns" are cases the
unit sent back to monitoring; objections are counted as upheld (the answer stood) or reopened.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sajad.calendar_display import describe_working_minutes
from sajad.models import Unit
from sajad.persian import to_persian_digits

from . import figures
from .models import DailyCaseRollup
from .periods import Period


@dataclass(frozen=True)
class ScorecardFigure:
    key: str
    label: str
    value: float | None
    previous: float | None
    org_average: float | None
    unit: str  # "count", "percent" or "minutes"
    higher_is_better: bool

    def _display(self, value) -> str:
        if value is None:
            return "—"
        if self.unit == "percent":
            return to_persian_digits(f"{round(value)}٪")
        if self.unit == "minutes":
            return describe_working_minutes(round(value))
        return to_persian_digits(f"{round(value, 1):g}").replace(".", "٫")  # Persian decimal mark

    @property
    def value_display(self) -> str:
        return self._display(self.value)

    @property
    def previous_display(self) -> str:
        return self._display(self.previous)

    @property
    def org_average_display(self) -> str:
        return self._display(self.org_average)

    @property
    def trend(self) -> str:
        """"better", "worse" or "same" against the previous period."""
        if self.value is None or self.previous is None or self.value == self.previous:
            return "same"
        better = self.value > self.previous if self.higher_is_better else self.value < self.previous
        return "better" if better else "worse"


@dataclass(frozen=True)
class Scorecard:
    unit: Unit
    period: Period
    figures: list[ScorecardFigure]

    def figure(self, key: str) -> ScorecardFigure:
        return next(f for f in self.figures if f.key == key)


# (key, label, unit, higher is better)
FIGURES = (
    ("received", _("Cases received"), "count", True),
    ("answered", _("Answers written"), "count", True),
    ("on_time_percent", _("Answered on time"), "percent", True),
    ("median_answer_minutes", _("Median working time to answer"), "minutes", False),
    ("escalated", _("Escalations"), "count", False),
    ("returned", _("Returned to monitoring"), "count", False),
    ("upheld", _("Objections: answer upheld"), "count", True),
    ("reopened", _("Objections: case reopened"), "count", False),
    ("csat_percent", _("Handling satisfaction"), "percent", True),
    ("resolved_percent", _("Resolved rate"), "percent", True),
)


def _values(*, unit_id: int, period: Period) -> dict[str, float | None]:
    scope = dict(first_day=period.first_day, last_day=period.last_day, unit_id=unit_id)
    counted = figures.counts(**scope)
    answer_clock = figures.clock_figures(**scope)["unit_answer"]
    happy = figures.satisfaction(**scope, handling=True)
    return {
        "received": counted["routed"],
        "answered": counted["answered"],
        "on_time_percent": answer_clock.on_time_percent,
        "median_answer_minutes": answer_clock.median,
        "escalated": counted["escalated"],
        "returned": counted["returned"],
        "upheld": counted["upheld"],
        "reopened": counted["reopened"],
        "csat_percent": happy.csat_percent,
        "resolved_percent": happy.resolved_percent,
    }


def _average(values: list[dict], key: str) -> float | None:
    present = [v[key] for v in values if v[key] is not None]
    return sum(present) / len(present) if present else None


def units_active_in(period: Period) -> list[int]:
    return list(
        DailyCaseRollup.objects.filter(day__gte=period.first_day, day__lte=period.last_day,
                                       unit__isnull=False)
        .values_list("unit_id", flat=True).distinct()
    )


def unit_scorecard(*, unit: Unit, period: Period) -> Scorecard:
    """The unit's scorecard for the period, with the previous period and the organisation's average."""
    current = _values(unit_id=unit.pk, period=period)
    previous = _values(unit_id=unit.pk, period=period.previous())
    others = [_values(unit_id=uid, period=period) for uid in units_active_in(period)]
    return Scorecard(unit=unit, period=period, figures=[
        ScorecardFigure(key=key, label=str(label), value=current[key], previous=previous[key],
                        org_average=_average(others, key), unit=kind, higher_is_better=better)
        for key, label, kind, better in FIGURES
    ])
