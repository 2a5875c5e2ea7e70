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

log = logging.getLogger(__name__)

# Give the on-commit fast path a moment before the sweep routes a case itself.
ROUTING_GRACE = timedelta(seconds=30)
BATCH = 1000


@dataclass
class SweepReport:
    routed: int = 0
    released: int = 0
    enqueued: int = 0


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
    report.released = notifications.notifications_release_stuck(now=now)
    from .tasks import deliver_notification

    for notification_id in notifications.notifications_due(now=now, limit=BATCH):
        enqueue_on_commit(deliver_notification, notification_id)
        report.enqueued += 1
    log.info("sweep routed=%s released=%s enqueued=%s", report.routed, report.released, report.enqueued)
    return report
