"""gunicorn.conf.py is read by a gunicorn started in the repository, and its workers freeze what
they loaded at start (the garbage collector's full scans skip it)."""
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.sockets import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_a_gunicorn_worker_started_here_freezes_its_start_up_objects():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.integration.gunicorn_probe", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    frozen = int(response.read())
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert frozen > 1000  # gunicorn's own modules at least; 0 without the hook
