"""What the citizen sees of a case and may do on it: the one place that decides.

Which events appear on the tracking page (the workflow marks each step public or internal), the
plain phrase for each, which notes stay hidden, and which actions the page offers: add information,
rate, object, escalate. The page renders `citizen_case_view(case)`; the services that carry out
those actions ask the same predicates (`rating_open`, `escalation_open`), so a button is shown
exactly when the step would be accepted.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from . import escalation
from .models import Case, CaseClock, CaseEvent, Clock, EventKind
from .workflow import FINAL_STATUSES, Action, Role, Status, allowed_actions

# What each public event means to a citizen, in plain words.
EVENT_PHRASES = {
    EventKind.FILED: gettext_lazy("Your case was received."),
    Action.ASSIGN: gettext_lazy("Your case was sent to the responsible unit for review."),
    Action.REQUEST_INFO: gettext_lazy("We asked you for more information."),
    Action.PROVIDE_INFO: gettext_lazy("You added the information we asked for."),
    Action.APPROVE: gettext_lazy("The answer to your case was published."),
    Action.OBJECT: gettext_lazy("You objected to the answer."),
    Action.UPHOLD: gettext_lazy("Your objection was reviewed and the answer stands."),
    Action.REOPEN: gettext_lazy("Your objection was accepted and the case was reopened."),
    Action.CLOSE: gettext_lazy("The case was closed."),
    Action.REJECT: gettext_lazy("The case was not accepted."),
    Action.MERGE: gettext_lazy("The case was merged with another case on the same matter."),
    Action.REFER: gettext_lazy("The case belongs to another body and was referred to it."),
    EventKind.CITIZEN_ESCALATION: gettext_lazy("You asked for your case to go to a higher authority."),
}
# Public steps whose note the citizen does not see: the routing remark is staff-to-staff, and the
# approved answer's text is shown as the answer itself rather than again in the timeline.
NOTE_HIDDEN_FROM_CITIZEN = {Action.ASSIGN, Action.APPROVE}

# Statuses in which the citizen has a published answer in front of them.
_ANSWER_PUBLISHED = (Status.PUBLISHED, Status.OBJECTED, Status.CLOSED)
# Statuses in which the organisation still owes the citizen something.
_WAITING_ON_US = (Status.SUBMITTED, Status.ASSIGNED, Status.RETURNED, Status.ANSWERED, Status.OBJECTED)


def current_answer(case: Case) -> CaseEvent | None:
    """The latest published answer (an APPROVE event); after an objection, the final one."""
    return case.events.filter(kind=Action.APPROVE).order_by("-created_at", "-id").first()


def answer_is_final(case: Case) -> bool:
    """An answer published after the citizen's objection is the final decision (§3.1 "After the
    answer"): there is no second objection."""
    answer = current_answer(case)
    return answer is not None and case.events.filter(
        kind=Action.OBJECT, created_at__lte=answer.created_at).exists()


def rating_of_current_answer(case: Case) -> int | None:
    """The citizen's score for the answer now in front of them (each answer is rated on its own)."""
    answer = current_answer(case)
    if answer is None:
        return None
    rated = case.events.filter(kind=EventKind.RATED, created_at__gte=answer.created_at).order_by(
        "-created_at", "-id").first()
    return rated.data.get("score") if rated else None


def rating_open(case: Case) -> bool:
    """The citizen may rate each published answer once: the first one, and the final one."""
    return (
        case.status in _ANSWER_PUBLISHED and current_answer(case) is not None
        and rating_of_current_answer(case) is None
    )


def escalation_open(case: Case) -> bool:
    """Past a deadline, on a case the organisation still owes an answer, below the ladder's top,
    and once per missed deadline (two clicks must not climb two rungs)."""
    return (
        case.is_overdue and case.status in _WAITING_ON_US
        and case.escalation_level < escalation.TOP_LEVEL
        and not escalation.citizen_escalated_on(
            case=case, deadline_key=escalation.missed_deadline_key(case=case))
    )


@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    phrase: str
    note: str


@dataclass(frozen=True)
class CitizenCaseView:
    case: Case
    timeline: list[TimelineEntry]
    answers: list[CaseEvent]  # the published answers, oldest first
    can_provide_info: bool
    can_object: bool
    can_rate: bool
    can_escalate: bool
    is_final: bool
    # The deadline has passed on a case we still owe an answer (the notice stays while it does).
    is_overdue: bool = False
    # Where the case is on the escalation ladder, in words ("" before any escalation).
    escalated_to: str = ""
    # The citizen's next questions (§3.1): what the unit asked, until when an objection is
    # possible, and by when we owe the answer (the resolution deadline, while it runs).
    question: str = ""
    objection_until: object = None
    answer_due: object = None
    # The score given to the answer now shown (None: not rated yet), and whether that answer is
    # the final decision after an objection.
    rating: int | None = None
    final_answer: bool = False


def public_events(case: Case) -> list[CaseEvent]:
    """The case's public events, oldest first (one query)."""
    return list(case.events.filter(is_public=True).order_by("created_at", "id"))


def citizen_case_view(case: Case) -> CitizenCaseView:
    """The tracking page's content: timeline in plain words, answers and the open actions."""
    from .services import objection_deadline  # services ask this module's predicates

    events = public_events(case)
    actions = allowed_actions(case.status, Role.CITIZEN)
    # A merged case gets its answer on the case it was merged into: show that answer here, to
    # this citizen, on their own tracking page.
    combined = case.merged_into if case.status == Status.MERGED and case.merged_into_id else None
    answer_events = public_events(combined) if combined else events
    asked = [e for e in events if e.kind == Action.REQUEST_INFO]
    final_answer = case.status in _ANSWER_PUBLISHED and answer_is_final(case)
    resolution = None
    if case.status in _WAITING_ON_US:
        resolution = CaseClock.objects.filter(
            case=case, clock=Clock.RESOLUTION, due_at__isnull=False).values_list(
            "due_at", flat=True).first()
    return CitizenCaseView(
        case=case,
        timeline=[
            TimelineEntry(
                event=event,
                phrase=EVENT_PHRASES.get(event.kind, event.get_kind_display()),
                note="" if event.kind in NOTE_HIDDEN_FROM_CITIZEN else event.note,
            )
            for event in events
        ],
        answers=[e for e in answer_events if e.kind == Action.APPROVE and e.note],
        can_provide_info=Action.PROVIDE_INFO in actions,
        can_object=Action.OBJECT in actions and not final_answer,
        can_rate=rating_open(case),
        can_escalate=escalation_open(case),
        is_final=case.status in FINAL_STATUSES or final_answer,
        is_overdue=case.is_overdue and case.status in _WAITING_ON_US,
        escalated_to=str(escalation.rung(case.escalation_level).label) if case.escalation_level else "",
        question=asked[-1].note if asked and Action.PROVIDE_INFO in actions else "",
        objection_until=(
            objection_deadline(case) if Action.OBJECT in actions and not final_answer else None),
        rating=rating_of_current_answer(case),
        final_answer=final_answer,
        answer_due=resolution,
    )
