"""Enqueueing Celery tasks by name after commit, without ever failing the request that asked.

Tasks are named, never imported, by the code that enqueues them: a task module depends on the
domain functions it calls, and the domain never depends on its task modules (no import cycles).

The database is the queue of record (a case's `routed_at`, the outbox); publishing the task is only
the fast path. If the broker is down the publish fails, we log it, and the beat sweeps pick the
work up once the broker is back.
"""
import logging

from django.db import transaction

log = logging.getLogger(__name__)


def _publish(task_name: str, args: tuple, countdown: float | None) -> None:
    from sajad.celery import app  # the project's Celery app (configured from settings)

    try:
        app.send_task(task_name, args=args, countdown=countdown)
    except Exception:  # the broker's many failure types; the sweep is the safety net
        log.warning("enqueue failed task=%s args=%s; the sweep will retry", task_name, args,
                    exc_info=True)


def enqueue_on_commit(task_name: str, *args, countdown: float | None = None) -> None:
    """Publish the task named `task_name` with `args` once the current transaction commits.

    Outside a transaction it is published at once.
    """
    if not isinstance(task_name, str):
        raise TypeError("enqueue_on_commit takes a task name, e.g. 'complaints.route_case'")
    transaction.on_commit(lambda: _publish(task_name, args, countdown))
