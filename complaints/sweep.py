"""The beat sweep: catches up on work the fast path missed. Idempotent; safe on several workers.

Each part is a range scan over a partial index (unrouted cases, due outbox rows), bounded per run.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from sajad.queue import enqueue_on_commit

from . import notifications, services
from .models import Case
from .sla_sweep import sla_sweep

log = logging.getLogger(__name__)

# Give the on-commit fast path a moment before the sweep routes a case itself.
ROUTING_GRACE = timedelta(seconds=30)
BATCH = 1000
# Messages per delivery task: one publish per chunk keeps the sweep's broker traffic small.
DELIVERY_CHUNK = 100


@dataclass
class SweepReport:
    routed: int = 0
    released: int = 0
    enqueued: int = 0
    reminders: int = 0
    escalations: int = 0
    closed: int = 0


def sweep_run(*, now=None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    unrouted = list(
        Case.objects.filter(routed_at__isnull=True, created_at__lte=now - ROUTING_GRACE)
        .order_by("created_at").values_list("pk", flat=True)[:BATCH]
    )
    for case_id in unrouted:
        services.case_route(case_id=case_id)
        report.routed += 1
    report.closed = services.cases_close_after_dispute_window(now=now)
    sla = sla_sweep(now=now)
    report.reminders, report.escalations = sla.reminders, sla.escalations
    report.released = notifications.notifications_release_stuck(now=now)
    from .tasks import deliver_notifications

    due = notifications.notifications_due(now=now, limit=BATCH * 20)
    for start in range(0, len(due), DELIVERY_CHUNK):
        enqueue_on_commit(deliver_notifications, due[start:start + DELIVERY_CHUNK])
    report.enqueued = len(due)
    log.info("sweep %s", report)
    return report
