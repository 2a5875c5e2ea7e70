"""Enqueueing Celery tasks by name after commit, without ever failing the request that asked.

Tasks are named, never imported, by the code that enqueues them: a task module depends on the
domain functions it calls, and the domain never depends on its task modules (no import cycles).

The database is the queue of record (a case's `routed_at`, the outbox); publishing the task is only
the fast path. If the broker is down the publish fails, we log it, and the beat sweeps pick the
work up once the broker is back.
"""
import logging
import threading
import time

from django.db import transaction

log = logging.getLogger(__name__)


# After a failed publish, requests stop trying the broker for this long: the work is in the
# database already, and each try would cost the citizen the publish retry policy's wait.
BROKER_RETRY_SECONDS = 5.0


class _BrokerState:
    down_since: float | None = None
    retry_at = 0.0
    skipped = 0
    lock = threading.Lock()


def _publish(task_name: str, args: tuple, countdown: float | None) -> None:
    from sajad.celery import app  # the project's Celery app (configured from settings)

    state = _BrokerState
    if state.down_since is not None and time.monotonic() < state.retry_at:
        state.skipped += 1  # logged once, when the broker answers again
        return
    try:
        app.send_task(task_name, args=args, countdown=countdown)
    except Exception as exc:  # the broker's many failure types; the sweep is the safety net
        with state.lock:
            state.retry_at = time.monotonic() + BROKER_RETRY_SECONDS
            if state.down_since is None:
                state.down_since = time.monotonic()
                state.skipped = 1
                # Once per outage, not per request: the sweeps re-enqueue from the database.
                log.error("broker unreachable (%s: %s); publishes skipped until it answers, the "
                          "sweeps will catch up", type(exc).__name__, exc)
            else:
                state.skipped += 1
        return
    if state.down_since is not None:
        with state.lock:
            if state.down_since is not None:
                log.warning("broker reachable again after %.1f s; %d publishes were left to the "
                            "sweeps", time.monotonic() - state.down_since, state.skipped)
                state.down_since = None


def enqueue_on_commit(task_name: str, *args, countdown: float | None = None) -> None:
    """Publish the task named `task_name` with `args` once the current transaction commits.

    Outside a transaction it is published at once.
    """
    if not isinstance(task_name, str):
        raise TypeError("enqueue_on_commit takes a task name, e.g. 'complaints.route_case'")
    transaction.on_commit(lambda: _publish(task_name, args, countdown))
