"""The shared structure: the outbox's API, the SLA state's one owner, roles as stable codes."""
import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from complaints import escalation, roles, sla
from complaints.admin_filters import EscalationLevelFilter
from complaints.models import Case
from complaints.workflow import Role
from notifications.api import Channel, message_queue
from notifications.models import Message
from sajad.calendar_display import describe_working_minutes
from sajad.models import WorkingWeek
from sajad.templatetags.sajad_tags import tracking_display
from tests import factories

pytestmark = pytest.mark.django_db


# --- the outbox's public API --------------------------------------------------------------------


def test_a_message_is_written_once_per_key_and_remembers_what_it_is_about(service):
    case = factories.filed_case(service_=service).case
    first = message_queue(template="citizen_filed", channel=Channel.SMS, recipient="09120000000",
                          context={"case": case}, dedupe_key="t:1", about=case,
                          about_label=case.tracking_number)
    again = message_queue(template="citizen_filed", channel=Channel.SMS, recipient="09120000000",
                          context={"case": case}, dedupe_key="t:1", about=case)
    assert again.pk == first.pk
    assert Message.objects.filter(dedupe_key="t:1").count() == 1
    assert first in Message.objects.about(case)
    assert tracking_display(case.tracking_number) in first.body and first.about == case


def test_an_unknown_channel_is_refused_and_nothing_is_written():
    with pytest.raises(ValueError):
        message_queue(template="citizen_filed", channel="fax", recipient="x", context={},
                      dedupe_key="t:fax")
    assert not Message.objects.filter(dedupe_key="t:fax").exists()


def test_a_message_written_in_a_transaction_that_rolls_back_leaves_nothing(service):
    case = factories.filed_case(service_=service).case
    with pytest.raises(RuntimeError), transaction.atomic():
        message_queue(template="citizen_filed", channel=Channel.SMS, recipient="0912",
                      context={"case": case}, dedupe_key="t:rollback", about=case)
        raise RuntimeError("the step failed")
    assert not Message.objects.filter(dedupe_key="t:rollback").exists()


@pytest.mark.django_db(transaction=True)
def test_the_outbox_move_keeps_existing_messages_and_points_them_at_their_case():
    """Migrating from the old complaints outbox keeps every row, now about its case."""
    executor = MigrationExecutor(connection)
    old = [("complaints", "0012_case_text_search_indexes"), ("notifications", None)]
    executor.migrate(old)
    old_apps = executor.loader.project_state([old[0]]).apps
    Unit = old_apps.get_model("sajad", "Unit")
    Service = old_apps.get_model("sajad", "Service")
    OldCase = old_apps.get_model("complaints", "Case")
    Notification = old_apps.get_model("complaints", "Notification")
    unit = Unit.objects.create(name="واحد", slug="u-move")
    service = Service.objects.create(name="خدمت", slug="s-move", unit=unit)
    case = OldCase.objects.create(
        tracking_number="123456785", kind="complaint", service=service, subject="s",
        description="d", identity_tier="contact_only", mobile="09121234567")
    Notification.objects.create(channel="sms", recipient="09121234567", template="citizen_filed",
                                body="متن", case=case, dedupe_key="old:1")
    Notification.objects.create(channel="email", recipient="a@b.ir", template="sla_reminder",
                                body="", case=None, dedupe_key="old:digest",
                                context={"case_ids": [case.pk]})

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept = Message.objects.get(dedupe_key="old:1")
    assert (kept.body, kept.about_id, kept.about_label) == ("متن", case.pk, "123456785")
    assert kept.about_type.model_class() is Case
    digest = Message.objects.get(dedupe_key="old:digest")
    assert digest.about_id is None and digest.context == {"case_ids": [case.pk]}


# --- the SLA state's one owner ------------------------------------------------------------------


def test_raising_cases_never_lowers_a_level_and_flags_them_overdue(service):
    low = factories.filed_case(service_=service).case
    high = factories.filed_case(service_=service).case
    escalation.cases_raise(case_ids=[high.pk], levels=[3])
    escalation.cases_raise(case_ids=[low.pk, high.pk], levels=[2, 1])
    low.refresh_from_db()
    high.refresh_from_db()
    assert (low.escalation_level, low.is_overdue) == (2, True)
    assert (high.escalation_level, high.is_overdue) == (3, True)


def test_the_admin_filter_names_the_ladder_not_the_unit_head_for_every_clock():
    labels = dict(EscalationLevelFilter(None, {}, Case, None).lookup_choices)
    assert labels["1"] == escalation.rung(1).label != "to the unit head"
    assert [str(r.level) for r in escalation.LADDER] == list(labels)


def test_the_sweep_tells_the_monitoring_unit_at_level_two_and_the_tree_top_at_level_three():
    sql = escalation.recipient_unit_sql()
    assert "WHEN s.level = 2 THEN %(monitoring)s" in sql
    assert "WHEN s.level = 3 THEN COALESCE(top.top_id, s.responsible)" in sql


def test_the_fallback_policy_counts_days_in_the_working_week_set_in_admin(service):
    WorkingWeek.objects.filter(is_working=True).update(start=dt.time(8, 0), end=dt.time(16, 0))
    case = factories.filed_case(service_=service).case
    from complaints.models import SlaPolicy

    SlaPolicy.objects.update(is_active=False)
    sla.forget_policies()  # a bulk update sends no signal; admin's saves do this themselves
    policy = sla.policy_for(case)
    assert (policy.first_response_minutes, policy.unit_answer_minutes) == (480, 5 * 480)


def test_durations_are_described_in_days_of_the_current_working_week():
    from sajad.calendar import WorkingCalendar

    eight_hours = WorkingCalendar(week={d: [(dt.time(8), dt.time(16))] for d in (5, 6, 0, 1, 2)})
    assert describe_working_minutes(480, calendar=eight_hours) == describe_working_minutes(
        420, calendar=WorkingCalendar())
    assert "۱" in describe_working_minutes(480, calendar=eight_hours)


# --- roles are codes, group names are labels ----------------------------------------------------


def test_renaming_a_staff_group_keeps_its_members_roles(unit):
    monitor = factories.monitoring_user()
    member = factories.unit_user(unit)
    Group.objects.filter(pk=roles.staff_group(Role.MONITORING).pk).update(name="ناظران")
    Group.objects.filter(pk=roles.staff_group(Role.UNIT).pk).update(name="کارمندان")
    monitor = type(monitor).objects.get(pk=monitor.pk)
    member = type(member).objects.get(pk=member.pk)
    assert roles.staff_role(monitor) == Role.MONITORING
    assert roles.staff_role(member) == Role.UNIT


def test_a_group_with_the_name_but_not_the_role_grants_nothing():
    user = factories.staff_user(role=None)
    impostor, _ = Group.objects.get_or_create(name="مدیران نظارت ۲")
    user.groups.add(impostor)
    assert roles.staff_role(type(user).objects.get(pk=user.pk)) is None


def test_enqueueing_takes_a_task_name_not_a_task_object():
    from sajad.queue import enqueue_on_commit

    with pytest.raises(TypeError):
        enqueue_on_commit(object(), 1)
