"""The citizen rates a published answer once, and escalates a case whose deadline has passed."""
import pytest

from complaints import services
from complaints.models import Case, CaseEvent, EventKind
from notifications.models import Message
from sajad.errors import DomainError
from complaints.workflow import Status
from tests.integration.test_case_transitions import case_in

pytestmark = pytest.mark.django_db


def prove(client, case):
    """The tracking proof, as a citizen gives it."""
    response = client.post("/complaints/track/", {"tracking_number": case.tracking_number,
                                                  "secret": case.mobile})
    assert response.status_code == 302


def test_a_published_answer_is_rated_once_from_the_tracking_page(client, service, people, unit):
    case = case_in(Status.PUBLISHED, service, people, unit)
    prove(client, case)
    page = client.get(f"/complaints/track/{case.tracking_number}/").content.decode()
    assert 'name="score"' in page

    client.post(f"/complaints/track/{case.tracking_number}/rating/", {"score": "4"})
    client.post(f"/complaints/track/{case.tracking_number}/rating/", {"score": "1"})

    case.refresh_from_db()
    assert case.rating == 4
    assert CaseEvent.objects.filter(case=case, kind=EventKind.RATED).count() == 1
    assert 'name="score"' not in client.get(f"/complaints/track/{case.tracking_number}/").content.decode()


def test_an_answer_not_yet_published_cannot_be_rated(service, people, unit):
    case = case_in(Status.ANSWERED, service, people, unit)
    with pytest.raises(DomainError):
        services.case_rate(case_id=case.pk, score=5)
    case.refresh_from_db()
    assert case.rating is None


@pytest.mark.parametrize("score", [0, 6])
def test_a_score_outside_one_to_five_is_refused(service, people, unit, score):
    case = case_in(Status.PUBLISHED, service, people, unit)
    with pytest.raises(DomainError):
        services.case_rate(case_id=case.pk, score=score)


def test_an_overdue_case_can_be_escalated_by_the_citizen_and_it_is_recorded(
        client, service, people, unit):
    unit.email = "loans@example.ir"
    unit.save()
    case = case_in(Status.ASSIGNED, service, people, unit)
    Case.objects.filter(pk=case.pk).update(is_overdue=True)  # grep-rules: allow (arranges an overdue case)
    prove(client, case)
    assert "escalation/" in client.get(f"/complaints/track/{case.tracking_number}/").content.decode()

    client.post(f"/complaints/track/{case.tracking_number}/escalation/")

    case.refresh_from_db()
    assert case.escalation_level == 1
    event = CaseEvent.objects.get(case=case, kind=EventKind.CITIZEN_ESCALATION)
    assert event.is_public and event.data == {"level": 1}
    told = Message.objects.about(case).filter(template="unit_citizen_escalation")
    assert list(told.values_list("recipient", flat=True)) == ["loans@example.ir"]


def test_a_case_within_its_deadline_cannot_be_escalated(client, service, people, unit):
    case = case_in(Status.ASSIGNED, service, people, unit)
    prove(client, case)
    assert "escalation/" not in client.get(f"/complaints/track/{case.tracking_number}/").content.decode()
    client.post(f"/complaints/track/{case.tracking_number}/escalation/")
    case.refresh_from_db()
    assert case.escalation_level == 0


def test_escalation_stops_at_the_top_of_the_ladder(service, people, unit):
    case = case_in(Status.ASSIGNED, service, people, unit)
    Case.objects.filter(pk=case.pk).update(is_overdue=True, escalation_level=3)  # grep-rules: allow (arranges the top of the ladder)
    with pytest.raises(DomainError):
        services.case_escalate_by_citizen(case_id=case.pk)


def test_another_browser_cannot_rate_or_escalate_without_the_proof(client, service, people, unit):
    case = case_in(Status.PUBLISHED, service, people, unit)
    assert client.post(f"/complaints/track/{case.tracking_number}/rating/", {"score": "5"}).status_code == 404
    case.refresh_from_db()
    assert case.rating is None
