"""seed_demo builds a lived-in portal through the domain services, and running it twice is harmless."""
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from complaints.models import Case, CaseEvent, ExternalTopic
from complaints.workflow import Action, Status
from sajad.models import PerformanceTarget, Service, Unit
from sajad.validators import is_valid_national_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _counts():
    return tuple(m.objects.count() for m in (
        Unit, Service, PerformanceTarget, ExternalTopic, User, Case, CaseEvent,
    ))


def test_seed_demo_twice_creates_nothing_new(seeded):
    before = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert _counts() == before


def test_seed_demo_covers_every_status_through_the_workflow(seeded):
    present = set(Case.objects.values_list("status", flat=True).distinct())
    assert present == set(Status.values)
    assert Case.objects.count() >= 300
    # Every transition was made by a service, so every status change left its event.
    for status, action in ((Status.CLOSED, None), (Status.MERGED, Action.MERGE),
                           (Status.OBJECTED, Action.OBJECT), (Status.PUBLISHED, Action.APPROVE)):
        case = Case.objects.filter(status=status).first()
        assert case.events.filter(to_status=status).exists()
        if action:
            assert case.events.filter(kind=action).exists()


def test_seed_demo_builds_the_organisation_services_and_staff(seeded):
    monitoring = Unit.objects.get(is_monitoring=True)
    assert monitoring.name == "واحد نظارت و ارزیابی"
    assert Unit.objects.filter(parent__isnull=False).count() >= 6
    internal = Service.objects.get(is_internal=True)
    assert internal.name == "ارزیابی عملکرد واحدهای خدمات دانشجویی"
    for service in Service.objects.all():
        assert service.definition and service.termination and service.single_window_url
        assert service.performance_targets.exists()
        assert "یک ماه" in service.dispute_resolution
    assert Service.objects.filter(cost=Service.Cost.PAID).exclude(tariff="").exists()
    assert ExternalTopic.objects.count() >= 3
    for username in ("admin", "monitor", "monitorhead", "unithead", "unitstaff"):
        assert User.objects.get(username=username).check_password("demo-pass-1405")
    assert User.objects.get(username="unithead").unit_membership.is_head


def test_seed_demo_cases_carry_valid_identities_and_spread_over_three_months(seeded):
    codes = Case.objects.exclude(national_code="").values_list("national_code", flat=True)
    assert codes and all(is_valid_national_code(code) for code in codes)
    oldest = Case.objects.order_by("created_at").first().created_at
    newest = Case.objects.order_by("-created_at").first().created_at
    assert (newest - oldest).days >= 60
