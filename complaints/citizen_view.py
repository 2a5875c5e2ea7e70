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
from .models import Case, CaseEvent, EventKind
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


def rating_open(case: Case) -> bool:
    """The citizen may rate once an answer has been published to them, and only once."""
    return (
        case.rating is None and case.status in _ANSWER_PUBLISHED
        and case.events.filter(kind=Action.APPROVE).exists()
    )


def escalation_open(case: Case) -> bool:
    """Past a deadline, on a case the organisation still owes an answer, below the ladder's top."""
    return (
        case.is_overdue and case.status in _WAITING_ON_US
        and case.escalation_level < escalation.TOP_LEVEL
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


def public_events(case: Case) -> list[CaseEvent]:
    """The case's public events, oldest first (one query)."""
    return list(case.events.filter(is_public=True).order_by("created_at", "id"))


def citizen_case_view(case: Case) -> CitizenCaseView:
    """The tracking page's content: timeline in plain words, answers and the open actions."""
    events = public_events(case)
    actions = allowed_actions(case.status, Role.CITIZEN)
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
        answers=[e for e in events if e.kind == Action.APPROVE and e.note],
        can_provide_info=Action.PROVIDE_INFO in actions,
        can_object=Action.OBJECT in actions,
        can_rate=rating_open(case),
        can_escalate=escalation_open(case),
        is_final=case.status in FINAL_STATUSES,
    )
