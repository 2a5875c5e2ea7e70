"""Case flows through a real worker on real Redis: routing after filing, delivery, the SLA sweep."""
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Case, CaseClock, EventKind, RoutingRule, SlaPolicy, SlaStep
from complaints.tasks import sweep
from notifications.models import Message
from complaints.workflow import Status
from tests import factories

pytestmark = pytest.mark.worker

WAIT_S = 20


@pytest.fixture
def empty_queue():
    """Messages left in the test broker by earlier tests must not reach this worker."""
    from sajad.celery import app

    app.control.purge()


def wait_for(predicate, worker, what: str):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {WAIT_S}s; worker log:\n{worker.log_tail()}")


def test_a_freshly_filed_case_is_routed_and_its_sms_sent_by_the_worker(empty_queue, celery_worker):
    unit = factories.unit(name="امور رفاهی")
    service = factories.service(unit_=unit)
    RoutingRule.objects.create(name="وام‌ها", keywords="وام", unit=unit)

    case = factories.filed_case(service_=service).case  # commits; the task is published on commit

    wait_for(lambda: Case.objects.get(pk=case.pk).status == Status.ASSIGNED, celery_worker,
             "routing")
    routed = Case.objects.get(pk=case.pk)
    assert routed.unit == unit and routed.routed_at is not None
    wait_for(lambda: Message.objects.about(case).filter(channel="sms", state="sent").exists(),
             celery_worker, "SMS delivery")
    assert "complaints.route_case" in celery_worker.log()


def test_the_beat_sweep_task_takes_due_steps_on_the_worker(empty_queue, celery_worker):
    SlaPolicy.objects.create(name="p", first_response_minutes=420, unit_answer_minutes=2100,
                             resolution_minutes=4200)
    service = factories.service(unit_=factories.unit())
    case = factories.filed_case(service_=service).case
    # Make the first-response clock overdue, as if a day had passed without triage.
    past = timezone.now() - timedelta(minutes=1)
    clock = CaseClock.objects.get(case=case, clock="first_response")
    CaseClock.objects.filter(pk=clock.pk).update(due_at=past)
    SlaStep.objects.filter(clock=clock, kind="escalation", level=1).update(due_at=past)

    sweep.delay()

    wait_for(lambda: SlaStep.objects.filter(clock=clock, level=1, kind="escalation",
                                            taken_at__isnull=False).exists(),
             celery_worker, "the sweep")
    case.refresh_from_db()
    assert case.is_overdue and case.escalation_level == 1
    assert case.events.filter(kind=EventKind.ESCALATION).count() == 1
