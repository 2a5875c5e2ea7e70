"""The heartbeat goes through the real broker to a real worker, and /healthz sees it."""
import time

import pytest

from sajad.tasks import heartbeat

pytestmark = pytest.mark.worker

HEALTH_WAIT_S = 20


def test_healthz_reports_the_worker_alive_once_a_heartbeat_went_through_the_broker(
    celery_worker, client
):
    before = client.get("/healthz")
    assert before.status_code == 503
    assert before.json()["checks"]["worker"] is False

    heartbeat.delay()

    deadline = time.monotonic() + HEALTH_WAIT_S
    while True:
        response = client.get("/healthz")
        if response.json()["checks"]["worker"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert response.json()["checks"]["worker"] is True, celery_worker.log_tail()
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "checks": {"database": True, "cache": True, "worker": True},
        "worker_heartbeat_age_s": response.json()["worker_heartbeat_age_s"],
    }
    assert "sajad.heartbeat" in celery_worker.log() and "succeeded" in celery_worker.log()


def test_the_worker_runs_on_the_test_database_that_pytest_created(celery_worker):
    from django.db import connection

    assert connection.settings_dict["NAME"].startswith("test_")
    assert celery_worker.env["DATABASE_URL"].endswith("/" + connection.settings_dict["NAME"])
    assert celery_worker.env["DJANGO_SETTINGS_MODULE"] == "sajad.settings.test"
