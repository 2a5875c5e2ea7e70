"""The whole loop of a case in a real browser, on a phone: the unit head assigns it to a colleague,
the citizen sends the requested information with a photo, and an objection ends in a final answer."""
import pytest

from complaints import roles, services
from complaints.models import Attachment, Case
from complaints.workflow import Role, Status
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-1405"
MOBILE = "09121234567"


@pytest.fixture
def people(transactional_db):
    # Groups come from a migration, and transactional tests flush them: make the ones we need.
    for role in (Role.UNIT, Role.MONITORING, Role.MONITORING_HEAD):
        roles.staff_group(role)
    unit = factories.unit(name="امور رفاهی دانشجویان")
    service = factories.service(unit_=unit, name="وام شهریه دانشجویی")
    head = factories.unit_user(unit, is_head=True, username="unithead")
    colleague = factories.unit_user(unit, username="maryam")
    colleague.first_name, colleague.last_name, colleague.email = "مریم", "کاظمی", "m@example.ir"
    for user in (head, colleague):
        user.set_password(PASSWORD)
        user.save()
    return {
        "unit": unit, "service": service, "head": head, "colleague": colleague,
        "monitor": factories.monitoring_user(), "monitor_head": factories.monitoring_head(),
    }


def _assigned_case(people) -> Case:
    case = factories.filed_case(service_=people["service"], subject="تأخیر در پرداخت وام",
                                mobile=MOBILE).case
    return services.case_assign(case_id=case.pk, unit=people["unit"], role=Role.SYSTEM)


def _log_in_to_the_desk(page, live_server, username):
    page.goto(f"{live_server.url}/desk/login/")
    page.get_by_label("نام کاربری").fill(username)
    page.get_by_label("گذرواژه").fill(PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.get_by_role("heading", name="کارتابل").wait_for()


def _track(page, live_server, case):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/complaints/track/")
    page.get_by_label("شماره پیگیری").fill(case.tracking_number)
    page.get_by_label("شماره تلفن همراه یا رمز پیگیری").fill(MOBILE)
    page.get_by_role("button", name="نمایش پرونده من").click()
    page.wait_for_url(f"**/complaints/track/{case.tracking_number}/")


def test_the_unit_head_assigns_a_case_to_a_colleague_who_finds_it_under_mine(
    page, live_server, people,
):
    case = _assigned_case(people)
    _log_in_to_the_desk(page, live_server, "unithead")
    page.get_by_role("link", name="تأخیر در پرداخت وام").click()

    page.locator("#id_assignee").select_option(label="مریم کاظمی")
    page.get_by_role("button", name="سپردن", exact=True).click()

    page.get_by_text("پرونده به مریم کاظمی سپرده شد").wait_for()
    assert page.locator(".case-assignee").inner_text() == "مریم کاظمی"
    case.refresh_from_db()
    assert case.assignee == people["colleague"]

    page.context.clear_cookies()
    _log_in_to_the_desk(page, live_server, "maryam")
    page.get_by_role("link", name="فقط پرونده‌هایی که به من سپرده شده").click()
    assert page.get_by_role("link", name="تأخیر در پرداخت وام").count() == 1
    page.get_by_role("link", name="تأخیر در پرداخت وام").click()
    assert page.locator(".case-assignee").inner_text() == "مریم کاظمی"
    assert page.locator("#id_assignee").count() == 0  # only the head assigns


def test_the_citizen_sends_the_requested_information_with_a_photo(
    page, live_server, people, private_media, tmp_path,
):
    case = _assigned_case(people)
    services.case_request_info(case_id=case.pk, actor=people["head"],
                               question="لطفاً تصویر رسید پرداخت شهریه را بفرستید.")
    photo = tmp_path / "receipt.png"
    photo.write_bytes(factories.PNG_BYTES)

    _track(page, live_server, case)
    box = page.locator("section.action-box", has=page.get_by_role("heading", name="به اطلاعات بیشتری از شما نیاز داریم"))
    assert "تصویر رسید پرداخت شهریه" in box.inner_text()  # the question stands above the box
    page.get_by_label("اطلاعات درخواست‌شده").fill("تصویر رسید پیوست است.")
    page.get_by_label("عکس یا سند (اختیاری)").set_input_files(str(photo))
    page.get_by_role("button", name="ارسال اطلاعات").click()

    page.get_by_text("اطلاعات شما به پرونده افزوده شد").wait_for()
    assert page.get_by_role("link", name="receipt.png").count() == 1
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert Attachment.objects.filter(case=case, content_type="image/png").count() == 1


def test_an_objection_is_reviewed_reopened_and_ends_in_a_final_answer_rated_on_its_own(
    page, live_server, people,
):
    case = _assigned_case(people)
    services.case_answer(case_id=case.pk, actor=people["head"], text="وام شما واریز شد.")
    services.case_answer_approve(case_id=case.pk, actor=people["monitor"])

    _track(page, live_server, case)
    page.get_by_label("دلیل اعتراض شما به پاسخ چیست؟").fill("هنوز مبلغی واریز نشده است.")
    page.get_by_role("button", name="ثبت اعتراض").click()
    page.get_by_text("اعتراض شما ثبت شد").wait_for()

    services.case_reopen(case_id=case.pk, actor=people["monitor_head"], note="بررسی دوباره")
    services.case_answer(case_id=case.pk, actor=people["head"],
                         text="مبلغ وام امروز به حساب دانشگاه واریز شد.")
    services.case_answer_approve(case_id=case.pk, actor=people["monitor"])

    page.reload()
    page.get_by_text("مبلغ وام امروز به حساب دانشگاه واریز شد.").wait_for()
    page.get_by_text("این پاسخ، تصمیم نهایی درباره اعتراض شماست").wait_for()
    assert page.get_by_role("button", name="ثبت اعتراض").count() == 0
    page.get_by_label("۵ — بسیار خوب").check()
    page.get_by_role("button", name="ثبت امتیاز").click()
    page.get_by_text("از این‌که به پاسخ امتیاز دادید سپاس‌گزاریم.").wait_for()
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED and case.rating == 5
