"""The case lifecycle: one table of legal transitions, and nothing else.

Pure Python (no database): every path that changes a case's status (public forms, admin actions,
the desk, Celery tasks) asks `transition_for` through the transition helper of
`complaints/services.py` (`_transition`, used by every `case_<verb>` service), the only writer of
`Case.status`. Templates and admin ask `allowed_actions` which buttons to show.
"""
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from sajad.errors import DomainError


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned to a unit")
    WAITING_CITIZEN = "waiting_citizen", _("Waiting for the citizen")
    RETURNED = "returned", _("Returned to monitoring")
    ANSWERED = "answered", _("Answered by the unit")
    PUBLISHED = "published", _("Answer published")
    OBJECTED = "objected", _("Objection under review")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another case")
    REFERRED = "referred", _("Referred to another body")


class Role(StrEnum):
    """Who acts. Staff roles come from groups (see complaints.roles); the rest are implicit."""

    CITIZEN = "citizen"
    MONITORING = "monitoring"
    MONITORING_HEAD = "monitoring_head"
    UNIT = "unit"
    SYSTEM = "system"


class Action(models.TextChoices):
    ASSIGN = "assign", _("Assign to a unit")
    REQUEST_INFO = "request_info", _("Ask the citizen for more information")
    PROVIDE_INFO = "provide_info", _("Add the requested information")
    RETURN_TO_MONITORING = "return_to_monitoring", _("Return to monitoring")
    ANSWER = "answer", _("Answer")
    APPROVE = "approve", _("Approve and publish the answer")
    SEND_BACK = "send_back", _("Send the answer back to the unit")
    OBJECT = "object", _("Object to the answer")
    UPHOLD = "uphold", _("Uphold the answer")
    REOPEN = "reopen", _("Reopen the case")
    CLOSE = "close", _("Close")
    REJECT = "reject", _("Reject as spam or invalid")
    MERGE = "merge", _("Merge into another case")
    REFER = "refer", _("Refer to another body")


@dataclass(frozen=True)
class Transition:
    source: Status
    action: Action
    target: Status
    roles: frozenset[Role]
    # Whether the citizen sees this step on the tracking page.
    public: bool = True


S, A, R = Status, Action, Role
_MON = frozenset({R.MONITORING, R.MONITORING_HEAD})
_MON_SYS = _MON | {R.SYSTEM}
_UNIT = frozenset({R.UNIT})
_CITIZEN = frozenset({R.CITIZEN})
_HEAD = frozenset({R.MONITORING_HEAD})

TRANSITIONS: tuple[Transition, ...] = (
    # Triage: the monitoring unit (or the routing task) sends a case to a unit.
    Transition(S.SUBMITTED, A.ASSIGN, S.ASSIGNED, _MON_SYS),
    Transition(S.RETURNED, A.ASSIGN, S.ASSIGNED, _MON),
    Transition(S.ASSIGNED, A.ASSIGN, S.ASSIGNED, _MON),  # re-routing by hand
    Transition(S.SUBMITTED, A.REJECT, S.REJECTED, _MON),
    Transition(S.RETURNED, A.REJECT, S.REJECTED, _MON),
    Transition(S.ASSIGNED, A.REJECT, S.REJECTED, _MON),
    Transition(S.SUBMITTED, A.MERGE, S.MERGED, _MON),
    Transition(S.RETURNED, A.MERGE, S.MERGED, _MON),
    Transition(S.ASSIGNED, A.MERGE, S.MERGED, _MON),
    Transition(S.WAITING_CITIZEN, A.MERGE, S.MERGED, _MON),
    Transition(S.SUBMITTED, A.REFER, S.REFERRED, _MON),
    Transition(S.RETURNED, A.REFER, S.REFERRED, _MON),
    Transition(S.ASSIGNED, A.REFER, S.REFERRED, _MON),
    # The unit works the case.
    Transition(S.ASSIGNED, A.REQUEST_INFO, S.WAITING_CITIZEN, _UNIT | _MON),
    Transition(S.WAITING_CITIZEN, A.PROVIDE_INFO, S.ASSIGNED, _CITIZEN),
    Transition(S.ASSIGNED, A.RETURN_TO_MONITORING, S.RETURNED, _UNIT, public=False),
    Transition(S.ASSIGNED, A.ANSWER, S.ANSWERED, _UNIT, public=False),
    # The monitoring unit approves the answer before the citizen sees it.
    Transition(S.ANSWERED, A.APPROVE, S.PUBLISHED, _MON),
    Transition(S.ANSWERED, A.SEND_BACK, S.ASSIGNED, _MON, public=False),
    # After the answer: objection within the dispute window, second tier decides.
    Transition(S.PUBLISHED, A.OBJECT, S.OBJECTED, _CITIZEN),
    Transition(S.OBJECTED, A.UPHOLD, S.CLOSED, _HEAD),
    Transition(S.OBJECTED, A.REOPEN, S.ASSIGNED, _HEAD),
    Transition(S.PUBLISHED, A.CLOSE, S.CLOSED, _MON_SYS),
)

_TABLE: dict[tuple[Status, Action], Transition] = {(t.source, t.action): t for t in TRANSITIONS}

OPEN_STATUSES = frozenset(
    {S.SUBMITTED, S.ASSIGNED, S.WAITING_CITIZEN, S.RETURNED, S.ANSWERED, S.PUBLISHED, S.OBJECTED}
)
FINAL_STATUSES = frozenset({S.CLOSED, S.REJECTED, S.MERGED, S.REFERRED})


class TransitionNotAllowed(DomainError):
    """Raised for a transition the table does not allow; `message` is safe to show to the user."""

    def __init__(self, *, status: Status, action: Action, role: Role, reason: str = ""):
        self.status, self.action, self.role = Status(status), Action(action), role
        super().__init__(reason or _(
            "“%(action)s” is not possible while the case is “%(status)s”."
        ) % {"action": self.action.label, "status": self.status.label})


def transition_for(status: str, action: str, role: Role) -> Transition:
    """The transition `role` may take with `action` from `status`, or TransitionNotAllowed."""
    transition = _TABLE.get((Status(status), Action(action)))
    if transition is None:
        raise TransitionNotAllowed(status=status, action=action, role=role)
    if role not in transition.roles:
        raise TransitionNotAllowed(
            status=status, action=action, role=role,
            reason=_("You are not permitted to “%(action)s” this case.")
            % {"action": Action(action).label},
        )
    return transition


def allowed_actions(status: str, role: Role) -> list[Action]:
    """The actions `role` may take on a case in `status`, in table order (for buttons)."""
    return [t.action for t in TRANSITIONS if t.source == status and role in t.roles]
