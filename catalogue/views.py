"""Public pages of the catalogue: home, the services list, one service's SLA page, editable pages.

Thin views: one selector call each (catalogue.selectors), then render.
"""
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dashboards import public_figures
from faq import selectors as faq_selectors
from faq import services as faq_services
from unit_reports import selectors as report_selectors

from . import selectors as catalogue

PARTICIPATION_SLUG = "participation"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"groups": catalogue.catalogue_units()})


@require_GET
def service_index(request: HttpRequest) -> HttpResponse:
    return render(request, "services/index.html", {"groups": catalogue.catalogue_units()})


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = catalogue.service_get_for_sla_page(slug=slug)
    faq_entries = catalogue.service_faq_entries(service=service)
    period = public_figures.sla_page_period()
    context = {
        "service": service,
        "targets": list(service.performance_targets.all()),
        "faq_entries": faq_entries,
        "my_votes": _faq_votes(request, faq_entries),
        "survey_url": catalogue.service_survey_url(service=service),
        "watch_flag": catalogue.service_watch_flag(service=service, user=request.user),
        # The service's row of /statistics/ for the last full month (one computation for both).
        "period": period,
        "figures": public_figures.service_month(service=service, period=period),
        "statistics_url": reverse("dashboards:statistics") + "?" + urlencode({"period": period.slug}),
        # The internal service's agreement runs with its report call (§1.4 termination, §1.5).
        "report_call": report_selectors.current_call(service=service) if service.is_internal else None,
        # Internal services are not in the citizen's filing form, so no button for them.
        "file_url": None if service.is_internal else (
            reverse("complaints:file") + "?" + urlencode({"service": service.slug})
        ),
    }
    return render(request, "services/detail.html", context)


def _faq_votes(request: HttpRequest, entries) -> dict[int, bool]:
    """The visitor's earlier votes, so the shared FAQ entry markup shows "thank you" instead."""
    session_key = request.session.session_key
    if not session_key or not entries:
        return {}
    voter = faq_services.faq_voter_key(session_key=session_key)
    return faq_selectors.faq_votes_of_visitor(voter_key=voter, entry_ids=[e.pk for e in entries])


@require_GET
def participation(request: HttpRequest) -> HttpResponse:
    page = catalogue.static_page_get_published(slug=PARTICIPATION_SLUG)
    return render(request, "pages/static_page.html", {"page": page})


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """Every way to reach the organisation (settings.ORGANISATION, through the context processor)."""
    return render(request, "pages/contact.html")
