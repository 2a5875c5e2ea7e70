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


def test_seed_demo_shows_the_product_working(seeded):
    """One seed for several checks (a seed takes a while): routing, FAQ, contacts, timelines."""
    import datetime as dt

    from django.db import DatabaseError, transaction

    from complaints import services
    from complaints.models import RoutingRule
    from faq.models import FaqEntry
    from faq.search import faq_search
    from tests import factories as f

    # Every public service routes its new cases straight to its unit.
    for service in Service.objects.filter(is_internal=False):
        assert RoutingRule.objects.filter(service=service, unit=service.unit, is_active=True).exists()
    service = Service.objects.get(slug="dormitory")
    routed = services.case_route(case_id=f.filed_case(service_=service).case.pk)
    assert routed.status == Status.ASSIGNED and routed.unit == service.unit

    # Published FAQ entries per public service, found by the search.
    for service in Service.objects.filter(is_internal=False):
        assert FaqEntry.objects.filter(category__service=service, is_published=True).count() >= 2
    assert any("وام شهریه" in entry.question for entry in faq_search("واریز وام شهریه", limit=5))

    # Units and staff have e-mail addresses, staff mobiles; the sweep's digests reach the units.
    from notifications.models import Message
    from sajad.models import UnitMember

    assert not Unit.objects.filter(email="").exists()
    assert not UnitMember.objects.filter(mobile="").exists()
    assert Message.objects.filter(template__in=["sla_reminder", "sla_escalation"]).exists()
    for username in ("monitor", "monitorhead", "unithead", "unitstaff"):
        assert User.objects.get(username=username).email.endswith("@saorg.ir")

    # Timelines start when the case was filed, in order.
    for case in Case.objects.filter(status=Status.CLOSED).order_by("created_at")[:20]:
        times = list(case.events.order_by("id").values_list("created_at", flat=True))
        assert abs(times[0] - case.created_at) < dt.timedelta(seconds=1)
        assert times == sorted(times)

    # ... and the case log is append-only again.
    event = CaseEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="changed")


def test_the_demo_sla_pages_show_last_months_figures_from_the_rollups(seeded, client):
    """`make run` folds the seeded log into the summary tables; each public service's SLA page
    then shows its last full month, with the aged clocks' working minutes (not the seconds the
    seed took), so the medians and on-time shares differ between services."""
    import datetime as dt

    from complaints.models import CaseClock
    from dashboards import rollups
    from dashboards.public_figures import sla_page_period, statistics_for_month

    stopped = dict(((c, k), e) for c, k, e in CaseClock.objects.filter(
        stopped_at__isnull=False, clock="first_response").values_list("case_id", "clock", "elapsed_minutes"))
    logged = [(e.case_id, e.data["clocks_stopped"]["first_response"]["elapsed"])
              for e in CaseEvent.objects.filter(kind=Action.ASSIGN, data__has_key="clocks_stopped")
              if "first_response" in e.data["clocks_stopped"]]
    assert logged and all(stopped[(case_id, "first_response")] == minutes for case_id, minutes in logged)

    rollups.rollups_update_all(now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
    rows = [r for r in statistics_for_month(sla_page_period()) if r.cases]
    assert len(rows) >= 5
    assert len({round(r.median_first_response) for r in rows if r.median_first_response}) >= 3
    service = rows[0].service
    html = client.get(f"/services/{service.slug}/").content.decode()
    assert 'id="figure-median"' in html and sla_page_period().label in html
