"""Filing under load while Redis is killed and restarted: no errors, no accepted case lost.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sajad_dev_h9 \\
      .venv/bin/python bench/redis_kill.py --redis-port 6399 --web-port 8109 --seconds 40

Starts its OWN Redis (`redis-server --port <redis-port>`, never the shared one) and a gunicorn of
the portal whose cache and broker both point at it, then posts complete filing forms from several
threads (each a browser: a GET for the CSRF cookie, then POSTs with a fresh form stamp). At 25% of
the run it kills its Redis (SIGKILL), at 75% it starts it again. It reports the requests, the
server errors (5xx or a dropped connection), the accepted filings (302 to the confirmation page)
and the cases of this run found in the database afterwards. The database must be migrated.
"""
import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-redis-kill-" + "x" * 40


def start_redis(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
         "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            with __import__("socket").create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"redis-server did not start on port {port}")


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_phase = {}

    def add(self, phase: str, outcome: str) -> None:
        with self.lock:
            counts = self.by_phase.setdefault(phase, {})
            counts[outcome] = counts.get(outcome, 0) + 1


def browser(port: int, marker: str, service: str, stop: threading.Event, phase, tally: Tally,
            stamp) -> None:
    conn = None
    cookies = ""
    token = ""
    n = 0
    while not stop.is_set():
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
                conn.request("GET", "/complaints/new/form/")
                response = conn.getresponse()
                html = response.read().decode()
                jar = {}
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        jar[name] = rest.split(";", 1)[0]
                cookies = "; ".join(f"{k}={v}" for k, v in jar.items())
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            n += 1
            body = urlencode({
                "csrfmiddlewaretoken": token, "kind": "complaint", "service": service,
                "subject": f"{marker} {n}", "description": "بار آزمایشی هنگام قطع Redis.",
                "identity_tier": "identified", "full_name": "آزمون بار",
                "national_code": "0013542419", "mobile": "09121234567", "email": "",
                "website": "", "stamp": stamp(), "suggestions_seen": "1",
            })
            current = phase()
            conn.request("POST", "/complaints/new/form/", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies,
            })
            response = conn.getresponse()
            response.read()
            location = response.getheader("Location") or ""
            if response.status == 302 and "/complaints/new/done/" in location:
                tally.add(current, "accepted")
            elif response.status >= 500:
                tally.add(current, "error")
            else:
                tally.add(current, f"http {response.status}")
        except (OSError, http.client.HTTPException, AttributeError):
            tally.add(phase(), "error")
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis-port", type=int, default=6399)
    parser.add_argument("--web-port", type=int, default=8109)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--web-workers", type=int, default=2)
    args = parser.parse_args()
    if args.redis_port == 6379:
        raise SystemExit("refusing to kill the shared Redis on 6379: pick a private port")

    redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "sajad.settings.base", "DJANGO_SECRET_KEY": SECRET,
        "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url,
        "CACHE_URL": redis_url.replace("redis://", "rediscache://"),
        # The run measures resilience, not the per-address limit every thread shares.
        "RATE_FILING": "1000000/h", "RATE_FILING_MOBILE": "1000000/h", "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from complaints.forms import new_form_stamp
    from complaints.models import Case
    from sajad.models import Service

    service = Service.objects.open_to_citizens().first()
    if service is None:
        raise SystemExit("no public service: run seed_demo on this database first")

    def stamp() -> str:  # issued a minute ago, as if a person had spent that long typing
        return new_form_stamp(issued=time.time() - 60)

    redis = start_redis(args.redis_port)
    log_path = Path("/tmp") / f"bench-redis-kill-{args.web_port}.log"
    web = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "sajad.wsgi", "--bind",
         f"127.0.0.1:{args.web_port}", "--workers", str(args.web_workers), "--threads", "2"],
        cwd=ROOT, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.web_port, timeout=2)
                c.request("GET", "/healthz")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        marker = f"bench-{uuid.uuid4().hex[:10]}"
        state = {"phase": "before"}
        tally = Tally()
        stop = threading.Event()
        threads = [threading.Thread(target=browser, args=(
            args.web_port, marker, service.slug, stop, lambda: state["phase"], tally, stamp,
        )) for _ in range(args.threads)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds * 0.25)
        redis.send_signal(signal.SIGKILL)
        redis.wait()
        state["phase"] = "redis down"
        down_at = time.monotonic()
        time.sleep(args.seconds * 0.5)
        redis = start_redis(args.redis_port)
        state["phase"] = "after restart"
        print(f"redis was down {time.monotonic() - down_at:.1f} s")
        time.sleep(args.seconds * 0.25)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=20)
        redis.terminate()
        redis.wait()

    stored = Case.objects.filter(subject__startswith=marker + " ").count()
    totals = {}
    for counts in tally.by_phase.values():
        for outcome, count in counts.items():
            totals[outcome] = totals.get(outcome, 0) + count
    requests = sum(totals.values())
    accepted = totals.get("accepted", 0)
    print(f"{elapsed:.0f} s, {args.threads} threads, {args.web_workers} gunicorn workers")
    for phase, counts in tally.by_phase.items():
        print(f"  {phase:14} {dict(sorted(counts.items()))}")
    print(f"requests {requests}  errors {totals.get('error', 0)}  accepted {accepted}  "
          f"stored {stored}  lost {accepted - stored}")
    print(f"web log: {log_path}")
    sys.exit(1 if totals.get("error", 0) or accepted != stored else 0)


if __name__ == "__main__":
    main()
