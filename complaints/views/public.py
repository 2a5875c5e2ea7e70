"""Public case views: scope check, filing, confirmation, tracking, the citizen's case page.

Thin views: they bind a form, call one service or selector, and render or redirect. Access to a
case is proven once per browser (tracking number plus mobile or PIN) and remembered in a signed
cookie (`tracking_proof`); every case and attachment read goes through the selectors that check
it, so "not found" and "not yours" are the same 404.
"""
from functools import wraps
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from faq.deflection import suggestions_for
from sajad import rate_limits, rate_windows
from sajad.errors import DomainError
from sajad.rate_limits import limit, wait_phrase, with_retry_after
from sajad.security import client_ip
from sajad.views import rate_limited

from .. import filing_limits, selectors, services, tracking, tracking_proof
from ..citizen_view import citizen_case_view
from ..forms import (
    STAMP_PLACEHOLDER, CaseFilingForm, ObjectionForm, ProvideInfoForm, RatingForm, TrackingForm,
    form_stamp_claim, form_stamp_release, new_form_stamp, public_service_choices, public_services,
)
from ..models import ExternalTopic, Kind
from .files import attachment_response

# An anonymous case's PIN until the confirmation shows it: {"case": number, "pin": pin}.
SESSION_PIN = "just_filed_pin"


# --- guessing a case's mobile or PIN ----------------------------------------------------------
# Only wrong guesses count, so the owner's own visits never use up anything. One address gets a
# few per number; the number as a whole gets many more, so a stranger would need dozens of
# addresses to lock the owner out, and even then guessing stays bounded. Every proof also counts
# against the address's tracking rate. All three counters are read in one round trip.


def _tracking_windows(request, number: str, *, proof: bool, guess: bool) -> list[rate_windows.Window]:
    address = client_ip(request)
    windows = [rate_windows.Window("track-address", address, settings.RATE_TRACKING, count=True)] \
        if proof else []
    if number:
        windows += [
            rate_windows.Window("track-guess-address", f"{number}:{address}",
                                settings.TRACKING_GUESSES_PER_ADDRESS, count=guess),
            rate_windows.Window("track-guess-number", number,
                                settings.TRACKING_GUESSES_PER_NUMBER, count=guess),
        ]
    return windows


def tracking_attempt_refused(request, number: str = "") -> rate_limits.Refusal | None:
    """Count this proof against the address; a refusal (with its wait) when it, or the guesses on
    `number`, ran out."""
    return rate_limits.refusal(
        rate_windows.usages(_tracking_windows(request, number, proof=True, guess=False)))


def tracking_guess_failed(request, number: str) -> None:
    rate_windows.usages(_tracking_windows(request, number, proof=False, guess=True))

def _kind_param(request) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in Kind.values else ""


# --- scope check ------------------------------------------------------------------------------


@require_GET
def scope_check(request):
    """Before the form: is this ours? Services lead to the form, other bodies' topics to them."""
    kind = _kind_param(request)
    slug = request.GET.get("service", "")
    if slug and public_services().filter(slug=slug).exists():
        return redirect(_form_url(service=slug, kind=kind))
    services_by_unit = [
        (unit, list(items))
        for unit, items in groupby(public_services(), key=lambda service: service.unit)
    ]
    return render(request, "complaints/public/scope_check.html", {
        "kind": kind,
        "kind_choices": Kind.choices,
        "services_by_unit": services_by_unit,
        "external_topics": ExternalTopic.objects.filter(is_active=True),
    })


def _form_url(*, service: str = "", kind: str = "") -> str:
    params = {k: v for k, v in (("service", service), ("kind", kind)) if v}
    url = reverse("complaints:file")
    return f"{url}?{urlencode(params)}" if params else url


@require_GET
def elsewhere(request, topic_id: int):
    """A topic of another body: say whose it is and link there, with a way back."""
    topic = get_object_or_404(ExternalTopic, pk=topic_id, is_active=True)
    return render(request, "complaints/public/elsewhere.html", {
        "topic": topic, "kind": _kind_param(request),
    })


# --- filing -----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def file_case(request):
    """The filing form. Only accepted filings count against the limits (`filing_limits`)."""
    if request.method == "POST":
        form = CaseFilingForm(request.POST, request.FILES)
        valid = form.is_valid()
        if valid and form.is_bot():
            return _not_accepted(request)
        if not form.cleaned_data.get("suggestions_seen"):
            suggestions = suggestions_for(
                form.cleaned_data.get("subject", ""), service=form.cleaned_data.get("service")
            )
            if suggestions:
                return _suggestions_step(request, suggestions)
        if valid:
            admission = filing_limits.filing_admission(
                request, mobile=form.cleaned_data.get("mobile", ""),
                stamp=form_stamp_claim(form.data.get("stamp", "")))
            if not admission.stamp_claimed:  # sent before: two tabs, or a bot replaying a form
                return _not_accepted(request)
            if admission.refusal:
                return _filing_refused(request, form, admission.refusal)
            data = form.cleaned_data
            try:
                filed = services.case_file(
                    kind=data["kind"], service=data["service"], subject=data["subject"],
                    description=data["description"], identity_tier=data["identity_tier"],
                    full_name=data["full_name"], national_code=data["national_code"],
                    mobile=data["mobile"], email=data["email"], files=data["attachments"],
                )
            except ValidationError as exc:
                form_stamp_release(form.data.get("stamp", ""))
                _bind_errors(form, exc)
            except DomainError as exc:
                form_stamp_release(form.data.get("stamp", ""))
                form.add_error(None, exc.message)
            else:
                filing_limits.filing_count(request, mobile=data["mobile"])
                number = filed.case.tracking_number
                if filed.pin:
                    request.session[SESSION_PIN] = {"case": number, "pin": filed.pin}
                response = redirect("complaints:filed")
                tracking_proof.remember_filed(response, number)
                tracking_proof.remember(request, response, number)
                return response
    else:
        return _blank_filing_form(request)
    return render(request, "complaints/public/file.html", {"form": form})


# The blank filing form is the same page for every visitor but for its CSRF token and time stamp:
# each process renders it once per language and query string and fills those two in per view.
# A visitor with a message waiting (a personal page) and odd query strings get a full render.
_FORM_PAGES: dict[tuple, str] = {}
_FORM_PAGES_MAX = 200
CSRF_PLACEHOLDER = "csrf-placeholder-0000"


def _blank_filing_form(request) -> HttpResponse:
    initial = {}
    if _kind_param(request):
        initial["kind"] = _kind_param(request)
    slug = request.GET.get("service", "")
    if slug and slug in dict(public_service_choices()):
        initial["service"] = slug
    canonical = set(request.GET) <= {"kind", "service"} and len(initial) == len(request.GET)
    if not canonical or len(messages.get_messages(request)):
        form = CaseFilingForm(initial=initial)
        return render(request, "complaints/public/file.html", {
            "form": form, "form_html": form.unbound_html(),
        })
    key = (get_language(), request.get_full_path(), CaseFilingForm.choices_version())
    page = _FORM_PAGES.get(key)
    if page is None:
        form = CaseFilingForm(initial=initial)
        page = render_to_string("complaints/public/file.html", {
            "form": form, "form_html": form.unbound_html(stamp=STAMP_PLACEHOLDER),
            "csrf_token": CSRF_PLACEHOLDER,
        }, request=request)
        if len(_FORM_PAGES) >= _FORM_PAGES_MAX:
            _FORM_PAGES.clear()
        _FORM_PAGES[key] = page
    page = page.replace(CSRF_PLACEHOLDER, get_token(request)).replace(
        STAMP_PLACEHOLDER, new_form_stamp(), 1)
    return HttpResponse(page)


def _not_accepted(request):
    """A robot's submission (or a replayed form): nothing stored, and a real (if very fast)
    person simply sends the form again."""
    return render(request, "complaints/public/file.html", {
        "form": CaseFilingForm(initial=_initial_from(request.POST)),
        "refused": _("Sorry, we could not accept this submission. Please check the form "
                     "and send it again."),
    }, status=400)


def _filing_refused(request, form, refusal):
    """Too many filings: the same form, still filled in, and the real wait (HTTP 429)."""
    if refusal.by_mobile:
        message = _(
            "Many cases were filed with this mobile number recently. You can file this one in "
            "%(wait)s; what you wrote is kept below."
        )
    else:
        message = _(
            "Many cases were filed from your network recently. You can file this one in "
            "%(wait)s; what you wrote is kept below."
        )
    return with_retry_after(render(request, "complaints/public/file.html", {
        "form": form,
        "refused": message % {"wait": wait_phrase(refusal.wait_minutes)},
        "attachments_dropped": "refused" if request.FILES.getlist("attachments") else "",
    }, status=429), refusal.wait_minutes)


def _suggestions_step(request, suggestions):
    """The no-JavaScript deflection step: FAQ answers above the same form, nothing stored yet.

    Every typed field comes back filled, with the flag that makes the next submit file the case.
    Browsers never let a page pre-fill a file input, so chosen attachments cannot survive this
    round trip; rather than keep uploads of a case that may never be filed, we ask for them again
    next to the attachments field (with JavaScript the suggestions appear while typing, and this
    step never happens).
    """
    data = request.POST.copy()
    data["suggestions_seen"] = "1"
    form = CaseFilingForm(data)
    return render(request, "complaints/public/file.html", {
        "form": form,
        "suggestions": suggestions,
        "attachments_dropped": bool(request.FILES.getlist("attachments")),
    })


def _initial_from(data) -> dict:
    keep = ("kind", "service", "subject", "description", "identity_tier", "full_name",
            "national_code", "mobile", "email")
    return {name: data.get(name, "") for name in keep if data.get(name)}


def _bind_errors(form, exc: ValidationError) -> None:
    """Attach the service's field-keyed errors to the form; unknown keys become form-wide."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@never_cache
@require_GET
def filed(request):
    """The confirmation: only in the browser that filed; the PIN is shown this once."""
    number = tracking_proof.just_filed(request)
    if not number:
        raise Http404
    kept = request.session.get(SESSION_PIN)
    pin = ""
    # Never another filing's PIN (a session from before this format holds a bare string: skip it).
    if isinstance(kept, dict) and kept.get("case") == number:
        pin = request.session.pop(SESSION_PIN)["pin"]
    return render(request, "complaints/public/filed.html", {"tracking_number": number, "pin": pin})


# --- tracking ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    if request.method != "POST":
        return render(request, "complaints/public/track.html", {"form": TrackingForm()})
    form = TrackingForm(request.POST)
    number = tracking.clean(form.data.get("tracking_number", ""))
    well_formed = tracking.is_well_formed(number)
    refused = tracking_attempt_refused(request, number if well_formed else "")
    if refused:
        return rate_limited(request, wait_minutes=refused.wait_minutes)
    if not form.is_valid():
        return render(request, "complaints/public/track.html", {"form": form})
    if not well_formed:
        form.add_error("tracking_number", _(
            "This tracking number seems mistyped. Please check its digits and try again."
        ))
        return render(request, "complaints/public/track.html", {"form": form})
    case = selectors.case_find_for_citizen(
        tracking_number=number, secret=form.cleaned_data["secret"]
    )
    if case is None:
        tracking_guess_failed(request, number)
        # One message, one empty form: nothing tells a wrong number from a wrong mobile or PIN.
        return render(request, "complaints/public/track.html", {
            "form": TrackingForm(),
            "not_found": _("We could not find a case with this tracking number and mobile number "
                           "or PIN. Please check both and try again."),
        })
    services.case_pin_upgrade(case=case, pin=form.cleaned_data["secret"])
    response = redirect("complaints:case", tracking_number=case.tracking_number)
    tracking_proof.remember(request, response, case.tracking_number)
    return response


@never_cache
@require_GET
def case_detail(request, tracking_number: str):
    case = selectors.case_get_for_citizen(
        proven=tracking_proof.proven_numbers(request), tracking_number=tracking_number
    )
    return _render_case(request, case)


def _render_case(request, case, *, info_form=None, objection_form=None, status=200):
    view = citizen_case_view(case)
    return render(request, "complaints/public/case.html", {
        "case": case,
        "view": view,
        "timeline": view.timeline,
        "answers": view.answers,
        "attachments": list(case.attachments.all()),
        "can_provide_info": view.can_provide_info,
        "can_object": view.can_object,
        "can_rate": view.can_rate,
        "can_escalate": view.can_escalate,
        "rating_form": RatingForm(),
        "info_form": info_form or ProvideInfoForm(),
        "objection_form": objection_form or ObjectionForm(),
        "is_final": view.is_final,
    }, status=status)


def citizen_case_action(view):
    """POST-only, rate-limited, behind the tracking proof of this browser session; PRG back."""

    @never_cache
    @require_POST
    @limit(rate=lambda group, request: settings.RATE_TRACKING, method="POST")
    @wraps(view)
    def wrapper(request, tracking_number: str):
        case = selectors.case_get_for_citizen(
            proven=tracking_proof.proven_numbers(request), tracking_number=tracking_number
        )
        return view(request, case)

    return wrapper


def _act(request, case, call, done):
    """Run one service for the citizen; a refusal becomes a Persian message and changes nothing."""
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("complaints:case", tracking_number=case.tracking_number)


@citizen_case_action
def case_provide_info(request, case):
    form = ProvideInfoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_case(request, case, info_form=form, status=400)
    try:
        services.case_provide_info(case_id=case.pk, text=form.cleaned_data["text"],
                                   files=form.cleaned_data["attachments"])
    except DomainError as exc:
        # Keep what was typed; the files must be chosen again (browsers cannot keep them).
        form.add_error(None, exc.message)
        return _render_case(request, case, info_form=form, status=400)
    messages.success(request, _("Thank you. Your information was added to the case."))
    return redirect("complaints:case", tracking_number=case.tracking_number)


@citizen_case_action
def case_object(request, case):
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, objection_form=form, status=400)
    return _act(request, case,
                lambda: services.case_object(case_id=case.pk, reason=form.cleaned_data["reason"]),
                _("Your objection was registered and will be reviewed."))


@citizen_case_action
def case_rate(request, case):
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a score from 1 to 5."))
        return redirect("complaints:case", tracking_number=case.tracking_number)
    return _act(request, case,
                lambda: services.case_rate(case_id=case.pk, score=form.cleaned_data["score"]),
                _("Thank you for rating the answer."))


@citizen_case_action
def case_escalate(request, case):
    return _act(request, case, lambda: services.case_escalate_by_citizen(case_id=case.pk),
                _("Your request was recorded and sent to the higher authority."))


@never_cache
@require_GET
def attachment_download(request, attachment_id: int):
    """Stream a citizen's own attachment; never from a public URL, never rendered inline."""
    attachment = selectors.attachment_get_for_citizen(
        proven=tracking_proof.proven_numbers(request), attachment_id=attachment_id
    )
    return attachment_response(attachment)
