"""Improvement plans: start, actions reported from the desk, reminders, completion, the public page."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message
from sajad.errors import DomainError
from surveys import services
from surveys.models import ImprovementPlan, PlanAction, PlanHistory
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(unit, monitoring_unit):
    service = factories.service(unit_=unit)
    made = ImprovementPlan.objects.create(service=service, title="کوتاه کردن صف وام", finding="نارضایتی از صف",
                                          evidence="مهر ۱۴۰۵")
    PlanAction.objects.create(plan=made, description="نوبت‌دهی برخط", owner_unit=unit,
                              due_date=timezone.localdate() + dt.timedelta(days=2))
    return made


def test_a_plan_moves_from_draft_to_completed_and_tells_the_linked_citizens(plan, unit, people):
    case = factories.closed_case(unit_=unit, mobile="09125550000")
    plan.cases.add(case)
    monitor = people["monitoring"]
    with pytest.raises(DomainError):
        services.plan_complete(plan_id=plan.pk, actor=monitor, public_summary="انجام شد")
    services.plan_activate(plan_id=plan.pk, actor=monitor)
    with pytest.raises(DomainError, match=""):
        services.plan_complete(plan_id=plan.pk, actor=monitor, public_summary="انجام شد")  # action not done
    action = plan.actions.get()
    services.action_report_progress(action_id=action.pk, actor=people["unit"], unit_id=unit.pk, percent=100,
                                    note="سامانه نوبت‌دهی راه افتاد")
    services.plan_complete(plan_id=plan.pk, actor=monitor, public_summary="نوبت‌دهی برخط راه افتاد.")
    plan.refresh_from_db()
    assert plan.status == "completed" and plan.completed_at is not None
    sms = Message.objects.get(template="plan_completed_citizen", recipient="09125550000")
    assert "/improvements/" in sms.body
    notes = list(PlanHistory.objects.filter(plan=plan).values_list("note", flat=True))
    assert len(notes) == 3  # started, progress, completed


def test_another_unit_cannot_report_on_an_action(plan, people):
    other = people["other_unit"]
    with pytest.raises(DomainError):
        services.action_report_progress(action_id=plan.actions.get().pk, actor=other,
                                        unit_id=other.unit_membership.unit_id, percent=50)
    assert plan.actions.get().percent_done == 0


def test_out_of_range_progress_is_refused(plan, unit, people):
    with pytest.raises(DomainError):
        services.action_report_progress(action_id=plan.actions.get().pk, actor=people["unit"], unit_id=unit.pk,
                                        percent=120)


def test_the_owner_unit_reports_progress_from_the_desk(client, plan, unit, people):
    client.force_login(people["unit"])
    page = client.get(reverse("surveys_desk:actions"))
    assert "نوبت‌دهی برخط" in page.content.decode()
    action = plan.actions.get()
    client.post(reverse("surveys_desk:progress", args=[action.pk]), {f"a{action.pk}-percent": "۴۰",
                                                                      f"a{action.pk}-note": "نیمی انجام شد"})
    action.refresh_from_db()
    assert (action.percent_done, action.status) == (40, "in_progress")
    client.force_login(people["other_unit"])
    assert "نوبت‌دهی برخط" not in client.get(reverse("surveys_desk:actions")).content.decode()
    assert client.post(reverse("surveys_desk:progress", args=[action.pk]),
                       {f"a{action.pk}-percent": "90"}).status_code == 404


def test_due_actions_are_reminded_once(plan, unit, people):
    unit.email = "welfare@example.com"
    unit.save()
    services.plan_activate(plan_id=plan.pk, actor=people["monitoring"])
    assert services.action_reminders_sweep() == 1
    assert services.action_reminders_sweep() == 0
    assert Message.objects.filter(template="plan_action_due", recipient="welfare@example.com").count() == 1


def test_the_public_page_lists_completed_plans_only(client, plan, unit, people):
    assert "کوتاه کردن صف وام" not in client.get("/improvements/").content.decode()
    services.plan_activate(plan_id=plan.pk, actor=people["monitoring"])
    services.action_report_progress(action_id=plan.actions.get().pk, actor=people["unit"], unit_id=unit.pk,
                                    percent=100)
    services.plan_complete(plan_id=plan.pk, actor=people["monitoring"], public_summary="نوبت‌دهی برخط راه افتاد.")
    page = client.get("/improvements/").content.decode()
    assert "کوتاه کردن صف وام" in page and "نوبت‌دهی برخط راه افتاد." in page


def test_a_monitoring_expert_opens_the_plan_and_survey_admin(client, plan, people):
    client.force_login(people["monitoring"])
    assert client.get(reverse("admin:surveys_improvementplan_change", args=[plan.pk])).status_code == 200
    assert client.get(reverse("admin:surveys_survey_add")).status_code == 200
    assert client.get(reverse("admin:surveys_response_changelist")).status_code == 200
    client.force_login(people["unit"])
    assert client.get(reverse("admin:surveys_improvementplan_change", args=[plan.pk])).status_code in (302, 403)
