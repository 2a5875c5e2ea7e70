"""Reads that carry rules: who may see which case, and what the citizen sees of it."""
from django.contrib.auth.hashers import check_password, make_password
from django.http import Http404

from sajad.validators import is_valid_mobile, normalize_mobile

from . import roles, tracking
from .models import Attachment, Case, CaseEvent
from .workflow import Role, Status


def case_find_for_citizen(*, tracking_number: str, secret: str) -> Case | None:
    """The case behind a tracking number, if the mobile (or PIN, for anonymous cases) matches.

    Every failure looks the same to the caller: None. A wrong number, a wrong mobile and a wrong PIN
    are indistinguishable, and every path does exactly one password hash, so timing tells nothing
    about whether a number exists or which kind of case it is.
    """
    number = tracking.clean(tracking_number)
    case = None
    if tracking.is_well_formed(number):
        case = Case.objects.select_related("service", "unit", "merged_into").filter(
            tracking_number=number
        ).first()
    if case is not None and case.is_anonymous:
        return case if check_password(tracking.clean(secret), case.pin_hash) else None
    make_password(secret)  # the same work as a PIN check, on every other path
    if case is not None and is_valid_mobile(secret) and normalize_mobile(secret) == case.mobile:
        return case
    return None


def case_get_for_citizen_session(*, session, tracking_number: str) -> Case:
    """A case the citizen proved in this browser session; otherwise the same 404 as unknown."""
    if tracking_number not in session.get("tracked_cases", []):
        raise Http404
    case = Case.objects.select_related("service", "unit", "merged_into").filter(
        tracking_number=tracking_number
    ).first()
    if case is None:
        raise Http404
    return case


# Steps the citizen sees, but whose note is staff-to-staff (e.g. why a case went to a unit).
_INTERNAL_NOTE_KINDS = {"assign"}


def public_timeline(case: Case) -> list[CaseEvent]:
    events = list(case.events.filter(is_public=True).order_by("created_at", "id"))
    for event in events:
        if event.kind in _INTERNAL_NOTE_KINDS:
            event.note = ""  # shown, never saved (the log is append-only)
    return events


def published_answers(case: Case) -> list[CaseEvent]:
    from .workflow import Action

    return [e for e in public_timeline(case) if e.kind == Action.APPROVE and e.note]


def citizen_actions(case: Case) -> list[str]:
    from .workflow import allowed_actions

    return [str(a) for a in allowed_actions(case.status, Role.CITIZEN)]


def case_get_for_staff(*, user, case_id: int) -> Case:
    """One gate for staff: monitoring sees every case, unit staff only their unit's; else 404."""
    case = Case.objects.select_related("service", "unit").filter(pk=case_id).first()
    if case is None or roles.role_on_case(user, case) is None:
        raise Http404
    return case


def attachment_get_for_staff(*, user, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("case").filter(pk=attachment_id).first()
    if attachment is None or roles.role_on_case(user, attachment.case) is None:
        raise Http404
    return attachment


def attachment_get_for_citizen_session(*, session, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("case").filter(pk=attachment_id).first()
    if attachment is None or attachment.case.tracking_number not in session.get("tracked_cases", []):
        raise Http404
    return attachment


def triage_queue():
    """Cases waiting for the monitoring unit: new and returned, oldest first."""
    return Case.objects.filter(status__in=[Status.SUBMITTED, Status.RETURNED]).order_by("created_at")
