"""The unit desk: a department sees only its own cases, acts through the workflow, and is audited."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from complaints import selectors, services
from complaints.citizen_view import citizen_case_view
from complaints.models import Case, CaseClock, CaseEvent, Clock, EventKind, IdentityTier, Kind
from complaints.workflow import Action, Role, Status, TransitionNotAllowed
from sajad.errors import DomainError
from tests import factories as f

pytestmark = pytest.mark.django_db

INBOX = reverse("desk:inbox")


def _case_url(case, name="desk:case"):
    return reverse(name, args=[case.pk])


@pytest.fixture
def desk_unit(unit):
    return unit


@pytest.fixture
def head(client, desk_unit):
    user = f.unit_user(desk_unit, is_head=True)
    client.force_login(user)
    return user


def _assigned(unit_, **kw) -> Case:
    case = f.filed_case(service_=f.service(unit_=unit_), **kw).case
    return services.case_assign(case_id=case.pk, unit=unit_, role=Role.SYSTEM)


def _due_in(case: Case, hours: float) -> None:
    """Set the unit's deadline as if the case had been assigned earlier or later than now."""
    CaseClock.objects.filter(case=case, clock=Clock.UNIT_ANSWER).update(
        due_at=timezone.now() + dt.timedelta(hours=hours)
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- who gets in ------------------------------------------------------------------------------


def test_another_units_staff_get_404_on_the_case_page_and_nothing_is_recorded(client, desk_unit):
    case = _assigned(desk_unit)
    outsider = f.unit_user(f.unit(name="واحد دیگر"))
    client.force_login(outsider)
    events_before = CaseEvent.objects.filter(case=case).count()

    assert client.get(_case_url(case)).status_code == 404
    assert client.post(_case_url(case, "desk:answer"), {"text": "پاسخ"}).status_code == 404
    assert client.post(_case_url(case, "desk:note"), {"text": "یادداشت"}).status_code == 404

    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_a_case_that_does_not_exist_is_the_same_404(client, head):
    assert client.get(reverse("desk:case", args=[987654321])).status_code == 404


def test_a_monitoring_expert_is_refused_politely_and_pointed_to_the_admin(client, desk_unit):
    case = _assigned(desk_unit)
    client.force_login(f.monitoring_user())
    for url in (INBOX, _case_url(case)):
        response = client.get(url)
        assert response.status_code == 403
        assert reverse("admin:index") in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.VIEWED).exists()


def test_a_user_without_a_unit_is_refused(client):
    client.force_login(f.staff_user(role=None))
    assert client.get(INBOX).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_desk_login(client, desk_unit):
    case = _assigned(desk_unit)
    for url in (INBOX, _case_url(case)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("desk:login"))
    response = client.post(_case_url(case, "desk:answer"), {"text": "پاسخ"})
    assert response.status_code == 302 and response.url.startswith(reverse("desk:login"))
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


def test_unit_staff_log_in_on_the_persian_login_page_and_land_in_the_inbox(client, desk_unit):
    user = f.unit_user(desk_unit)
    page = client.get(reverse("desk:login"))
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode() and "csrfmiddlewaretoken" in page.content.decode()

    response = client.post(reverse("desk:login"), {"username": user.username, "password": "x"})
    assert response.status_code == 302 and response.url == INBOX
    assert client.get(INBOX).status_code == 200


def test_logging_out_takes_a_post_and_ends_the_session(client, head):
    assert client.get(reverse("desk:logout")).status_code == 405
    assert client.post(reverse("desk:logout")).status_code == 302
    assert client.get(INBOX).status_code == 302


# --- the inbox --------------------------------------------------------------------------------


def test_the_inbox_lists_only_the_units_open_cases_nearest_deadline_first(client, head, desk_unit):
    later, overdue, sooner = (_assigned(desk_unit, subject=s) for s in ("دیرتر", "گذشته", "زودتر"))
    _due_in(later, 48)
    _due_in(overdue, -30)
    _due_in(sooner, 3)
    waiting = _assigned(desk_unit, subject="منتظر شهروند")
    services.case_request_info(case_id=waiting.pk, actor=head, question="شماره دانشجویی؟")
    answered = _assigned(desk_unit, subject="پاسخ‌داده")
    services.case_answer(case_id=answered.pk, actor=head, text="پاسخ")
    elsewhere = _assigned(f.unit(name="واحد دیگر"), subject="مال واحد دیگر")

    response = client.get(INBOX)
    listed = [row["case"].pk for row in response.context["rows"]]
    # The paused clock has no deadline, so the case waiting for the citizen comes last.
    assert listed == [overdue.pk, sooner.pk, later.pk, waiting.pk]
    assert elsewhere.subject not in response.content.decode()
    assert response.context["rows"][0]["deadline"]["state"] == "overdue"
    assert "desk-row-overdue" in response.content.decode()

    answered_tab = client.get(INBOX, {"tab": "answered"})
    assert [row["case"].pk for row in answered_tab.context["rows"]] == [answered.pk]
    waiting_tab = client.get(INBOX, {"tab": "waiting"})
    assert [row["case"].pk for row in waiting_tab.context["rows"]] == [waiting.pk]


def test_the_inbox_shows_persian_tracking_numbers_and_jalali_dates(client, head, desk_unit):
    from sajad.jalali import JALALI_DATE, format_jalali
    from sajad.templatetags.sajad_tags import tracking_display

    case = _assigned(desk_unit)
    content = client.get(INBOX).content.decode()
    assert tracking_display(case.tracking_number) in content
    assert format_jalali(case.created_at, JALALI_DATE) in content


def test_the_inbox_needs_a_bounded_number_of_queries(client, head, desk_unit,
                                                     django_assert_max_num_queries):
    service = f.service(unit_=desk_unit)
    for _ in range(30):
        case = f.filed_case(service_=service).case
        services.case_assign(case_id=case.pk, unit=desk_unit, role=Role.SYSTEM)
    # Session, user, groups, membership, unit, the working calendar (two, cached for a minute),
    # the tab counts, the page count and the page itself: none of them per row.
    with django_assert_max_num_queries(10):
        response = client.get(INBOX)
    assert len(response.context["rows"]) == 25
    assert response.context["page"].paginator.count == 30


def test_the_inbox_selector_gives_nothing_to_anyone_but_unit_staff(desk_unit):
    _assigned(desk_unit)
    assert not selectors.desk_inbox(user=f.monitoring_user()).exists()


# --- the case page and its actions ------------------------------------------------------------


def test_opening_the_case_page_writes_one_viewed_audit_event(client, head, desk_unit):
    case = _assigned(desk_unit)
    response = client.get(_case_url(case))
    assert response.status_code == 200
    views = CaseEvent.objects.filter(case=case, kind=EventKind.VIEWED)
    assert views.count() == 1
    assert (views.get().actor, views.get().actor_role) == (head, Role.UNIT)


def test_the_case_page_shows_the_whole_timeline_and_the_attachments(client, head, desk_unit,
                                                                     private_media):
    from tests.factories import PNG_BYTES, upload

    case = f.filed_case(service_=f.service(unit_=desk_unit),
                        files=[upload("receipt.png", PNG_BYTES)]).case
    services.case_assign(case_id=case.pk, unit=desk_unit, role=Role.SYSTEM, note="قاعده وام")
    content = client.get(_case_url(case)).content.decode()
    attachment = case.attachments.get()
    assert reverse("complaints:staff_attachment", args=[attachment.pk]) in content
    assert "قاعده وام" in content  # the routing note is internal, but the unit sees it
    assert case.description in content


def test_answering_moves_the_case_to_answered_and_writes_the_event(client, head, desk_unit):
    case = _assigned(desk_unit)
    response = client.post(_case_url(case, "desk:answer"),
                           {"opening": "greeting", "text": "وام شما هفته آینده واریز می‌شود."},
                           follow=True)
    assert response.redirect_chain[-1][0] == _case_url(case)
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    event = case.events.get(kind=Action.ANSWER)
    assert event.actor == head and not event.is_public
    assert event.note.endswith("وام شما هفته آینده واریز می‌شود.")
    assert len(event.note) > len("وام شما هفته آینده واریز می‌شود.")  # the opening came first


def test_answering_a_case_waiting_for_the_citizen_is_refused_in_persian_and_changes_nothing(
    client, head, desk_unit,
):
    case = _assigned(desk_unit)
    services.case_request_info(case_id=case.pk, actor=head, question="شماره دانشجویی؟")
    events_before = case.events.exclude(kind=EventKind.VIEWED).count()

    response = client.post(_case_url(case, "desk:answer"), {"text": "پاسخ"}, follow=True)

    with translation.override("fa"):
        refusal = str(TransitionNotAllowed(
            status=Status.WAITING_CITIZEN, action=Action.ANSWER, role=Role.UNIT).message)
    assert refusal in _messages(response)
    assert refusal in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.WAITING_CITIZEN
    assert case.events.exclude(kind=EventKind.VIEWED).count() == events_before
    # And the page offers no answer form while the case waits.
    assert not response.context["can_answer"]


def test_an_empty_answer_is_shown_as_a_form_error_and_nothing_changes(client, head, desk_unit):
    case = _assigned(desk_unit)
    response = client.post(_case_url(case, "desk:answer"), {"text": ""})
    assert response.status_code == 400 and response.context["answer_form"].errors
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


def test_asking_the_citizen_pauses_the_case_and_the_citizen_sees_the_question(client, head,
                                                                              desk_unit):
    case = _assigned(desk_unit)
    client.post(_case_url(case, "desk:request_info"), {"question": "تصویر قرارداد را بفرستید."})
    case.refresh_from_db()
    assert case.status == Status.WAITING_CITIZEN
    assert "تصویر قرارداد را بفرستید." in [e.note for e in citizen_case_view(case).timeline]


def test_returning_a_misrouted_case_sends_it_to_monitoring_with_the_reason(client, head, desk_unit):
    case = _assigned(desk_unit)
    client.post(_case_url(case, "desk:return"), {"reason": "مربوط به واحد تغذیه است."})
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    assert case.events.get(kind=Action.RETURN_TO_MONITORING).note == "مربوط به واحد تغذیه است."
    assert case in selectors.triage_queue()


def test_the_internal_note_is_not_on_the_citizens_public_timeline(client, head, desk_unit):
    case = _assigned(desk_unit)
    client.post(_case_url(case, "desk:note"), {"text": "با امور مالی تماس گرفته شد."})
    note = case.events.get(kind=EventKind.NOTE)
    assert (note.actor, note.is_public) == (head, False)
    assert note.pk not in [e.event.pk for e in citizen_case_view(case).timeline]
    assert "با امور مالی تماس گرفته شد." in client.get(_case_url(case)).content.decode()


def test_a_note_service_refuses_staff_of_another_unit(desk_unit):
    case = _assigned(desk_unit)
    with pytest.raises(DomainError):
        services.case_add_note(case_id=case.pk, actor=f.unit_user(f.unit()), text="یادداشت")
    assert not case.events.filter(kind=EventKind.NOTE).exists()


def test_the_contact_only_citizens_name_and_mobile_are_hidden_on_the_desk(client, head, desk_unit):
    case = _assigned(desk_unit, tier=IdentityTier.CONTACT_ONLY, full_name="مریم رضایی",
                     national_code="", mobile="09351112233")
    content = client.get(_case_url(case)).content.decode()
    assert "مریم رضایی" not in content
    assert "09351112233" not in content and "۰۹۳۵۱۱۱۲۲۳۳" not in content
    assert f.VALID_NATIONAL_CODES[0] not in content


def test_an_identified_citizens_name_is_shown_to_the_unit(client, head, desk_unit):
    case = _assigned(desk_unit, full_name="زهرا احمدی")
    assert "زهرا احمدی" in client.get(_case_url(case)).content.decode()


def test_an_anonymous_suggestion_opens_without_any_identity(client, head, desk_unit):
    case = _assigned(desk_unit, kind=Kind.SUGGESTION, tier=IdentityTier.ANONYMOUS, full_name="",
                     national_code="", mobile="")
    response = client.get(_case_url(case))
    assert response.status_code == 200
    assert response.context["citizen"]["mobile"] == ""


# --- text a person reads ----------------------------------------------------------------------


def test_the_citizens_text_shows_persian_digits_on_the_desk_but_links_keep_theirs(
    client, head, desk_unit,
):
    case = _assigned(desk_unit, subject="وام 3 ماه عقب افتاده",
                     description="از 1405/07/01 منتظرم؛ رسید: https://pay.example.ir/r/42")
    body = client.get(_case_url(case)).content.decode()

    assert "وام ۳ ماه عقب افتاده" in body and "وام 3 ماه" not in body
    assert "از ۱۴۰۵/۰۷/۰۱ منتظرم" in body
    assert "https://pay.example.ir/r/42" in body


def test_in_english_the_citizens_persian_text_is_isolated_right_to_left(client, head, desk_unit):
    case = _assigned(desk_unit, description="از 1405/07/01 منتظرم")
    client.cookies["django_language"] = "en"
    body = client.get(_case_url(case)).content.decode()

    assert 'dir="ltr"' in body.split("<body")[0]
    assert '<div class="desk-description" dir="auto"><p>از 1405/07/01 منتظرم</p></div>' in body


# --- the desk on a phone --------------------------------------------------------------------


def test_the_desk_finds_its_own_case_by_a_tracking_number_typed_in_persian_digits(
    client, head, desk_unit,
):
    from sajad.persian import to_persian_digits

    case = _assigned(desk_unit)
    response = client.get(INBOX, {"number": to_persian_digits(case.tracking_number)})
    assert response.status_code == 302 and response.url == _case_url(case)


def test_the_desk_search_does_not_reveal_another_units_case(client, head, desk_unit):
    other = _assigned(f.unit(name="واحد دیگر"))
    response = client.get(INBOX, {"number": other.tracking_number})
    assert response.status_code == 200
    assert any("هیچ‌یک از پرونده‌های واحد شما" in m for m in _messages(response))


def test_staff_pages_carry_no_citizen_navigation(client, head, desk_unit):
    case = _assigned(desk_unit)
    for url in (INBOX, _case_url(case)):
        body = client.get(url).content.decode()
        assert reverse("complaints:new") not in body and reverse("complaints:track") not in body
        assert 'class="navbar-brand d-flex flex-column lh-sm" href="%s"' % INBOX in body


def test_on_a_phone_the_deadlines_come_before_the_note_form(client, head, desk_unit):
    """The phone layout orders the panels by class (static/css/desk.css); both must exist."""
    from pathlib import Path

    body = client.get(_case_url(_assigned(desk_unit))).content.decode()
    assert "desk-deadlines" in body and "desk-note" in body
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "desk.css").read_text()
    order = dict(re.findall(r"\.(desk-deadlines|desk-note) \{ order: (\d+); \}", css))
    assert int(order["desk-deadlines"]) < int(order["desk-note"])


# --- the head assigns a case to a colleague -------------------------------------------------------


def test_the_head_assigns_a_case_to_a_colleague_who_is_told_and_sees_it_as_theirs(
    client, head, desk_unit,
):
    from notifications.models import Message

    colleague = f.unit_user(desk_unit)
    colleague.first_name, colleague.last_name, colleague.email = "مریم", "کاظمی", "maryam@example.ir"
    colleague.save()
    case, other = _assigned(desk_unit), _assigned(desk_unit)

    response = client.post(_case_url(case, "desk:assign_staff"), {"assignee": colleague.pk})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == colleague
    event = CaseEvent.objects.get(case=case, kind=EventKind.STAFF_ASSIGNED)
    assert event.actor == head and not event.is_public and event.data["assignee"] == "مریم کاظمی"
    told = Message.objects.about(case).filter(template="staff_case_assigned")
    assert list(told.values_list("recipient", flat=True)) == ["maryam@example.ir"]
    assert "به شما سپرده است" in told.get().body

    inbox = client.get(INBOX).content.decode()
    assert "مریم کاظمی" in inbox
    client.force_login(colleague)
    mine = client.get(INBOX, {"mine": "1"})
    assert [row["case"] for row in mine.context["rows"]] == [case]
    assert other in [row["case"] for row in client.get(INBOX).context["rows"]]


def test_only_the_head_may_assign_and_only_to_a_member_of_the_unit(client, head, desk_unit):
    case = _assigned(desk_unit)
    staff = f.unit_user(desk_unit)
    outsider = f.unit_user(f.unit(name="واحد دیگر"))

    with pytest.raises(DomainError):
        services.case_assign_to_staff(case_id=case.pk, actor=staff, assignee=staff)
    with pytest.raises(DomainError):
        services.case_assign_to_staff(case_id=case.pk, actor=head, assignee=outsider)
    case.refresh_from_db()
    assert case.assignee is None
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.STAFF_ASSIGNED).exists()

    client.force_login(staff)
    assert "desk:assign_staff" not in client.get(_case_url(case)).content.decode()
    assert 'id="assign-title"' not in client.get(_case_url(case)).content.decode()


# --- a sent-back answer ----------------------------------------------------------------------------


def test_a_sent_back_answer_shows_as_sent_back_with_the_reason_and_the_previous_answer(
    client, head, desk_unit,
):
    case = _assigned(desk_unit)
    services.case_answer(case_id=case.pk, actor=head, text="وام شما به‌زودی واریز می‌شود.")
    services.case_answer_send_back(case_id=case.pk, actor=f.monitoring_user(),
                                   reason="تاریخ دقیق واریز را بنویسید.")

    inbox = client.get(INBOX).content.decode()
    assert "پاسخ برگشت‌خورده" in inbox
    page = client.get(_case_url(case))
    body = page.content.decode()
    assert "واحد نظارت پاسخ شما را در" in body and "تاریخ دقیق واریز را بنویسید." in body
    assert page.context["answer_form"].initial["text"] == "وام شما به‌زودی واریز می‌شود."
    assert "وام شما به‌زودی واریز می‌شود.</textarea>" in body


def test_an_answered_case_reassigned_fresh_is_not_shown_as_sent_back(client, head, desk_unit):
    case = _assigned(desk_unit)
    assert "پاسخ برگشت‌خورده" not in client.get(INBOX).content.decode()
    assert client.get(_case_url(case)).context["sent_back"] is None


# --- unit messages and "new since I last looked" ------------------------------------------------


def test_a_new_case_reaches_the_unit_by_e_mail_and_its_heads_by_sms(desk_unit):
    from notifications.models import Message

    desk_unit.email = "welfare@example.ir"
    desk_unit.save()
    head = f.unit_user(desk_unit, is_head=True)
    head.unit_membership.mobile = "09120001111"
    head.unit_membership.save()

    case = _assigned(desk_unit)

    sent = Message.objects.about(case).filter(template="unit_new_case")
    assert set(sent.values_list("channel", "recipient")) == {
        ("email", "welfare@example.ir"), ("sms", "09120001111"),
    }


def test_the_inbox_marks_cases_that_arrived_since_the_last_look(client, head, desk_unit):
    seen = _assigned(desk_unit)
    first = client.get(INBOX)
    assert not any(row["is_new"] for row in first.context["rows"])  # a first look marks nothing

    arrived = _assigned(desk_unit)
    rows = {row["case"]: row["is_new"] for row in client.get(INBOX).context["rows"]}
    assert rows == {seen: False, arrived: True}
    assert not any(row["is_new"] for row in client.get(INBOX).context["rows"])


# --- answer templates, per unit, editable ------------------------------------------------------------


def test_a_units_own_template_is_offered_to_it_only_and_its_text_reaches_the_page(
    client, head, desk_unit,
):
    from complaints.models import AnswerTemplate

    AnswerTemplate.objects.create(unit=desk_unit, key="loan", label="واریز وام",
                                  text="وام شما در تاریخ زیر واریز شد:")
    AnswerTemplate.objects.create(unit=f.unit(name="واحد دیگر"), key="other", label="دیگری",
                                  text="متن واحد دیگر")
    case = _assigned(desk_unit)
    page = client.get(_case_url(case))
    choices = dict(page.context["answer_form"].fields["opening"].choices)
    assert "loan" in choices and "greeting" in choices and "other" not in choices
    body = page.content.decode()
    assert 'id="answer-templates"' in body and "js/answer_templates.js" in body

    # The text edited in the box (as the script leaves it) is not doubled by the server.
    client.post(_case_url(case, "desk:answer"), {
        "opening": "loan", "text": "وام شما در تاریخ زیر واریز شد: ۱۴۰۵/۰۹/۰۱"})
    note = CaseEvent.objects.get(case=case, kind=Action.ANSWER).note
    assert note.count("وام شما در تاریخ زیر واریز شد") == 1
