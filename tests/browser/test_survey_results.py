"""A monitoring expert reads a service's survey results with a chart and downloads the Excel file."""
import io
import secrets
from pathlib import Path

import pytest
from django.http import QueryDict
from django.test import Client
from openpyxl import load_workbook

from surveys import results, services
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_monitoring_expert_reads_the_results_and_downloads_excel(page, live_server):
    factories.monitoring_unit()
    survey = factories.survey()
    by_kind = {q.kind: q for q in survey.questions.all()}
    start = results.month(1405, 7).bounds()[0]
    for value in (5, 4, 4, 3, 2, 5):
        data = QueryDict(mutable=True)
        data[f"q{by_kind['csat'].pk}"] = str(value)
        data[f"q{by_kind['need_met'].pk}"] = "2"
        services.response_submit_public(slug=survey.slug, data=data, browser_id=secrets.token_hex(8), now=start)
    client = Client()
    client.force_login(factories.monitoring_user())
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/surveys/results/service/{survey.service.slug}/?period=month&y=1405&m=7")
    assert page.get_by_text("مهر ۱۴۰۵").first.is_visible()
    assert page.locator(".sr-kpis").get_by_text("۶۶.۷٪").is_visible()  # 4 of 6 answered 4–5
    # Chart.js drew the trend: the canvas has a chart instance with the periods as labels.
    labels = page.evaluate("() => Chart.getChart('trend-chart').data.labels")
    assert labels[-1] == "مهر ۱۴۰۵" and len(labels) == 12
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "survey-results-desktop.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="دریافت فایل اکسل").click()
    path = download_info.value.path()
    book = load_workbook(io.BytesIO(Path(path).read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    mehr = next(row for row in rows if row[0] == "مهر 1405")  # files keep ASCII digits
    assert mehr[1] == "1405/07/01" and mehr[4] == 6 and mehr[6] == 66.7
