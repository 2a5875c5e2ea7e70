"""Benchmark of the SLA sweep: cost must follow the steps due, not the number of open cases.

    .venv/bin/python bench/sla_sweep.py --cases 1000000 --due 50000
    .venv/bin/python bench/sla_sweep.py --cases 100000 --due 50000

Loads a scratch database (`sajad_bench_sweep`, dropped and re-created) in bulk with INSERT …
SELECT generate_series: N assigned cases, each with a running unit-answer and resolution clock and
their five steps (two reminders, three escalation levels). For `--due` cases the unit's clock is
past its deadline and its first escalation is due now; everything else lies in the future, so
exactly `--due` steps are due. Then one sweep runs and the script prints wall time, peak Python memory, and the number of SQL queries.
"""
import argparse
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "sajad_bench_sweep"


def prepare_database() -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, cwd=ROOT)


def load(cases: int, due: int) -> None:
    from django.db import connection

    from complaints.models import SlaPolicy
    from sajad.models import Service, Unit

    Unit.objects.create(name="نظارت", slug="m", is_monitoring=True, email="m@example.ir")
    root = Unit.objects.create(name="معاونت", slug="root", email="deputy@example.ir")
    units = [Unit.objects.create(name=f"واحد {i}", slug=f"u{i}", parent=root, email=f"u{i}@example.ir")
             for i in range(5)]
    service = Service.objects.create(
        name="خدمت", slug="s", unit=units[0], definition="-", recipients="-", provider="-",
        responsibilities="-", mutual_obligations="-", required_data="-", dispute_resolution="-",
        termination="-",
    )
    SlaPolicy.objects.all().update(is_active=True)
    unit_ids = [u.pk for u in units]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO complaints_case (kind, tracking_number, identity_tier, full_name, national_code,
                mobile, email, pin_hash, service_id, subject, description, status, unit_id, priority,
                created_at, updated_at, status_changed_at, routed_at, referred_body_name,
                referred_body_url, is_overdue, escalation_level)
            SELECT 'complaint', (100000000 + g)::text, 'contact_only', '', '', '09120000000', '', '',
                %s, 'تأخیر در پاسخ ' || g, 'شرح پرونده شماره ' || g, 'assigned',
                (%s::bigint[])[1 + g %% 5], 2, now() - interval '20 days', now(), now(), now(), '', '',
                false, 0
            FROM generate_series(1, %s) AS g
            """,
            [service.pk, unit_ids, cases],
        )
        cursor.execute(
            """
            INSERT INTO complaints_caseclock (case_id, clock, budget_minutes, started_at,
                segment_started_at, consumed_minutes, paused_minutes, due_at)
            SELECT c.id, k.clock, k.budget, c.created_at, c.created_at, 0, 0,
                CASE WHEN k.clock = 'unit_answer' AND c.id <= (SELECT min(id) FROM complaints_case) + %s - 1
                     THEN now() - interval '1 hour' ELSE now() + interval '10 days' END
            FROM complaints_case c
            CROSS JOIN (VALUES ('unit_answer', 2100), ('resolution', 4200)) AS k(clock, budget)
            """,
            [due],
        )
        # Due clocks: their first escalation (the deadline passed) is due now; the rest later.
        cursor.execute(
            """
            INSERT INTO complaints_slastep (clock_id, kind, level, due_at)
            SELECT cl.id, s.kind, s.level,
                CASE WHEN cl.due_at < now() AND (s.kind, s.level) = ('escalation', 1)
                     THEN now() - interval '1 minute' ELSE now() + interval '5 days' * s.level END
            FROM complaints_caseclock cl
            CROSS JOIN (VALUES ('reminder', 50), ('reminder', 80), ('escalation', 1),
                               ('escalation', 2), ('escalation', 3)) AS s(kind, level)
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # Flush the bulk load's dirty pages now, so the measured sweep does not pay for them.
        cursor.execute("CHECKPOINT")
    print(f"loaded {cases:,} cases, {2 * cases:,} clocks, {10 * cases:,} steps "
          f"in {time.perf_counter() - started:.1f} s")


def measure() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints.sla_step_sweep import sla_step_sweep

    for label in ("sweep with steps due", "sweep again (nothing due)"):
        tracemalloc.start()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = sla_step_sweep()
        wall = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # Queries of the calling thread; each parallel connection adds one statement per batch.
        print(f"{label}: {wall:.2f} s wall, peak {peak / 2**20:.1f} MiB, {len(queries)} queries, "
              f"{report.reminders:,} reminders, {report.escalations:,} escalations, "
              f"{report.messages:,} digest messages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=50_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sajad.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    prepare_database()
    import django

    django.setup()
    load(args.cases, args.due)
    measure()


if __name__ == "__main__":
    main()
