"""Reads of the public catalogue: services grouped by unit, one service's SLA page, its live figures.

Selectors only; nothing here writes. The live figures are aggregates computed in PostgreSQL over a
rolling window (three small queries per page, none of which loads cases into Python).
"""
import datetime as dt
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Q
from django.http import Http404
from django.utils import timezone

from sajad.models import Service, StaticPage, Unit

FIGURES_WINDOW_DAYS = 90
FAQ_ON_SLA_PAGE = 5


@dataclass(frozen=True)
class UnitServices:
    unit: Unit
    depth: int
    services: list[Service]


@dataclass(frozen=True)
class ServiceFigures:
    """What the SLA page states about the last `window_days` days; None/0 means "no data yet"."""

    window_days: int
    cases_filed: int
    median_first_response_minutes: int | None
    answers_total: int
    answers_on_time: int

    @property
    def on_time_percent(self) -> int | None:
        if not self.answers_total:
            return None
        return round(100 * self.answers_on_time / self.answers_total)

    @property
    def has_data(self) -> bool:
        return bool(self.cases_filed or self.answers_total or self.median_first_response_minutes is not None)


class Median(Aggregate):
    """PostgreSQL's continuous median: percentile_cont(0.5) WITHIN GROUP (ORDER BY expr)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


def catalogue_units() -> list[UnitServices]:
    """Active units in tree order (depth first, siblings by name), each with its public services.

    Units with no public service are left out, but their children still appear. Two queries.
    """
    services = (
        Service.objects.open_to_citizens().filter(unit__is_active=True)
        .only("name", "slug", "definition", "unit_id", "order")
        .order_by("order", "name")
    )
    by_unit: dict[int, list[Service]] = {}
    for service in services:
        by_unit.setdefault(service.unit_id, []).append(service)

    units = list(Unit.objects.filter(is_active=True).order_by("name"))
    active_ids = {unit.pk for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        # A unit under an inactive parent is shown as a root rather than hidden with it.
        parent = unit.parent_id if unit.parent_id in active_ids else None
        children.setdefault(parent, []).append(unit)

    groups: list[UnitServices] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            if unit.pk in seen:  # a cycle through several units is not prevented by the database
                continue
            seen.add(unit.pk)
            if unit.pk in by_unit:
                groups.append(UnitServices(unit=unit, depth=depth, services=by_unit[unit.pk]))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return groups


def service_get_for_sla_page(*, slug: str) -> Service:
    """An active service with its unit and performance targets; 404 for unknown or inactive ones.

    Internal services have an SLA too (§1.5), so they are reachable by address, only not listed.
    """
    try:
        return (
            Service.objects.select_related("unit")
            .prefetch_related("performance_targets")
            .get(slug=slug, is_active=True)
        )
    except Service.DoesNotExist as exc:
        raise Http404 from exc


def service_faq_entries(*, service: Service, limit: int = FAQ_ON_SLA_PAGE) -> list:
    """The service's published questions people found most useful (same order as /faq/)."""
    from faq.models import FaqEntry

    return list(
        FaqEntry.objects.filter(is_published=True, category__service=service)
        .select_related("category")
        .order_by("-helpful_yes", "-view_count", "category__order", "order", "id")[:limit]
    )


def service_satisfaction(*, service: Service, days: int = FIGURES_WINDOW_DAYS):
    """CSAT of the service's own survey over the window, with n (None below the privacy floor)."""
    from surveys.results import service_csat

    return service_csat(service=service, days=days)


def service_watch_flag(*, service: Service, user):
    """For staff only: the watch's flag on the service (None for citizens or when not flagged)."""
    if not getattr(user, "is_staff", False):
        return None
    from surveys.selectors import service_watch_flag as flag

    return flag(service=service)


def service_survey_url(*, service: Service) -> str | None:
    """The address of the service's current public survey, when it has one."""
    from surveys.selectors import service_survey_url as survey_url

    return survey_url(service=service)


def service_figures(
    *, service: Service, now: dt.datetime | None = None, days: int = FIGURES_WINDOW_DAYS
) -> ServiceFigures:
    """Cases filed, median working time to first response, and share of unit answers on time.

    - cases filed: the service's cases created in the window;
    - median first response: over those cases' stopped "first_response" clocks;
    - on time: "unit_answer" clocks stopped in the window whose elapsed time is within budget.
    """
    from complaints.models import Case, CaseClock, Clock

    since = (now or timezone.now()) - dt.timedelta(days=days)
    cases_filed = Case.objects.filter(service=service, created_at__gte=since).count()
    first_responses = CaseClock.objects.filter(
        case__service=service, case__created_at__gte=since, clock=Clock.FIRST_RESPONSE,
        stopped_at__isnull=False,
    )
    if connection.vendor == "postgresql":
        median = first_responses.aggregate(value=Median("elapsed_minutes"))["value"]
    else:  # the embedded SQLite of `make run`: a demo-sized list, so Python's median is fine
        values = list(first_responses.values_list("elapsed_minutes", flat=True))
        median = statistics.median(values) if values else None
    answers = CaseClock.objects.filter(
        case__service=service, clock=Clock.UNIT_ANSWER, stopped_at__gte=since,
    ).aggregate(
        total=Count("id"),
        on_time=Count("id", filter=Q(elapsed_minutes__lte=F("budget_minutes"))),
    )
    return ServiceFigures(
        window_days=days,
        cases_filed=cases_filed,
        median_first_response_minutes=None if median is None else round(median),
        answers_total=answers["total"],
        answers_on_time=answers["on_time"],
    )


def static_page_get_published(*, slug: str) -> StaticPage:
    """A published editable page; 404 otherwise."""
    try:
        return StaticPage.objects.get(slug=slug, is_published=True)
    except StaticPage.DoesNotExist as exc:
        raise Http404 from exc
