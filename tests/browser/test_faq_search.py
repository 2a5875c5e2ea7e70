"""A citizen finds FAQ answers by typing as they would, on the FAQ page and while filing a case."""
import pytest

from faq import services as faq_services
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "می‌خواهم درخواست وام را لغو کنم؛ چه کنم؟"


@pytest.fixture
def loan_service(transactional_db):
    unit = factories.unit(name="اداره کل امور دانشجویان داخل")
    service = factories.service(unit_=unit, name="وام شهریه دانشجویی")
    category = faq_services.faq_category_create(name="لغو درخواست", service=service)
    faq_services.faq_entry_create(
        category=category, question=QUESTION,
        answer="در سامانه به **درخواست‌های من** بروید و «لغو» را بزنید.", is_published=True,
    )
    return service


def test_a_citizen_typing_a_spelling_variant_in_the_faq_search_sees_the_entry(
    page, live_server, loan_service
):
    page.goto(f"{live_server.url}/faq/")
    page.get_by_label("جست‌وجو در پرسش‌ها", exact=True).fill("ميخواهم درخواست را لغو كنم")
    page.get_by_role("button", name="جست‌وجو", exact=True).click()

    assert page.get_by_role("heading", name=QUESTION).is_visible()


def test_typing_a_case_subject_shows_a_live_faq_suggestion_with_an_answered_button(
    page, live_server, loan_service
):
    page.goto(f"{live_server.url}/complaints/new/form/?service={loan_service.slug}")
    page.get_by_label("موضوع").press_sequentially("لغو درخواست وام", delay=20)

    live = page.locator("#deflection-live[aria-live=polite]")
    live.get_by_role("link", name=QUESTION).wait_for(timeout=5000)
    assert live.get_by_role("button", name="این پاسخ پرسش من بود").count() == 1
    assert page.locator('input[name="suggestions_seen"]').input_value() == "1"
