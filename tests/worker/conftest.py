"""A real Celery worker in a subprocess, on the test Redis and the test database.

The worker runs `sajad.settings.test` like the tests do, so it shares their Redis database (broker
and cache) and, through DATABASE_URL, the database pytest-django created (`test_sajad`). The
fixture uses `transactional_db`: what a test writes is committed, so the worker can read it, and
pytest-django empties the tables afterwards.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10


@dataclass
class WorkerProcess:
    nodename: str
    process: subprocess.Popen
    log_path: Path
    env: dict

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])


def _database_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def _wait_until_ready(worker: WorkerProcess) -> None:
    from sajad.celery import app

    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {worker.process.returncode}:\n"
                        f"{worker.log_tail()}")
        if app.control.ping(destination=[worker.nodename], timeout=0.5):
            return
    pytest.fail(f"the Celery worker did not answer a ping within {READY_TIMEOUT_S}s:\n"
                f"{worker.log_tail()}")


def _stop(worker: WorkerProcess) -> None:
    if worker.process.poll() is not None:
        return
    worker.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task
    try:
        worker.process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait(timeout=STOP_TIMEOUT_S)


@pytest.fixture
def celery_worker(transactional_db, settings, tmp_path):
    """Start `celery -A sajad worker -P solo` against the test services; stop it afterwards."""
    from django.db import connection

    nodename = f"test-{uuid.uuid4().hex[:8]}@%h"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sajad.settings.test",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "TEST_REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "celery-worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "sajad", "worker",
        "-P", "solo", "-l", "info", "-n", nodename, "--without-mingle", "--without-gossip",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    # %h is expanded by the worker to the host name; ping needs the expanded name.
    import socket

    worker = WorkerProcess(nodename.replace("%h", socket.gethostname()), process, log_path, env)
    try:
        _wait_until_ready(worker)
        yield worker
    finally:
        _stop(worker)
