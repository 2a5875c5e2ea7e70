"""The portal's runtime database role can add to the case log and read it, never change it.

Real PostgreSQL: `grant_runtime_role` runs on the test database as the owner, then a separate
connection as the runtime role tries what a compromised app (or a careless script) would.
"""
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from complaints.models import Case, CaseEvent
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _runtime_dsn(settings) -> dict:
    db = connection.settings_dict
    return {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432,
            "dbname": db["NAME"], "user": settings.DATABASE_RUNTIME_ROLE,
            "password": settings.DATABASE_RUNTIME_PASSWORD or None}


@pytest.fixture
def runtime(settings):
    call_command("grant_runtime_role", stdout=open(os.devnull, "w"))
    conn = psycopg2.connect(**_runtime_dsn(settings))
    conn.autocommit = True
    yield conn
    conn.close()


def _refused(conn, statement: str, params=()) -> str:
    with pytest.raises(psycopg2.Error) as caught:
        with conn.cursor() as cursor:
            cursor.execute(statement, params)
    return str(caught.value)


def test_the_runtime_role_reads_and_adds_events_but_cannot_change_or_remove_them(runtime):
    case = factories.filed_case().case
    event = CaseEvent.objects.filter(case=case).first()

    with runtime.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM complaints_caseevent WHERE case_id = %s", [case.pk])
        assert cursor.fetchone()[0] >= 1
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[1] is False

    assert "permission denied" in _refused(
        runtime, "UPDATE complaints_caseevent SET note = 'changed' WHERE id = %s", [event.pk])
    assert "permission denied" in _refused(
        runtime, "DELETE FROM complaints_caseevent WHERE id = %s", [event.pk])
    assert "permission denied" in _refused(runtime, "TRUNCATE complaints_caseevent")
    assert "must be owner" in _refused(
        runtime, "ALTER TABLE complaints_caseevent DISABLE TRIGGER complaints_caseevent_append_only")
    assert "permission denied" in _refused(runtime, "SET session_replication_role = replica")
    event.refresh_from_db()
    assert event.note != "changed" and CaseEvent.objects.filter(pk=event.pk).exists()


def test_truncate_is_refused_by_the_log_itself_even_if_the_right_was_granted(runtime, settings):
    factories.filed_case()
    role = settings.DATABASE_RUNTIME_ROLE
    with connection.cursor() as cursor:  # a careless grant by the owner
        cursor.execute(f'GRANT TRUNCATE ON complaints_caseevent TO "{role}"')
    try:
        assert "append-only" in _refused(runtime, "TRUNCATE complaints_caseevent CASCADE")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'REVOKE TRUNCATE ON complaints_caseevent FROM "{role}"')
    assert CaseEvent.objects.exists()


def test_the_portal_files_a_case_when_connected_as_the_runtime_role(runtime, settings):
    service = factories.service()
    db = _runtime_dsn(settings)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sajad.settings.test",
           "DATABASE_URL": f"postgres://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}"}
    script = (
        "import django; django.setup()\n"
        "from tests import factories\n"
        "from sajad.models import Service\n"
        f"filed = factories.filed_case(service_=Service.objects.get(pk={service.pk}))\n"
        "print(filed.case.tracking_number)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    number = done.stdout.strip().splitlines()[-1]
    case = Case.objects.get(tracking_number=number)
    assert CaseEvent.objects.filter(case=case).exists()
