"""Citizen pages: answering a service's public survey and an invitation link.

Thin: look the survey up through `services`, hand the posted answers to `services`, render. Nothing
is stored unless the service accepts every answer. Works without JavaScript (plain form posts).
"""
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sajad.errors import DomainError
from sajad.rate_limits import limit

from .. import selectors, services
from ..services import AnswerErrors

BROWSER_COOKIE = "sajad_sv"
BROWSER_COOKIE_AGE = 2 * 365 * 24 * 3600


def _render_form(request, *, survey, questions, action_url, errors=None, data=None, refused="", status=200,
                 case=None):
    return render(request, "surveys/answer.html", {
        "survey": survey, "questions": selectors.questions_for_form(
            questions=questions, data=data, errors=errors or {}),
        "action_url": action_url, "form_error": (errors or {}).get(0, ""), "refused": refused, "case": case,
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@limit(rate=lambda group, request: settings.RATE_SURVEY, method="POST")
def answer_public(request, slug: str):
    survey = services.survey_get_public(slug=slug)
    if survey is None:
        raise Http404
    questions = list(survey.questions.all())
    browser_id = request.COOKIES.get(BROWSER_COOKIE, "")
    if request.method == "POST":
        try:
            services.response_submit_public(slug=slug, data=request.POST, browser_id=browser_id)
        except AnswerErrors as exc:
            return _render_form(request, survey=survey, questions=questions, action_url=request.path,
                                errors=exc.errors, data=request.POST, refused=exc.message, status=400)
        except DomainError as exc:
            return render(request, "surveys/closed.html", {"survey": survey, "message": exc.message}, status=400)
        return render(request, "surveys/thanks.html", {"survey": survey})
    if not services.survey_window_open(survey):
        return render(request, "surveys/closed.html", {
            "survey": survey, "message": _("This survey is not accepting answers at the moment.")})
    if services.public_already_answered(survey=survey, browser_id=browser_id):
        return render(request, "surveys/closed.html", {
            "survey": survey, "message": _("You have already answered this survey from this browser. Thank you!")})
    response = _render_form(request, survey=survey, questions=questions, action_url=request.path)
    if not browser_id:
        response.set_cookie(BROWSER_COOKIE, services.new_browser_id(), max_age=BROWSER_COOKIE_AGE,
                            httponly=True, samesite="Lax", secure=request.is_secure())
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@limit(rate=lambda group, request: settings.RATE_SURVEY, method="POST")
def answer_invited(request, token: str):
    invitation = services.invitation_get(token=token)
    if invitation is None:
        return render(request, "surveys/closed.html", {
            "message": _("This survey link is not valid. Please check the link in your message.")}, status=404)
    survey = invitation.survey
    questions = list(survey.questions.all())
    if request.method == "POST":
        try:
            services.response_submit_invited(token=token, data=request.POST)
        except AnswerErrors as exc:
            return _render_form(request, survey=survey, questions=questions, action_url=request.path,
                                errors=exc.errors, data=request.POST, refused=exc.message, status=400,
                                case=invitation.case)
        except DomainError as exc:
            return render(request, "surveys/closed.html", {"survey": survey, "message": exc.message}, status=400)
        return render(request, "surveys/thanks.html", {
            "survey": survey, "service_survey": selectors.service_survey(service=invitation.service)})
    if invitation.answered_at is not None:
        return render(request, "surveys/closed.html", {"survey": survey, "message": _(
            "This survey link has already been used. Thank you for your answer!")})
    if not services.survey_window_open(survey):
        return render(request, "surveys/closed.html", {
            "survey": survey, "message": _("This survey is not accepting answers at the moment.")})
    return _render_form(request, survey=survey, questions=questions, action_url=request.path, case=invitation.case)
