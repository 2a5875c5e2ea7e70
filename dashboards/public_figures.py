"""The public statistics (/statistics/ and each service's SLA page): per service and Jalali month.

From the summary tables and the survey answers' aggregate only, in a fixed number of grouped
queries whatever the number of services. Satisfaction and the resolved rate are hidden under the
privacy floor.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from sajad.models import Service

from .figures import PRIVACY_FLOOR, percentile_from_histogram
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


def _share(part: int, whole: int, floor: int = 1) -> int | None:
    return round(100 * part / whole) if whole and whole >= floor else None


def statistics_for_month(period: Period, *, services=None) -> list[ServiceMonth]:
    from surveys.models import Answer

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
    happy = {row["service_id"]: row for row in
             Answer.objects.filter(service_id__in=ids, answered_at__gte=period.start,
                                   answered_at__lt=period.end, kind__in=["csat", "need_met"])
             .exclude(survey__kind="handling").values("service_id").annotate(
                 csat_n=Count("pk", filter=Q(kind="csat")),
                 csat_good=Count("pk", filter=Q(kind="csat", value__gte=4)),
                 need_n=Count("pk", filter=Q(kind="need_met")),
                 need_fully=Count("pk", filter=Q(kind="need_met", value=2)))}
    rows = []
    for service in services:
        answer = answers.get(service.pk, {"n": 0, "on_time": 0})
        survey = happy.get(service.pk, {"csat_n": 0, "csat_good": 0, "need_n": 0, "need_fully": 0})
        rows.append(ServiceMonth(
            service=service, cases=filed.get(service.pk) or 0,
            median_first_response=percentile_from_histogram(histograms.get(service.pk, {}), 0.5),
            answers=answer["n"] or 0, on_time_percent=_share(answer["on_time"] or 0, answer["n"] or 0),
            csat_n=survey["csat_n"],
            csat_percent=_share(survey["csat_good"], survey["csat_n"], PRIVACY_FLOOR),
            resolved_n=survey["need_n"],
            resolved_percent=_share(survey["need_fully"], survey["need_n"], PRIVACY_FLOOR),
        ))
    return rows
