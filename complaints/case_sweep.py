"""The case sweep (beat, every minute): catch up on case work the fast path missed.

Three independent parts, each a range scan over a partial index and bounded per run: route cases
the on-commit task never routed, close answers whose dispute window ended, take due SLA steps
(`sla_step_sweep`). One part failing is logged and does not skip the others. Idempotent and safe
on several workers at once. The outbox has its own sweep (`notifications.outbox_sweep`).
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from . import services
from .models import Case
from .sla_step_sweep import sla_step_sweep

log = logging.getLogger(__name__)

# Give the on-commit fast path a moment before the sweep routes a case itself.
ROUTING_GRACE = timedelta(seconds=30)
BATCH = 1000


@dataclass
class CaseSweepReport:
    routed: int = 0
    closed: int = 0
    reminders: int = 0
    escalations: int = 0
    failed_parts: tuple[str, ...] = ()


def _route_missed(now) -> int:
    unrouted = list(
        Case.objects.filter(routed_at__isnull=True, created_at__lte=now - ROUTING_GRACE)
        .order_by("created_at").values_list("pk", flat=True)[:BATCH]
    )
    for case_id in unrouted:
        services.case_route(case_id=case_id)
    return len(unrouted)


def case_sweep(*, now=None) -> CaseSweepReport:
    now = now or timezone.now()
    report = CaseSweepReport()
    failed = []
    try:
        report.routed = _route_missed(now)
    except Exception:
        log.exception("case sweep: routing part failed")
        failed.append("routing")
    try:
        report.closed = services.cases_close_after_dispute_window(now=now)
    except Exception:
        log.exception("case sweep: dispute-window part failed")
        failed.append("dispute_window")
    try:
        sla = sla_step_sweep(now=now)
        report.reminders, report.escalations = sla.reminders, sla.escalations
    except Exception:
        log.exception("case sweep: SLA step part failed")
        failed.append("sla_steps")
    report.failed_parts = tuple(failed)
    log.info("case sweep %s", report)
    return report
