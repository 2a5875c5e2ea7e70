"""Reads that carry rules: who may see which case (the citizen's view of it is `citizen_view`)."""
import hmac
from collections.abc import Collection
from functools import cache

from django.db import connection
from django.http import Http404

from sajad.persian import normalize_digits, search_keys
from sajad.validators import is_valid_mobile, normalize_mobile

from django.db.models import Count, F, OuterRef, Q, Subquery

from . import roles, tracking
from .models import Attachment, Case, CaseClock, CaseEvent, Clock, EventKind, IdentityTier
from .workflow import Action, Role, Status

# A pasted paragraph in a search box is cut to this many words (each is one LIKE).
MAX_SEARCH_WORDS = 8


_PROOF_FIELDS = ("id", "tracking_number", "identity_tier", "mobile", "pin_hash")


@cache  # the same statement for the life of the process; built on first use (models loaded)
def _proof_sql() -> str:
    columns = ", ".join(connection.ops.quote_name(Case._meta.get_field(f).column) for f in _PROOF_FIELDS)
    table = connection.ops.quote_name(Case._meta.db_table)
    number = connection.ops.quote_name(Case._meta.get_field("tracking_number").column)
    return f"SELECT {columns} FROM {table} WHERE {number} = %s LIMIT 1"


def _case_for_proof(number: str) -> Case | None:
    """Only what the proof needs, by the unique index, as a deferred instance (like `.only()`).

    Written as one fixed statement because the tracking proof is the public path's busiest POST:
    compiling the same ORM query on every proof was a third of its time (README, "Public path").
    """
    with connection.cursor() as cursor:
        cursor.execute(_proof_sql(), [number])
        row = cursor.fetchone()
    return None if row is None else Case.from_db(connection.alias, list(_PROOF_FIELDS), row)


def case_find_for_citizen(*, tracking_number: str, secret: str) -> Case | None:
    """The case behind a tracking number, if the mobile (or PIN, for anonymous cases) matches.

    Every failure looks the same to the caller: None. A wrong number, a wrong mobile and a wrong PIN
    are indistinguishable, and every path does the same work (one query, one keyed PIN hash and
    constant-time compares; see `tracking.pin_matches`), so timing tells nothing about whether a
    number exists or which kind of case it is. The one exception is a PIN hash written before the
    keyed scheme: it is checked with the old slow hasher (the caller then replaces it through
    `services.case_pin_upgrade`).
    """
    number = tracking.clean(tracking_number)
    case = None
    if tracking.is_well_formed(number):
        case = _case_for_proof(number)
    anonymous = case is not None and case.is_anonymous
    pin_ok = tracking.pin_matches(secret, case.pin_hash if anonymous else "")
    mobile = normalize_mobile(secret) if is_valid_mobile(secret) else ""
    mobile_ok = hmac.compare_digest(mobile, case.mobile if case is not None and not anonymous else "")
    if anonymous and pin_ok:
        return case
    if case is not None and not anonymous and mobile and mobile_ok:
        return case
    return None


def case_get_for_citizen(*, proven: Collection[str], tracking_number: str) -> Case:
    """A case this browser proved (`tracking_proof.proven_numbers`); else the same 404 as unknown."""
    if tracking_number not in proven:
        raise Http404
    case = Case.objects.select_related("service", "unit", "merged_into").filter(
        tracking_number=tracking_number
    ).first()
    if case is None:
        raise Http404
    return case


def case_get_for_staff(*, user, case_id: int) -> Case:
    """One gate for staff: monitoring sees every case, unit staff only their unit's; else 404."""
    case = Case.objects.select_related("service", "unit").filter(pk=case_id).first()
    if case is None or roles.role_on_case(user, case) is None:
        raise Http404
    return case


def attachment_get_for_staff(*, user, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("case", "case__merged_into").filter(
        pk=attachment_id).first()
    if attachment is None:
        raise Http404
    case = attachment.case
    # A merged case's files belong to the case it was merged into, for whoever handles that one.
    if roles.role_on_case(user, case) is None and (
        case.merged_into is None or roles.role_on_case(user, case.merged_into) is None
    ):
        raise Http404
    return attachment


def attachment_get_for_citizen(*, proven: Collection[str], attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("case").filter(pk=attachment_id).first()
    if attachment is None or attachment.case.tracking_number not in proven:
        raise Http404
    return attachment


def triage_queue():
    """Cases waiting for the monitoring unit: new and returned, oldest first."""
    return Case.objects.filter(status__in=[Status.SUBMITTED, Status.RETURNED]).order_by("created_at")


# --- the unit desk ------------------------------------------------------------------------------

# The desk's inbox tabs: which statuses each shows. "open" is everything that needs the unit now.
DESK_TABS: dict[str, tuple[Status, ...]] = {
    "open": (Status.ASSIGNED, Status.WAITING_CITIZEN),
    "needs_answer": (Status.ASSIGNED,),
    "waiting": (Status.WAITING_CITIZEN,),
    "answered": (Status.ANSWERED,),
}


def _desk_unit_id(user) -> int | None:
    """The unit whose cases the desk shows to this user; None for anyone who is not unit staff."""
    return roles.user_unit_id(user) if roles.staff_role(user) == Role.UNIT else None


def desk_inbox(*, user, tab: str = "open", mine: bool = False):
    """The unit's cases for one inbox tab, nearest unit-answer deadline first, as one query.

    The deadline is the unit_answer clock's `due_at` (set only while the clock runs, so paused and
    stopped clocks sort last); `answer_minutes_left` is the unused budget, shown for paused clocks.
    Only the user's own unit: anyone else gets an empty list, never another unit's cases (§4).
    """
    unit_id = _desk_unit_id(user)
    if unit_id is None:
        return Case.objects.none()
    clock = CaseClock.objects.filter(case=OuterRef("pk"), clock=Clock.UNIT_ANSWER)
    cases = Case.objects.filter(unit_id=unit_id, status__in=DESK_TABS.get(tab, DESK_TABS["open"]))
    if mine:  # "mine": the cases the head gave this staff member
        cases = cases.filter(assignee=user)
    return (
        cases.select_related("service", "assignee")
        .annotate(
            # "send_back" here marks an answer the monitoring unit returned (see desk_sent_back).
            last_unit_step=Subquery(
                CaseEvent.objects.filter(case=OuterRef("pk"), kind__in=_UNIT_STEPS)
                .order_by("-created_at", "-id").values("kind")[:1]
            ),
            answer_due=Subquery(clock.values("due_at")[:1]),
            answer_minutes_left=Subquery(
                clock.annotate(left=F("budget_minutes") - F("consumed_minutes")).values("left")[:1]
            ),
        )
        .order_by(F("answer_due").asc(nulls_last=True), "created_at", "pk")
    )


def desk_case_find(*, user, tracking_number: str) -> Case | None:
    """The unit's own case with this tracking number (any status), for the desk's search box.

    Another unit's case, or a number nobody has, is the same None (§4: no hint of other units).
    """
    unit_id = _desk_unit_id(user)
    number = tracking.clean(tracking_number or "")
    if unit_id is None or not number:
        return None
    return Case.objects.filter(unit_id=unit_id, tracking_number=number).first()


_UNIT_STEPS = [Action.ANSWER, Action.SEND_BACK, Action.ASSIGN, Action.REOPEN]


def desk_sent_back(case: Case) -> dict | None:
    """If the monitoring unit sent the unit's answer back: its reason and the answer it refused.

    Only while the case is back with the unit and the send-back is its latest step (a reopened
    or re-routed case is a new start, not a correction).
    """
    if case.status != Status.ASSIGNED:
        return None
    latest = case.events.filter(kind__in=_UNIT_STEPS).order_by("-created_at", "-id").first()
    if latest is None or latest.kind != Action.SEND_BACK:
        return None
    answer = case.events.filter(kind=Action.ANSWER).order_by("-created_at", "-id").first()
    return {"event": latest, "reason": latest.note, "previous_answer": answer.note if answer else ""}


def desk_inbox_counts(*, user) -> dict[str, int]:
    """How many of the unit's cases each inbox tab holds, in one aggregate query."""
    unit_id = _desk_unit_id(user)
    if unit_id is None:
        return dict.fromkeys(DESK_TABS, 0)
    return Case.objects.filter(unit_id=unit_id, status__in=DESK_TABS["open"] + DESK_TABS["answered"]
                               ).aggregate(**{
        tab: Count("pk", filter=Q(status__in=statuses)) for tab, statuses in DESK_TABS.items()
    })


def desk_timeline(case: Case) -> list[CaseEvent]:
    """Every step of the case for its unit, internal and public, oldest first.

    Access-audit events (who opened the page or a file) are left out: they are for the monitoring
    unit's audit in admin, and one would be added by every visit to this very page.
    """
    return list(
        case.events.exclude(kind__in=[EventKind.VIEWED, EventKind.ATTACHMENT_VIEWED])
        .select_related("actor").order_by("created_at", "id")
    )


def citizen_for_unit(case: Case) -> dict[str, str]:
    """What the responsible unit may see of the citizen: name and mobile of identified cases only.

    Contact-only citizens chose to hide their name from the unit, and anonymous ones gave none; for
    both the unit sees no contact data either, since a mobile number identifies a person as well as
    a name does. Questions reach them through "ask for more information" and the tracking page.
    National code and e-mail are never shown here: answering does not need them.
    """
    identified = case.identity_tier == IdentityTier.IDENTIFIED
    return {"name": case.name_for_unit(), "mobile": case.mobile if identified else ""}


def case_search_is_text(term: str) -> bool:
    """Whether `case_search_q` looks `term` up as words (not as an exact number)."""
    term = (term or "").strip()
    return bool(term) and not normalize_digits(term).lstrip("+").isdigit()


def case_search_q(term: str) -> Q | None:
    """What a staff search box finds: the filter for `term`, or None for an empty query.

    A tracking number, a mobile (09…, +98…, 0098…) or a national code is all digits once
    normalised and hits its unique/indexed column exactly. Any other text is looked up word by
    word in `Case.search_text` (subject, name and description in the compact search form), so
    «نوبتدهی», «نوبت دهی» and «نوبت‌دهی» find the same cases, «تاخیر» finds «تأخیر» and «كارت»
    finds «کارت»; each word is a LIKE '%word%' served by the trigram index of migration 0015.
    """
    term = (term or "").strip()
    if not term:
        return None
    digits = normalize_digits(term).lstrip("+")
    if digits.isdigit():
        query = Q(tracking_number=digits) | Q(national_code=digits)
        mobile = normalize_mobile(digits)
        if len(mobile) == 11 and mobile.startswith("09"):
            query |= Q(mobile=mobile)
        return query
    spaced, _compact = search_keys(term)
    words = spaced.split()[:MAX_SEARCH_WORDS]
    if not words:
        return Q(pk__in=[])
    query = Q()
    for word in words:
        query &= Q(search_text__contains=word)
    return query
