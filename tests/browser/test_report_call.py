"""A unit head fills and submits the unit's performance report on a phone; monitoring then sees, in
admin, which unit has not submitted."""
import pytest
from django.contrib.auth.models import Permission

from complaints import roles
from complaints.workflow import Role
from tests import factories
from unit_reports.models import UnitReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-1405"


@pytest.fixture
def open_call(transactional_db, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    from sajad.storage import private_storage

    private_storage._wrapped = empty
    # Transactional tests flush the groups' grants of the migrations: give them back.
    for role in (Role.UNIT, Role.MONITORING):
        roles.staff_group(role)
    roles.staff_group(Role.MONITORING).permissions.add(
        *Permission.objects.filter(content_type__app_label="unit_reports"))
    factories.monitoring_unit()
    welfare = factories.unit(name="امور رفاهی دانشجویان")
    bourse = factories.unit(name="بورس و اعزام")
    call = factories.report_call(units=[welfare, bourse])
    head = factories.unit_user(welfare, is_head=True, username="unithead")
    monitor = factories.monitoring_user(username="monitor")
    for user in (head, monitor):
        user.set_password(PASSWORD)
        user.save()
    yield call
    private_storage._wrapped = empty


def test_the_head_submits_the_report_on_a_phone_and_monitoring_sees_who_has_not(
    page, live_server, open_call, tmp_path,
):
    page.goto(f"{live_server.url}/desk/")
    page.get_by_label("نام کاربری").fill("unithead")
    page.get_by_label("گذرواژه").fill(PASSWORD)
    page.get_by_role("button", name="ورود").click()

    page.get_by_role("link", name="گزارش‌های عملکرد").click()
    page.get_by_role("link", name=open_call.title).click()
    assert "کارنامه امور رفاهی دانشجویان" in page.get_by_label("خودارزیابی").input_value()
    page.get_by_label("مهم‌ترین اقدامات دوره").fill("پرداخت وام ودیعه مسکن به ۳۲۰ دانشجو.")
    page.get_by_label("برنامه دوره بعد").fill("برخط کردن درخواست وام ضروری.")
    attachment = tmp_path / "پیوست.pdf"
    attachment.write_bytes(factories.PDF_BYTES)
    page.get_by_label("افزودن پیوست").set_input_files(str(attachment))
    page.get_by_role("button", name="ارسال گزارش").click()

    page.get_by_text("گزارش واحد شما برای واحد نظارت و ارزیابی ارسال شد.").wait_for()
    assert page.get_by_role("button", name="ارسال گزارش").count() == 0
    assert page.get_by_role("link", name="پیوست.pdf").count() == 1
    report = UnitReport.objects.get(call=open_call)
    assert report.status == UnitReport.Status.SUBMITTED and report.files.count() == 1

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("نام کاربری").fill("monitor")
    page.get_by_label("گذرواژه").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto(f"{live_server.url}/admin/unit_reports/reportcall/")
    page.get_by_role("link", name="۱ از ۲ واحد").click()
    missing = page.locator("ul.call-missing")
    assert missing.inner_text().strip() == "بورس و اعزام"
    assert page.get_by_role("heading", name="۱ واحد هنوز گزارش نفرستاده است").count() == 1
