"""The only code that changes surveys, responses and invitations.

Views, admin, tasks and commands call these functions. Each owns its transaction. Refusals are
`DomainError` (one message) or `AnswerErrors` (a Persian message per question); nothing is stored
when either is raised.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F as models_F
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sajad.errors import DomainError
from sajad.persian import normalize_text, search_key, to_ascii_digits

from .models import (
    NEED_MET_FULLY, NEED_MET_NOT, NEED_MET_PARTLY, Answer, Channel, Invitation, Question, QuestionKind,
    Response, Survey, SurveyKind,
)

SCALES = {
    QuestionKind.CSAT: (1, 5),
    QuestionKind.NPS: (0, 10),
    QuestionKind.CES: (1, 7),
    QuestionKind.NEED_MET: (NEED_MET_NOT, NEED_MET_FULLY),
}
NEED_MET_CHOICES = (
    (NEED_MET_FULLY, "Fully"),
    (NEED_MET_PARTLY, "Partly"),
    (NEED_MET_NOT, "Not at all"),
)
MAX_CHOICES = 30  # a multiple choice is stored as a bit mask in one integer
MAX_TEXT = 2000


class AnswerErrors(DomainError):
    """Answers refused; `errors` maps question id to a Persian message (0 for the whole form)."""

    def __init__(self, errors: dict[int, str]):
        self.errors = errors
        super().__init__(_("Some answers need your attention; nothing was saved."))


# --- Surveys and versions -------------------------------------------------------------------

def survey_has_responses(*, survey: Survey) -> bool:
    return Response.objects.filter(survey=survey).exists()


def survey_questions_locked(*, survey: Survey) -> bool:
    """A version's questions are frozen once it has responses (a trigger enforces it too)."""
    return survey.pk is not None and survey_has_responses(survey=survey)


def _check_questions(questions: list[Question]) -> None:
    if not questions:
        raise DomainError(_("A survey needs at least one question before it is published."))
    for question in questions:
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            count = len(question.choice_list())
            if count < 2:
                raise DomainError(_("The question «%(q)s» needs at least two choices.") % {"q": question.text})
            if count > MAX_CHOICES:
                raise DomainError(_("The question «%(q)s» has more than %(n)s choices.")
                                  % {"q": question.text, "n": MAX_CHOICES})


def survey_publish(*, survey_id: int, actor=None) -> Survey:
    """Publish a version and make it the current one of its address (and of its service).

    The previous current version stops taking answers through the public address; its answers stay.
    """
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey_id)
        if survey.is_current:
            return survey
        _check_questions(list(survey.questions.all()))
        current = Survey.objects.select_for_update().filter(is_current=True)
        if survey.kind == SurveyKind.HANDLING:
            current = current.filter(kind=SurveyKind.HANDLING) | current.filter(slug=survey.slug)
        else:
            current = current.filter(service=survey.service_id, kind=SurveyKind.SERVICE) | current.filter(
                slug=survey.slug)
        current.update(is_current=False)
        survey.is_published = True
        survey.is_current = True
        survey.published_at = survey.published_at or timezone.now()
        try:
            with transaction.atomic():
                survey.save(update_fields=["is_published", "is_current", "published_at"])
        except IntegrityError as exc:
            raise DomainError(_("Another version was published at the same moment; try again.")) from exc
        return survey


def survey_new_version(*, survey_id: int, actor=None) -> Survey:
    """A draft copy of a version with the next version number; edit it, then publish it."""
    with transaction.atomic():
        source = Survey.objects.select_for_update().get(pk=survey_id)
        latest = Survey.objects.filter(slug=source.slug).aggregate(v=Max("version"))["v"] or 0
        copy = Survey.objects.create(
            kind=source.kind, service=source.service, title=source.title, slug=source.slug,
            intro=source.intro, thanks=source.thanks, version=latest + 1, opens_at=source.opens_at,
            closes_at=source.closes_at,
        )
        Question.objects.bulk_create(
            Question(survey=copy, order=q.order, kind=q.kind, text=q.text, help_text=q.help_text,
                     required=q.required, choices=q.choices)
            for q in source.questions.all()
        )
        return copy


def survey_window_open(survey: Survey, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if not survey.is_published:
        return False
    if survey.opens_at and now < survey.opens_at:
        return False
    if survey.closes_at and now >= survey.closes_at:
        return False
    return True


# --- Answers --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CleanAnswer:
    question: Question
    value: int | None
    text: str


def _int(raw: str) -> int | None:
    raw = to_ascii_digits((raw or "").strip())
    if not raw or not raw.lstrip("-").isdigit():
        return None
    return int(raw)


def answers_clean(*, questions: list[Question], data) -> list[CleanAnswer]:
    """Check every answer against its question; `data` is a QueryDict-like (`q<id>` keys).

    Raises AnswerErrors with a message per question; returns only the answered questions.
    """
    errors: dict[int, str] = {}
    clean: list[CleanAnswer] = []
    for question in questions:
        key = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            raws = [r for r in data.getlist(key) if str(r).strip()]
        else:
            raws = [data.get(key, "")] if str(data.get(key, "")).strip() else []
        if not raws:
            if question.required:
                errors[question.pk] = _("Please answer this question.")
            continue
        if question.kind in SCALES:
            low, high = SCALES[question.kind]
            value = _int(raws[0])
            if value is None or not low <= value <= high:
                errors[question.pk] = _("Choose one of the options shown.")
                continue
            clean.append(CleanAnswer(question, value, ""))
        elif question.kind == QuestionKind.SINGLE:
            value = _int(raws[0])
            if value is None or not 1 <= value <= len(question.choice_list()):
                errors[question.pk] = _("Choose one of the options shown.")
                continue
            clean.append(CleanAnswer(question, value, ""))
        elif question.kind == QuestionKind.MULTIPLE:
            positions = [_int(r) for r in raws]
            count = len(question.choice_list())
            if any(p is None or not 1 <= p <= count for p in positions):
                errors[question.pk] = _("Choose among the options shown.")
                continue
            mask = 0
            for position in positions:
                mask |= 1 << (position - 1)
            clean.append(CleanAnswer(question, mask, ""))
        else:  # free text
            text = normalize_text(raws[0])
            if len(text) > MAX_TEXT:
                errors[question.pk] = _("Please keep your answer under %(n)s characters.") % {"n": MAX_TEXT}
                continue
            if not text:
                if question.required:
                    errors[question.pk] = _("Please answer this question.")
                continue
            clean.append(CleanAnswer(question, None, text))
    if errors:
        raise AnswerErrors(errors)
    if not clean:
        raise AnswerErrors({0: _("Please answer at least one question.")})
    return clean


def _store(*, survey: Survey, answers: list[CleanAnswer], channel: str, service_id, unit_id, case_id,
           now: dt.datetime, invitation: Invitation | None = None, browser_key: str = "") -> Response:
    response = Response.objects.create(
        survey=survey, service_id=service_id, unit_id=unit_id, case_id=case_id, invitation=invitation,
        channel=channel, browser_key=browser_key, submitted_at=now,
    )
    rows = Answer.objects.bulk_create(
        Answer(response=response, question=a.question, survey=survey, kind=a.question.kind, value=a.value,
               text=a.text, text_key=search_key(a.text) if a.text else "", service_id=service_id,
               unit_id=unit_id, case_id=case_id, channel=channel, answered_at=now)
        for a in answers
    )
    from . import rollups

    rollups.record(response=response, answers=rows)
    return response


def browser_key_hash(browser_id: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:survey-browser:{browser_id}".encode()).hexdigest()


def new_browser_id() -> str:
    return secrets.token_urlsafe(24)


def survey_get_public(*, slug: str) -> Survey | None:
    return (Survey.objects.select_related("service")
            .filter(slug=slug, is_current=True, kind=SurveyKind.SERVICE).first())


def response_submit_public(*, slug: str, data, browser_id: str, now: dt.datetime | None = None) -> Response:
    """An anonymous answer to a service's current survey, once per browser.

    `browser_id` is the value of the visitor's survey cookie; without it (cookies off) the answer
    is refused, since "once per browser" could not be kept. `now` lets demo data and tests answer
    at a moment in the past.
    """
    now = now or timezone.now()
    survey = survey_get_public(slug=slug)
    if survey is None:
        raise DomainError(_("This survey does not exist or is no longer offered."))
    if not survey_window_open(survey, now):
        raise DomainError(_("This survey is not accepting answers at the moment."))
    if not browser_id:
        raise DomainError(_("Your browser did not keep our cookie; please allow cookies and try again."))
    answers = answers_clean(questions=list(survey.questions.all()), data=data)
    key = browser_key_hash(browser_id)
    try:
        with transaction.atomic():
            return _store(survey=survey, answers=answers, channel=Channel.PUBLIC, service_id=survey.service_id,
                          unit_id=survey.service.unit_id if survey.service else None, case_id=None,
                          browser_key=key, now=now)
    except IntegrityError as exc:
        if "response_once_per_browser" not in str(exc):
            raise
        raise DomainError(_("You have already answered this survey from this browser. Thank you!")) from exc


def public_already_answered(*, survey: Survey, browser_id: str) -> bool:
    return bool(browser_id) and Response.objects.filter(
        survey=survey, browser_key=browser_key_hash(browser_id)).exists()


def invitation_get(*, token: str) -> Invitation | None:
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    return (Invitation.objects.select_related("survey", "case", "service")
            .filter(token=token, skipped=False).first())


def response_submit_invited(*, token: str, data, now: dt.datetime | None = None) -> Response:
    """The answer of an invited citizen: once per token, linked to the case, its unit and service."""
    now = now or timezone.now()
    invitation = invitation_get(token=token)
    if invitation is None:
        raise DomainError(_("This survey link is not valid. Please check the link in your message."))
    if invitation.answered_at is not None:
        raise DomainError(_("This survey link has already been used. Thank you for your answer!"))
    survey = invitation.survey
    if not survey_window_open(survey, now):
        raise DomainError(_("This survey is not accepting answers at the moment."))
    answers = answers_clean(questions=list(survey.questions.all()), data=data)
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=now)
        if not claimed:
            raise DomainError(_("This survey link has already been used. Thank you for your answer!"))
        return _store(survey=survey, answers=answers, channel=Channel.INVITATION,
                      service_id=invitation.service_id, unit_id=invitation.unit_id, case_id=invitation.case_id,
                      invitation=invitation, now=now)


# --- Improvement plans (برنامه اصلاح) --------------------------------------------------------
# A plan moves draft → active → completed (or cancelled). Its actions belong to owner units, who
# report progress from the desk. Every change writes a PlanHistory row in the same transaction.

PLAN_REMINDER_DAYS = 3


def _plan_locked(plan_id: int):
    from .models import ImprovementPlan

    return ImprovementPlan.objects.select_for_update().get(pk=plan_id)


def plan_history_record(*, plan, actor=None, note: str, action=None, data: dict | None = None) -> None:
    from .models import PlanHistory

    PlanHistory.objects.create(plan=plan, action=action, actor=actor, note=note, data=data or {})


def plan_activate(*, plan_id: int, actor) -> "ImprovementPlan":
    """Start carrying out a draft plan; it needs at least one action with an owner unit."""
    from .models import PlanStatus

    with transaction.atomic():
        plan = _plan_locked(plan_id)
        if plan.status != PlanStatus.DRAFT:
            raise DomainError(_("Only a draft plan can be started."))
        if not plan.actions.exists():
            raise DomainError(_("Add at least one action with its owner unit before starting the plan."))
        plan.status = PlanStatus.ACTIVE
        plan.save(update_fields=["status"])
        plan_history_record(plan=plan, actor=actor, note=_("Plan started."))
        return plan


def plan_complete(*, plan_id: int, actor, public_summary: str) -> "ImprovementPlan":
    """Close a plan whose actions are all done, publish what was done, tell the linked citizens."""
    from . import outbox
    from .models import ActionStatus, PlanStatus

    summary = normalize_text(public_summary)
    with transaction.atomic():
        plan = _plan_locked(plan_id)
        if plan.status != PlanStatus.ACTIVE:
            raise DomainError(_("Only a plan in progress can be completed."))
        if plan.actions.exclude(status=ActionStatus.DONE).exists():
            raise DomainError(_("Every action must be done before the plan is completed."))
        summary = summary or plan.public_summary
        if not summary:
            raise DomainError(_("Write what was done, for the public page, before completing the plan."))
        plan.status = PlanStatus.COMPLETED
        plan.public_summary = summary
        plan.completed_at = timezone.now()
        plan.save(update_fields=["status", "public_summary", "completed_at"])
        plan_history_record(plan=plan, actor=actor, note=_("Plan completed and published."))
        for case in plan.cases.all():
            outbox.plan_completed_to_citizen(plan=plan, case=case)
        return plan


def plan_cancel(*, plan_id: int, actor, reason: str) -> "ImprovementPlan":
    from .models import PlanStatus

    reason = normalize_text(reason)
    if not reason:
        raise DomainError(_("Please give the reason for cancelling the plan."))
    with transaction.atomic():
        plan = _plan_locked(plan_id)
        if plan.status in (PlanStatus.COMPLETED, PlanStatus.CANCELLED):
            raise DomainError(_("This plan is already closed."))
        plan.status = PlanStatus.CANCELLED
        plan.save(update_fields=["status"])
        plan_history_record(plan=plan, actor=actor, note=_("Plan cancelled: %(reason)s") % {"reason": reason})
        return plan


def action_report_progress(*, action_id: int, actor, unit_id: int | None, percent: int, note: str = ""):
    """The owner unit reports progress on its action (from the desk); 100 % marks it done."""
    from .models import ActionStatus, PlanAction, PlanStatus

    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise DomainError(_("The percentage must be a whole number from 0 to 100."))
    with transaction.atomic():
        action = PlanAction.objects.select_for_update().select_related("plan").get(pk=action_id)
        if unit_id is None or action.owner_unit_id != unit_id:
            raise DomainError(_("This action belongs to another unit."))
        if action.plan.status not in (PlanStatus.DRAFT, PlanStatus.ACTIVE):
            raise DomainError(_("This plan is closed; its actions can no longer change."))
        before = (action.status, action.percent_done)
        action.percent_done = percent
        action.status = (ActionStatus.DONE if percent == 100 else
                         ActionStatus.IN_PROGRESS if percent > 0 else ActionStatus.OPEN)
        if note:
            action.progress_note = normalize_text(note)
        action.save(update_fields=["percent_done", "status", "progress_note"])
        plan_history_record(
            plan=action.plan, action=action, actor=actor,
            note=_("Progress on «%(action)s»: %(percent)s%%") % {"action": action.description[:60],
                                                                 "percent": percent},
            data={"from": list(before), "to": [action.status, percent], "note": action.progress_note})
        return action


def action_reminders_sweep(*, today: dt.date | None = None, days: int = PLAN_REMINDER_DAYS) -> int:
    """Remind owner units of actions due within `days`, once per due date (claimed by an UPDATE)."""
    from complaints.notifications import unit_addresses

    from . import outbox
    from .models import ActionStatus, PlanAction, PlanStatus

    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        due = list(
            PlanAction.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(plan__status=PlanStatus.ACTIVE, due_date__lte=today + dt.timedelta(days=days))
            .exclude(status=ActionStatus.DONE)
            .exclude(reminded_for=models_F("due_date"))
            .select_related("plan", "owner_unit")
        )
        for action in due:
            from sajad.jalali import format_jalali

            outbox.action_due_reminder(recipients=unit_addresses(action.owner_unit), action=action,
                                       due_text=format_jalali(action.due_date, "%Y/%m/%d"))
            PlanAction.objects.filter(pk=action.pk).update(reminded_for=action.due_date)
            sent += 1
    return sent
