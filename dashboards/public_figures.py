"""The public statistics (/statistics/ and each service's SLA page): per service and Jalali month.

`statistics_for_month` is the one computation of these figures: /statistics/ calls it for every
public service, the SLA page for its one service (`service_month`), so the two pages cannot
disagree. From the summary tables and the surveys' daily summaries only (never the case table), in
four grouped queries whatever the number of services. Satisfaction and the resolved rate are
hidden under the privacy floor.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum

from sajad.models import Service

from .figures import percentile_from_histogram
from .models import DailyCaseRollup, DailyClockStat
from .periods import Period, current_period


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

    @property
    def has_data(self) -> bool:
        """Anything at all to show for the month (cases, stopped clocks or survey answers)."""
        return bool(self.cases or self.answers or self.median_first_response is not None
                    or self.csat_n or self.resolved_n)


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
    """Each service's figures for `period`: the public services in catalogue order by default.

    - cases: cases filed in the period;
    - median first response: interpolated from the histogram of first-response clocks stopped in
      the period (`figures.percentile_from_histogram`);
    - on time: unit answers given in the period within their budget, out of all given;
    - satisfaction and resolved rate: the service's own survey, floored as the survey results are.
    """
    services = list(services if services is not None else Service.objects.open_to_citizens()
                    .select_related("unit").order_by("unit__name", "name"))
    ids = [s.pk for s in services]
    days = dict(day__gte=period.first_day, day__lte=period.last_day, service_id__in=ids)
    filed = dict(DailyCaseRollup.objects.filter(**days).values_list("service_id")
                 .annotate(n=Sum("filed")))
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    answers: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # stopped, on time
    for service_id, clock, bucket, n, on_time in (
            DailyClockStat.objects.filter(**days, clock__in=["first_response", "unit_answer"])
            .values_list("service_id", "clock", "bucket")
            .annotate(n=Sum("stopped"), on_time=Sum("on_time"))):
        if clock == "first_response":
            histograms[service_id][bucket] = n
        else:
            answers[service_id][0] += n
            answers[service_id][1] += on_time
    happy = _service_survey_shares(period=period, service_ids=ids)
    rows = []
    for service in services:
        given, on_time = answers.get(service.pk, (0, 0))
        csat, resolved = happy(service.pk)
        rows.append(ServiceMonth(
            service=service, cases=filed.get(service.pk) or 0,
            median_first_response=percentile_from_histogram(histograms.get(service.pk, {}), 0.5),
            answers=given, on_time_percent=_share(on_time, given),
            csat_n=csat.n, csat_percent=None if csat.value is None else round(csat.value),
            resolved_n=resolved.n,
            resolved_percent=None if resolved.value is None else round(resolved.value),
        ))
    return rows


def sla_page_period(*, now=None) -> Period:
    """The month an SLA page reports: the last full Jalali month (one of /statistics/'s months).

    A whole month, so the page does not show the thin first days of a new month as the service's
    record; /statistics/ has the month in progress too.
    """
    return current_period("month", now=now).previous()


def service_month(*, service: Service, period: Period) -> ServiceMonth:
    """One service's row of /statistics/ for `period`, computed by the same function."""
    return statistics_for_month(period, services=[service])[0]
