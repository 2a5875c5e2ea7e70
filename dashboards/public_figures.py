"""The public statistics (/statistics/ and each service's SLA page): per service and Jalali month.

From the summary tables and the survey answers' aggregate only, in a fixed number of grouped
queries whatever the number of services. Satisfaction and the resolved rate are hidden under the
privacy floor.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum

from sajad.models import Service

from .figures import percentile_from_histogram
from .models import DailyCaseRollup, DailyClockStat
from .periods import Period


@dataclass(frozen=True)
class ServiceMonth:
    service: Service
    cases: int
    median_first_response: float | None  # working minutes
    answers: int
    on_time_percent: int | None
    csat_n: int
    csat_percent: int | None
    resolved_n: int
    resolved_percent: int | None


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _service_survey_shares(*, period: Period, service_ids: list[int]):
    """Per service, the CSAT and resolved Shares of its own survey for the period.

    Two grouped queries over the surveys' daily summaries; the definitions, the margins and the
    privacy floor (on responses, then on answers) are the survey results' own.
    """
    from surveys.models import AnswerDay, ResponseDay
    from surveys.results import PRIVACY_FLOOR, Scope, kpi_aggregates, share

    scope = Scope(kind="service")
    days = dict(day__gte=period.first_day, day__lte=period.last_day, service_id__in=service_ids)
    answers = {row["service_id"]: row for row in
               AnswerDay.objects.filter(scope.day_filter(), kind__in=["csat", "need_met"], **days)
               .values("service_id").annotate(**kpi_aggregates())}
    responses = dict(ResponseDay.objects.filter(scope.day_filter(), **days)
                     .values_list("service_id").annotate(n=Sum("n")))

    def shares(service_id: int):
        row = answers.get(service_id, {})
        floor = (responses.get(service_id) or 0) < PRIVACY_FLOOR
        return (share(row.get("csat_hits") or 0, 0 if floor else row.get("csat_n") or 0),
                share(row.get("need_full") or 0, 0 if floor else row.get("need_n") or 0))

    return shares


def statistics_for_month(period: Period, *, services=None) -> list[ServiceMonth]:
    services = list(services if services is not None else Service.objects.open_to_citizens().select_related("unit").order_by("unit__name", "name"))
    ids = [s.pk for s in services]
    days = dict(day__gte=period.first_day, day__lte=period.last_day, service_id__in=ids)
    filed = dict(DailyCaseRollup.objects.filter(**days).values_list("service_id")
                 .annotate(n=Sum("filed")))
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for service_id, bucket, n in (DailyClockStat.objects.filter(**days, clock="first_response")
                                  .values_list("service_id", "bucket").annotate(n=Sum("stopped"))):
        histograms[service_id][bucket] = n
    answers = {row["service_id"]: row for row in
               DailyClockStat.objects.filter(**days, clock="unit_answer").values("service_id")
               .annotate(n=Sum("stopped"), on_time=Sum("on_time"))}
    happy = _service_survey_shares(period=period, service_ids=ids)
    rows = []
    for service in services:
        answer = answers.get(service.pk, {"n": 0, "on_time": 0})
        csat, resolved = happy(service.pk)
        rows.append(ServiceMonth(
            service=service, cases=filed.get(service.pk) or 0,
            median_first_response=percentile_from_histogram(histograms.get(service.pk, {}), 0.5),
            answers=answer["n"] or 0, on_time_percent=_share(answer["on_time"] or 0, answer["n"] or 0),
            csat_n=csat.n, csat_percent=None if csat.value is None else round(csat.value),
            resolved_n=resolved.n,
            resolved_percent=None if resolved.value is None else round(resolved.value),
        ))
    return rows
