"""A citizen answers the handling survey on a phone from the link in an invitation."""
from pathlib import Path

import pytest
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Invitation, Response
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_citizen_answers_from_an_invitation_link_on_a_phone(page, live_server):
    survey = factories.handling_survey()
    case = factories.filed_case().case
    invitation = Invitation.objects.create(
        survey=survey, case=case, service=case.service, unit=case.service.unit,
        token=services.new_browser_id(), mobile=case.mobile, created_at=timezone.now(),
    )
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/surveys/i/{invitation.token}/")
    assert page.locator("html[dir=rtl]").count() == 1
    # The scale runs right to left: 1 (very dissatisfied) is drawn to the right of 5.
    one = page.locator("fieldset").first.locator(".survey-point", has_text="۱").bounding_box()
    five = page.locator("fieldset").first.locator(".survey-point", has_text="۵").bounding_box()
    assert one["x"] > five["x"]

    # Sending without the required "was it solved?" answer shows a Persian message and stores nothing.
    page.locator(".survey-point", has_text="۴").first.click()
    page.get_by_role("button", name="ارسال پاسخ‌ها").click()
    assert page.get_by_text("لطفاً به این پرسش پاسخ دهید.").first.is_visible()
    assert not Response.objects.exists()

    page.get_by_label("تا حدی").check()
    page.get_by_label("چه چیزی را بهتر کنیم؟").fill("پاسخ زودتر داده شود")
    page.screenshot(path=str(ARTIFACTS / "survey-invitation-phone.png"), full_page=True)
    page.get_by_role("button", name="ارسال پاسخ‌ها").click()
    assert page.get_by_role("heading", name="از پاسخ‌های شما سپاسگزاریم").is_visible()

    response = Response.objects.get()
    assert response.case == case and response.channel == "invitation"
    assert dict(Answer.objects.values_list("kind", "value").exclude(kind="text")) == {"csat": 4, "need_met": 1}

    page.goto(f"{live_server.url}/surveys/i/{invitation.token}/")
    assert page.get_by_text("قبلاً استفاده شده").is_visible()
