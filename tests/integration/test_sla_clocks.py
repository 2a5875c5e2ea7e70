"""SLA clocks follow the workflow; the sweep takes each step once; changes recompute deadlines."""
import datetime as dt
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from complaints import services
from complaints.models import (
    CaseClock, CaseEvent, Clock, EventKind, SlaPolicy, SlaStep,
)
from complaints.sla_step_sweep import sla_step_sweep
from notifications.models import Message
from sajad.calendar_store import load_calendar
from sajad.models import Holiday
from tests import factories

pytestmark = pytest.mark.django_db

DAY = 420  # working minutes in one default working day


@pytest.fixture
def people(unit, monitoring_unit):
    head = factories.unit_user(unit, is_head=True)
    head.email = "head@example.ir"
    head.save()
    return {"monitoring": factories.monitoring_user(), "unit": head}


def clock(case, name) -> CaseClock:
    return CaseClock.objects.get(case=case, clock=name)


def test_filing_starts_the_first_response_and_resolution_clocks_on_the_default_policy(service):
    case = factories.filed_case(service_=service).case
    first, resolution = clock(case, Clock.FIRST_RESPONSE), clock(case, Clock.RESOLUTION)
    calendar = load_calendar()
    assert first.budget_minutes == DAY and resolution.budget_minutes == 10 * DAY
    assert first.due_at == calendar.add_working_minutes(first.started_at, DAY)
    assert not CaseClock.objects.filter(case=case, clock=Clock.UNIT_ANSWER).exists()
    # Reminders at 50% and 80%, and the three escalation levels, for each running clock.
    assert SlaStep.objects.filter(clock=first).count() == 5


def test_assignment_stops_the_first_clock_with_its_elapsed_time_and_starts_the_units(
        service, unit, people):
    case = factories.filed_case(service_=service).case
    three_days_ago = timezone.now() - timedelta(days=10)
    CaseClock.objects.filter(case=case).update(segment_started_at=three_days_ago)
    services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    first = clock(case, Clock.FIRST_RESPONSE)
    assert first.stopped_at is not None and first.due_at is None
    expected = load_calendar().working_minutes_between(three_days_ago, first.stopped_at)
    assert first.elapsed_minutes == expected and expected > 0
    assert not SlaStep.objects.filter(clock=first, taken_at__isnull=True).exists()
    unit_clock = clock(case, Clock.UNIT_ANSWER)
    assert unit_clock.is_running and unit_clock.budget_minutes == 5 * DAY
    event = CaseEvent.objects.get(case=case, kind="assign")
    assert set(event.data["deadlines"]) == {Clock.FIRST_RESPONSE, Clock.UNIT_ANSWER}


def test_waiting_for_the_citizen_pauses_the_clocks_and_the_pause_is_recorded(service, unit, people):
    case = factories.filed_case(service_=service).case
    services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    services.case_request_info(case_id=case.pk, actor=people["unit"], question="رسید؟")
    paused = clock(case, Clock.UNIT_ANSWER)
    assert paused.due_at is None and paused.paused_since is not None
    assert not SlaStep.objects.filter(clock=paused, taken_at__isnull=True).exists()

    # The citizen answers three working days later (in working time: pause started 3 weeks back).
    three_weeks_ago = timezone.now() - timedelta(days=21)
    CaseClock.objects.filter(pk=paused.pk).update(paused_since=three_weeks_ago)
    services.case_provide_info(case_id=case.pk, text="پیوست شد")
    resumed = clock(case, Clock.UNIT_ANSWER)
    assert resumed.paused_since is None and resumed.is_running
    assert resumed.paused_minutes == load_calendar().working_minutes_between(
        three_weeks_ago, resumed.segment_started_at)
    assert resumed.paused_minutes >= 10 * DAY
    # The deadline runs from the resumption with what was left of the budget.
    left = resumed.budget_minutes - resumed.consumed_minutes
    assert resumed.due_at == load_calendar().add_working_minutes(resumed.segment_started_at, left)
    assert SlaStep.objects.filter(clock=resumed, taken_at__isnull=True, kind="escalation").count() == 3


def test_the_sweep_takes_each_due_step_once_however_often_it_runs(service, unit, people):
    case = factories.filed_case(service_=service).case
    services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    far_future = timezone.now() + timedelta(days=365)
    first = sla_step_sweep(now=far_future)
    second = sla_step_sweep(now=far_future)
    # Running: unit answer and resolution, each with 2 reminders and 3 escalation levels.
    assert (first.reminders, first.escalations) == (4, 6)
    assert (second.reminders, second.escalations) == (0, 0)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION).count() == 6
    case.refresh_from_db()
    assert case.escalation_level == 3 and case.is_overdue
    digests = Message.objects.filter(template="sla_escalation")
    assert digests.exists() and all(d.context["case_ids"] == [case.pk] for d in digests)


def test_the_unit_head_gets_the_reminder_for_the_units_clock(service, unit, people):
    case = factories.filed_case(service_=service).case
    services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    unit_clock = clock(case, Clock.UNIT_ANSWER)
    half = SlaStep.objects.get(clock=unit_clock, kind="reminder", level=50).due_at
    sla_step_sweep(now=half)
    reminders = Message.objects.filter(template="sla_reminder")
    assert list(reminders.values_list("recipient", flat=True)) == ["head@example.ir"]
    assert reminders.get().context == {"case_ids": [case.pk], "desk": True}


def test_the_first_escalation_at_the_deadline_flags_the_case_overdue(service):
    case = factories.filed_case(service_=service).case
    due = clock(case, Clock.FIRST_RESPONSE).due_at
    sla_step_sweep(now=due - timedelta(minutes=1))
    case.refresh_from_db()
    assert not case.is_overdue
    report = sla_step_sweep(now=due)
    case.refresh_from_db()
    assert report.escalations == 1 and case.is_overdue and case.escalation_level == 1


def test_a_policy_change_recomputes_open_deadlines_and_records_it(service, unit, people):
    case = factories.filed_case(service_=service).case
    services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    before = clock(case, Clock.UNIT_ANSWER).due_at
    SlaPolicy.objects.create(name="وام فوری", service=service, first_response_minutes=60,
                             unit_answer_minutes=DAY, resolution_minutes=2 * DAY)
    assert services.deadlines_recompute_open(reason="سیاست جدید") == 1
    after = clock(case, Clock.UNIT_ANSWER)
    assert after.budget_minutes == DAY and after.due_at < before
    event = CaseEvent.objects.get(case=case, kind=EventKind.DEADLINES)
    assert event.note == "سیاست جدید" and Clock.UNIT_ANSWER in event.data


def test_a_new_holiday_moves_open_deadlines(service):
    case = factories.filed_case(service_=service).case
    before = clock(case, Clock.RESOLUTION).due_at
    calendar = load_calendar()
    first_working_day = calendar.next_working_instant(timezone.now()).astimezone(calendar.tz).date()
    Holiday.objects.create(name="تعطیل ویژه", date=first_working_day + dt.timedelta(days=1)
                           if calendar.is_working_day(first_working_day + dt.timedelta(days=1))
                           else first_working_day)
    services.deadlines_recompute_open(reason="تقویم")
    assert clock(case, Clock.RESOLUTION).due_at > before


def test_the_most_specific_policy_wins(service):
    from complaints.sla import policy_for

    general = SlaPolicy.objects.get(name="سیاست پیش‌فرض")
    by_kind = SlaPolicy.objects.create(name="شکایت", kind="complaint", first_response_minutes=100,
                                       unit_answer_minutes=100, resolution_minutes=100)
    by_service = SlaPolicy.objects.create(name="خدمت", service=service, first_response_minutes=50,
                                          unit_answer_minutes=50, resolution_minutes=50)
    case = factories.filed_case(service_=service).case
    assert policy_for(case) == by_service
    by_service.delete()
    assert policy_for(case) == by_kind
    by_kind.delete()
    assert policy_for(case) == general


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_take_each_step_exactly_once():
    SlaPolicy.objects.create(name="p", first_response_minutes=DAY, unit_answer_minutes=5 * DAY,
                             resolution_minutes=10 * DAY)
    service = factories.service(unit_=factories.unit())
    for _i in range(40):
        factories.filed_case(service_=service)
    total_steps = SlaStep.objects.count()
    far_future = timezone.now() + timedelta(days=365)
    reports, barrier = [], threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            reports.append(sla_step_sweep(now=far_future))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    taken = sum(r.reminders + r.escalations for r in reports)
    assert len(reports) == 2 and taken == total_steps == 40 * 2 * 5
    assert not SlaStep.objects.filter(taken_at__isnull=True).exists()
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATION).count() == 40 * 2 * 3


def _queued_task_names() -> list[str]:
    """Task names waiting in the test broker's default queue (real Redis, database 15)."""
    from tests.broker import queued

    return [task for task, _args in queued()]


def test_a_holiday_saved_in_admin_enqueues_the_recompute_of_open_deadlines(
        service, client, django_capture_on_commit_callbacks):
    before = _queued_task_names().count("complaints.recompute_deadlines")
    admin_user = factories.staff_user(username="root")
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/sajad/holiday/add/", {
            "name": "تعطیل ویژه", "date": "۱۴۰۵/۱۰/۰۱", "jalali_month": "", "jalali_day": "",
        })
    assert response.status_code == 302
    assert _queued_task_names().count("complaints.recompute_deadlines") == before + 1


def test_a_digest_is_rendered_in_persian_when_it_is_delivered(service, unit, people):
    from notifications.delivery import message_deliver
    from sajad.templatetags.sajad_tags import tracking_display

    case = factories.filed_case(service_=service).case
    services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    sla_step_sweep(now=timezone.now() + timedelta(days=365))
    digest = Message.objects.filter(template="sla_escalation", recipient="head@example.ir").first()
    assert message_deliver(message_id=digest.pk, now=digest.next_attempt_at) == "sent"
    digest.refresh_from_db()
    assert tracking_display(case.tracking_number) in digest.body and case.subject in digest.body
    # One case reads in the singular («این پرونده», not «این پرونده‌ها»).
    assert "مهلت این پرونده گذشته است" in digest.body and "پرونده‌ها" not in digest.body


def test_the_citizens_reply_resumes_only_the_clocks_the_question_paused(service, unit, people):
    case = factories.filed_case(service_=service).case
    services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    first_before = clock(case, Clock.FIRST_RESPONSE)
    services.case_request_info(case_id=case.pk, actor=people["unit"], question="رسید را بفرستید.")
    services.case_provide_info(case_id=case.pk, text="رسید پیوست شد.")

    first = clock(case, Clock.FIRST_RESPONSE)
    assert first.stopped_at == first_before.stopped_at and first.due_at is None
    assert first.elapsed_minutes == first_before.elapsed_minutes
    assert not SlaStep.objects.filter(clock=first, taken_at__isnull=True).exists()
    assert clock(case, Clock.UNIT_ANSWER).is_running
    assert clock(case, Clock.RESOLUTION).is_running


def _digests(template: str) -> list[tuple[str, str]]:
    return sorted(Message.objects.filter(template=template).values_list("channel", "recipient"))


def test_the_sweep_sends_each_head_one_email_and_one_sms_per_digest_and_never_twice(
        client, service, unit, people):
    from django.conf import settings
    from django.urls import reverse

    from notifications.delivery import message_deliver
    from sajad.templatetags.sajad_tags import tracking_display

    head = people["unit"]
    head.unit_membership.mobile = "09121110000"
    head.unit_membership.save()
    second_head = factories.unit_user(unit, is_head=True)
    second_head.email = "second@example.ir"
    second_head.save()  # no mobile: e-mail only
    staff = factories.unit_user(unit)
    staff.unit_membership.mobile = "09122220000"
    staff.unit_membership.save()  # not a head: digests are the heads' (as new cases are)
    case = factories.filed_case(service_=service).case
    services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])

    half = SlaStep.objects.get(clock=clock(case, Clock.UNIT_ANSWER), kind="reminder", level=50).due_at
    sla_step_sweep(now=half)
    sla_step_sweep(now=half)
    expected = [("email", "head@example.ir"), ("email", "second@example.ir"), ("sms", "09121110000")]
    assert _digests("sla_reminder") == expected

    far_future = timezone.now() + timedelta(days=365)
    sla_step_sweep(now=far_future)
    sla_step_sweep(now=far_future)
    # The second reminder (80 %) is a new digest; nothing is written twice for one batch.
    assert _digests("sla_reminder") == sorted(expected * 2)
    assert _digests("sla_escalation") == expected

    # The SMS is short, names the case and links to it on the desk, where the head can open it.
    sms = Message.objects.get(template="sla_escalation", channel="sms")
    assert message_deliver(message_id=sms.pk, now=sms.next_attempt_at) == "sent"
    sms.refresh_from_db()
    link = settings.SITE_URL + reverse("desk:case", args=[case.pk])
    assert link in sms.body and tracking_display(case.tracking_number) in sms.body
    assert "ارجاع" in sms.body and case.subject not in sms.body and len(sms.body) < 160
    client.force_login(head)
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200
    # The e-mail digest lists the case and links to the same desk page.
    email = Message.objects.get(template="sla_escalation", recipient="head@example.ir")
    message_deliver(message_id=email.pk, now=email.next_attempt_at)
    email.refresh_from_db()
    assert case.subject in email.body and link in email.body


def test_a_digest_of_several_cases_links_to_the_desk_inbox_and_the_monitoring_units_to_admin(
        service, unit, monitoring_unit, people):
    from django.conf import settings
    from django.urls import reverse

    from notifications.delivery import message_deliver

    people["unit"].unit_membership.mobile = "09121110000"
    people["unit"].unit_membership.save()
    monitoring_head = factories.monitoring_head(unit_=monitoring_unit, is_head=True)
    monitoring_head.unit_membership.mobile = "09123330000"
    monitoring_head.unit_membership.save()
    cases = [factories.filed_case(service_=service).case for _ in range(3)]
    for case in cases:
        services.case_assign(case_id=case.pk, unit=unit, actor=people["monitoring"])
    sla_step_sweep(now=timezone.now() + timedelta(days=365))

    unit_sms = Message.objects.get(template="sla_escalation", recipient="09121110000")
    message_deliver(message_id=unit_sms.pk, now=unit_sms.next_attempt_at)
    unit_sms.refresh_from_db()
    assert unit_sms.body.endswith(settings.SITE_URL + reverse("desk:inbox")) and "۳ پرونده" in unit_sms.body

    # Level 2 reaches the monitoring unit, which works in admin rather than on the desk.
    monitoring_sms = Message.objects.get(template="sla_escalation", recipient="09123330000")
    message_deliver(message_id=monitoring_sms.pk, now=monitoring_sms.next_attempt_at)
    monitoring_sms.refresh_from_db()
    assert monitoring_sms.body.endswith(
        settings.SITE_URL + reverse("admin:complaints_case_changelist"))
