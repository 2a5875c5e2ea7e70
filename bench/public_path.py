"""Benchmark of the citizen's public path against a bare one-SELECT Django view, in one run.

    .venv/bin/python bench/public_path.py                      # load 100,000 cases, 3 × 20 s
    .venv/bin/python bench/public_path.py --reuse --rounds 1 --duration 10
    .venv/bin/python bench/public_path.py --reuse --profile    # pyinstrument, no load test

Needs `wrk` (Debian: `apt-get install -y wrk`), PostgreSQL and Redis. What it does:

1. a scratch database (`--db`, dropped and re-created unless `--reuse`): migrations, the demo
   organisation (`seed_demo`), a few FAQ entries for deflection, then 100,000 cases with valid
   tracking numbers and their "filed" events loaded in bulk (INSERT … SELECT unnest);
2. `collectstatic`, then two gunicorn servers with the same settings (2 sync workers): the portal
   (production settings module `sajad.settings.base`, DEBUG off) and `bench/bare_view.py`;
3. browsers prepared as a person's would be: before each round's filing step, one browser per
   POST fetched the filing form (its CSRF cookie, the form's token and its single-use time stamp),
   asked for the live FAQ suggestions of its subject as `static/js/deflection.js` does (which
   sets `suggestions_seen` once that look-up answered, with or without entries), and waits more than the form's minimum
   fill time before posting; tracking browsers fetched the tracking page once and send many
   proofs (their CSRF token stays valid); case-page browsers proved a case (number + mobile) and
   keep their session. Without JavaScript, the suggestions step and the second POST are checked
   once;
4. rounds of wrk (8 connections, 2 threads, `--duration` seconds each) over five steps: the bare
   view, the filing form GET, the filing POST, the tracking proof POST and the case page. Each
   response is checked (200, or the 302 a successful POST gives); every filing acknowledged with a
   302 must be in the database with its event, outbox message and clocks (0 lost);
5. prints req/s, p95 and the ratio to the bare view of the same round (medians over rounds).

Rate limits stay on (their Redis round trips are part of the path) but are raised through the
environment (`RATE_FILING`, `RATE_FILING_MOBILE`, `RATE_TRACKING`, `RATE_FAQ_SUGGEST`), since every request comes from one address; the
benchmark's Redis database (`--redis`) is emptied before each step.
"""
import argparse
import collections
import concurrent.futures
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "public_path.lua"
FORM_PATH = "/complaints/new/form/"
TRACK_PATH = "/complaints/track/"
SUGGEST_PATH = "/faq/suggest/"
STEPS = ("bare", "form", "file", "track", "case")
LABELS = {
    "bare": "bare one-SELECT view",
    "form": "filing form GET",
    "file": "filing POST (stored)",
    "track": "tracking proof POST",
    "case": "case page GET",
}
TARGETS = {"form": 0.45, "file": 0.30, "track": 0.33}
P95_LIMIT_MS = 50
# Subjects a citizen might type: some match the FAQ entries below (deflection has something to
# show), some do not.
SUBJECTS = [
    "تأخیر در واریز وام شهریه",
    "قطعی اینترنت خوابگاه",
    "پیشنهاد برای ساده‌تر شدن فرم درخواست",
    "رفتار نامناسب کارمند باجه",
    "ارزشیابی مدرک تحصیلی طول کشیده است",
]
FAQ = [
    ("وام شهریه کی واریز می‌شود؟", "وام شهریه پس از تأیید ضامن در پایان هر نیم‌سال واریز می‌شود."),
    ("اینترنت خوابگاه قطع است؛ چه کنم؟", "قطعی اینترنت خوابگاه را به دفتر فناوری اطلاعات خبر دهید."),
    ("ارزشیابی مدرک چقدر طول می‌کشد؟", "ارزشیابی مدرک تحصیلی معمولاً سی روز کاری طول می‌کشد."),
    ("چگونه ضامن معرفی کنم؟", "ضامن را در سامانه صندوق رفاه با کد ملی او ثبت کنید."),
]


# --- the database -----------------------------------------------------------------------------


def damm(digits: str) -> int:
    from complaints.tracking import damm_digit

    return damm_digit(digits)


def prepare_database(db: str, reuse: bool) -> None:
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{db}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip() == "1"
    if exists and not reuse:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
        exists = False
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, cwd=ROOT)


def load(cases: int) -> None:
    """The demo organisation, FAQ entries, and `cases` cases with their filed events, in bulk."""
    from django.core.management import call_command
    from django.db import connection

    from complaints.models import Case
    from faq import services as faq_services
    from faq.models import FaqEntry
    from sajad.models import Service

    started = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    # The demo seeds FAQ entries of its own; the benchmark's subjects need these general ones.
    if not FaqEntry.objects.filter(question=FAQ[0][0]).exists():
        category = faq_services.faq_category_create(name="پرسش‌های عمومی")
        for question, answer in FAQ:
            faq_services.faq_entry_create(
                category=category, question=question, answer=answer, is_published=True
            )
    if Case.objects.filter(subject__startswith="bench-load").count() >= cases:
        print(f"reusing the {cases:,} loaded cases")
        return
    rng = random.Random(1405)
    numbers: set[str] = set(Case.objects.values_list("tracking_number", flat=True))
    new_numbers = []
    while len(new_numbers) < cases:
        body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        number = body + str(damm(body))
        if number not in numbers:
            numbers.add(number)
            new_numbers.append(number)
    mobiles = [f"0912{rng.randint(0, 9_999_999):07d}" for _ in range(cases)]
    service_ids = list(Service.objects.open_to_citizens().values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO complaints_case (kind, tracking_number, identity_tier, full_name, national_code,
                mobile, email, pin_hash, service_id, subject, description, status, unit_id, priority,
                created_at, updated_at, status_changed_at, routed_at, referred_body_name,
                referred_body_url, is_overdue, escalation_level, search_text)
            SELECT 'complaint', t.number, 'contact_only', '', '', t.mobile, '', '',
                (%s::bigint[])[1 + t.i %% array_length(%s::bigint[], 1)],
                'bench-load ' || t.i, 'شرح پرونده آزمایشی شماره ' || t.i, 'submitted', NULL, 2,
                now() - interval '3 days', now(), now(), NULL, '', '', false, 0, 'bench load ' || t.i
            FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(number, mobile, i)
            """,
            [service_ids, service_ids, new_numbers, mobiles],
        )
        cursor.execute(
            """
            INSERT INTO complaints_caseevent (case_id, created_at, actor_role, kind, from_status,
                to_status, note, is_public, data)
            SELECT id, created_at, 'citizen', 'filed', '', 'submitted', '', true, '{}'::jsonb
            FROM complaints_case WHERE subject LIKE 'bench-load %%'
            """
        )
        cursor.execute("VACUUM ANALYZE")
    print(f"loaded {cases:,} cases and their events in {time.perf_counter() - started:.1f} s")


# --- servers ----------------------------------------------------------------------------------


def start_server(app: str, port: int, env: dict, log: Path, workers: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), app, "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            status, _headers, _body = fetch(port, "GET", "/" if app.startswith("bench") else FORM_PATH)
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    stop(process)
    raise SystemExit(f"{app} did not start on port {port}; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fetch(port: int, method: str, path: str, *, body: dict | None = None, cookies: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {}
    data = None
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"http://127.0.0.1:{port}"
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    content = response.read().decode("utf-8", "replace")
    set_cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            set_cookies[key] = rest.split(";", 1)[0]
    connection.close()
    return response.status, set_cookies, content


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)" name="{name}"', html
    )
    if not match:
        raise SystemExit(f"the page has no {name} field")
    return match.group(1)


# --- browsers ---------------------------------------------------------------------------------


def filing_browser(port: int, slugs: list[str], rng: random.Random) -> list[str]:
    """A browser that opened the filing form and typed a subject (the live suggestions ran)."""
    status, cookies, html = fetch(port, "GET", FORM_PATH)
    assert status == 200, status
    subject = rng.choice(SUBJECTS)
    slug = rng.choice(slugs)
    query = urllib.parse.urlencode({"q": subject, "service": slug})
    status, _c, suggestions = fetch(port, "GET", f"{SUGGEST_PATH}?{query}", cookies=cookies)
    # deflection.js sets `suggestions_seen` once its look-up for the typed subject answered,
    # whether or not it found entries (the server would show the same, possibly nothing).
    seen = "1" if status == 200 and "results" in json.loads(suggestions) else "-"
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    mobile = f"0935{rng.randint(0, 9_999_999):07d}"
    return [cookie, hidden(html, "csrfmiddlewaretoken"), hidden(html, "stamp"), slug, seen, subject,
            mobile]


def tracking_browser(port: int) -> list[str]:
    status, cookies, html = fetch(port, "GET", TRACK_PATH)
    assert status == 200, status
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return [cookie, hidden(html, "csrfmiddlewaretoken")]


def case_browser(port: int, number: str, mobile: str) -> list[str]:
    status, cookies, html = fetch(port, "GET", TRACK_PATH)
    token = hidden(html, "csrfmiddlewaretoken")
    status, more, _ = fetch(port, "POST", TRACK_PATH, cookies=cookies,
                            body={"csrfmiddlewaretoken": token, "tracking_number": number,
                                  "secret": mobile})
    assert status == 302, f"proving {number} gave {status}"
    cookies.update(more)
    return ["; ".join(f"{k}={v}" for k, v in cookies.items()), number]


def check_no_js_deflection(port: int, slug: str) -> None:
    """Without JavaScript: the first POST shows the suggestions step, the second files the case."""
    status, cookies, html = fetch(port, "GET", FORM_PATH)
    time.sleep(3.2)  # the form's minimum fill time
    data = {
        "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"), "kind": "complaint",
        "service": slug, "subject": "قطعی اینترنت خوابگاه", "identity_tier": "contact_only",
        "description": "شرح پرونده بدون جاوااسکریپت", "mobile": "09351112233",
        "stamp": hidden(html, "stamp"), "website": "",
    }
    status, _c, step = fetch(port, "POST", FORM_PATH, cookies=cookies, body=data)
    assert status == 200 and 'name="suggestions_seen"' in step, "no suggestions step"
    data["suggestions_seen"] = hidden(step, "suggestions_seen")
    data["stamp"] = hidden(step, "stamp")
    status, _c, _ = fetch(port, "POST", FORM_PATH, cookies=cookies, body=data)
    assert status == 302, f"the second POST gave {status}"


def filing_pool(port: int, count: int, folder: Path, name: str) -> Path:
    """`count` browsers that each fetched the filing form once (stamps are single-use)."""
    from sajad.models import Service

    slugs = list(Service.objects.open_to_citizens().values_list("slug", flat=True))
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        rows = list(pool.map(lambda i: filing_browser(port, slugs, random.Random(i)), range(count)))
    path = folder / f"{name}.tsv"
    path.write_text("".join("\t".join(row) + "\n" for row in rows))
    # A person needs longer than the minimum fill time; so do these browsers (the last one too).
    time.sleep(3.5)
    shown = sum(1 for row in rows if row[4] == "1")
    print(f"prepared {count} filing browsers in {time.time() - started:.0f} s ({shown} had their subject "
          f"checked by the live suggestions)", flush=True)
    return path


def prepare_browsers(port: int, count: int, cases: list[tuple[str, str]], folder: Path) -> dict:
    from sajad.models import Service

    slugs = list(Service.objects.open_to_citizens().values_list("slug", flat=True))
    rng = random.Random(7)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        tracking = list(pool.map(lambda _i: tracking_browser(port), range(count)))
        proved = list(pool.map(lambda pair: case_browser(port, *pair),
                               rng.sample(cases, min(count, len(cases)))))
    check_no_js_deflection(port, slugs[0])
    files = {}
    for name, rows in (("track", tracking), ("case", proved)):
        path = folder / f"{name}.tsv"
        path.write_text("".join("\t".join(row) + "\n" for row in rows))
        files[name] = path
    cases_file = folder / "cases.tsv"
    cases_file.write_text("".join(f"{n}\t{m}\n" for n, m in cases))
    files["cases"] = cases_file
    print(f"prepared {count} tracking and {len(proved)} case-page browsers; without JavaScript "
          f"the deflection step files on the second POST", flush=True)
    return files


# --- measuring --------------------------------------------------------------------------------


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def run_wrk(step: str, port: int, files: dict, args, tag: str) -> dict:
    env = dict(os.environ, BENCH_MODE=step, BENCH_TAG=tag, BENCH_ORIGIN=f"http://127.0.0.1:{port}",
               BENCH_THREADS=str(args.threads))
    if step in ("file", "track", "case"):
        env["BENCH_POOL"] = str(files[step])
    env["BENCH_CASES"] = str(files["cases"])
    url = f"http://127.0.0.1:{port}/"
    out = subprocess.run(
        ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s",
         "--timeout", "10s", "-s", str(LUA), url],
        capture_output=True, text=True, env=env, check=True,
    ).stdout
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def check_filings(tag: str, acknowledged: int, connections: int) -> dict:
    """Every acknowledged filing stored whole: case, filed event, outbox message, SLA clocks."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM complaints_caseevent e
                                                  WHERE e.case_id = c.id AND e.kind = 'filed')),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM complaints_caseclock k
                                                  WHERE k.case_id = c.id))
            FROM complaints_case c WHERE c.subject LIKE %s
            """,
            [f"% {tag}-%"],
        )
        stored, with_event, with_clocks = cursor.fetchone()
    return {
        "stored": stored,
        "lost": max(0, acknowledged - stored),
        "incomplete": stored - min(with_event, with_clocks),
        # wrk stops with requests in flight: those may be stored without their 302 being counted.
        "unacknowledged": stored - acknowledged,
        "in_flight_ok": 0 <= stored - acknowledged <= connections,
    }


def measure(args, files: dict) -> dict:
    results: dict[str, list[dict]] = {step: [] for step in args.steps}
    run_id = f"b{int(time.time()) % 100000}"
    for round_ in range(args.rounds):
        for step in args.steps:
            flush_redis(args.redis)
            port = args.bare_port if step == "bare" else args.port
            tag = f"{run_id}r{round_}"
            if step == "file":
                files["file"] = filing_pool(args.port, args.filing_browsers, files["folder"],
                                            f"file{round_}")
                flush_redis(args.redis)
            result = run_wrk(step, port, files, args, tag)
            if step == "file":
                result.update(check_filings(tag, result["ok"], args.connections))
            results[step].append(result)
            if result.get("pool_exhausted"):
                print(f"  {result['pool_exhausted']} POSTs found no fresh filing browser: "
                      f"raise --filing-browsers", flush=True)
            print(f"round {round_ + 1} {LABELS[step]:>24}: {result['rps']:8.1f} req/s  "
                  f"p95 {result['p95_us'] / 1000:6.1f} ms  bad {result['bad']}"
                  + (f"  stored {result['stored']} lost {result['lost']}" if step == "file" else ""),
                  flush=True)
            time.sleep(1)
    return results


def report(results: dict, args) -> bool:
    bare = results["bare"]
    passed = True
    lines = [
        f"| step | req/s (median of {args.rounds}) | p95 ms | ratio to bare | target | errors | lost |",
        "|---|---|---|---|---|---|---|",
    ]
    for step in args.steps:
        runs = results[step]
        rps = statistics.median(r["rps"] for r in runs)
        p95 = statistics.median(r["p95_us"] for r in runs) / 1000
        ratio = statistics.median(r["rps"] / b["rps"] for r, b in zip(runs, bare))
        errors = sum(r["bad"] + r["socket_errors"] for r in runs)
        lost = sum(r.get("lost", 0) + r.get("incomplete", 0) for r in runs)
        target = TARGETS.get(step)
        ok = errors == 0 and lost == 0 and (target is None or (ratio >= target and p95 < P95_LIMIT_MS))
        if step in TARGETS:
            passed = passed and ok
        lines.append(
            f"| {LABELS[step]} | {rps:,.0f} | {p95:.1f} | {ratio:.2f}× | "
            f"{'≥ %.2f×' % target if target else ('—' if step == 'bare' else 'reported')} | "
            f"{errors} | {lost if step == 'file' else ''} |"
        )
    if set(args.steps) != set(STEPS):
        passed = False  # a partial run (--steps) proves nothing about the targets
    print("\n" + "\n".join(lines))
    print(f"\n{'PASS' if passed else 'FAIL'}: targets are ratios to the bare view of the same round, "
          f"p95 < {P95_LIMIT_MS} ms at {args.connections} connections, no error, 0 lost")
    return passed


# --- profiling --------------------------------------------------------------------------------


def profile(args, cases: list[tuple[str, str]]) -> None:
    """Each of the three requests, `--profile-count` times in-process under pyinstrument."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from complaints.forms import new_form_stamp
    from sajad.models import Service

    time.sleep(0)
    slug = Service.objects.open_to_citizens().values_list("slug", flat=True).first()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ORIGIN="http://127.0.0.1")
    rng = random.Random(3)
    requests = {
        "form": lambda i: client.get(FORM_PATH),
        "file": lambda i: client.post(FORM_PATH, {
            "kind": "complaint", "service": slug, "subject": f"{SUBJECTS[i % 3]} prof-{i}",
            "description": "شرح پرونده برای پروفایل", "identity_tier": "contact_only",
            "mobile": "09351112233", "website": "", "suggestions_seen": "1",
            # One stamp per filing (single-use), issued as if the form had been open a minute.
            "stamp": new_form_stamp(issued=time.time() - 60),
        }),
        "track": lambda i: client.post(TRACK_PATH, dict(zip(("tracking_number", "secret"),
                                                             rng.choice(cases)))),
    }
    expected = {"form": 200, "file": 302, "track": 302}
    out = Path(args.profile_dir)
    out.mkdir(parents=True, exist_ok=True)
    for step, call in requests.items():
        flush_redis(args.redis)
        for i in range(5):  # warm caches and connections
            call(i)
        profiler = Profiler(interval=0.0002)
        started = time.perf_counter()
        with profiler:
            for i in range(args.profile_count):
                response = call(i)
                assert response.status_code == expected[step], (step, response.status_code)
        per_request = (time.perf_counter() - started) / args.profile_count * 1000
        with CaptureQueriesContext(connection) as queries:
            call(args.profile_count)
        statements = [q["sql"].split()[0] for q in queries.captured_queries]
        if os.environ.get("BENCH_SHOW_SQL"):
            print("\n".join(q["sql"][:160] for q in queries.captured_queries))
        counted = ", ".join(f"{n} {kind}" for kind, n in collections.Counter(statements).items())
        text = profiler.output_text(unicode=True, color=False, show_all=False)
        flat = profiler.output_text(unicode=True, color=False, flat=True)
        text = text + "\n--- flat (self time) ---\n" + flat
        (out / f"{step}.txt").write_text(text)
        print(f"\n=== {LABELS[step]}: {per_request:.1f} ms per request in-process "
              f"({args.profile_count} requests), full profile in {out / (step + '.txt')}")
        print(f"SQL statements per request: {len(statements)} ({counted or 'none'})")
        print("\n".join(text.splitlines()[:args.profile_lines]))
        print("--- top functions by self time ---")
        print("\n".join(flat.splitlines()[:args.profile_lines]))


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "sajad_bench_public"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
                        help="a Redis database of the benchmark's own: it is emptied before each step")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--bare-port", type=int, default=8111)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn sync workers of both servers (the issue measured with 2)")
    parser.add_argument("--browsers", type=int, default=300,
                        help="tracking and case-page browsers (each reused)")
    parser.add_argument("--filing-browsers", type=int, default=3000,
                        help="filing browsers per round: one form fetch per POST, so at least "
                             "the POSTs a round makes")
    parser.add_argument("--profile", action="store_true", help="profile the three requests instead")
    parser.add_argument("--profile-count", type=int, default=200)
    parser.add_argument("--profile-lines", type=int, default=45)
    parser.add_argument("--profile-dir", default=str(Path(tempfile.gettempdir()) / "public_path_profiles"))
    parser.add_argument("--steps", default=",".join(STEPS),
                        help="a comma-separated subset of " + ",".join(STEPS) + " (bare always runs)")
    args = parser.parse_args()
    args.steps = ["bare"] + [s for s in STEPS if s != "bare" and s in args.steps.split(",")]

    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        REDIS_URL=args.redis,
        DJANGO_SETTINGS_MODULE="sajad.settings.base",
        DJANGO_DEBUG="false",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
        RATE_FILING="1000000/h",
        RATE_FILING_MOBILE="1000000/h",
        RATE_TRACKING="1000000/h",
        RATE_FAQ_SUGGEST="1000000/h",
        PYTHONPATH=str(ROOT),
    )
    for key in ("CELERY_BROKER_URL", "CACHE_URL"):
        env.pop(key, None)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    prepare_database(args.db, args.reuse)
    import django

    django.setup()
    load(args.cases)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM complaints_case WHERE subject LIKE 'bench-load %%'")
        low, high = cursor.fetchone()
        cursor.execute(
            "SELECT tracking_number, mobile FROM complaints_case "
            "WHERE subject LIKE 'bench-load %%' ORDER BY random() LIMIT 5000"
        )
        cases = cursor.fetchall()
    connection.close()
    if args.profile:
        profile(args, cases)
        return

    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   check=True, cwd=ROOT)
    logs = Path(tempfile.mkdtemp(prefix="public_path_"))
    portal = start_server("sajad.wsgi", args.port, env, logs / "portal.log", args.workers)
    bare = start_server("bench.bare_view", args.bare_port,
                        dict(env, BARE_MIN_ID=str(low), BARE_MAX_ID=str(high)), logs / "bare.log",
                        args.workers)
    try:
        files = prepare_browsers(args.port, args.browsers, cases, logs)
        files["folder"] = logs
        results = measure(args, files)
    finally:
        stop(portal)
        stop(bare)
    (logs / "results.json").write_text(json.dumps(results, indent=1))
    passed = report(results, args)
    print(f"raw results and server logs in {logs}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
