"""Deflection: FAQ answers are offered while a case is written, before anything is stored."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Case
from faq import services
from faq.models import DeflectionClick
from tests import factories
from tests.pages import stated_wait_minutes

pytestmark = pytest.mark.django_db

FILE_URL = reverse("complaints:file")
SUGGEST_URL = reverse("faq:suggest")


@pytest.fixture
def service():
    return factories.service(name="وام شهریه دانشجویی")


@pytest.fixture
def entry(service):
    category = services.faq_category_create(name="لغو درخواست", service=service)
    return services.faq_entry_create(
        category=category, question="می‌خواهم درخواست وام را لغو کنم؛ چه کنم؟",
        answer="در سامانه سجاد به **درخواست‌های من** بروید و «لغو» را بزنید.", is_published=True,
    )


def test_a_subject_that_matches_an_faq_entry_first_shows_the_answers_and_stores_nothing(
    client, service, entry
):
    response = client.post(FILE_URL, factories.filing_form_data(service, subject="لغو درخواست وام"))

    html = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert "deflection-step" in html
    assert entry.question in html
    assert "سامانه سجاد" in html and "<strong>" in html  # the answer, rendered from its markup
    assert reverse("faq:answered", args=[entry.pk]) in html
    assert 'name="suggestions_seen" value="1"' in html
    assert 'value="لغو درخواست وام"' in html  # the citizen's typing is kept
    assert "زهرا احمدی" in html


def test_sending_the_form_again_after_the_answers_files_exactly_one_case(client, service, entry):
    client.post(FILE_URL, factories.filing_form_data(service, subject="لغو درخواست وام"))

    response = client.post(
        FILE_URL, factories.filing_form_data(service, subject="لغو درخواست وام", suggestions_seen="1")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:filed")
    assert Case.objects.count() == 1


def test_a_subject_with_no_matching_answer_files_the_case_on_the_first_submit(
    client, service, entry
):
    response = client.post(FILE_URL, factories.filing_form_data(service, subject="خرابی سامانه خوابگاه"))

    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_the_answers_step_asks_politely_for_chosen_attachments_again(client, service, entry):
    receipt = SimpleUploadedFile("receipt.png", factories.PNG_BYTES, content_type="image/png")
    data = factories.filing_form_data(service, subject="لغو درخواست وام", attachments=[receipt])

    html = client.post(FILE_URL, data).content.decode()

    assert 'id="attachments-again"' in html
    assert Case.objects.count() == 0


def test_the_answered_click_from_a_suggestion_is_counted_once_per_visitor(client, service, entry):
    html = client.post(FILE_URL, factories.filing_form_data(service, subject="لغو درخواست وام")).content.decode()
    answered = reverse("faq:answered", args=[entry.pk])
    next_url = f"/faq/{service.slug}/#faq-{entry.pk}"
    assert f'value="{next_url}"' in html

    first = client.post(answered, {"next": next_url})
    client.post(answered, {"next": next_url})

    assert first.status_code == 302 and first["Location"] == next_url
    assert DeflectionClick.objects.filter(entry=entry).count() == 1


@pytest.mark.parametrize("subject", [
    "ميخواهم درخواست وام را لغو كنم",  # Arabic ي and ك, no space or ZWNJ
    "می خواهم درخواست وام را لغو کنم",  # a space instead of the ZWNJ
    "می‌خواهم درخواست وام را لغو کنم",  # as stored, with the ZWNJ
])
def test_the_suggestion_endpoint_finds_the_entry_for_arabic_letter_and_zwnj_variants(
    client, service, entry, subject
):
    response = client.get(SUGGEST_URL, {"q": subject, "service": service.slug})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["id"] for item in results] == [entry.pk]
    assert results[0]["url"] == f"/faq/{service.slug}/#faq-{entry.pk}"
    assert results[0]["answered_url"] == reverse("faq:answered", args=[entry.pk])


def test_the_suggestion_endpoint_leaves_out_other_services_entries_and_unpublished_ones(
    client, service, entry
):
    other = factories.service(name="خوابگاه")
    subject = "لغو درخواست وام"
    assert client.get(SUGGEST_URL, {"q": subject, "service": other.slug}).json()["results"] == []

    services.faq_entry_update(entry=entry, is_published=False)

    assert client.get(SUGGEST_URL, {"q": subject}).json()["results"] == []


def test_the_suggestion_endpoint_ignores_a_subject_of_one_or_two_letters(client, service, entry):
    assert client.get(SUGGEST_URL, {"q": "لغ"}).json()["results"] == []


def test_the_suggestion_endpoint_is_rate_limited_by_address(client, service, entry, settings):
    settings.RATE_FAQ_SUGGEST = "3/h"  # an hour-long window: four quick requests never straddle it
    responses = [client.get(SUGGEST_URL, {"q": "وام"}) for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    # The refusal says how long the hour-long window still runs, and so does Retry-After.
    assert 1 <= stated_wait_minutes(responses[-1]) <= 60


def test_the_filing_form_has_an_empty_polite_live_region_under_the_subject(client, service):
    html = client.get(FILE_URL, {"service": service.slug}).content.decode()

    region = html.index('id="deflection-live"')
    form = html.index("<form")  # the page's <meta name="description"> comes before the form
    assert html.index('name="subject"') < region < html.index('name="description"', form)
    assert 'aria-live="polite"' in html[region - 200:region + 200]
    assert "js/deflection.js" in html
