"""Invitations follow the case log: one per closed case, the fatigue rule, the one reminder."""
import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from notifications.models import Message
from surveys import invitations
from surveys.models import Invitation
from tests import factories

pytestmark = pytest.mark.django_db


def later(minutes=5):
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.fixture
def handling(monitoring_unit):
    return factories.handling_survey()


def test_a_closed_case_gets_one_invitation_by_sms_and_email(handling, unit):
    case = factories.closed_case(unit_=unit, email="z@example.com")
    assert invitations.invitations_sweep(now=later()) == 1
    invitation = Invitation.objects.get()
    assert (invitation.case, invitation.unit, invitation.service) == (case, unit, case.service)
    messages = Message.objects.filter(template="survey_invitation")
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "sms"]
    sms = messages.get(channel="sms")
    assert sms.recipient == case.mobile and f"/surveys/i/{invitation.token}/" in sms.body
    assert "۱" in sms.body or "پرونده" in sms.body
    # Running again (or a stale watermark) adds nothing.
    assert invitations.invitations_sweep(now=later()) == 0
    from surveys.models import InvitationCursor

    InvitationCursor.objects.update(last_event_id=0)
    invitations.invitations_sweep(now=later())
    assert Invitation.objects.count() == 1 and messages.count() == 2


def test_events_younger_than_the_lag_wait_for_the_next_run(handling, unit):
    factories.closed_case(unit_=unit)
    assert invitations.invitations_sweep(now=timezone.now()) == 0
    assert invitations.invitations_sweep(now=later()) == 1


def test_the_fatigue_rule_sends_one_invitation_per_mobile_per_30_days(handling, unit):
    factories.closed_case(unit_=unit, mobile="09120000001")
    factories.closed_case(unit_=unit, mobile="09120000001")
    invitations.invitations_sweep(now=later())
    sent, skipped = Invitation.objects.filter(skipped=False), Invitation.objects.filter(skipped=True)
    assert sent.count() == 1 and skipped.count() == 1
    assert Message.objects.filter(template="survey_invitation", recipient="09120000001").count() == 1
    # 31 days on, the same mobile is invited again.
    factories.closed_case(unit_=unit, mobile="09120000001")
    invitations.invitations_sweep(now=later(31 * 24 * 60))
    assert sent.count() == 2


def test_one_reminder_for_an_unanswered_invitation_and_none_for_an_answered_one(handling, unit):
    factories.closed_case(unit_=unit, mobile="09120000002")
    factories.closed_case(unit_=unit, mobile="09120000003")
    invitations.invitations_sweep(now=later())
    Invitation.objects.filter(mobile="09120000003").update(answered_at=timezone.now())
    in_four_days = later(4 * 24 * 60)
    assert invitations.reminders_sweep(now=in_four_days) == 1
    assert invitations.reminders_sweep(now=in_four_days) == 0
    reminders = Message.objects.filter(template="survey_reminder")
    assert list(reminders.values_list("recipient", flat=True)) == ["09120000002"]


def test_an_anonymous_case_is_not_invited(handling, unit):
    from complaints.models import IdentityTier, Kind

    factories.closed_case(unit_=unit, kind=Kind.SUGGESTION, tier=IdentityTier.ANONYMOUS, mobile="")
    invitations.invitations_sweep(now=later())
    assert not Invitation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_invite_each_case_once(monitoring_unit):
    unit = factories.unit()
    factories.handling_survey()
    for n in range(6):
        factories.closed_case(unit_=unit, mobile=f"0912000010{n}")
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            invitations.invitations_sweep(now=later())
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
    assert Invitation.objects.count() == 6
    assert Message.objects.filter(template="survey_invitation").count() == 6
