"""Per-process copies of the calendar and SLA policies: reused, yet never stale after a change."""
import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from complaints.models import Case, SlaPolicy
from complaints.sla import policy_for
from sajad.calendar_store import current_calendar
from sajad.models import Holiday
from sajad.shared_copy import SharedCopy
from tests import factories

pytestmark = pytest.mark.django_db


def counting_copy(name="test-copy"):
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    return SharedCopy(name, load), loads


def test_a_copy_is_loaded_once_and_reloaded_in_every_process_after_a_change():
    here, here_loads = counting_copy()
    there, there_loads = counting_copy()  # the same name: another process's copy

    assert (here.get(), here.get(), there.get()) == (1, 1, 1)
    assert (len(here_loads), len(there_loads)) == (1, 1)

    here.forget()

    assert here.get() == 2 and there.get() == 2


def test_another_process_asks_for_changes_at_most_every_few_seconds(settings, monkeypatch):
    settings.SHARED_COPY_CHECK_SECONDS = 2
    clock = [1000.0]
    monkeypatch.setattr("sajad.shared_copy.time.monotonic", lambda: clock[0])
    here, _here_loads = counting_copy()
    there, there_loads = counting_copy()
    assert (here.get(), there.get()) == (1, 1)

    here.forget()
    assert here.get() == 2  # the process that changed the rows sees the change at once
    clock[0] += 1.5
    assert there.get() == 1 and len(there_loads) == 1  # the other one, within the interval: no trip
    clock[0] += 1.0
    assert there.get() == 2


def test_without_the_shared_cache_every_use_reads_afresh(settings):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }}
    copy, loads = counting_copy()

    assert [copy.get(), copy.get()] == [1, 2]


def test_a_new_holiday_is_in_the_calendar_at_once_and_an_unchanged_calendar_costs_no_query():
    current_calendar()
    with CaptureQueriesContext(connection) as queries:
        before = current_calendar()
    assert len(queries) == 0

    day = dt.date.today() + dt.timedelta(days=40)
    Holiday.objects.create(name="تعطیل آزمایشی", date=day)

    assert day not in before.holidays and day in current_calendar().holidays


def test_a_new_or_deleted_sla_policy_applies_to_the_next_filing_at_once():
    service = factories.service()
    case = factories.filed_case(service_=service).case
    general = policy_for(case)

    specific = SlaPolicy.objects.create(name="خدمت", service=service, first_response_minutes=50,
                                        unit_answer_minutes=50, resolution_minutes=50)
    assert policy_for(case) == specific
    filed = factories.filed_case(service_=service).case
    assert Case.objects.get(pk=filed.pk).sla_policy_id == specific.pk

    specific.delete()
    assert policy_for(case) == general
