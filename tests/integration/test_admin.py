"""The monitoring unit's triage tool in Django admin: actions go through the workflow, lists stay bounded."""
import datetime as dt
import re
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from complaints import services
from complaints.models import Case, CaseEvent, EventKind, Kind
from complaints.workflow import Action, Role, Status, TransitionNotAllowed
from sajad.jalali import format_jalali
from sajad.persian import to_persian_digits
from sajad.templatetags.sajad_tags import tracking_display
from tests import factories as f
from tests.factories import PNG_BYTES, upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:complaints_case_changelist")


@pytest.fixture
def monitor(client):
    user = f.monitoring_user()
    client.force_login(user)
    return user


@pytest.fixture
def target_unit():
    return f.unit(name="امور رفاهی دانشجویان")


def _bulk(client, action: str, cases, **fields):
    data = {"action": action, "index": "0", "_selected_action": [c.pk for c in cases], **fields}
    return client.post(CHANGELIST, data, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _refusal(status, action) -> str:
    """The Persian message the workflow gives for an illegal step, as the admin must show it."""
    with translation.override("fa"):
        return str(TransitionNotAllowed(status=status, action=action, role=Role.MONITORING).message)


def _assigned_case(monitor, unit_):
    case = f.filed_case().case
    return services.case_assign(case_id=case.pk, unit=unit_, actor=monitor)


def _answered_case(monitor, unit_):
    case = _assigned_case(monitor, unit_)
    return services.case_answer(case_id=case.pk, actor=f.unit_user(unit_), text="پاسخ واحد")


# --- bulk actions -------------------------------------------------------------------------------


def test_bulk_assign_shows_a_form_first_then_assigns_every_case_and_logs_it(client, monitor,
                                                                            target_unit):
    cases = [f.filed_case().case for _ in range(2)]
    page = client.post(CHANGELIST, {"action": "bulk_assign", "index": "0",
                                    "_selected_action": [c.pk for c in cases]})
    assert page.status_code == 200
    assert "admin/complaints/case/action_form.html" in [t.name for t in page.templates]

    response = _bulk(client, "bulk_assign", cases, apply="1", unit=target_unit.pk, priority="3",
                     note="ارجاع به واحد رفاه")
    assert any("2" in m or "۲" in m for m in _messages(response))
    for case in cases:
        case.refresh_from_db()
        assert (case.status, case.unit, case.priority) == (Status.ASSIGNED, target_unit, 3)
        assert case.events.filter(kind=Action.ASSIGN, actor=monitor).exists()


def test_bulk_reject_as_spam_needs_a_reason_and_rejects_with_an_event(client, monitor):
    case = f.filed_case().case
    without_reason = _bulk(client, "bulk_reject", [case], apply="1", reason="")
    assert without_reason.status_code == 200 and without_reason.context["form"].errors
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED

    _bulk(client, "bulk_reject", [case], apply="1", reason="هرزنامه تبلیغاتی")
    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert case.events.get(kind=Action.REJECT).note == "هرزنامه تبلیغاتی"


def test_bulk_merge_folds_duplicates_into_the_case_named_by_its_persian_tracking_number(
    client, monitor,
):
    keep, dup1, dup2 = (f.filed_case().case for _ in range(3))
    _bulk(client, "bulk_merge", [dup1, dup2, keep], apply="1",
          into=to_persian_digits(keep.tracking_number))
    for dup in (dup1, dup2):
        dup.refresh_from_db()
        assert (dup.status, dup.merged_into_id) == (Status.MERGED, keep.pk)
        assert dup.events.filter(kind=Action.MERGE).exists()
    keep.refresh_from_db()
    assert keep.status == Status.SUBMITTED


def test_bulk_refer_records_the_other_body_for_the_citizen(client, monitor):
    case = f.filed_case().case
    _bulk(client, "bulk_refer", [case], apply="1", body_name="دانشگاه آزاد اسلامی",
          body_url="https://iau.ac.ir/", note="")
    case.refresh_from_db()
    assert (case.status, case.referred_body_name) == (Status.REFERRED, "دانشگاه آزاد اسلامی")
    assert case.events.filter(kind=Action.REFER).exists()


def test_bulk_approve_publishes_answered_cases_and_close_closes_published_ones(
    client, monitor, target_unit,
):
    case = _answered_case(monitor, target_unit)
    # First a confirmation that lists the answers to be published; nothing changes yet.
    confirm = _bulk(client, "bulk_approve", [case]).content.decode()
    assert "پاسخ واحد" in confirm and 'name="apply"' in confirm
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    _bulk(client, "bulk_approve", [case], apply="1")
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    assert case.events.get(kind=Action.APPROVE).note == "پاسخ واحد"

    _bulk(client, "bulk_close", [case], apply="1")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.events.filter(kind=Action.CLOSE, actor=monitor).exists()


def test_bulk_close_first_lists_the_cases_and_closes_them_only_once_confirmed(
    client, monitor, target_unit,
):
    published = [
        services.case_answer_approve(case_id=_answered_case(monitor, target_unit).pk, actor=monitor)
        for _ in range(2)
    ]
    response = _bulk(client, "bulk_close", published)
    page = response.content.decode()
    # Nothing changed: the page lists each case by its tracking number and subject and asks.
    for case in published:
        case.refresh_from_db()
        assert case.status == Status.PUBLISHED
        assert not case.events.filter(kind=Action.CLOSE).exists()
        assert tracking_display(case.tracking_number) in page and case.subject in page
    assert 'name="apply"' in page and "case-action-list" in page
    assert {int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', page)} == {
        c.pk for c in published}

    response = _bulk(client, "bulk_close", published, apply="1")
    assert response.status_code == 200
    for case in published:
        case.refresh_from_db()
        assert case.status == Status.CLOSED
        assert case.events.filter(kind=Action.CLOSE, actor=monitor).count() == 1


def test_an_illegal_bulk_action_is_refused_per_case_with_the_persian_reason(client, monitor,
                                                                           target_unit):
    submitted = f.filed_case().case
    answered = _answered_case(monitor, target_unit)
    response = _bulk(client, "bulk_close", [submitted, answered], apply="1")
    msgs = _messages(response)
    for case in (submitted, answered):
        shown = to_persian_digits(case.tracking_number[:3])
        assert any(shown in m and _refusal(case.status, Action.CLOSE) in m for m in msgs), msgs
    for case, status in ((submitted, Status.SUBMITTED), (answered, Status.ANSWERED)):
        case.refresh_from_db()
        assert case.status == status
        assert not case.events.filter(kind=Action.CLOSE).exists()


def test_approving_a_case_that_was_not_answered_is_refused_and_leaves_it_unchanged(client,
                                                                                  monitor,
                                                                                  target_unit):
    case = _assigned_case(monitor, target_unit)
    response = _bulk(client, "bulk_approve", [case], apply="1")  # past the confirmation page
    assert any(_refusal(Status.ASSIGNED, Action.APPROVE) in m for m in _messages(response))
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


# --- a single case's page -------------------------------------------------------------------------


def test_the_case_page_is_read_only_offers_only_allowed_buttons_and_logs_the_view(client, monitor):
    case = f.filed_case().case
    url = reverse("admin:complaints_case_change", args=[case.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert "pin_hash" not in html
    assert reverse("admin:complaints_case_action", args=[case.pk, "assign"]) in html
    assert reverse("admin:complaints_case_action", args=[case.pk, "approve"]) not in html
    assert format_jalali(case.created_at) in html
    assert case.events.filter(kind=EventKind.VIEWED, actor=monitor).count() == 1

    client.post(url, {"status": Status.CLOSED, "subject": "x"})
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.subject != "x"


def test_a_button_on_the_case_page_runs_the_service(client, monitor, target_unit):
    case = f.filed_case().case
    url = reverse("admin:complaints_case_action", args=[case.pk, "assign"])
    assert client.get(url).status_code == 200
    client.post(url, {"unit": target_unit.pk, "priority": "", "note": ""})
    case.refresh_from_db()
    assert (case.status, case.unit) == (Status.ASSIGNED, target_unit)


def test_only_the_monitoring_head_can_decide_an_objection(client, target_unit):
    expert, head = f.monitoring_user(), f.monitoring_head()
    case = _answered_case(expert, target_unit)
    services.case_answer_approve(case_id=case.pk, actor=expert)
    services.case_object(case_id=case.pk, reason="پاسخ قانع‌کننده نبود")
    uphold = reverse("admin:complaints_case_action", args=[case.pk, "uphold"])
    change = reverse("admin:complaints_case_change", args=[case.pk])

    client.force_login(expert)
    assert uphold not in client.get(change).content.decode()
    response = client.post(uphold, {"note": ""}, follow=True)
    with translation.override("fa"):
        refused = str(TransitionNotAllowed(
            status=Status.OBJECTED, action=Action.UPHOLD, role=Role.MONITORING,
            reason=translation.gettext("You are not permitted to “%(action)s” this case.")
            % {"action": Action.UPHOLD.label},
        ).message)
    assert any(refused in m for m in _messages(response)), _messages(response)
    case.refresh_from_db()
    assert case.status == Status.OBJECTED

    client.force_login(head)
    assert uphold in client.get(change).content.decode()
    client.post(uphold, {"note": "پاسخ واحد درست است"})
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_unit_staff_get_no_admin_access(client, target_unit):
    client.force_login(f.unit_user(target_unit))
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_staff_user_outside_monitoring_cannot_see_cases_in_admin(client, target_unit):
    user = f.staff_user(role=None)
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403


# --- the list: speed, search, filters -------------------------------------------------------------


def test_the_changelist_of_fifty_cases_runs_in_bounded_queries_without_an_unbounded_count(
    client, monitor, target_unit, django_assert_max_num_queries,
):
    svc = f.service(unit_=target_unit)
    for i in range(50):
        case = f.filed_case(service_=svc).case
        if i % 2:
            services.case_assign(case_id=case.pk, unit=target_unit, actor=monitor)
    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(CHANGELIST + "?status__exact=assigned")
    counts = [q["sql"] for q in ctx.captured_queries
              if "COUNT(" in q["sql"].upper() and "complaints_case" in q["sql"]]
    assert counts, "the paginator should count, but only up to a bound"
    assert all("LIMIT" in sql.upper() for sql in counts), counts


def test_the_changelist_says_more_than_the_bound_when_the_count_is_capped(client, monitor,
                                                                         monkeypatch):
    from sajad.paginator import BoundedCountPaginator

    monkeypatch.setattr(BoundedCountPaginator, "COUNT_LIMIT", 3)
    for _ in range(5):
        f.filed_case()
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].paginator.is_capped
    assert response.context["cl"].result_count == 4


def _search(client, term):
    return list(client.get(CHANGELIST, {"q": term}).context["cl"].result_list)


def test_search_by_a_persian_digit_tracking_number_with_dashes_finds_the_case(client, monitor):
    case, _other = f.filed_case().case, f.filed_case().case
    n = case.tracking_number
    assert _search(client, to_persian_digits(f"{n[:3]}-{n[3:6]}-{n[6:]}")) == [case]


def test_search_by_mobile_with_a_plus98_prefix_finds_the_case(client, monitor):
    case = f.filed_case(mobile="09351112233").case
    f.filed_case(mobile="09129998877")
    assert _search(client, "+98 935 111 2233") == [case]


def test_search_by_national_code_finds_the_case(client, monitor):
    case = f.filed_case(national_code=f.VALID_NATIONAL_CODES[1]).case
    f.filed_case()
    assert _search(client, f.VALID_NATIONAL_CODES[1]) == [case]


def test_search_by_text_typed_with_arabic_yeh_and_kaf_finds_the_case(client, monitor):
    case = f.filed_case(subject="مشکل در کارت دانشجویی").case
    f.filed_case(subject="تأخیر در پرداخت وام")
    assert _search(client, "كارت دانشجويي") == [case]


def test_search_finds_a_word_typed_with_a_half_space_a_space_or_joined(client, monitor):
    case = f.filed_case(subject="مشکل نوبت\u200cدهی سلف").case
    f.filed_case(subject="تأخیر در پرداخت وام")
    for typed in ("نوبت\u200cدهی", "نوبت دهی", "نوبتدهی"):
        assert _search(client, typed) == [case], typed


def test_search_without_the_hamza_finds_the_word_written_with_it(client, monitor):
    case = f.filed_case(subject="تأخیر در پرداخت وام").case
    f.filed_case(subject="مشکل در کارت دانشجویی")
    assert _search(client, "تاخیر") == [case]
    assert _search(client, "تأخير") == [case]


def test_search_looks_in_the_description_too(client, monitor):
    case = f.filed_case(description="غذای سلف خوابگاه پسرانه سرد بود").case
    f.filed_case(description="وام ودیعه مسکن پرداخت نشد")
    assert _search(client, "خوابگاه پسرانه") == [case]


def test_a_text_search_counts_its_matches_only_to_the_lower_text_bound(client, monitor):
    from sajad.paginator import BoundedCountPaginator, TextSearchPaginator

    assert TextSearchPaginator.COUNT_LIMIT < BoundedCountPaginator.COUNT_LIMIT
    f.filed_case()
    cl = client.get(CHANGELIST, {"q": "تاخیر"}).context["cl"]
    assert isinstance(cl.paginator, TextSearchPaginator) and cl.result_count == 1
    cl = client.get(CHANGELIST, {"q": "۰۹۱۲۱۲۳۴۵۶۷"}).context["cl"]
    assert not isinstance(cl.paginator, TextSearchPaginator)


def test_text_search_is_served_by_the_trigram_index_not_a_table_scan(monitor):
    from complaints.selectors import case_search_q

    for _ in range(3):
        f.filed_case()
    query = Case.objects.filter(case_search_q("تاخیر نوبت دهی")).order_by().query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_search_text_trgm_idx" in plan, plan


def test_the_jalali_date_filter_narrows_to_the_range(client, monitor):
    old, recent = f.filed_case().case, f.filed_case().case
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    today = format_jalali(timezone.localdate(), "%Y/%m/%d")
    week_ago = format_jalali(timezone.localdate() - dt.timedelta(days=7), "%Y/%m/%d")
    response = client.get(CHANGELIST, {"filed_from": week_ago, "filed_to": today})
    assert list(response.context["cl"].result_list) == [recent]

    long_ago = format_jalali(timezone.localdate() - dt.timedelta(days=45), "%Y/%m/%d",
                             persian_digits=False)
    response = client.get(CHANGELIST, {"filed_to": long_ago})
    assert list(response.context["cl"].result_list) == []


def test_an_invalid_jalali_date_shows_a_message_and_filters_nothing(client, monitor):
    cases = {f.filed_case().case for _ in range(2)}
    response = client.get(CHANGELIST, {"filed_from": "۱۴۰۵/۱۳/۴۰"})
    assert set(response.context["cl"].result_list) == cases
    assert any("۱۴۰۵/۱۳/۴۰" in m for m in _messages(response))


def test_the_kind_filter_and_status_filter_apply(client, monitor):
    suggestion = f.filed_case(kind=Kind.SUGGESTION).case
    f.filed_case(kind=Kind.COMPLAINT)
    response = client.get(CHANGELIST, {"kind__exact": "suggestion", "status__exact": "submitted"})
    assert list(response.context["cl"].result_list) == [suggestion]


# --- attachments ----------------------------------------------------------------------------------


def _png():
    return upload("رسید.png", PNG_BYTES)


def test_staff_attachment_download_is_404_for_another_units_staff(client, private_media,
                                                                   target_unit):
    monitor = f.monitoring_user()
    case = f.filed_case(files=[_png()]).case
    services.case_assign(case_id=case.pk, unit=target_unit, actor=monitor)
    attachment = case.attachments.get()
    client.force_login(f.unit_user(f.unit()))
    url = reverse("complaints:staff_attachment", args=[attachment.pk])
    assert client.get(url).status_code == 404
    assert not case.events.filter(kind=EventKind.ATTACHMENT_VIEWED).exists()


def test_staff_attachment_download_streams_the_file_and_logs_the_access(client, private_media,
                                                                        monitor):
    case = f.filed_case(files=[_png()]).case
    attachment = case.attachments.get()
    response = client.get(reverse("complaints:staff_attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    event = CaseEvent.objects.get(case=case, kind=EventKind.ATTACHMENT_VIEWED)
    assert event.actor == monitor


def test_the_case_page_links_attachments_to_the_staff_download(client, private_media, monitor):
    case = f.filed_case(files=[_png()]).case
    html = client.get(reverse("admin:complaints_case_change", args=[case.pk])).content.decode()
    assert reverse("complaints:staff_attachment", args=[case.attachments.get().pk]) in html


# --- Persian text in the admin ----------------------------------------------------------------------


def test_admin_counts_and_sizes_show_persian_digits_and_a_singular_noun_after_a_number(
    client, monitor,
):
    for _ in range(6):
        f.filed_case()
    body = client.get(CHANGELIST).content.decode()
    assert re.search(r"\s۶ پرونده\s", body), "the count under the list"
    assert "۶ پرونده‌ها" not in body
    assert "۰ از ۶ انتخاب" in body  # the selection counter

    body = client.get(CHANGELIST, {"q": "تاخیر"}).content.decode()
    assert "۶ نتیجه" in body and "6 نتیجه" not in body
    # Values the browser sends back and links keep ASCII digits.
    case = Case.objects.first()
    assert f'value="{case.pk}"' in body and f"/{case.pk}/change/" in body


def test_the_admin_loads_the_persian_typeface(client, monitor):
    body = client.get(CHANGELIST).content.decode()
    assert "css/fonts.css" in body and "Vazirmatn" in body


def test_approving_one_case_shows_the_answer_text_that_will_be_published(
    client, monitor, target_unit,
):
    case = _answered_case(monitor, target_unit)
    page = client.get(reverse("admin:complaints_case_action", args=[case.pk, "approve"]))
    body = page.content.decode()
    assert "پاسخی که منتشر خواهد شد" in body and "پاسخ واحد" in body
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
