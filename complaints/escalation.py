"""The one owner of a case's SLA state: `is_overdue`, `escalation_level`, and the escalation ladder.

No other module writes these two fields (a grep rule in scripts/grep-rules.sh checks it): the clock
module asks `case_overdue_refresh` after moving clocks, the SLA step sweep hands its taken
escalations to `cases_raise`, and the citizen's "escalate" goes through `case_raise_by_citizen`.

The ladder (§3.1 SLA): at a clock's deadline the case goes to the *responsible unit* (the case's
unit for the unit's own answer clock, the monitoring unit for first response and resolution);
some working days later to the monitoring unit's head; later still to the deputy at the top of
the responsible unit's tree. Reminders before a deadline go to the responsible unit.
"""
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .models import Case, CaseClock


@dataclass(frozen=True)
class Rung:
    level: int
    label: Promise  # shown in admin filters, on the desk and in the citizen's timeline
    who: str  # who is told: "responsible", "monitoring" or "top" (see the SLA step sweep)


LADDER: tuple[Rung, ...] = (
    Rung(0, gettext_lazy("not escalated"), ""),
    Rung(1, gettext_lazy("to the responsible unit"), "responsible"),
    Rung(2, gettext_lazy("to the monitoring head"), "monitoring"),
    Rung(3, gettext_lazy("to the deputy"), "top"),
)
TOP_LEVEL = LADDER[-1].level
# Reminders before a deadline go to whoever holds the first rung.
REMINDER_WHO = "responsible"

# How the SLA step sweep's statement names each kind of recipient unit (see `recipient_unit_sql`).
_WHO_SQL = {
    "responsible": "s.responsible",
    "monitoring": "%(monitoring)s",
    "top": "COALESCE(top.top_id, s.responsible)",
}


def recipient_unit_sql() -> str:
    """The SQL CASE that picks the unit told of a taken step, built from the ladder above.

    It reads the columns of the sweep's `step s` row (`kind`, `level`, `responsible`) and the
    joined tree top (`top.top_id`).
    """
    branches = [f"WHEN s.kind = 'reminder' THEN {_WHO_SQL[REMINDER_WHO]}"]
    branches += [f"WHEN s.level = {r.level} THEN {_WHO_SQL[r.who]}" for r in LADDER if r.level]
    return "CASE " + " ".join(branches) + f" ELSE {_WHO_SQL['responsible']} END"


def rung(level: int) -> Rung:
    return LADDER[min(max(level, 0), TOP_LEVEL)]


def case_overdue_refresh(*, case: Case, now=None, extra: dict | None = None,
                         clocks: list[CaseClock] | None = None) -> bool:
    """Set the case's overdue flag from its clocks (a running clock past its deadline).

    Called inside the transaction that moved the clocks; `extra` are other columns the caller
    writes in the same UPDATE (e.g. the SLA policy in force). A caller holding every clock of the
    case, as just saved, passes them as `clocks` and spares the query.
    """
    now = now or timezone.now()
    if clocks is None:
        overdue = CaseClock.objects.filter(case=case, due_at__lte=now).exists()
    else:
        overdue = any(c.due_at is not None and c.due_at <= now for c in clocks)
    Case.objects.filter(pk=case.pk).update(is_overdue=overdue, **(extra or {}))
    case.is_overdue = overdue
    return overdue


def missed_deadline_key(*, case: Case, now=None) -> str:
    """Which missed deadline the case is overdue on ("" if none): the earliest one past due.

    A citizen may escalate once per missed deadline; a new deadline (the unit was changed, the
    case reopened) is a new key, so the citizen may escalate again if that one passes too.
    """
    now = now or timezone.now()
    clock = CaseClock.objects.filter(case=case, due_at__lte=now).order_by("due_at", "id").first()
    return f"{clock.clock}:{clock.due_at.isoformat()}" if clock else ""


def citizen_escalated_on(*, case: Case, deadline_key: str) -> bool:
    """Whether the citizen already escalated this case for that missed deadline."""
    from .models import CaseEvent, EventKind

    return bool(deadline_key) and CaseEvent.objects.filter(
        case=case, kind=EventKind.CITIZEN_ESCALATION, data__deadline=deadline_key,
    ).exists()


def case_raise_by_citizen(*, case: Case) -> int:
    """One level up the ladder on the citizen's request; the caller holds the row lock."""
    case.escalation_level = min(case.escalation_level + 1, TOP_LEVEL)
    case.save(update_fields=["escalation_level", "updated_at"])
    return case.escalation_level


_RAISE = """
UPDATE complaints_case k SET escalation_level = m.level, is_overdue = true
FROM unnest(%(case_ids)s::bigint[], %(levels)s::int[]) AS m(case_id, level)
WHERE k.id = m.case_id AND k.escalation_level < m.level
"""
# NO KEY UPDATE is all an UPDATE of these columns needs, and unlike FOR UPDATE it does not wait for
# the KEY SHARE locks that inserting an event (its foreign key) takes on the same case.
_LOCK_IN_ID_ORDER = (
    "SELECT id FROM complaints_case WHERE id = ANY(%(case_ids)s) ORDER BY id FOR NO KEY UPDATE"
)


def cases_raise(*, case_ids: list[int], levels: list[int]) -> int:
    """Raise each case to its level (never lower) and flag it overdue, inside the caller's transaction.

    The rows are locked in id order first, so two sweeps raising overlapping cases wait for each
    other instead of deadlocking.
    """
    if not case_ids:
        return 0
    params = {"case_ids": case_ids, "levels": levels}
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_IN_ID_ORDER, params)
        cursor.execute(_RAISE, params)
        return cursor.rowcount
