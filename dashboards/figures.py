"""Reading the summary tables: counts, working times and shares for a range of days.

Every function here reads `dashboards` tables (and, for satisfaction, the indexed aggregate of the
surveys' answers); none reads the case table. Percentiles come from the duration histograms: the
value is interpolated inside the bucket where the cumulative count crosses the rank.
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, Sum

from .models import DURATION_BOUNDS, DailyCaseRollup, DailyClockStat

COUNT_FIELDS = ("filed", "routed", "answered", "published", "went_overdue", "escalated",
                "returned", "objected", "upheld", "reopened", "closed")
CLOCKS = ("first_response", "unit_answer", "resolution")


def _scope(*, first_day: dt.date, last_day: dt.date, unit_id=None, service_id=None) -> Q:
    scope = Q(day__gte=first_day, day__lte=last_day)
    if unit_id is not None:
        scope &= Q(unit_id=unit_id)
    if service_id is not None:
        scope &= Q(service_id=service_id)
    return scope


def counts(**scope) -> dict[str, int]:
    """Steps taken in the range: filed, routed, answered, published, overdue, escalated …"""
    totals = DailyCaseRollup.objects.filter(_scope(**scope)).aggregate(
        **{name: Sum(name) for name in COUNT_FIELDS})
    return {name: totals[name] or 0 for name in COUNT_FIELDS}


def counts_by(dimension: str, **scope) -> list[dict]:
    """The same counts grouped by `unit_id`, `service_id` or `kind`, most filed first."""
    rows = (DailyCaseRollup.objects.filter(_scope(**scope)).values(dimension)
            .annotate(**{name: Sum(name) for name in COUNT_FIELDS}).order_by("-filed", dimension))
    return list(rows)


@dataclass(frozen=True)
class ClockFigures:
    clock: str
    stopped: int
    mean: float | None
    median: float | None
    p90: float | None
    on_time: int

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.stopped) if self.stopped else None


def percentile_from_histogram(histogram: dict[int, int], fraction: float) -> float | None:
    """The value at `fraction` (0–1) of a histogram over DURATION_BOUNDS, interpolated."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = fraction * total
    seen = 0
    for bucket in range(len(DURATION_BOUNDS) + 1):
        count = histogram.get(bucket, 0)
        if count and seen + count >= rank:
            low = DURATION_BOUNDS[bucket - 1] if bucket > 0 else 0
            if bucket >= len(DURATION_BOUNDS):
                return float(low)  # the open last bucket: its lower bound
            high = DURATION_BOUNDS[bucket]
            return low + (high - low) * (rank - seen) / count
        seen += count
    return float(DURATION_BOUNDS[-1])


def clock_figures(**scope) -> dict[str, ClockFigures]:
    """Per clock: clocks stopped in the range, mean, median and p90 working minutes, on time."""
    rows = (DailyClockStat.objects.filter(_scope(**scope)).values("clock", "bucket")
            .annotate(stopped=Sum("stopped"), minutes=Sum("minutes"), on_time=Sum("on_time")))
    histograms: dict[str, dict[int, int]] = {c: {} for c in CLOCKS}
    sums = {c: [0, 0, 0] for c in CLOCKS}
    for row in rows:
        if row["clock"] not in histograms:
            continue
        histograms[row["clock"]][row["bucket"]] = row["stopped"]
        total = sums[row["clock"]]
        total[0] += row["stopped"]
        total[1] += row["minutes"]
        total[2] += row["on_time"]
    return {
        clock: ClockFigures(
            clock=clock, stopped=sums[clock][0],
            mean=sums[clock][1] / sums[clock][0] if sums[clock][0] else None,
            median=percentile_from_histogram(histograms[clock], 0.5),
            p90=percentile_from_histogram(histograms[clock], 0.9),
            on_time=sums[clock][2],
        )
        for clock in CLOCKS
    }


@dataclass(frozen=True)
class Satisfaction:
    """Survey figures for a group; None below the survey app's privacy floor."""

    csat_n: int
    csat_percent: int | None  # share answering 4 or 5
    need_n: int
    resolved_percent: int | None  # share whose need was fully met


def _percent(share) -> int | None:
    return None if share.value is None else round(share.value)


def satisfaction(*, first_day: dt.date, last_day: dt.date, unit_id=None, service_id=None,
                 handling: bool) -> Satisfaction:
    """CSAT and the resolved rate in the range, as the survey results define and floor them.

    `handling=True` is the complaint-handling survey (how the case was handled), False the
    services' own surveys. Read from the surveys' daily summaries (`surveys.results.summaries`).
    """
    from surveys.results import Scope, date_range, summaries

    scope = Scope(kind="handling" if handling else "service", service_id=service_id,
                  unit_id=unit_id)
    summary = summaries(scope=scope, periods=[date_range(first_day, last_day)])[0]
    return Satisfaction(csat_n=summary.csat.n, csat_percent=_percent(summary.csat),
                        need_n=summary.resolved.n, resolved_percent=_percent(summary.resolved))
