"""A service's SLA page prints as a clean A4 document, in a real browser."""
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from dashboards import rollups
from dashboards.public_figures import sla_page_period
from sajad.calendar import TEHRAN
from sajad.models import PerformanceTarget
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def loan_service(transactional_db):
    unit = factories.unit(name="امور رفاهی دانشجویان")
    service = factories.service(unit_=unit, name="وام شهریه دانشجویی")
    service.single_window_url = "https://my.gov.ir/service/tuition-loan"
    service.save()
    PerformanceTarget.objects.create(service=service, request_type="وام شهریه", working_days=15)
    # The last full month, as in tests/integration/test_catalogue.py: answers after 100, 900 and
    # 2500 working minutes against a budget of 2100, so 2 of 3 on time (67 %).
    cases = [factories.handled_case(service, first_response=first, unit_answer=answer)
             for first, answer in ((60, 100), (120, 900), (300, 2500))]
    period = sla_page_period()
    factories.case_log_dated(
        cases, dt.datetime.combine(period.first_day + dt.timedelta(days=2), dt.time(10), TEHRAN))
    rollups.rollups_update_all(now=timezone.now() + dt.timedelta(days=400))
    return service


def test_the_sla_page_prints_the_agreement_without_the_sites_navigation(page, live_server, loan_service):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/services/{loan_service.slug}/")
    title = page.get_by_role("heading", level=1)
    assert title.inner_text() == "توافق‌نامه سطح خدمت: وام شهریه دانشجویی"
    assert page.locator(".site-header").is_visible()
    assert page.get_by_role("link", name="ثبت شکایت، انتقاد یا پیشنهاد درباره این خدمت").is_visible()

    page.emulate_media(media="print")

    assert title.is_visible()
    assert page.locator("#sla-termination").is_visible()
    assert page.locator("#sla-performance table").is_visible()
    for hidden in (".site-header", ".site-footer", ".sla-actions", ".sla-breadcrumb"):
        assert page.locator(hidden).is_hidden(), hidden
    assert page.locator(".sla-print-source").is_visible()
    assert "۶۷٪" in page.locator("#figure-on-time").inner_text()
    assert sla_page_period().label in page.locator("#sla-figures-h").inner_text()
    # Black text on paper.
    assert title.evaluate("el => getComputedStyle(el).color") == "rgb(0, 0, 0)"

    page.screenshot(path=str(ARTIFACTS / "sla-page-print.png"), full_page=True)
    pdf = page.pdf(path=str(ARTIFACTS / "sla-page.pdf"), format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
