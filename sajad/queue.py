"""Enqueueing Celery tasks by name after commit, without ever failing the request that asked.

Tasks are named, never imported, by the code that enqueues them: a task module depends on the
domain functions it calls, and the domain never depends on its task modules (no import cycles).

The database is the queue of record (a case's `routed_at`, the outbox); publishing the task is only
the fast path. If the broker is down the publish fails, we log it, and the beat sweeps pick the
work up once the broker is back.

The tasks one transaction enqueues are published as one message (`sajad.run_tasks`, which runs
them in turn on the worker): a filing routes the case and sends the citizen's SMS, and each
publish costs a round trip to Redis and about half a millisecond of the request's CPU.
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
        # Our own repr of the arguments (ids, names): Celery's "safe" one walks them in Python.
        app.send_task(task_name, args=args, countdown=countdown,
                      argsrepr=repr(args)[:1024], kwargsrepr="{}")
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


BATCH_TASK = "sajad.run_tasks"


class _Batch:
    """The tasks enqueued at one savepoint level of a transaction, published once it commits."""

    def __init__(self):
        self.tasks: list[list] = []

    def __call__(self) -> None:  # the on_commit callback
        if len(self.tasks) == 1:
            name, args = self.tasks[0]
            _publish(name, tuple(args), None)
        else:
            _publish(BATCH_TASK, (self.tasks,), None)


def _open_batch(connection) -> _Batch:
    """The batch to add to: the callback registered last, if it is a batch of the current savepoint
    level. Django drops the callbacks of a savepoint that rolls back, batches included, so a task
    of a rolled-back savepoint is never published; and a task enqueued after another callback
    starts a new batch, so callbacks keep their order."""
    level = set(connection.savepoint_ids)
    if connection.run_on_commit:
        savepoints, callback, _robust = connection.run_on_commit[-1]
        if isinstance(callback, _Batch) and savepoints == level:
            return callback
    batch = _Batch()
    transaction.on_commit(batch)
    return batch


def enqueue_on_commit(task_name: str, *args, countdown: float | None = None) -> None:
    """Publish the task named `task_name` with `args` once the current transaction commits.

    Outside a transaction it is published at once.
    """
    if not isinstance(task_name, str):
        raise TypeError("enqueue_on_commit takes a task name, e.g. 'complaints.route_case'")
    connection = transaction.get_connection()
    if countdown is not None or not connection.in_atomic_block:
        transaction.on_commit(lambda: _publish(task_name, args, countdown))
        return
    _open_batch(connection).tasks.append([task_name, list(args)])
