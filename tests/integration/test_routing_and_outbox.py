"""Routing on the domain side, the outbox, delivery with back-off, and the catch-up sweep."""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from complaints import services
from complaints.models import Case, CaseEvent, EventKind, Priority, RoutingRule
from notifications import delivery
from notifications.models import Message
from notifications.outbox_sweep import outbox_sweep
from complaints.case_sweep import case_sweep
from complaints.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loans_rule(service, unit):
    return RoutingRule.objects.create(name="وام‌ها", order=10, keywords="وام", unit=unit,
                                      priority=Priority.HIGH)


def test_a_matching_rule_assigns_the_case_with_its_priority(loans_rule, service, unit):
    case = factories.filed_case(service_=service).case
    services.case_route(case_id=case.pk)
    case.refresh_from_db()
    assert (case.status, case.unit, case.priority) == (Status.ASSIGNED, unit, Priority.HIGH)
    assert case.routed_at is not None
    event = CaseEvent.objects.get(case=case, kind="assign")
    assert event.actor_role == "system"


def test_routing_twice_routes_once(loans_rule, service):
    case = factories.filed_case(service_=service).case
    services.case_route(case_id=case.pk)
    services.case_route(case_id=case.pk)
    assert CaseEvent.objects.filter(case=case, kind="assign").count() == 1


def test_a_case_no_rule_matches_waits_in_the_triage_queue(service, monitoring_unit):
    case = factories.filed_case(service_=service, subject="خوابگاه", description="سرمایش").case
    services.case_route(case_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.routed_at is not None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TRIAGE).count() == 1


def test_the_assign_note_is_hidden_from_the_citizen(loans_rule, service):
    from complaints.citizen_view import citizen_case_view

    case = factories.filed_case(service_=service).case
    services.case_route(case_id=case.pk)
    assigned = [e for e in citizen_case_view(case).timeline if e.event.kind == "assign"]
    assert assigned and assigned[0].note == ""
    assert CaseEvent.objects.get(case=case, kind="assign").note == "وام‌ها"


def test_filing_writes_a_persian_sms_to_the_citizen_in_the_same_transaction(service):
    case = factories.filed_case(service_=service, email="z@example.ir").case
    rows = Message.objects.about(case).order_by("channel")
    assert [r.channel for r in rows] == ["email", "sms"]
    sms = rows.get(channel="sms")
    assert sms.recipient == "09121234567" and sms.state == "pending"
    from sajad.templatetags.sajad_tags import tracking_display

    assert "شماره پیگیری" in sms.body and tracking_display(case.tracking_number) in sms.body


def test_an_anonymous_case_gets_no_message(service):
    from complaints.models import IdentityTier, Kind

    case = factories.filed_case(service_=service, kind=Kind.SUGGESTION,
                                tier=IdentityTier.ANONYMOUS).case
    assert not Message.objects.about(case).exists()


def test_the_unit_head_is_told_of_a_new_assignment(loans_rule, service, unit):
    head = factories.unit_user(unit, is_head=True)
    head.email = "head@example.ir"
    head.save()
    case = factories.filed_case(service_=service).case
    services.case_route(case_id=case.pk)
    assert Message.objects.about(case).filter(recipient="head@example.ir",
                                       template="unit_new_case").count() == 1


def test_delivery_sends_once_however_often_it_runs(service):
    case = factories.filed_case(service_=service, email="z@example.ir").case
    row = Message.objects.about(case).get(channel="email")
    assert delivery.message_deliver(message_id=row.pk) == "sent"
    assert delivery.message_deliver(message_id=row.pk) == "sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["z@example.ir"]


def test_a_failed_delivery_backs_off_and_gives_up_after_the_last_attempt(service, settings):
    settings.SMS_BACKEND = "notifications.sms.http.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/unreachable"
    settings.SMS_GATEWAY_TIMEOUT = 0.5
    case = factories.filed_case(service_=service).case
    row = Message.objects.about(case).get(channel="sms")
    now = timezone.now()
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        state = delivery.message_deliver(message_id=row.pk, now=now)
        row.refresh_from_db()
        assert row.attempts == attempt
        if attempt < delivery.MAX_ATTEMPTS:
            assert state == "pending" and row.next_attempt_at > now
            # Not due yet: a second run at the same instant does nothing.
            assert delivery.message_deliver(message_id=row.pk, now=now) == "pending"
            now = row.next_attempt_at
    assert row.state == "failed" and "unreachable" in row.last_error


def test_the_sweep_routes_cases_the_fast_path_missed_and_requeues_due_messages(loans_rule, service):
    case = factories.filed_case(service_=service).case
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    report, outbox = case_sweep(), outbox_sweep()
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and report.routed == 1
    assert outbox.enqueued == Message.objects.filter(state="pending").count() >= 1
    assert case_sweep().routed == 0


def test_the_sweep_releases_a_message_whose_worker_died(service):
    case = factories.filed_case(service_=service).case
    row = Message.objects.about(case).get()
    Message.objects.filter(pk=row.pk).update(
        state="sending", claimed_at=timezone.now() - timedelta(hours=1))
    assert outbox_sweep().released == 1
    row.refresh_from_db()
    assert row.state == "pending"
