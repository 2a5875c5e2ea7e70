"""Benchmark of the summary tables: dashboard and scorecard reads, and the incremental rollup.

    .venv/bin/python bench/dashboards.py --cases 1000000
    .venv/bin/python bench/dashboards.py --cases 100000 --repeat 30

Loads a scratch database (`sajad_bench_dash`, dropped and re-created) in bulk with INSERT … SELECT
generate_series: N cases filed over the last year across 5 units and 10 services, each with its
log (filed; assigned, which stops the first-response clock; for 80 %, answered and published,
which stop the unit's and the resolution clocks), about 3.6 events per case. Folds the log into the
summary tables once (timed), then measures the monitoring dashboard, a unit scorecard and the
public statistics `--repeat` times each (p50/p95), and finally the incremental rollup after
`--new-events` fresh events.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "sajad_bench_dash"


def prepare_database() -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, cwd=ROOT)


_CASES = """
INSERT INTO complaints_case (kind, tracking_number, identity_tier, full_name, national_code,
    mobile, email, pin_hash, service_id, subject, description, status, unit_id, priority,
    created_at, updated_at, status_changed_at, routed_at, referred_body_name, referred_body_url,
    is_overdue, escalation_level, search_text)
SELECT (ARRAY['complaint', 'criticism', 'suggestion'])[1 + g %% 3],
       (%(base)s + g)::text, 'contact_only', '', '', '0912' || lpad((g %% 9000000)::text, 7, '0'),
       '', '', (%(services)s::bigint[])[1 + g %% 10],
       (ARRAY['تأخیر در پرداخت وام', 'مشکل ثبت‌نام خوابگاه', 'نوبت‌دهی سامانه', 'تأیید مدرک'])[1 + g %% 4],
       'شرح پرونده ' || g,
       CASE WHEN g %% 5 = 0 THEN 'assigned' ELSE 'published' END,
       (%(units)s::bigint[])[1 + g %% 5], 2,
       %(start)s::timestamptz + (g::float / %(count)s) * %(span)s::interval,
       now(), now(), now(), '', '', false, 0, 'پرونده ' || g
FROM generate_series(1, %(count)s) AS g
"""

# One row per step; clocks_stopped carries the working minutes, as the services record them.
_EVENTS = """
INSERT INTO complaints_caseevent (case_id, created_at, actor_id, actor_role, kind, from_status,
    to_status, note, is_public, data)
SELECT c.id, c.created_at + s.after, NULL, 'system', s.kind, s.from_status, s.to_status, '',
       s.kind IN ('filed', 'assign', 'approve'),
       CASE s.kind
         WHEN 'filed' THEN jsonb_build_object('deadlines', jsonb_build_object(
             'first_response', c.created_at + interval '1 day', 'resolution', c.created_at + interval '14 days'))
         WHEN 'assign' THEN jsonb_build_object('unit_id', c.unit_id,
             'clocks_stopped', jsonb_build_object('first_response',
                 jsonb_build_object('elapsed', 30 + c.id %% 600, 'budget', 420)),
             'deadlines', jsonb_build_object('first_response', NULL,
                 'unit_answer', c.created_at + interval '7 days'))
         WHEN 'answer' THEN jsonb_build_object('clocks_stopped', jsonb_build_object('unit_answer',
                 jsonb_build_object('elapsed', 60 + c.id %% 3000, 'budget', 2100)),
             'deadlines', jsonb_build_object('unit_answer', NULL))
         ELSE jsonb_build_object('clocks_stopped', jsonb_build_object('resolution',
                 jsonb_build_object('elapsed', 200 + c.id %% 5000, 'budget', 4200)),
             'deadlines', jsonb_build_object('resolution', NULL))
       END
FROM complaints_case c
CROSS JOIN (VALUES ('filed', interval '0', '', 'submitted', 0),
                   ('assign', interval '3 hours', 'submitted', 'assigned', 0),
                   ('answer', interval '3 days', 'assigned', 'answered', 1),
                   ('approve', interval '4 days', 'answered', 'published', 1))
     AS s(kind, after, from_status, to_status, needs_answer)
WHERE c.id >= %(first_id)s AND (s.needs_answer = 0 OR c.status IN ('published'))
ORDER BY c.id, s.after
"""


def load(cases: int) -> dict:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from sajad.models import Service, Unit

    Unit.objects.create(name="نظارت", slug="m", is_monitoring=True)
    units = [Unit.objects.create(name=f"واحد {i}", slug=f"u{i}") for i in range(5)]
    services = [Service.objects.create(
        name=f"خدمت {i}", slug=f"s{i}", unit=units[i % 5], definition="-", recipients="-",
        provider="-", responsibilities="-", mutual_obligations="-", required_data="-",
        dispute_resolution="-", termination="-") for i in range(10)]
    ids = {"units": [u.pk for u in units], "services": [s.pk for s in services]}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(_CASES, {**ids, "base": 100000000, "count": cases,
                                "start": timezone.now() - dt.timedelta(days=365), "span": "365 days"})
        cursor.execute(_EVENTS, {"first_id": 0})
        cursor.execute("SELECT count(*) FROM complaints_caseevent")
        events = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    print(f"loaded {cases:,} cases and {events:,} events in {time.perf_counter() - started:.1f} s")
    return {**ids, "unit": units[0]}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def timed(label: str, function, repeat: int) -> None:
    function()  # warm the caches once, as a page that is read all day would be
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    print(f"{label}: p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms "
          f"({repeat} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--new-events", type=int, default=10_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sajad.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    prepare_database()
    import datetime as dt

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from dashboards import dashboard, public_figures, rollups
    from dashboards.periods import current_period
    from dashboards.scorecards import unit_scorecard

    ids = load(args.cases)
    later = timezone.now() + dt.timedelta(days=1)
    started = time.perf_counter()
    report = rollups.rollups_update_all(now=later)
    print(f"first fold of the whole log: {report.events:,} events in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    month, quarter = current_period("month"), current_period("quarter")
    timed("dashboard, current month", lambda: dashboard.dashboard(period=month), args.repeat)
    timed("dashboard, current quarter", lambda: dashboard.dashboard(period=quarter), args.repeat)
    timed("unit scorecard, current quarter",
          lambda: unit_scorecard(unit=ids["unit"], period=quarter), args.repeat)
    timed("public statistics, current month",
          lambda: public_figures.statistics_for_month(month), args.repeat)

    # The incremental run: fresh cases whose events are settled (older than the settling time).
    fresh = max(args.new_events // 4, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM complaints_case")
        last_id = cursor.fetchone()[0]
        cursor.execute(_CASES, {**{k: ids[k] for k in ("units", "services")}, "base": 300000000,
                                "count": fresh, "start": timezone.now() - dt.timedelta(minutes=10),
                                "span": "1 minute"})
        cursor.execute(_EVENTS.replace("c.created_at + s.after", "c.created_at + s.after / 10000"),
                       {"first_id": last_id + 1})
        cursor.execute("SELECT count(*) FROM complaints_caseevent WHERE case_id > %s", [last_id])
        new_events = cursor.fetchone()[0]
    started = time.perf_counter()
    report = rollups.rollups_update(now=timezone.now())
    print(f"incremental rollup after {new_events:,} new events: {report.events:,} folded in "
          f"{time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
