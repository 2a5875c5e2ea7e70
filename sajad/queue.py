"""Enqueueing Celery tasks after commit, without ever failing the request that asked for it.

The database is the queue of record (a case's `routed_at`, the notification outbox); publishing
the task is only the fast path. If the broker is down the publish fails, we log it, and the beat
sweep picks the work up once the broker is back.
"""
import logging

from django.db import transaction

log = logging.getLogger(__name__)


def _publish(task, args: tuple) -> None:
    try:
        task.apply_async(args=args)
    except Exception:  # the broker's many failure types; the sweep is the safety net
        log.warning("enqueue failed task=%s args=%s; the sweep will retry", task.name, args, exc_info=True)


def enqueue_on_commit(task, *args) -> None:
    """Publish `task(*args)` once the current transaction commits (at once if there is none)."""
    transaction.on_commit(lambda: _publish(task, args))
