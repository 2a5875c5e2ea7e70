"""The triage list shows each case's SLA state and filters overdue cases."""
from datetime import timedelta

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone

from complaints.models import Case, CaseClock
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert_client(client, monitoring_unit):
    client.force_login(factories.monitoring_user())
    return client


def test_an_overdue_case_shows_a_red_overdue_badge_and_a_fresh_one_time_left(expert_client, service):
    late = factories.filed_case(service_=service).case
    fresh = factories.filed_case(service_=service).case
    CaseClock.objects.filter(case=late).update(due_at=timezone.now() - timedelta(days=10))
    html = expert_client.get("/admin/complaints/case/").content.decode()
    assert html.count('class="case-deadline"') == 2
    assert html.count("#b91c1c") == 1  # the overdue colour, on the late case only
    assert fresh.is_overdue is False


def test_the_overdue_filter_lists_only_overdue_cases(expert_client, service):
    late = factories.filed_case(service_=service).case
    factories.filed_case(service_=service)
    Case.objects.filter(pk=late.pk).update(is_overdue=True)  # grep-rules: allow (arranges an overdue case)
    response = expert_client.get("/admin/complaints/case/?is_overdue__exact=1")
    cases = list(response.context["cl"].result_list)
    assert [c.pk for c in cases] == [late.pk]


def test_the_deadline_column_adds_no_query_per_row(expert_client, service):
    for _ in range(3):
        factories.filed_case(service_=service)
    with CaptureQueriesContext(connection) as few:
        expert_client.get("/admin/complaints/case/")
    for _ in range(20):
        factories.filed_case(service_=service)
    with CaptureQueriesContext(connection) as many:
        expert_client.get("/admin/complaints/case/")
    assert len(many) == len(few)
