"""A department head answers a case from the unit desk on a phone, in a real browser."""
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from complaints import roles, services
from complaints.models import AnswerTemplate, Case
from complaints.workflow import Role, Status
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assigned_case(transactional_db):
    # Groups come from a migration, and transactional tests flush them: make the ones we need.
    for role in (Role.UNIT, Role.MONITORING):
        roles.staff_group(role)
    # Likewise the global answer templates of migration 0019.
    AnswerTemplate.objects.get_or_create(unit=None, key="reviewed", defaults={
        "label": "نتیجهٔ بررسی",
        "text": "با سلام. درخواست شما در واحد مسئول با دقت بررسی شد و نتیجه به شرح زیر است.",
    })
    unit = factories.unit(name="امور رفاهی دانشجویان")
    service = factories.service(unit_=unit, name="وام شهریه دانشجویی")
    case = factories.filed_case(service_=service, subject="تأخیر در پرداخت وام").case
    services.case_assign(case_id=case.pk, unit=unit, role=Role.SYSTEM)
    head = factories.unit_user(unit, is_head=True, username="unithead")
    head.set_password("demo-pass-1405")
    head.save()
    return case


def test_the_unit_head_logs_in_on_a_phone_answers_a_case_and_sees_the_status_change(
    page, live_server, assigned_case,
):
    page.goto(f"{live_server.url}/desk/")
    assert page.locator("html[dir=rtl]").count() == 1
    page.get_by_label("نام کاربری").fill("unithead")
    page.get_by_label("گذرواژه").fill("demo-pass-1405")
    page.get_by_role("button", name="ورود").click()

    page.get_by_role("heading", name="کارتابل").wait_for()
    page.get_by_role("link", name="تأخیر در پرداخت وام").click()
    # The template script is deferred: on a busy machine the list can be chosen before it runs
    # (the server then adds the text on submit, the no-JavaScript path). Test the script itself.
    page.wait_for_load_state("load")

    page.get_by_label("الگوی پاسخ").select_option("reviewed")
    # The template's text lands in the box, editable, and the list is reset.
    box = page.get_by_label("پاسخ شما به شهروند")
    expect(box).to_have_value(re.compile("^با سلام. درخواست شما در واحد مسئول با دقت بررسی شد"))
    expect(page.get_by_label("الگوی پاسخ")).to_have_value("")
    page.get_by_label("پاسخ شما به شهروند").fill("وام شما تا پایان این هفته واریز می‌شود.")
    page.get_by_role("button", name="فرستادن پاسخ برای تأیید").click()

    page.get_by_text("پاسخ شما برای تأیید به واحد نظارت فرستاده شد.").wait_for()
    with translation.override("fa"):
        answered = str(Status.ANSWERED.label)
    assert page.locator(".desk-case-meta .status-badge").inner_text() == answered
    assert page.get_by_role("button", name="فرستادن پاسخ برای تأیید").count() == 0
    assigned_case.refresh_from_db()
    assert assigned_case.status == Status.ANSWERED
    assert Case.objects.get(pk=assigned_case.pk).events.filter(kind="answer").exists()
