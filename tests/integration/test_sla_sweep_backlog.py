"""A backlog after an outage: 25,000 due steps over 2,500 cases, three sweeps at once.

Every case has all ten of its steps due together (two clocks × two reminders and three escalation
levels), as after beat or the worker were down for days, so concurrent batches always share cases.
The three sweeps each run with their default parallel connections. No deadlock may happen (none
raised, none counted by PostgreSQL for this database), and every step is taken exactly once.
"""
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from complaints import services
from complaints.models import Case, CaseEvent, EventKind, RoutingRule, SlaStep
from complaints.sla_step_sweep import sla_step_sweep
from tests import factories

CASES = 2500
STEPS_PER_CASE = 10  # two clocks × (reminder 50, reminder 80, escalation 1, 2, 3)


def _deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _load_backlog() -> None:
    """One case filed and assigned through the domain, cloned in bulk; every step due now."""
    unit = factories.unit()
    service = factories.service(unit_=unit)
    RoutingRule.objects.create(name="همه", unit=unit)
    template = factories.filed_case(service_=service).case
    services.case_assign(case_id=template.pk, actor=factories.monitoring_user(), unit=unit)
    columns = [f.column for f in Case._meta.concrete_fields if f.column not in ("id", "tracking_number")]
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO complaints_case (tracking_number, {cols}) "
            f"SELECT (700000000 + g)::text, {cols} FROM complaints_case, generate_series(1, %s) g "
            f"WHERE id = %s",
            [CASES - 1, template.pk],
        )
        cursor.execute("DELETE FROM complaints_slastep")
        cursor.execute("DELETE FROM complaints_caseclock")
        cursor.execute(
            """
            INSERT INTO complaints_caseclock (case_id, clock, budget_minutes, started_at,
                segment_started_at, consumed_minutes, paused_minutes, due_at)
            SELECT c.id, k.clock, 2100, now() - interval '30 days', now() - interval '30 days', 0, 0,
                   now() - interval '20 days'
            FROM complaints_case c
            CROSS JOIN (VALUES ('unit_answer'), ('resolution')) AS k(clock)
            """
        )
        cursor.execute(
            """
            INSERT INTO complaints_slastep (clock_id, kind, level, due_at)
            SELECT cl.id, s.kind, s.level,
                   -- All ten steps of a case fell due at one moment of the outage (the sweep was
                   -- down), the cases' moments scattered, so batches mix steps of the same cases.
                   now() - interval '1 day' - ((cl.case_id * 7919) % 997) * interval '1 minute'
            FROM complaints_caseclock cl
            CROSS JOIN (VALUES ('reminder', 50), ('reminder', 80), ('escalation', 1),
                               ('escalation', 2), ('escalation', 3)) AS s(kind, level)
            """
        )
        cursor.execute("ANALYZE complaints_slastep")
        cursor.execute("ANALYZE complaints_case")


@pytest.mark.django_db(transaction=True)
def test_three_sweeps_over_a_backlog_take_every_step_once_without_deadlock(caplog):
    _load_backlog()
    clocks_per_case = 2
    assert Case.objects.count() == CASES
    assert SlaStep.objects.filter(taken_at__isnull=True).count() == CASES * STEPS_PER_CASE
    deadlocks_before = _deadlocks()
    now = timezone.now() + timedelta(minutes=1)
    reports, errors, barrier = [], [], threading.Barrier(3)

    def sweep():
        barrier.wait()
        try:
            reports.append(sla_step_sweep(now=now))
        except Exception as exc:  # a deadlock surfaces here as a DatabaseError
            errors.append(exc)
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started
    time.sleep(0.6)  # let the backends report their statistics
    deadlocks = _deadlocks() - deadlocks_before

    print(f"backlog of {CASES * STEPS_PER_CASE} steps over {CASES} cases, 3 sweeps: {elapsed:.1f} s, "
          f"{deadlocks} deadlocks, {sum(r.reminders + r.escalations for r in reports)} steps taken")
    assert errors == [] and len(reports) == 3
    assert deadlocks == 0
    assert not [r for r in caplog.records if "deadlock" in r.getMessage().lower()]
    assert sum(r.failed_batches for r in reports) == 0
    # Each step exactly once: all taken, the reports add up, one escalation event per step.
    assert not SlaStep.objects.filter(taken_at__isnull=True).exists()
    assert sum(r.reminders + r.escalations for r in reports) == CASES * STEPS_PER_CASE
    escalations = CaseEvent.objects.filter(kind=EventKind.ESCALATION)
    assert escalations.count() == CASES * clocks_per_case * 3
    assert escalations.values("data__step").distinct().count() == CASES * clocks_per_case * 3
    assert not Case.objects.exclude(escalation_level=3).exists()
    assert not Case.objects.filter(is_overdue=False).exists()


@pytest.mark.django_db(transaction=True)
def test_a_sweep_never_waits_for_a_case_a_transition_holds_so_they_cannot_deadlock():
    """A transition locks its case, then rewrites that case's steps (new deadlines). A sweep that
    had claimed those steps and then waited for the case would close a cycle; the sweep instead
    leaves the held case's steps for later and finishes."""
    import psycopg2

    _load_backlog()
    held = Case.objects.order_by("id").first()
    db = connection.settings_dict
    service = psycopg2.connect(host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                               user=db.get("USER") or None, dbname=db["NAME"])
    outcome = {}

    def sweep():
        try:
            outcome["report"] = sla_step_sweep(now=timezone.now(), parallel=1)
        except Exception as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    with service, service.cursor() as cursor:
        cursor.execute("SET lock_timeout = '20s'")
        cursor.execute("SELECT id FROM complaints_case WHERE id = %s FOR UPDATE", [held.pk])
        thread = threading.Thread(target=sweep)
        thread.start()
        thread.join(timeout=10)  # a sweep waiting for the held case would still be running here
        # The transition now rewrites its case's pending steps, as a deadline recompute does.
        cursor.execute(
            "UPDATE complaints_slastep SET due_at = due_at WHERE taken_at IS NULL AND clock_id IN "
            "(SELECT id FROM complaints_caseclock WHERE case_id = %s)", [held.pk])
        assert cursor.rowcount == STEPS_PER_CASE  # none of the held case's steps was taken
    thread.join(timeout=30)
    service.close()

    assert "error" not in outcome and not thread.is_alive()
    report = outcome["report"]
    assert report.reminders + report.escalations == (CASES - 1) * STEPS_PER_CASE
    assert report.skipped >= 1 and report.failed_batches == 0
    # Once the transition is done, the next sweep takes the steps it had to leave.
    later = sla_step_sweep(now=timezone.now(), parallel=1)
    assert later.reminders + later.escalations == STEPS_PER_CASE
    assert not SlaStep.objects.filter(taken_at__isnull=True).exists()
