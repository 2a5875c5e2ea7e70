"""/healthz: the database, Redis and the Celery worker heartbeat, each with its own verdict."""
import time

from django.core.cache import cache
from django.db import connection

HEARTBEAT_KEY = "sajad:worker-heartbeat"
HEARTBEAT_MAX_AGE_SECONDS = 180


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _cache() -> bool:
    if hasattr(cache, "primary_available"):  # the resilient cache would answer from its fallback
        return cache.primary_available()
    try:
        cache.set("sajad:healthz", "1", 10)
        return cache.get("sajad:healthz") == "1"
    except Exception:
        return False


def _worker_age() -> float | None:
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:
        return None
    return None if beat is None else max(0.0, time.time() - float(beat))


def health_report() -> dict:
    age = _worker_age()
    checks = {
        "database": _database(),
        "cache": _cache(),
        "worker": age is not None and age < HEARTBEAT_MAX_AGE_SECONDS,
    }
    return {"ok": all(checks.values()), "checks": checks, "worker_heartbeat_age_s": age}
