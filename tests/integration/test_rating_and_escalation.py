"""The citizen rates a published answer once, and escalates a case whose deadline has passed."""
import pytest

from complaints import services
from complaints.models import Case, CaseEvent, EventKind
from notifications.models import Message
from sajad.errors import DomainError
from complaints.workflow import Action, Status
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


def _miss_the_deadline(case):
    from django.utils import timezone

    from complaints import escalation
    from complaints.models import CaseClock, Clock

    CaseClock.objects.filter(case=case, clock=Clock.UNIT_ANSWER).update(
        due_at=timezone.now() - timezone.timedelta(hours=1))
    escalation.case_overdue_refresh(case=case)


def test_two_quick_escalations_climb_one_rung_for_one_missed_deadline(client, service, people, unit):
    case = case_in(Status.ASSIGNED, service, people, unit)
    _miss_the_deadline(case)
    prove(client, case)
    url = f"/complaints/track/{case.tracking_number}/escalation/"

    client.post(url)
    second = client.post(url, follow=True).content.decode()

    case.refresh_from_db()
    assert case.escalation_level == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CITIZEN_ESCALATION).count() == 1
    assert "برای همین مهلت درخواست ارجاع داده‌اید" in second
    with pytest.raises(DomainError):
        services.case_escalate_by_citizen(case_id=case.pk)


def test_after_escalating_the_page_says_where_the_case_is_and_keeps_the_overdue_notice(
        client, service, people, unit):
    case = case_in(Status.ASSIGNED, service, people, unit)
    _miss_the_deadline(case)
    prove(client, case)
    client.post(f"/complaints/track/{case.tracking_number}/escalation/")

    page = client.get(f"/complaints/track/{case.tracking_number}/").content.decode()
    assert "مهلت رسیدگی به پرونده شما گذشته است" in page
    assert "escalation/" not in page  # no second button for the same deadline
    assert "پرونده شما اکنون به واحد مسئول ارجاع شده است" in page


# --- the tracking page answers the citizen's next questions (§3.1) ----------------------------


def test_the_units_question_stands_above_the_answer_box(client, service, people, unit):
    case = case_in(Status.ASSIGNED, service, people, unit)
    services.case_request_info(case_id=case.pk, actor=people["unit"],
                               question="لطفاً تصویر رسید پرداخت 12 آبان را بفرستید.")
    prove(client, case)
    page = client.get(f"/complaints/track/{case.tracking_number}/").content.decode()
    box = page[page.index('id="info-title"'):]
    assert box.index("تصویر رسید پرداخت ۱۲ آبان") < box.index("<textarea")


def test_the_page_says_until_when_an_objection_is_possible(client, service, people, unit):
    from sajad.jalali import JALALI_LONG_DATE, format_jalali

    case = case_in(Status.PUBLISHED, service, people, unit)
    prove(client, case)
    page = client.get(f"/complaints/track/{case.tracking_number}/").content.decode()
    until = format_jalali(services.objection_deadline(case), JALALI_LONG_DATE)
    assert f"تا {until} می‌توانید به این پاسخ اعتراض کنید" in page


def test_the_page_says_by_when_the_answer_is_due(client, service, people, unit):
    from complaints.models import CaseClock, Clock
    from sajad.jalali import JALALI_LONG_DATE, format_jalali

    case = case_in(Status.ASSIGNED, service, people, unit)
    prove(client, case)
    page = client.get(f"/complaints/track/{case.tracking_number}/").content.decode()
    due = CaseClock.objects.get(case=case, clock=Clock.RESOLUTION).due_at
    assert f"پاسخ پرونده شما حداکثر تا {format_jalali(due, JALALI_LONG_DATE)} داده می‌شود" in page


# --- the final decision after an objection (§3.1 "After the answer") -------------------------


def _final_answer(service, people, unit):
    from tests.integration.test_case_transitions import perform

    case = case_in(Status.PUBLISHED, service, people, unit)
    services.case_rate(case_id=case.pk, score=2)
    for action in (Action.OBJECT, Action.REOPEN, Action.ANSWER, Action.APPROVE):
        case = perform(action, case, people, unit)
    return case


def test_the_answer_after_an_objection_is_final_and_refuses_a_second_objection(
        client, service, people, unit):
    case = _final_answer(service, people, unit)
    prove(client, case)
    page = client.get(f"/complaints/track/{case.tracking_number}/").content.decode()
    assert "تصمیم نهایی درباره اعتراض شماست" in page
    assert "objection/" not in page

    with pytest.raises(DomainError):
        services.case_object(case_id=case.pk, reason="باز هم قبول ندارم.")
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED


def test_the_final_answer_is_rated_on_its_own(client, service, people, unit):
    case = _final_answer(service, people, unit)
    prove(client, case)
    page = client.get(f"/complaints/track/{case.tracking_number}/").content.decode()
    assert 'name="score"' in page  # the first answer's 2 does not count for this one

    client.post(f"/complaints/track/{case.tracking_number}/rating/", {"score": "5"})

    case.refresh_from_db()
    assert case.rating == 5
    scores = CaseEvent.objects.filter(case=case, kind=EventKind.RATED).order_by("id")
    assert [e.data["score"] for e in scores] == [2, 5]
    with pytest.raises(DomainError):
        services.case_rate(case_id=case.pk, score=1)


# --- information with a photo (§3.1: the unit asks for documents) ------------------------------


def _waiting(service, people, unit):
    case = case_in(Status.ASSIGNED, service, people, unit)
    return services.case_request_info(case_id=case.pk, actor=people["unit"],
                                      question="لطفاً تصویر رسید را بفرستید.")


def test_the_citizen_sends_the_requested_information_with_a_photo_the_unit_can_open(
        client, service, people, unit, private_media):
    from complaints.models import Attachment
    from tests.factories import PNG_BYTES, upload

    case = _waiting(service, people, unit)
    prove(client, case)
    response = client.post(f"/complaints/track/{case.tracking_number}/information/", {
        "text": "تصویر رسید پیوست است.", "attachments": [upload("رسید.png", PNG_BYTES)],
    })

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    attachment = Attachment.objects.get(case=case)
    assert attachment.original_name == "رسید.png" and attachment.content_type == "image/png"
    assert (private_media / attachment.file.name).is_file()
    client.force_login(people["unit"])
    staff_page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "رسید.png" in staff_page


def test_a_renamed_executable_with_the_information_is_refused_and_nothing_changes(
        client, service, people, unit, private_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.models import Attachment

    case = _waiting(service, people, unit)
    prove(client, case)
    fake = SimpleUploadedFile("x.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    response = client.post(f"/complaints/track/{case.tracking_number}/information/", {
        "text": "تصویر رسید پیوست است.", "attachments": [fake],
    })

    assert response.status_code == 400
    body = response.content.decode()
    assert "فقط این قالب‌ها پذیرفته می‌شوند" in body and "تصویر رسید پیوست است." in body
    case.refresh_from_db()
    assert case.status == Status.WAITING_CITIZEN
    assert not Attachment.objects.filter(case=case).exists()
    assert not [path for path in private_media.rglob("*") if path.is_file()]
