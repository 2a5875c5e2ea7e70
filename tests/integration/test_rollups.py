"""The summary tables equal a direct computation over the case log, however they are updated."""
import datetime as dt
import re
import threading
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import services
from complaints.models import Case, CaseClock, CaseEvent
from complaints.sla_step_sweep import sla_step_sweep
from complaints.workflow import FINAL_STATUSES
from dashboards import dashboard, figures, rollups
from dashboards.models import DURATION_BOUNDS, DailyCaseRollup, DailyClockStat, OpenCase
from dashboards.periods import current_period
from tests import factories

pytestmark = pytest.mark.django_db

LATER = timezone.now() + dt.timedelta(days=400)  # every event is settled by then


@pytest.fixture
def history(unit, service, people):
    """Cases along every road: answered and published, objected and reopened, waiting for the
    citizen, returned, rejected, re-routed to another unit, and past their deadlines."""
    other = factories.unit(name="واحد تغذیه")
    mon, head, staff = people["monitoring"], people["head"], people["unit"]
    other_staff = factories.unit_user(other)
    cases = [factories.filed_case(service_=service).case for _ in range(7)]
    a, b, c, d, e, f, g = (x.pk for x in cases)
    for case_id in (a, b, c, d, e):
        services.case_assign(case_id=case_id, unit=unit, actor=mon)
    services.case_answer(case_id=a, actor=staff, text="پاسخ")
    services.case_answer_approve(case_id=a, actor=mon)
    services.case_answer(case_id=b, actor=staff, text="پاسخ")
    services.case_answer_approve(case_id=b, actor=mon)
    services.case_object(case_id=b, reason="قانع نشدم")
    services.case_reopen(case_id=b, actor=head)
    services.case_request_info(case_id=c, actor=staff, question="رسید را بفرستید")
    services.case_return_to_monitoring(case_id=d, actor=staff, reason="مربوط به ما نیست")
    services.case_assign(case_id=d, unit=other, actor=mon)
    services.case_answer(case_id=d, actor=other_staff, text="پاسخ واحد دوم")
    services.case_reject(case_id=f, actor=mon, reason="هرزنامه")
    sla_step_sweep(now=timezone.now() + dt.timedelta(days=60))  # everything still running lapses
    return cases


# --- the direct computation ---------------------------------------------------------------------


def _tehran_day(instant) -> dt.date:
    return timezone.localtime(instant, dt.timezone(dt.timedelta(hours=3, minutes=30))).date()


def _direct():
    """Counts, clock stats and open cases computed from Case and CaseEvent in plain Python."""
    counts = defaultdict(lambda: defaultdict(int))
    clocks = defaultdict(lambda: [0, 0, 0])
    unit_of = {}
    for event in CaseEvent.objects.select_related("case").order_by("id"):
        if event.kind == "assign":
            unit_of[event.case_id] = event.data["unit_id"]
        key = (_tehran_day(event.created_at), unit_of.get(event.case_id), event.case.service_id,
               event.case.kind)
        row = counts[key]
        row["filed"] += event.kind == "filed"
        row["routed"] += event.kind == "assign"
        row["answered"] += event.kind == "answer"
        row["published"] += event.kind == "approve"
        row["went_overdue"] += event.kind == "escalation" and event.data.get("level") == 1
        row["escalated"] += event.kind in ("escalation", "citizen_escalation")
        row["returned"] += event.kind == "return_to_monitoring"
        row["objected"] += event.kind == "object"
        row["upheld"] += event.kind == "uphold"
        row["reopened"] += event.kind == "reopen"
        row["closed"] += event.to_status == "closed"
        for clock, outcome in event.data.get("clocks_stopped", {}).items():
            bucket = sum(outcome["elapsed"] >= bound for bound in DURATION_BOUNDS)
            stat = clocks[key + (clock, bucket)]
            stat[0] += 1
            stat[1] += outcome["elapsed"]
            stat[2] += outcome["elapsed"] <= outcome["budget"]
    counts = {k: {n: v for n, v in row.items() if v} for k, row in counts.items()}
    return {k: row for k, row in counts.items() if row}, {k: tuple(v) for k, v in clocks.items()}


def _tables():
    counts = {}
    for row in DailyCaseRollup.objects.all():
        values = {n: getattr(row, n) for n in figures.COUNT_FIELDS if getattr(row, n)}
        if values:
            counts[(row.day, row.unit_id, row.service_id, row.kind)] = values
    clocks = {(r.day, r.unit_id, r.service_id, r.kind, r.clock, r.bucket): (r.stopped, r.minutes, r.on_time)
              for r in DailyClockStat.objects.all()}
    return counts, clocks


def _open_cases_direct():
    rows = {}
    for case in Case.objects.exclude(status__in=FINAL_STATUSES):
        dues = {c.clock: c.due_at for c in CaseClock.objects.filter(case=case)}
        rows[case.pk] = (case.status, case.unit_id, dues.get("first_response"),
                         dues.get("unit_answer"), dues.get("resolution"), case.escalation_level)
    return rows


def _open_cases_table():
    rows = {}
    for o in OpenCase.objects.all():
        dues = [d for d in (o.first_response_due, o.unit_answer_due, o.resolution_due) if d]
        assert o.next_due == (min(dues) if dues else None)
        rows[o.case_id] = (o.status, o.unit_id, o.first_response_due, o.unit_answer_due,
                           o.resolution_due, o.escalation_level)
    return rows


# --- the tests ----------------------------------------------------------------------------------


def test_the_fixture_covers_every_counted_step(history):
    counts, clocks = _direct()
    seen = {name for row in counts.values() for name in row}
    assert seen >= {"filed", "routed", "answered", "published", "went_overdue", "escalated",
                    "returned", "objected", "reopened"}
    assert {key[4] for key in clocks} >= {"first_response", "unit_answer", "resolution"}


def test_one_update_equals_the_direct_computation(history):
    rollups.rollups_update_all(now=LATER)
    assert _tables() == _direct()
    assert _open_cases_table() == _open_cases_direct()


@pytest.mark.parametrize("batch", [1, 3, 7, 50])
def test_updates_in_batches_of_any_size_give_the_same_tables(history, batch):
    while rollups.rollups_update(now=LATER, batch=batch).events:
        pass
    assert _tables() == _direct()
    assert _open_cases_table() == _open_cases_direct()


def test_steps_after_an_update_are_added_without_counting_anything_twice(history, people, unit):
    rollups.rollups_update_all(now=LATER)
    c = history[2].pk
    services.case_provide_info(case_id=c, text="رسید پیوست شد.")
    services.case_answer(case_id=c, actor=people["unit"], text="پاسخ")
    services.case_answer_approve(case_id=c, actor=people["monitoring"])
    services.case_close(case_id=c, actor=people["monitoring"])
    rollups.rollups_update_all(now=LATER)
    assert _tables() == _direct()
    assert c not in _open_cases_table()
    assert _open_cases_table() == _open_cases_direct()


def test_running_twice_changes_nothing_and_a_rebuild_gives_the_same_tables(history):
    rollups.rollups_update_all(now=LATER)
    before = _tables(), _open_cases_table()
    assert rollups.rollups_update(now=LATER).events == 0
    rollups.rollups_rebuild(first_day=dt.date(2000, 1, 1), last_day=dt.date(2100, 1, 1))
    assert (_tables(), _open_cases_table()) == before
    today = dashboard.today_in_tehran()
    DailyCaseRollup.objects.filter(day=today).update(filed=999)
    rollups.rollups_rebuild(first_day=today, last_day=today)
    assert _tables() == _direct()


def test_events_not_yet_settled_wait_for_the_next_run(history):
    report = rollups.rollups_update(now=timezone.now())
    assert report.events == 0  # all of them are younger than the settling time
    assert rollups.rollups_update(now=LATER).events > 0


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_fold_every_event_exactly_once():
    unit = factories.unit()
    service = factories.service(unit_=unit)
    monitor = factories.monitoring_user()
    for _ in range(6):
        case = factories.filed_case(service_=service).case
        services.case_assign(case_id=case.pk, unit=unit, actor=monitor)
    errors = []

    def run():
        try:
            rollups.rollups_update(now=LATER, batch=5)
            rollups.rollups_update_all(now=LATER)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert _tables() == _direct()


def test_the_dashboard_never_reads_the_case_table(history):
    rollups.rollups_update_all(now=LATER)
    with CaptureQueriesContext(connection) as queries:
        content = dashboard.dashboard(period=current_period("month"))
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert not re.search(r'"?complaints_case"?(?!\w)', sql)
    assert content["counts"]["filed"] == 7 and content["open"]["total"] == 6  # f was rejected


def test_percentiles_are_read_from_the_histogram():
    # 10 values: five in 0–15, five in 60–120 → median at the top of the first bucket, p90 inside
    # the 60–120 bucket at 4/5 of its width.
    histogram = {0: 5, 3: 5}
    assert figures.percentile_from_histogram(histogram, 0.5) == 15
    assert figures.percentile_from_histogram(histogram, 0.9) == 60 + 60 * 4 / 5
    assert figures.percentile_from_histogram({}, 0.5) is None
