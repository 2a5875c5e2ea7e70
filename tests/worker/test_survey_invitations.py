"""A real worker invites the citizen of a closed case and delivers the SMS through the outbox."""
import time

import pytest

from notifications.models import Message
from sajad.queue import enqueue_on_commit
from surveys.models import Invitation
from tests import factories

pytestmark = pytest.mark.worker

WAIT_S = 20


@pytest.fixture
def no_invite_lag(monkeypatch):
    """The worker reads its settings from the environment: invite as soon as a case closes."""
    monkeypatch.setenv("SURVEY_INVITE_LAG_SECONDS", "0")


def test_the_worker_sends_the_invitation_when_a_case_closes(no_invite_lag, celery_worker):
    from sajad.celery import app

    app.control.purge()
    factories.monitoring_unit()
    unit = factories.unit()
    factories.handling_survey()
    case = factories.closed_case(unit_=unit, mobile="09127654321")
    enqueue_on_commit("surveys.invite")

    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        sms = Message.objects.filter(template="survey_invitation", recipient="09127654321", state="sent")
        if sms.exists():
            break
        time.sleep(0.3)
    else:
        pytest.fail(f"no invitation SMS within {WAIT_S}s:\n{celery_worker.log_tail()}")
    invitation = Invitation.objects.get(case=case)
    assert invitation.token in sms.get().body
    assert "surveys.invite" in celery_worker.log()
