"""The outbox half of the beat: requeue messages the fast path missed. Idempotent.

Both parts are range scans over partial indexes (pending by next attempt, sending by claim time).
"""
import logging
from dataclasses import dataclass

from django.utils import timezone

from sajad.queue import enqueue_on_commit

from .delivery import messages_due, messages_release_stuck

log = logging.getLogger(__name__)

BATCH = 20_000
# Messages per delivery task: one publish per chunk keeps the sweep's broker traffic small.
DELIVERY_CHUNK = 100


@dataclass
class OutboxSweepReport:
    released: int = 0
    enqueued: int = 0


def outbox_sweep(*, now=None) -> OutboxSweepReport:
    now = now or timezone.now()
    report = OutboxSweepReport(released=messages_release_stuck(now=now))
    due = messages_due(now=now, limit=BATCH)
    for start in range(0, len(due), DELIVERY_CHUNK):
        enqueue_on_commit("notifications.deliver_messages", due[start:start + DELIVERY_CHUNK])
    report.enqueued = len(due)
    if report.released or report.enqueued:
        log.info("outbox sweep %s", report)
    return report
