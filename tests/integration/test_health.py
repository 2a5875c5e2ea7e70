"""/healthz: database, cache (Redis) and the worker heartbeat, each with its own verdict."""
import time

import pytest
from django.core.cache import cache

from sajad.health import HEARTBEAT_KEY, HEARTBEAT_MAX_AGE_SECONDS

pytestmark = pytest.mark.django_db


def test_healthz_is_200_with_every_check_true_when_the_heartbeat_is_fresh(client):
    cache.set(HEARTBEAT_KEY, time.time() - 5, timeout=None)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["checks"] == {"database": True, "cache": True, "worker": True}
    assert 4 <= body["worker_heartbeat_age_s"] < 60


def test_healthz_is_503_and_names_the_worker_when_the_heartbeat_is_stale(client):
    cache.set(HEARTBEAT_KEY, time.time() - HEARTBEAT_MAX_AGE_SECONDS - 1, timeout=None)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["checks"] == {"database": True, "cache": True, "worker": False}
    assert body["worker_heartbeat_age_s"] > HEARTBEAT_MAX_AGE_SECONDS


def test_healthz_is_503_when_no_worker_ever_beat(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] is False
    assert response.json()["worker_heartbeat_age_s"] is None


def test_healthz_is_503_and_blames_the_cache_when_redis_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"] is False
    assert checks["database"] is True


def test_healthz_answers_json_without_login_or_a_trailing_slash(client):
    response = client.get("/healthz")

    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"ok", "checks", "worker_heartbeat_age_s"}
