"""Reads of the public catalogue: services grouped by unit, one service's SLA page.

Selectors only; nothing here writes. The SLA page's figures are not computed here: they are the
service's row of /statistics/ (`dashboards.public_figures.service_month`), read from the summary
tables, so the two pages always agree.
"""
from dataclasses import dataclass

from django.http import Http404

from sajad.models import Service, StaticPage, Unit

FAQ_ON_SLA_PAGE = 5


@dataclass(frozen=True)
class UnitServices:
    unit: Unit
    depth: int
    services: list[Service]


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


def static_page_get_published(*, slug: str) -> StaticPage:
    """A published editable page; 404 otherwise."""
    try:
        return StaticPage.objects.get(slug=slug, is_published=True)
    except StaticPage.DoesNotExist as exc:
        raise Http404 from exc
