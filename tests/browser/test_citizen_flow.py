"""A citizen files a case on a phone and follows it up, in a real browser."""
import re
from pathlib import Path

import pytest

from complaints import forms as complaint_forms
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PERSIAN_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


@pytest.fixture
def loan_service(transactional_db):
    unit = factories.unit(name="اداره کل امور دانشجویان داخل")
    return factories.service(unit_=unit, name="وام شهریه دانشجویی")


def test_a_citizen_files_with_persian_digits_and_an_image_then_tracks_the_case(
    page, live_server, loan_service, private_media, tmp_path, monkeypatch
):
    # The anti-bot minimum time stays on, only shorter, so the test does not sleep for long.
    monkeypatch.setattr(complaint_forms, "MIN_FILL_SECONDS", 1)
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(factories.PNG_BYTES)
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/complaints/new/")
    assert page.locator("html[dir=rtl]").count() == 1
    page.get_by_role("link", name="وام شهریه دانشجویی").click()

    page.get_by_label("شکایت").check()
    page.get_by_label("موضوع").fill("تأخیر در پرداخت وام")
    page.get_by_label("شرح").fill("وام شهریه من پس از سه ماه هنوز پرداخت نشده است.")
    page.locator("#id_attachments").set_input_files(str(receipt))
    page.get_by_label("با نام و کد ملی").check()
    page.get_by_label("نام و نام خانوادگی").fill("زهرا احمدی")
    page.get_by_label("کد ملی", exact=True).fill("۰۰۱۳۵۴۲۴۱۹")
    page.get_by_label("شماره تلفن همراه", exact=True).fill("۰۹۱۲۱۲۳۴۵۶۷")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="ثبت", exact=True).click()

    shown = page.locator(".tracking-number").first.inner_text()
    number = re.sub(r"\D", "", shown.translate(PERSIAN_TO_ASCII))
    assert len(number) == 9
    assert "Vazirmatn" in page.evaluate("getComputedStyle(document.body).fontFamily")
    page.screenshot(path=str(ARTIFACTS / "citizen-confirmation.png"), full_page=True)

    # A fresh browser context: only the tracking proof opens the case.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/complaints/track/")
    page.get_by_label("شماره پیگیری").fill(shown)
    page.get_by_label("شماره تلفن همراه یا رمز پیگیری").fill("۰۹۱۲۱۲۳۴۵۶۷")
    page.get_by_role("button", name="نمایش پرونده من").click()

    assert page.url.endswith(f"/complaints/track/{number}/")
    assert page.locator("html[dir=rtl]").count() == 1
    assert page.locator(".status-badge").inner_text() == "ثبت‌شده"
    assert page.get_by_role("link", name="receipt.png").is_visible()
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    stylesheet_ok = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert stylesheet_ok == "rgb(11, 83, 148)"  # our site.css loaded from the live server
    page.screenshot(path=str(ARTIFACTS / "citizen-case.png"), full_page=True)
