"""The SLA half of the beat sweep: take due reminder and escalation steps, set overdue flags.

Set-based: steps are claimed in batches by one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
LOCKED) RETURNING over the partial index of pending steps, so two sweeps running at once split
the work and a step is taken exactly once. Messages and events for a batch are bulk-inserted.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from sajad.models import Unit

from .models import Case, CaseClock, CaseEvent, Clock, EventKind, Notification, SlaStep
from .notifications import unit_addresses
from .workflow import Role

BATCH = 5000

_CLAIM = """
UPDATE complaints_slastep SET taken_at = %s
WHERE id IN (
    SELECT id FROM complaints_slastep
    WHERE taken_at IS NULL AND due_at <= %s
    ORDER BY due_at
    LIMIT %s
    FOR UPDATE SKIP LOCKED
)
RETURNING id, clock_id, kind, level
"""


@dataclass
class SlaSweepReport:
    reminders: int = 0
    escalations: int = 0
    flagged_overdue: int = 0


class _Recipients:
    """Unit addresses looked up once per unit per sweep, not once per case."""

    def __init__(self):
        self._cache: dict[int, list[str]] = {}
        self.monitoring = Unit.objects.filter(is_monitoring=True).first()

    def of(self, unit) -> list[str]:
        if unit is None:
            return []
        if unit.pk not in self._cache:
            self._cache[unit.pk] = unit_addresses(unit)
        return self._cache[unit.pk]

    def for_step(self, *, kind: str, level: int, clock: str, case: Case) -> list[str]:
        responsible = case.unit if clock == Clock.UNIT_ANSWER and case.unit_id else self.monitoring
        if kind == SlaStep.StepKind.REMINDER or level == 1:
            return self.of(responsible)
        if level == 2:
            return self.of(self.monitoring)
        # Level 3: the deputy, i.e. the head of the top of the responsible unit's tree.
        top = (responsible.ancestors() or [responsible])[-1] if responsible else None
        return self.of(top)


def _take_batch(now, recipients: _Recipients, report: SlaSweepReport) -> int:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_CLAIM, [now, now, BATCH])
            claimed = cursor.fetchall()
        if not claimed:
            return 0
        clocks = CaseClock.objects.in_bulk({row[1] for row in claimed})
        cases = Case.objects.select_related("unit").in_bulk({c.case_id for c in clocks.values()})
        messages, events, raise_to = [], [], defaultdict(list)
        for step_id, clock_id, kind, level in claimed:
            clock = clocks[clock_id]
            case = cases[clock.case_id]
            template = "sla_reminder" if kind == SlaStep.StepKind.REMINDER else "sla_escalation"
            for address in recipients.for_step(kind=kind, level=level, clock=clock.clock, case=case):
                messages.append(Notification(
                    channel=Notification.Channel.EMAIL, recipient=address, template=template,
                    case=case, dedupe_key=f"step{step_id}:{address}", next_attempt_at=now,
                    body="",  # rendered at delivery: the sweep must not render thousands of texts
                ))
            if kind == SlaStep.StepKind.ESCALATION:
                report.escalations += 1
                raise_to[level].append(case.pk)
                events.append(CaseEvent(
                    case=case, kind=EventKind.ESCALATION, actor_role=Role.SYSTEM, is_public=False,
                    data={"clock": clock.clock, "level": level, "step": step_id},
                ))
            else:
                report.reminders += 1
        Notification.objects.bulk_create(messages, ignore_conflicts=True, batch_size=2000)
        CaseEvent.objects.bulk_create(events, batch_size=2000)
        for level, case_ids in raise_to.items():
            Case.objects.filter(pk__in=case_ids, escalation_level__lt=level).update(
                escalation_level=Greatest(F("escalation_level"), level), is_overdue=True,
            )
    return len(claimed)


def sla_sweep(*, now=None, max_batches: int = 100) -> SlaSweepReport:
    now = now or timezone.now()
    report = SlaSweepReport()
    recipients = _Recipients()
    for _ in range(max_batches):
        if _take_batch(now, recipients, report) < BATCH:
            break
    # Running clocks past their deadline whose case is not flagged yet (range scan on due_at).
    report.flagged_overdue = Case.objects.filter(
        is_overdue=False,
        pk__in=CaseClock.objects.filter(due_at__lte=now).values("case_id"),
    ).update(is_overdue=True)
    return report
