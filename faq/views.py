"""Public FAQ pages: search and landing list, per-service page, the two counting POSTs, and the
small JSON endpoint behind the filing form's live suggestions (faq.deflection).

Visitors are identified only by a keyed hash of their session key (faq.services.faq_voter_key);
a session is created on the first vote if the visitor has none.
"""
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sajad.models import Service
from sajad.rate_limits import limit

from . import selectors, services
from .deflection import suggestions_for
from .forms import AnsweredForm, SearchForm, VoteForm
from .search import faq_search

# How many entry ids a session remembers as already viewed (bounded so sessions stay small).
_VIEWED_MEMORY = 300
_SESSION_VIEWED = "faq_viewed"


def _voter_key(request: HttpRequest, *, create: bool) -> str | None:
    if not request.session.session_key:
        if not create:
            return None
        request.session.save()
    return services.faq_voter_key(session_key=request.session.session_key)


def _count_views(request: HttpRequest, entries) -> None:
    """One view per session per entry, written as a single F() update for the whole page."""
    seen = list(request.session.get(_SESSION_VIEWED, []))
    new = [entry.pk for entry in entries if entry.pk not in seen]
    if not new:
        return
    services.faq_entries_viewed(entry_ids=new)
    request.session[_SESSION_VIEWED] = (seen + new)[-_VIEWED_MEMORY:]


def _entry_context(request: HttpRequest, entries) -> dict:
    voter = _voter_key(request, create=False)
    return {"my_votes": selectors.faq_votes_of_visitor(voter_key=voter, entry_ids=[e.pk for e in entries])}


def _safe_next(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {"form": form, "query": query}
    if query:
        entries = faq_search(query, limit=20)
        _count_views(request, entries)
        context["results"] = entries
    else:
        entries = selectors.faq_most_useful()
        context["popular"] = entries
        context["services"] = selectors.faq_services_with_entries()
    context.update(_entry_context(request, entries))
    return render(request, "faq/index.html", context)


@require_GET
def service_faq(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.faq_service_get(slug=slug)
    categories = selectors.faq_categories_for_service(service=service)
    entries = [entry for category in categories for entry in category.published_entries]
    _count_views(request, entries)
    context = {"service": service, "categories": categories, "form": SearchForm()}
    context.update(_entry_context(request, entries))
    return render(request, "faq/service.html", context)


# Votes and clicks are counted once per session, and sessions are free: bound them per address.
_vote_limit = limit(rate=lambda group, request: settings.RATE_FAQ_VOTE, group="faq-votes",
                    method="POST")


@require_POST
@_vote_limit
def vote(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.faq_entry_get_published(entry_id=entry_id)
    form = VoteForm(request.POST)
    fallback = reverse("faq:index")
    if not form.is_valid():
        return HttpResponseRedirect(_safe_next(request, request.POST.get("next"), fallback))
    counted = services.faq_vote_cast(
        entry=entry, voter_key=_voter_key(request, create=True), helpful=form.cleaned_data["helpful"]
    )
    if counted:
        messages.success(request, _("Thank you: your answer was recorded."))
    else:
        messages.info(request, _("You have already answered this question."))
    return HttpResponseRedirect(_safe_next(request, form.cleaned_data["next"], fallback))


@require_POST
@_vote_limit
def answered(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The filing form's "this answered my question": counted once per visitor, then back."""
    entry = selectors.faq_entry_get_published(entry_id=entry_id)
    form = AnsweredForm(request.POST)
    candidate = form.cleaned_data["next"] if form.is_valid() else None
    services.faq_deflection_record(entry=entry, voter_key=_voter_key(request, create=True))
    messages.success(request, _("We are glad the answer helped."))
    return HttpResponseRedirect(_safe_next(request, candidate, reverse("faq:index")))


@require_GET
@limit(rate=lambda group, request: settings.RATE_FAQ_SUGGEST)
def suggest(request: HttpRequest) -> JsonResponse:
    """FAQ entries for a case subject being typed: `?q=<subject>&service=<slug>` → JSON.

    An unknown or missing service searches every service; the answer is the same list the
    no-JavaScript filing step shows (faq.deflection.suggestions_for).
    """
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    slug = request.GET.get("service", "")
    service = Service.objects.filter(slug=slug, is_active=True).first() if slug else None
    found = suggestions_for(query, service=service)
    response = JsonResponse(
        {"results": [suggestion.as_json() for suggestion in found]},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "private, max-age=60"
    return response
