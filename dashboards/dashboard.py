"""The monitoring dashboard's content (§3.1 "Dashboards", §3.2), read from the summary tables only."""
import datetime as dt

from dataclasses import dataclass

from collections import Counter

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from sajad.calendar import TEHRAN
from sajad.models import Service, Unit

from . import figures
from .models import DailyFilerCount, DailyTermCount, OpenCase
from .periods import Period

# Backlog age bands in calendar days: (label key, lower bound inclusive, upper bound exclusive).
AGE_BANDS = ((0, 1), (1, 3), (3, 7), (7, 30), (30, None))
RISING_WINDOW_DAYS = 7
RISING_BASELINE_WEEKS = 8
RISING_MIN_COUNT = 3
RISING_FACTOR = 3.0
REPEAT_FILER_DAYS = 30
REPEAT_FILER_MIN = 3
OVERDUE_LIST_LIMIT = 50


@dataclass(frozen=True)
class RisingTopic:
    term: str
    this_week: int
    weekly_baseline: float


def _names(model, ids) -> dict:
    return dict(model.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))


# The open-case register grouped by everything the dashboard breaks it down by, with the filing
# day for the age bands: a few thousand rows however many cases are open. The register changes
# only when the rollup task runs, so the grouping is cached under the task's watermark (the task
# warms it right after folding; a page that misses computes it once).
_REGISTER_GROUPS = """
SELECT status, unit_id, service_id, kind, (filed_at AT TIME ZONE 'Asia/Tehran')::date, count(*)
FROM dashboards_opencase GROUP BY 1, 2, 3, 4, 5
"""


def _watermark() -> str:
    """Names the state of the summary tables: the last event folded and when it was folded."""
    from .models import RollupWatermark

    mark = RollupWatermark.objects.filter(name="case_events").values_list(
        "last_event_id", "updated_at").first()
    return f"{mark[0]}:{mark[1].timestamp()}" if mark else "none"


def register_groups(*, refresh: bool = False) -> list[tuple]:
    """The grouped register for the current watermark, from the cache when it is there."""
    from django.db import connection

    key = f"dashboards:open-register:{_watermark()}"
    rows = None if refresh else cache.get(key)
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(_REGISTER_GROUPS)
            rows = cursor.fetchall()
        cache.set(key, rows, 24 * 3600)
    return rows


def open_counts(*, now=None) -> dict:
    """The open backlog by status, unit, service and kind, its age bands and how many are overdue."""
    now = now or timezone.now()
    today = today_in_tehran(now)
    by = {"status": Counter(), "unit": Counter(), "service": Counter(), "kind": Counter()}
    ages = Counter()
    total = 0
    for status, unit_id, service_id, kind, filed_day, n in register_groups():
        by["status"][status] += n
        by["unit"][unit_id] += n
        by["service"][service_id] += n
        by["kind"][kind] += n
        age = (today - filed_day).days
        band = next(b for b in AGE_BANDS if age >= b[0] and (b[1] is None or age < b[1]))
        ages[band] += n
        total += n
    units = _names(Unit, list(by["unit"]))
    services = _names(Service, list(by["service"]))
    return {
        "status": dict(by["status"].most_common()),
        "unit": [{"unit_id": u, "n": n, "name": units.get(u, "")} for u, n in by["unit"].most_common()],
        "service": [{"service_id": s, "n": n, "name": services.get(s, "")}
                    for s, n in by["service"].most_common()],
        "kind": dict(by["kind"]),
        "total": total,
        "ages": [(band, ages[band]) for band in AGE_BANDS],
        "overdue": OpenCase.objects.filter(next_due__lte=now).count(),
    }


def overdue_cases(*, now=None, unit_id=None, limit: int = OVERDUE_LIST_LIMIT) -> list[OpenCase]:
    """Open cases with a running deadline in the past, the longest overdue first (an index scan)."""
    now = now or timezone.now()
    rows = OpenCase.objects.filter(next_due__lte=now).order_by("next_due", "case_id")
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return list(rows.select_related("unit", "service")[:limit])


def rising_topics(*, today: dt.date, limit: int = 10) -> list[RisingTopic]:
    """Subject words far more frequent this week than in their weekly baseline before it."""
    week_start = today - dt.timedelta(days=RISING_WINDOW_DAYS - 1)
    base_start = week_start - dt.timedelta(weeks=RISING_BASELINE_WEEKS)
    this_week = dict(
        DailyTermCount.objects.filter(day__gte=week_start, day__lte=today)
        .values_list("term").annotate(n=Sum("count")).filter(n__gte=RISING_MIN_COUNT)
    )
    if not this_week:
        return []
    before = dict(
        DailyTermCount.objects.filter(day__gte=base_start, day__lt=week_start, term__in=this_week)
        .values_list("term").annotate(n=Sum("count"))
    )
    rising = []
    for term, count in this_week.items():
        baseline = before.get(term, 0) / RISING_BASELINE_WEEKS
        if count >= RISING_FACTOR * max(baseline, 1.0):
            rising.append(RisingTopic(term, count, round(baseline, 1)))
    rising.sort(key=lambda t: (-(t.this_week / max(t.weekly_baseline, 1.0)), -t.this_week, t.term))
    return rising[:limit]


def repeat_filers(*, today: dt.date, limit: int = 10) -> list[tuple[str, int]]:
    """Mobile numbers that filed at least REPEAT_FILER_MIN cases in the last 30 days."""
    since = today - dt.timedelta(days=REPEAT_FILER_DAYS - 1)
    return list(
        DailyFilerCount.objects.filter(day__gte=since, day__lte=today)
        .values_list("mobile").annotate(n=Sum("count")).filter(n__gte=REPEAT_FILER_MIN)
        .order_by("-n", "mobile")[:limit]
    )


def period_series(period: Period) -> list[dict]:
    """Per month of the period (or, for a month, of the twelve months up to it): filed, answered
    and the share of unit answers on time. Two grouped queries by day, folded into Jalali months."""
    from .models import DailyCaseRollup, DailyClockStat
    from .periods import period_containing

    months = period.months() if period.kind != "month" else _last_months(period, 12)
    days = dict(day__gte=months[0].first_day, day__lte=months[-1].last_day)
    by_month = {m: {"period": m, "filed": 0, "answered": 0, "stopped": 0, "on_time_n": 0}
                for m in months}
    for day, filed, answered in (DailyCaseRollup.objects.filter(**days).values_list("day")
                                 .annotate(Sum("filed"), Sum("answered"))):
        row = by_month.get(period_containing(day))
        if row:
            row["filed"] += filed
            row["answered"] += answered
    for day, stopped, on_time in (DailyClockStat.objects.filter(**days, clock="unit_answer")
                                  .values_list("day").annotate(Sum("stopped"), Sum("on_time"))):
        row = by_month.get(period_containing(day))
        if row:
            row["stopped"] += stopped
            row["on_time_n"] += on_time
    for row in by_month.values():
        row["on_time"] = round(100 * row["on_time_n"] / row["stopped"]) if row["stopped"] else None
    return [by_month[m] for m in months]


def _last_months(month: Period, count: int) -> list[Period]:
    months = [month]
    while len(months) < count:
        months.insert(0, months[0].previous())
    return months


def _signals(*, today: dt.date) -> dict:
    """Rising topics and repeat filers, cached until the summary tables next change.

    Both read a month or more of daily rows; they change only when the rollup task runs, so the
    cache key names the watermark (and the day, since the windows slide at midnight).
    """
    key = f"dashboards:signals:{_watermark()}:{today.isoformat()}"
    signals = cache.get(key)
    if signals is None:
        signals = {"rising": rising_topics(today=today), "repeat_filers": repeat_filers(today=today)}
        cache.set(key, signals, 6 * 3600)
    return signals


def flagged_services() -> list:
    """Services the continuous watch has flagged and not yet cleared (surveys' open episodes)."""
    from surveys.models import AlarmEpisode

    return list(AlarmEpisode.objects.filter(closed_at__isnull=True).select_related("service")
                .order_by("opened_at"))


CALLS_SHOWN_AFTER_CLOSE = dt.timedelta(days=14)


def report_calls_progress(*, now=None) -> list[dict]:
    """Report calls open now (or closed in the last two weeks) and the units yet to submit."""
    from unit_reports.models import ReportCall
    from unit_reports.selectors import calls_missing_units

    now = now or timezone.now()
    calls = ReportCall.objects.filter(opens_at__lte=now, closes_at__gte=now - CALLS_SHOWN_AFTER_CLOSE)
    return [{"call": call, "missing": list(calls_missing_units(call)), "total": call.units.count()}
            for call in calls.order_by("closes_at")]


def today_in_tehran(now=None) -> dt.date:
    return timezone.localtime(now or timezone.now(), TEHRAN).date()


def dashboard(*, period: Period, now=None) -> dict:
    """Everything the monitoring dashboard shows for a period."""
    now = now or timezone.now()
    scope = dict(first_day=period.first_day, last_day=period.last_day)
    by_unit = figures.counts_by("unit_id", **scope)
    by_service = figures.counts_by("service_id", **scope)
    units = _names(Unit, [r["unit_id"] for r in by_unit])
    services = _names(Service, [r["service_id"] for r in by_service])
    for row in by_unit:
        row["name"] = units.get(row["unit_id"], "")
    for row in by_service:
        row["name"] = services.get(row["service_id"], "")
    today = today_in_tehran(now)
    register = open_counts(now=now)
    return {
        "period": period,
        "open": register,
        "backlog_by_age": register["ages"],
        "overdue": overdue_cases(now=now),
        "overdue_total": register["overdue"],
        "counts": figures.counts(**scope),
        "by_unit": by_unit,
        "by_service": by_service,
        "by_kind": figures.counts_by("kind", **scope),
        "clocks": figures.clock_figures(**scope),
        "service_satisfaction": figures.satisfaction(**scope, handling=False),
        "handling_satisfaction": figures.satisfaction(**scope, handling=True),
        "series": period_series(period),
        **_signals(today=today),
        "flagged": flagged_services(),
        "calls": report_calls_progress(now=now),
    }


