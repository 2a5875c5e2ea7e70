"""`make run`'s process runner restarts a killed worker and leaves web answering meanwhile.

Runs the repository's supervisord.conf (what scripts/run.sh execs) on its own Redis server (a
free port, never the shared one), its own web port and the test database, then SIGKILLs the
Celery worker: web keeps answering /healthz throughout, and a new worker comes back and works
(its heartbeat task lands in Redis).
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.sockets import free_port
from tests.worker.conftest import REPO_ROOT, _database_url

pytestmark = pytest.mark.worker


def _wait(predicate, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:]) if log else ""
    pytest.fail(f"{what} within {timeout}s\n{tail}")


def _web_answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
        return True
    except urllib.error.HTTPError as exc:  # 503 while the worker is down: still answering
        return exc.code == 503
    except OSError:
        return False


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed: the test needs a Redis of its own to use")
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly",
                             "no", "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
    _wait(lambda: _redis_ping(port), 10, "the private Redis did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _supervisorctl(env, *args) -> str:
    return subprocess.run(
        [str(Path(sys.executable).parent / "supervisorctl"), "-c", str(REPO_ROOT / "supervisord.conf"),
         *args], env=env, capture_output=True, text=True, timeout=20,
    ).stdout.strip()


def _worker_pid(env) -> int | None:
    out = _supervisorctl(env, "pid", "worker")
    return int(out) if out.isdigit() and out != "0" else None


def _runner_env(redis_port: int, tmp_path) -> dict:
    from django.db import connection

    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "sajad.settings.base",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url,
        "CACHE_URL": redis_url.replace("redis://", "rediscache://"),
        "WEB_HOST": "127.0.0.1", "WEB_PORT": str(free_port()), "WEB_WORKERS": "1",
        "WORKER_CONCURRENCY": "1", "SUPERVISOR_RUN_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TEST_REDIS_URL", None)
    return env


def _start_runner(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "supervisord"), "-c", str(REPO_ROOT / "supervisord.conf")],
        cwd=REPO_ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop_runner(runner: subprocess.Popen) -> None:
    os.killpg(runner.pid, signal.SIGTERM)
    try:
        runner.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(runner.pid, signal.SIGKILL)
        runner.wait(timeout=10)


def _heartbeat_lands(redis_url: str, log: Path) -> None:
    """Send the heartbeat task and wait until a worker has written its time into Redis."""
    import redis as redis_lib
    from celery import Celery

    r = redis_lib.Redis.from_url(redis_url)
    r.delete(*r.keys("*sajad:worker-heartbeat*") or ["-"])
    Celery(broker=redis_url).send_task("sajad.heartbeat")
    _wait(lambda: any(b"sajad:worker-heartbeat" in key for key in r.keys("*")), 60,
          "no worker ran the heartbeat", log)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_restarted_while_web_keeps_answering(private_redis, tmp_path):
    env = _runner_env(private_redis, tmp_path)
    web_port = int(env["WEB_PORT"])
    log = tmp_path / "supervisord.log"
    runner = _start_runner(env, log)
    try:
        _wait(lambda: _web_answers(web_port), 60, "web did not answer", log)
        first = _wait(lambda: _worker_pid(env), 60, "the worker did not start", log)
        _wait(lambda: "ready." in log.read_text(errors="replace"), 60, "the worker was not ready", log)

        os.kill(first, signal.SIGKILL)
        misses = 0
        deadline = time.monotonic() + 60
        second = None
        while time.monotonic() < deadline:
            if not _web_answers(web_port):
                misses += 1
            pid = _worker_pid(env)
            if pid and pid != first and "RUNNING" in _supervisorctl(env, "status", "worker"):
                second = pid
                break
            time.sleep(0.3)

        assert second is not None, log.read_text(errors="replace")[-3000:]
        assert misses == 0  # web never stopped answering
        assert "RUNNING" in _supervisorctl(env, "status", "web")
        assert "RUNNING" in _supervisorctl(env, "status", "beat")
        # The new worker works: it runs the heartbeat task and leaves its time in Redis.
        _heartbeat_lands(env["REDIS_URL"], log)
    finally:
        _stop_runner(runner)


@pytest.mark.django_db(transaction=True)
def test_the_worker_rides_out_a_redis_outage_under_the_runner(tmp_path):
    """Redis killed under a running worker and started again: a worker serves tasks afterwards
    (the same one reconnecting, or a new one the runner started) and web answered meanwhile."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed: the test needs a Redis of its own to kill")
    port = free_port()

    def start_redis():
        proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly",
                                 "no", "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
        _wait(lambda: _redis_ping(port), 10, "the private Redis did not start")
        return proc

    redis_proc = start_redis()
    env = _runner_env(port, tmp_path)
    web_port = int(env["WEB_PORT"])
    log = tmp_path / "supervisord.log"
    runner = _start_runner(env, log)
    try:
        _wait(lambda: _web_answers(web_port), 60, "web did not answer", log)
        _wait(lambda: "ready." in log.read_text(errors="replace"), 60, "the worker was not ready", log)

        redis_proc.kill()
        redis_proc.wait(timeout=10)
        outage_end = time.monotonic() + 8
        misses = 0
        while time.monotonic() < outage_end:
            if not _web_answers(web_port):
                misses += 1
            time.sleep(0.5)
        redis_proc = start_redis()

        assert misses == 0  # /healthz answers (503) while Redis is down
        _heartbeat_lands(env["REDIS_URL"], log)
        assert "RUNNING" in _supervisorctl(env, "status", "worker")
        assert "RUNNING" in _supervisorctl(env, "status", "web")
        restarts = log.read_text(errors="replace").count("exited: worker")
        print(f"worker restarts by the runner during the outage: {restarts}")
    finally:
        _stop_runner(runner)
        redis_proc.kill()
        redis_proc.wait(timeout=10)
