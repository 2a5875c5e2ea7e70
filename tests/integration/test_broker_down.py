"""With the broker unreachable, filing still works; once it is back, the sweep catches up."""
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Case, RoutingRule
from notifications.models import Message
from notifications.outbox_sweep import outbox_sweep
from complaints.case_sweep import case_sweep
from complaints.workflow import Status
from sajad.celery import app
from tests import factories


@pytest.fixture
def broker_down():
    """Point the Celery app at a closed port on loopback: a real, refused connection."""
    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    yield
    app.conf.broker_url = saved
    app._pool = None


@pytest.mark.django_db(transaction=True)
def test_filing_succeeds_while_the_broker_is_down_and_the_sweep_routes_it_later(broker_down):
    unit = factories.unit()
    service = factories.service(unit_=unit)
    RoutingRule.objects.create(name="همه", unit=unit)

    filed = factories.filed_case(service_=service)  # on-commit publish fails, filing does not

    case = Case.objects.get(pk=filed.case.pk)
    assert case.status == Status.SUBMITTED and case.routed_at is None
    assert Message.objects.about(case).filter(state="pending").count() == 1

    # The broker comes back; a minute later the beat sweep runs.
    app.conf.broker_url = "redis://127.0.0.1:6379/15"
    app._pool = None
    later = timezone.now() + timedelta(minutes=1)
    report, outbox = case_sweep(now=later), outbox_sweep(now=later)
    case.refresh_from_db()
    assert report.routed == 1 and case.status == Status.ASSIGNED and case.unit == unit
    assert outbox.enqueued >= 1
