"""Report calls (فراخوان): the window locks at the close, extensions open it for one unit only, a
unit never reaches another unit's report, monitoring returns reports, reminders go out once."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Message
from sajad.errors import DomainError
from sajad.models import UnitMember
from tests import factories as f
from unit_reports import selectors, services
from unit_reports.models import CallExtension, ReportFile, UnitContact, UnitReport
from dashboards.periods import Period

pytestmark = pytest.mark.django_db

PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def units(monitoring_unit):
    return f.unit(name="امور رفاهی"), f.unit(name="بورس و اعزام")


@pytest.fixture
def heads(units):
    return tuple(f.unit_user(u, is_head=True) for u in units)


@pytest.fixture
def call(units):
    return f.report_call(units=units)


def _answers(report, text="متن گزارش") -> dict[int, str]:
    return {s.pk: text for s in report.call.sections.all()}


def _write(call, unit, head, *, now=None):
    report = services.report_start(call=call, unit=unit, actor=head, now=now)
    services.report_save(call=report.call, unit=report.unit, answers=_answers(report), self_assessment="خوب",
                         actor=head, now=now)
    return report


def _refusal(exc_info) -> str:
    with translation.override("fa"):
        return str(exc_info.value.message)


# --- opening a call -----------------------------------------------------------------------------


def test_only_the_monitoring_unit_opens_a_call_and_bad_windows_are_refused(units, heads):
    now = timezone.now()
    common = dict(title="فراخوان", service=f.internal_service(), period=Period("month", 1405, 8),
                  sections=[("اقدامات", "")], units=units)
    with pytest.raises(DomainError):
        services.call_open(opens_at=now, closes_at=now + dt.timedelta(days=3), actor=heads[0],
                           **common)
    with pytest.raises(DomainError) as refused:
        services.call_open(opens_at=now, closes_at=now - dt.timedelta(days=1),
                           actor=f.monitoring_user(), **common)
    assert PERSIAN.search(_refusal(refused))
    with pytest.raises(DomainError):
        services.call_open(opens_at=now, closes_at=now + dt.timedelta(days=3),
                           actor=f.monitoring_user(), **{**common, "sections": [("  ", "")]})
    from unit_reports.models import ReportCall
    assert not ReportCall.objects.exists()


def test_a_draft_starts_from_the_scorecard_of_the_calls_period(call, units, heads):
    report = services.report_start(call=call, unit=units[0], actor=heads[0])
    assert report.status == UnitReport.Status.DRAFT
    assert units[0].name in report.self_assessment
    assert call.period.label in report.self_assessment
    from dashboards.scorecards import unit_scorecard
    for figure in unit_scorecard(unit=units[0], period=call.period).figures:
        assert f"{figure.label}: {figure.value_display}" in report.self_assessment
    assert report.answers.count() == call.sections.count()


# --- the close and extensions -------------------------------------------------------------------


def test_a_report_after_the_close_is_refused_with_a_clear_message_and_nothing_changes(
    call, units, heads,
):
    report = _write(call, units[0], heads[0])
    after_close = call.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(DomainError) as refused:
        services.report_submit(report_id=report.pk, actor=heads[0], now=after_close)
    assert "قفل" in _refusal(refused)  # "the report is locked"
    with pytest.raises(DomainError):
        services.report_save(call=report.call, unit=report.unit, answers=_answers(report, "دیر"),
                             self_assessment="دیر", actor=heads[0], now=after_close)
    report.refresh_from_db()
    assert report.status == UnitReport.Status.DRAFT and report.submitted_at is None
    assert report.self_assessment == "خوب"


def test_an_extension_lets_exactly_that_unit_submit_after_the_close(call, units, heads):
    reports = [_write(call, unit, head) for unit, head in zip(units, heads, strict=True)]
    monitor = f.monitoring_user()
    # The extension is granted in the future of the close, as monitoring does a day before it.
    grant_time = call.closes_at - dt.timedelta(hours=1)
    extension = services.extension_grant(call=call, unit=units[0],
                                         until=call.closes_at + dt.timedelta(days=2),
                                         reason="مدیر واحد در مأموریت بود", actor=monitor,
                                         now=grant_time)
    assert (extension.granted_by, extension.unit) == (monitor, units[0])
    after_close = call.closes_at + dt.timedelta(days=1)

    with pytest.raises(DomainError):
        services.report_submit(report_id=reports[1].pk, actor=heads[1], now=after_close)
    late = services.report_submit(report_id=reports[0].pk, actor=heads[0], now=after_close)

    assert late.status == UnitReport.Status.SUBMITTED and late.submitted_late
    reports[1].refresh_from_db()
    assert reports[1].status == UnitReport.Status.DRAFT
    with pytest.raises(DomainError):  # and the extension itself ends
        services.report_save(call=call, unit=units[0], answers={}, self_assessment="",
                             actor=heads[0], now=call.closes_at + dt.timedelta(days=3))


def test_only_monitoring_grants_extensions_and_only_past_the_close(call, units, heads):
    with pytest.raises(DomainError):
        services.extension_grant(call=call, unit=units[0], until=call.closes_at + dt.timedelta(days=1),
                                 actor=heads[0])
    with pytest.raises(DomainError):
        services.extension_grant(call=call, unit=units[0], until=call.closes_at,
                                 actor=f.monitoring_user())
    outsider = f.unit(name="واحد بی‌فراخوان")
    with pytest.raises(DomainError):
        services.extension_grant(call=call, unit=outsider, until=call.closes_at + dt.timedelta(days=1),
                                 actor=f.monitoring_user())
    assert not CallExtension.objects.exists()


def test_only_the_head_submits_and_every_section_must_be_answered(call, units, heads):
    staff = f.unit_user(units[0])
    report = services.report_start(call=call, unit=units[0], actor=staff)
    first = call.sections.first()
    services.report_save(call=report.call, unit=report.unit, answers={first.pk: "فقط بخش اول"}, self_assessment="",
                         actor=staff)
    with pytest.raises(DomainError):
        services.report_submit(report_id=report.pk, actor=staff)
    with pytest.raises(DomainError) as refused:
        services.report_submit(report_id=report.pk, actor=heads[0])
    assert call.sections.last().title in _refusal(refused)
    report.refresh_from_db()
    assert report.status == UnitReport.Status.DRAFT


def test_a_unit_cannot_write_another_units_report(call, units, heads):
    report = _write(call, units[0], heads[0])
    with pytest.raises(DomainError):
        services.report_save(call=report.call, unit=report.unit, answers=_answers(report, "دستکاری"),
                             self_assessment="", actor=heads[1])
    with pytest.raises(DomainError):
        services.report_submit(report_id=report.pk, actor=heads[1])
    assert report.answers.filter(text="دستکاری").count() == 0


# --- monitoring's review ------------------------------------------------------------------------


def test_monitoring_returns_a_report_before_the_close_and_the_head_resubmits(call, units, heads):
    report = _write(call, units[0], heads[0])
    services.report_submit(report_id=report.pk, actor=heads[0])
    monitor = f.monitoring_user()
    with pytest.raises(DomainError):
        services.report_return(report_id=report.pk, reason="  ", actor=monitor)
    services.report_return(report_id=report.pk, reason="آمار ماه سوم را اضافه کنید", actor=monitor)
    report.refresh_from_db()
    assert report.status == UnitReport.Status.RETURNED
    assert report.return_reason == "آمار ماه سوم را اضافه کنید"
    assert not Message.objects.filter(template="unit_report_returned").exists()  # no address yet
    resubmitted = services.report_submit(report_id=report.pk, actor=heads[0])
    assert resubmitted.status == UnitReport.Status.SUBMITTED


def test_the_heads_hear_of_a_return_by_e_mail_with_the_reason(call, units, heads):
    heads[0].email = "head@welfare.example"
    heads[0].save()
    report = _write(call, units[0], heads[0])
    services.report_submit(report_id=report.pk, actor=heads[0])
    services.report_return(report_id=report.pk, reason="جدول هزینه‌ها ناقص است",
                           actor=f.monitoring_user())
    mail = Message.objects.get(template="unit_report_returned")
    assert mail.recipient == "head@welfare.example" and mail.channel == "email"
    assert "جدول هزینه‌ها ناقص است" in mail.body and call.title in mail.subject


def test_a_report_cannot_be_returned_after_the_close(call, units, heads):
    report = _write(call, units[0], heads[0])
    services.report_submit(report_id=report.pk, actor=heads[0])
    with pytest.raises(DomainError):
        services.report_return(report_id=report.pk, reason="دیر", actor=f.monitoring_user(),
                               now=call.closes_at + dt.timedelta(hours=1))
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED


def test_the_missing_list_names_every_unit_that_has_not_submitted(call, units, heads):
    assert set(selectors.calls_missing_units(call)) == set(units)
    report = _write(call, units[0], heads[0])
    assert set(selectors.calls_missing_units(call)) == set(units)  # a draft is not a report
    services.report_submit(report_id=report.pk, actor=heads[0])
    assert list(selectors.calls_missing_units(call)) == [units[1]]


# --- reminders ----------------------------------------------------------------------------------


def test_reminders_go_once_to_the_units_that_have_not_submitted(call, units, heads):
    heads[1].email = "head@bourse.example"
    heads[1].save()
    UnitContact.objects.create(unit=units[1], name="دبیرخانه", mobile="09121112233")
    report = _write(call, units[0], heads[0])
    services.report_submit(report_id=report.pk, actor=heads[0])
    at = call.closes_at - dt.timedelta(days=2)  # past the 3-day point, before the 1-day one

    assert services.reminders_send(now=at) == 2
    assert services.reminders_send(now=at) == 0
    rows = Message.objects.filter(template="unit_report_reminder")
    assert sorted(rows.values_list("channel", "recipient")) == [
        ("email", "head@bourse.example"), ("sms", "09121112233")]
    assert "بورس و اعزام" in rows.get(channel="sms").body

    services.reminders_send(now=call.closes_at - dt.timedelta(hours=12))  # the 1-day point
    assert rows.count() == 4
    services.reminders_send(now=call.closes_at + dt.timedelta(hours=1))  # closed: nothing more
    assert rows.count() == 4


def test_a_task_that_missed_both_points_sends_one_reminder_not_two(call, units, heads):
    UnitContact.objects.create(unit=units[0], name="دبیرخانه", mobile="09121112233")
    services.reminders_send(now=call.closes_at - dt.timedelta(hours=1))
    assert Message.objects.filter(template="unit_report_reminder", recipient="09121112233").count() == 1


# --- the desk -----------------------------------------------------------------------------------


def _report_url(call):
    return reverse("desk_reports:report", args=[call.pk])


def _post(call, text="متن", action="save", **extra):
    data = {"action": action, "self_assessment": "ارزیابی ما"}
    data.update({f"section_{s.pk}": text for s in call.sections.all()})
    data.update(extra)
    return data


def test_the_head_fills_and_submits_the_report_with_a_file_from_the_desk(
    client, call, units, heads, private_media,
):
    client.force_login(heads[0])
    page = client.get(_report_url(call))
    assert page.status_code == 200
    assert units[0].name in page.content.decode()  # the scorecard draft is in the form
    response = client.post(_report_url(call), _post(
        call, action="submit", files=[f.upload("گزارش.pdf", f.PDF_BYTES)]))
    assert response.status_code == 302
    report = UnitReport.objects.get(call=call, unit=units[0])
    assert report.status == UnitReport.Status.SUBMITTED and report.submitted_by == heads[0]
    stored = report.files.get()
    assert stored.original_name == "گزارش.pdf" and stored.content_type == "application/pdf"
    assert not stored.file.name.startswith("/") and "گزارش" not in stored.file.name
    download = client.get(reverse("desk_reports:file", args=[stored.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == f.PDF_BYTES


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_stored(
    client, call, units, heads, private_media,
):
    client.force_login(heads[0])
    response = client.post(_report_url(call), _post(call, files=[f.upload("a.pdf", f.EXE_BYTES)]))
    assert response.status_code == 400
    assert not UnitReport.objects.exists() and not ReportFile.objects.exists()
    assert "PDF" in response.content.decode()


def test_another_units_call_and_files_are_404_on_the_desk(client, units, heads, private_media):
    own_call = f.report_call(units=[units[0]])
    client.force_login(heads[0])
    client.post(_report_url(own_call), _post(own_call, files=[f.upload("a.pdf", f.PDF_BYTES)]))
    stored = ReportFile.objects.get()

    client.force_login(heads[1])
    assert client.get(_report_url(own_call)).status_code == 404
    assert client.post(_report_url(own_call), _post(own_call, action="submit")).status_code == 404
    assert client.get(reverse("desk_reports:file", args=[stored.pk])).status_code == 404
    delete = reverse("desk_reports:file_delete", args=[own_call.pk, stored.pk])
    assert client.post(delete).status_code == 404
    assert ReportFile.objects.filter(pk=stored.pk).exists()
    assert UnitReport.objects.get().status == UnitReport.Status.DRAFT
    listing = client.get(reverse("desk_reports:list")).content.decode()
    assert own_call.title not in listing


def test_the_desk_shows_the_lock_after_the_close_and_the_reason_of_a_return(
    client, call, units, heads,
):
    report = _write(call, units[0], heads[0])
    services.report_submit(report_id=report.pk, actor=heads[0])
    services.report_return(report_id=report.pk, reason="جدول هزینه‌ها را کامل کنید",
                           actor=f.monitoring_user())
    client.force_login(heads[0])
    page = client.get(_report_url(call)).content.decode()
    assert "جدول هزینه‌ها را کامل کنید" in page

    from unit_reports.models import ReportCall
    ReportCall.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(_report_url(call)).content.decode()
    assert 'value="submit"' not in page and "قفل" in page
    response = client.post(_report_url(call), _post(call, action="submit"), follow=True)
    assert "قفل" in response.content.decode()
    report.refresh_from_db()
    assert report.status == UnitReport.Status.RETURNED


def test_monitoring_users_and_visitors_do_not_use_the_desk_reports(client, call):
    assert client.get(_report_url(call)).status_code == 302
    client.force_login(f.monitoring_user())
    assert client.get(_report_url(call)).status_code == 403


# --- admin --------------------------------------------------------------------------------------


def test_monitoring_opens_a_call_in_admin_with_jalali_days(admin_client, units):
    svc = f.internal_service()
    response = admin_client.post(reverse("admin:unit_reports_reportcall_add"), {
        "title": "فراخوان آذر", "service": svc.pk, "period_kind": "month", "period_year": "۱۴۰۵",
        "period_index": "8", "open_date": "۱۴۰۵/۰۹/۰۱", "close_date": "۱۴۰۵/۰۹/۱۵",
        "reminder_text": "۳، ۱", "units": [u.pk for u in units],
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-0-order": "1", "sections-0-title": "اقدامات", "sections-0-guidance": "",
        "extensions-TOTAL_FORMS": "0", "extensions-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    from unit_reports.models import ReportCall
    call = ReportCall.objects.get()
    assert call.opens_at == dt.datetime(2026, 11, 22, tzinfo=dt.timezone(dt.timedelta(hours=3, minutes=30)))
    # ۱۵ آذر is 6 December; the call closes at the end of that day in Tehran.
    assert call.closes_at == dt.datetime(2026, 12, 7, tzinfo=dt.timezone(dt.timedelta(hours=3, minutes=30)))
    assert call.reminder_days == [3, 1] and call.sections.get().title == "اقدامات"


def test_admin_refuses_a_call_that_closes_before_it_opens(admin_client, units):
    response = admin_client.post(reverse("admin:unit_reports_reportcall_add"), {
        "title": "فراخوان", "service": f.internal_service().pk, "period_kind": "month",
        "period_year": "1405", "period_index": "8", "open_date": "1405/09/10",
        "close_date": "1405/09/01", "reminder_text": "", "units": [units[0].pk],
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-0-order": "1", "sections-0-title": "اقدامات",
        "extensions-TOTAL_FORMS": "0", "extensions-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    from unit_reports.models import ReportCall
    assert not ReportCall.objects.exists()


def test_monitoring_sees_who_has_not_submitted_and_returns_a_report_in_admin(
    client, call, units, heads,
):
    report = _write(call, units[0], heads[0])
    services.report_submit(report_id=report.pk, actor=heads[0])
    monitor = f.monitoring_user()
    monitor.is_staff = True
    monitor.save()
    client.force_login(monitor)  # the monitoring group's admin rights come from migration 0002
    assert client.get(reverse("admin:unit_reports_reportcall_changelist")).status_code == 200
    assert client.get(reverse("admin:unit_reports_unitreport_change", args=[report.pk])).status_code == 200

    page = client.get(reverse("admin:unit_reports_reportcall_progress", args=[call.pk]))
    missing = re.search(r'<ul class="call-missing".*?</ul>', page.content.decode(), re.S).group(0)
    assert units[1].name in missing and units[0].name not in missing

    response = client.post(reverse("admin:unit_reports_unitreport_review", args=[report.pk]),
                           {"action": "return", "reason": "پیوست‌ها ناقص است"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == UnitReport.Status.RETURNED


def test_unit_staff_cannot_use_the_monitoring_pages(client, call, units, heads):
    heads[0].is_staff = True
    heads[0].save()
    client.force_login(heads[0])
    page = client.get(reverse("admin:unit_reports_reportcall_progress", args=[call.pk]))
    assert page.status_code in (302, 403)
    assert UnitMember.objects.filter(user=heads[0]).exists()


# --- the SLA page -------------------------------------------------------------------------------


def test_the_internal_services_sla_page_shows_the_current_call_and_its_end(client, units):
    from sajad.jalali import format_jalali

    past = f.report_call(units=units, opens_in_days=-60, closes_in_days=-30)
    current = f.report_call(units=units, service_=past.service, opens_in_days=-2, closes_in_days=9)
    page = client.get(past.service.get_absolute_url()).content.decode()
    call_block = re.search(r'<div class="sla-call".*?</div>\s*</section>', page, re.S).group(0)
    assert format_jalali(current.closes_at) in call_block
    assert format_jalali(current.opens_at) in call_block
    assert format_jalali(past.closes_at) not in call_block
    assert "با پایان فراخوان خاتمه" in call_block


def test_a_citizen_service_page_shows_no_call(client, units):
    call = f.report_call(units=units)
    page = client.get(f.service().get_absolute_url()).content.decode()
    assert 'class="sla-call"' not in page and call.title not in page


# --- demo data ----------------------------------------------------------------------------------


def test_the_demo_has_an_open_call_with_units_submitted_and_not_and_reruns_add_nothing():
    from io import StringIO

    from django.core.management import call_command

    from unit_reports.models import ReportCall

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_reports", stdout=StringIO())
    counts = (ReportCall.objects.count(), UnitReport.objects.count(), CallExtension.objects.count())
    call_command("seed_demo_reports", stdout=StringIO())
    assert (ReportCall.objects.count(), UnitReport.objects.count(),
            CallExtension.objects.count()) == counts

    now = timezone.now()
    open_call = ReportCall.objects.get(opens_at__lte=now, closes_at__gt=now)
    missing = set(selectors.calls_missing_units(open_call).values_list("slug", flat=True))
    assert "welfare" in missing and "scholarships" not in missing
    assert open_call.reports.filter(status=UnitReport.Status.RETURNED).exists()
    assert CallExtension.objects.filter(unit__slug="international").exists()
    # The welfare head of the demo can write the report on the desk.
    from django.contrib.auth.models import User
    assert User.objects.get(username="unithead").unit_membership.unit.slug == "welfare"


# --- valid HTML ---------------------------------------------------------------------------------


def test_the_report_pages_and_the_sla_call_block_are_valid_html(
    client, call, units, heads, tmp_path, private_media,
):
    from tests.integration.test_html_validity import check_html

    client.force_login(heads[0])
    client.post(_report_url(call), _post(call, files=[f.upload("a.pdf", f.PDF_BYTES)]))
    pages = {
        "desk report list": client.get(reverse("desk_reports:list")).content.decode(),
        "desk report draft": client.get(_report_url(call)).content.decode(),
        "SLA page with a call": client.get(call.service.get_absolute_url()).content.decode(),
    }
    services.report_submit(report_id=UnitReport.objects.get().pk, actor=heads[0])
    pages["desk report submitted"] = client.get(_report_url(call)).content.decode()
    assert check_html(pages, tmp_path) == []
