"""A real worker runs the report-call reminder twice; each unit that has not submitted hears once."""
import re
import time

import pytest

from notifications.models import Message
from sajad.queue import enqueue_on_commit
from tests import factories
from unit_reports.models import UnitContact

pytestmark = pytest.mark.worker

WAIT_S = 20


def test_the_worker_reminds_a_unit_once_however_often_the_task_runs(celery_worker):
    from sajad.celery import app

    app.control.purge()
    factories.monitoring_unit()
    late, done = factories.unit(name="امور رفاهی"), factories.unit(name="بورس و اعزام")
    UnitContact.objects.create(unit=late, name="دبیرخانه", mobile="09125550001")
    UnitContact.objects.create(unit=done, name="دبیرخانه", mobile="09125550002")
    call = factories.report_call(units=[late, done], closes_in_days=2)  # past the 3-day point
    from unit_reports import services

    head = factories.unit_user(done, is_head=True)
    services.report_save(call=call, unit=done, self_assessment="",
                         answers={s.pk: "متن" for s in call.sections.all()}, actor=head)
    services.report_submit(report_id=call.reports.get().pk, actor=head)

    enqueue_on_commit("unit_reports.remind")
    enqueue_on_commit("unit_reports.remind")

    deadline = time.monotonic() + WAIT_S
    sms = Message.objects.filter(template="unit_report_reminder", state="sent")
    while time.monotonic() < deadline:
        runs = len(re.findall(r"unit_reports\.remind\[[^]]+\] succeeded", celery_worker.log()))
        if sms.exists() and runs == 2:
            break
        time.sleep(0.3)
    else:
        pytest.fail(f"no reminder within {WAIT_S}s:\n{celery_worker.log_tail()}")
    assert list(Message.objects.filter(template="unit_report_reminder")
                .values_list("recipient", flat=True)) == ["09125550001"]
    assert "امور رفاهی" in sms.get().body
