import logging
import time

from celery import current_app, shared_task
from django.core.cache import cache

from .health import HEARTBEAT_KEY

log = logging.getLogger(__name__)


@shared_task(name="sajad.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat runs this every minute; /healthz reads the time it leaves in the cache."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


@shared_task(name="sajad.run_tasks", ignore_result=True)
def run_tasks(tasks: list) -> None:
    """The tasks one transaction enqueued (`sajad.queue`), run here in turn as each would run on
    its own; one that fails is logged and does not stop the others (each is safe to run twice,
    and the sweeps retry what a failure left undone)."""
    for name, args in tasks:
        log.info("running %s%s from a batch", name, tuple(args))
        task = current_app.tasks.get(name)
        if task is None:
            log.error("%s%s is not a known task; skipped in a batch", name, tuple(args))
            continue
        result = task.apply(args=args)
        if result.failed():
            log.error("%s%s failed in a batch: %r", name, tuple(args), result.result)
