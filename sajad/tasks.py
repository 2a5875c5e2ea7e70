from celery import shared_task
import time

from django.core.cache import cache

from .health import HEARTBEAT_KEY


@shared_task(name="sajad.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat runs this every minute; /healthz reads the time it leaves in the cache."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
