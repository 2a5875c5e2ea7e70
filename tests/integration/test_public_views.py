"""The citizen's pages, driven through Django's test client against real PostgreSQL and Redis."""
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints import services, tracking_proof
from complaints.models import Attachment, Case, CaseEvent, ExternalTopic, IdentityTier, Kind
from complaints.tracking import with_check_digit
from complaints.workflow import Role, Status
from sajad.jalali import format_jalali
from sajad.persian import to_ascii_digits, to_persian_digits
from sajad.templatetags.sajad_tags import tracking_display
from tests import factories
from tests.pages import stated_wait_minutes

pytestmark = pytest.mark.django_db

FILE_URL = reverse("complaints:file")
TRACK_URL = reverse("complaints:track")


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def prove(client: Client, number: str, secret: str):
    return client.post(TRACK_URL, {"tracking_number": number, "secret": secret})


@pytest.fixture
def service():
    return factories.service(name="وام شهریه دانشجویی")


# --- scope check ------------------------------------------------------------------------------


def test_scope_check_lists_public_services_and_hides_internal_ones(client):
    public = factories.service(name="صدور معافیت تحصیلی")
    internal = factories.service(name="ارزیابی عملکرد واحدها")
    type(internal).objects.filter(pk=internal.pk).update(is_internal=True)

    body = client.get(reverse("complaints:new")).content.decode()

    assert public.name in body
    assert f"?service={public.slug}" in body
    assert "ارزیابی عملکرد واحدها" not in body


def test_scope_check_with_a_known_service_goes_straight_to_the_form_keeping_the_kind(client, service):
    response = client.get(reverse("complaints:new"), {"service": service.slug, "kind": "criticism"})

    assert response.status_code == 302
    assert response["Location"].startswith(FILE_URL)
    assert f"service={service.slug}" in response["Location"]
    assert "kind=criticism" in response["Location"]


def test_an_external_topic_leads_to_a_page_with_the_competent_body_and_its_link(client):
    topic = ExternalTopic.objects.create(
        title="دانشگاه آزاد اسلامی", body_name="سامانه شکایات دانشگاه آزاد",
        url="https://www.iau.ir/", explanation="این موضوع را دانشگاه آزاد پیگیری می‌کند.",
    )

    scope = client.get(reverse("complaints:new")).content.decode()
    page = client.get(reverse("complaints:elsewhere", args=[topic.pk])).content.decode()

    assert reverse("complaints:elsewhere", args=[topic.pk]) in scope
    assert "سامانه شکایات دانشگاه آزاد" in page
    assert 'href="https://www.iau.ir/"' in page
    assert "این موضوع را دانشگاه آزاد پیگیری می‌کند." in page


# --- filing -----------------------------------------------------------------------------------


def test_the_form_is_prefilled_with_the_service_and_kind_from_the_query(client, service):
    body = client.get(FILE_URL, {"service": service.slug, "kind": "suggestion"}).content.decode()

    assert re.search(rf'<option value="{service.slug}"[^>]*selected', body)
    assert re.search(r'value="suggestion"[^>]*checked', body)


def test_filing_through_the_form_creates_one_case_and_one_event_and_shows_the_tracking_number(
    client, service
):
    response = client.post(FILE_URL, factories.filing_form_data(service), follow=True)

    case = Case.objects.get()
    assert CaseEvent.objects.filter(case=case).count() == 1
    assert response.redirect_chain[-1][0] == reverse("complaints:filed")
    assert tracking_display(case.tracking_number) in response.content.decode()


def test_persian_and_arabic_digits_in_national_code_and_mobile_are_stored_as_ascii(client, service):
    client.post(FILE_URL, factories.filing_form_data(
        service, national_code="۰۰۱۳۵۴۲۴۱۹", mobile="٠٩١٢١٢٣٤٥٦٧",
    ))

    case = Case.objects.get()
    assert case.national_code == "0013542419"
    assert case.mobile == "09121234567"


def test_an_anonymous_complaint_is_refused_in_persian_and_nothing_is_stored(client, service):
    response = client.post(FILE_URL, factories.filing_form_data(
        service, identity_tier=IdentityTier.ANONYMOUS, full_name="", national_code="", mobile="",
    ))

    assert response.status_code == 200
    assert "شکایت را نمی‌توان بی‌نام ثبت کرد" in response.content.decode()
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


def test_an_anonymous_criticism_shows_its_pin_once_and_the_pin_opens_the_case(client, service):
    client.post(FILE_URL, factories.filing_form_data(
        service, kind=Kind.CRITICISM, identity_tier=IdentityTier.ANONYMOUS, full_name="",
        national_code="", mobile="",
    ))
    first = client.get(reverse("complaints:filed")).content.decode()
    second = client.get(reverse("complaints:filed")).content.decode()

    pin = re.search(r'data-pin="(\d+)"', first).group(1)
    case = Case.objects.get()
    assert to_persian_digits(pin) in first
    assert "data-pin" not in second and to_persian_digits(pin) not in second
    assert tracking_display(case.tracking_number) in second  # the number stays readable

    stranger = Client()
    assert prove(stranger, case.tracking_number, pin).status_code == 302


def test_the_confirmation_page_is_not_reachable_from_another_browser(client, service):
    client.post(FILE_URL, factories.filing_form_data(service))

    assert client.get(reverse("complaints:filed")).status_code == 200
    assert Client().get(reverse("complaints:filed")).status_code == 404


def test_a_filing_with_a_mobile_writes_no_session_row(client, service):
    from django.contrib.sessions.models import Session

    response = client.post(FILE_URL, factories.filing_form_data(service))

    assert response.status_code == 302
    assert not Session.objects.exists() and "sessionid" not in response.cookies
    case = Case.objects.get()
    assert tracking_display(case.tracking_number) in client.get(reverse("complaints:filed")).content.decode()
    assert client.get(reverse("complaints:case", args=[case.tracking_number])).status_code == 200


def test_the_confirmation_never_shows_another_filings_pin(client, service):
    client.post(FILE_URL, factories.filing_form_data(
        service, kind=Kind.CRITICISM, identity_tier=IdentityTier.ANONYMOUS, full_name="",
        national_code="", mobile="",
    ))  # the citizen leaves without opening the confirmation, then files again with a mobile
    client.post(FILE_URL, factories.filing_form_data(service))

    page = client.get(reverse("complaints:filed")).content.decode()
    newest = Case.objects.order_by("-pk").first()
    assert tracking_display(newest.tracking_number) in page
    assert "data-pin" not in page


def test_a_pin_kept_in_the_older_session_format_does_not_break_the_confirmation(client, service):
    session = client.session
    session["just_filed_pin"] = "12345678"  # written by the code before the PIN was keyed to its case
    session.save()
    client.post(FILE_URL, factories.filing_form_data(service))

    page = client.get(reverse("complaints:filed"))
    assert page.status_code == 200 and "data-pin" not in page.content.decode()


def test_a_rule_error_from_the_service_is_shown_on_its_field(client, service):
    response = client.post(FILE_URL, factories.filing_form_data(service, national_code="1111111111"))

    form = response.context["form"]
    assert "کد ملی معتبر نیست" in " ".join(form.errors["national_code"])
    assert not Case.objects.exists()


@pytest.mark.parametrize("closing", ["unknown", "internal", "closed"])
def test_a_service_not_open_to_citizens_is_refused_on_its_field_without_a_query(
    client, service, closing,
):
    slug = service.slug
    if closing == "unknown":
        slug = "no-such-service"
    else:  # the form's cached list still offers it for up to a minute; the insert re-checks
        client.get(FILE_URL)
        type(service).objects.filter(pk=service.pk).update(
            **({"is_internal": True} if closing == "internal" else {"is_active": False}))
    response = client.post(FILE_URL, factories.filing_form_data(service, service=slug,
                                                                suggestions_seen="1"))

    assert response.status_code == 200
    assert response.context["form"].errors["service"]
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_checking_the_chosen_service_runs_no_query(client, service, django_assert_num_queries):
    client.get(FILE_URL)  # the service list is cached per process
    data = factories.filing_form_data(service, suggestions_seen="1", kind="")  # invalid: not filed
    with django_assert_num_queries(0):
        response = client.post(FILE_URL, data)
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert response.context["form"].cleaned_data["service"] == service


def test_a_filled_honeypot_is_refused_politely_and_nothing_is_stored(client, service):
    response = client.post(FILE_URL, factories.filing_form_data(service, website="http://spam.example"))

    assert response.status_code == 400
    assert "لطفاً فرم را بررسی کنید" in response.content.decode()
    assert not Case.objects.exists()


def test_a_form_sent_back_faster_than_a_person_can_type_is_refused(client, service):
    response = client.post(FILE_URL, factories.filing_form_data(service, stamp=factories.form_stamp(seconds_ago=0)))

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_forged_form_stamp_is_refused(client, service):
    response = client.post(FILE_URL, factories.filing_form_data(service, stamp=str(time.time() - 60)))

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_filing_is_rate_limited_per_address(client, service, settings):
    settings.RATE_FILING = "2/h"  # hour-long windows: quick requests never straddle a boundary
    for mobile in ("09121111111", "09122222222"):
        assert client.post(FILE_URL, factories.filing_form_data(service, mobile=mobile)).status_code == 302

    assert client.post(FILE_URL, factories.filing_form_data(service, mobile="09123333333")).status_code == 429
    assert Case.objects.count() == 2


def test_only_accepted_filings_count_against_the_limit(client, service, settings):
    settings.RATE_FILING = "2/h"
    for _ in range(4):  # a form sent back with an error stores nothing and costs nothing
        response = client.post(FILE_URL, factories.filing_form_data(service, description=""))
        assert response.status_code == 200
    for mobile in ("09121111111", "09122222222"):
        assert client.post(FILE_URL, factories.filing_form_data(service, mobile=mobile)).status_code == 302
    assert Case.objects.count() == 2


def test_one_mobile_meets_its_own_limit_while_the_shared_address_still_files(
    client, service, settings,
):
    settings.RATE_FILING, settings.RATE_FILING_MOBILE = "10/h", "2/h"
    for _ in range(2):
        assert client.post(FILE_URL, factories.filing_form_data(service, mobile="09121111111")).status_code == 302

    refused = client.post(FILE_URL, factories.filing_form_data(service, mobile="09121111111"))
    assert refused.status_code == 429
    # Another student behind the same address (a dormitory) still files.
    assert client.post(FILE_URL, factories.filing_form_data(service, mobile="09122222222")).status_code == 302
    assert Case.objects.count() == 3


def test_a_refused_filing_keeps_what_was_typed_and_states_the_real_wait(client, service, settings):
    settings.RATE_FILING_MOBILE = "1/h"
    client.post(FILE_URL, factories.filing_form_data(service))
    data = factories.filing_form_data(service, subject="غذای سلف سرد بود", description="شرح مفصل مشکل غذای سلف")

    refused = client.post(FILE_URL, data)

    assert refused.status_code == 429
    body = refused.content.decode()
    assert "غذای سلف سرد بود" in body and "شرح مفصل مشکل غذای سلف" in body
    assert "چند دقیقه" not in body
    minutes = re.search(r"حدود (?:([۰-۹]+) دقیقه|یک دقیقه|یک ساعت) دیگر می‌توانید", body)
    assert minutes, body
    wait = int(to_ascii_digits(minutes.group(1) or "1"))
    assert 1 <= wait <= 60
    assert 60 <= int(refused["Retry-After"]) <= 3600
    assert Case.objects.count() == 1


def test_a_refusal_under_a_per_minute_limit_does_not_speak_of_the_past_hour(client, service, settings):
    settings.RATE_FILING_MOBILE = "1/m"
    client.post(FILE_URL, factories.filing_form_data(service))
    refused = client.post(FILE_URL, factories.filing_form_data(service))

    assert refused.status_code == 429
    text = refused.content.decode()
    assert "به‌تازگی با این شماره همراه پرونده‌های زیادی ثبت شده است" in text
    assert "ساعت گذشته" not in text and int(refused["Retry-After"]) <= 60


# --- attachments ------------------------------------------------------------------------------


def test_a_renamed_executable_is_refused_in_persian_and_nothing_is_stored(
    client, service, private_media
):
    fake_pdf = SimpleUploadedFile("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
                                  content_type="application/pdf")

    response = client.post(FILE_URL, {**factories.filing_form_data(service), "attachments": [fake_pdf]})

    assert response.status_code == 200
    assert "فقط این قالب‌ها پذیرفته می‌شوند" in response.content.decode()
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert not [path for path in private_media.rglob("*") if path.is_file()]


def test_an_oversize_file_is_refused_in_persian_and_nothing_is_stored(
    client, service, private_media, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("scan.png", factories.PNG_BYTES + b"\x00" * 2048, content_type="image/png")

    response = client.post(FILE_URL, {**factories.filing_form_data(service), "attachments": [big]})

    assert "بیش از" in response.content.decode()
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()


def test_more_than_five_files_are_refused(client, service, private_media):
    files = [SimpleUploadedFile(f"p{i}.png", factories.PNG_BYTES, content_type="image/png") for i in range(6)]

    response = client.post(FILE_URL, {**factories.filing_form_data(service), "attachments": files})

    assert "حداکثر ۵ پیوست" in response.content.decode() or "حداکثر 5 پیوست" in response.content.decode()
    assert not Case.objects.exists()


def test_a_filed_attachment_has_no_public_media_url(client, service, private_media):
    png = SimpleUploadedFile("receipt.png", factories.PNG_BYTES, content_type="image/png")
    client.post(FILE_URL, {**factories.filing_form_data(service), "attachments": [png]})
    attachment = Attachment.objects.get()

    assert (private_media / attachment.file.name).is_file()
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    assert Client().get(f"/media/{attachment.file.name}").status_code == 404


def test_the_citizen_downloads_their_attachment_as_a_file_never_inline(client, service, private_media):
    png = SimpleUploadedFile("receipt.png", factories.PNG_BYTES, content_type="image/png")
    client.post(FILE_URL, {**factories.filing_form_data(service), "attachments": [png]})
    attachment = Attachment.objects.get()

    response = client.get(reverse("complaints:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PNG_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- tracking ---------------------------------------------------------------------------------


def test_tracking_with_the_right_mobile_opens_the_case_page(client):
    case = factories.filed_case().case

    response = prove(client, case.tracking_number, "۰۹۱۲۱۲۳۴۵۶۷")

    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:case", args=[case.tracking_number])
    # Remembered in the signed cookie, not the database session: a proof writes no session row.
    assert case.tracking_number in client.cookies[tracking_proof.COOKIE].value
    assert "sessionid" not in response.cookies
    page = client.get(response["Location"]).content.decode()
    assert "ثبت‌شده" in page
    assert case.subject in page


def test_a_forged_or_edited_proof_cookie_opens_nothing(client):
    mine = factories.filed_case().case
    theirs = factories.filed_case(mobile="09351112233").case
    prove(client, mine.tracking_number, "09121234567")
    signed = client.cookies[tracking_proof.COOKIE].value
    case_url = reverse("complaints:case", args=[theirs.tracking_number])

    # Appending a number to the signed value, or writing an unsigned cookie, breaks the signature.
    client.cookies[tracking_proof.COOKIE] = signed.replace(
        mine.tracking_number, f"{mine.tracking_number},{theirs.tracking_number}", 1)
    assert client.get(case_url).status_code == 404
    client.cookies[tracking_proof.COOKIE] = theirs.tracking_number
    assert client.get(case_url).status_code == 404
    assert client.get(reverse("complaints:case", args=[mine.tracking_number])).status_code == 404


def test_a_browser_keeps_every_case_it_proved(client):
    first = factories.filed_case().case
    second = factories.filed_case(mobile="09351112233").case
    prove(client, first.tracking_number, "09121234567")
    prove(client, second.tracking_number, "09351112233")

    for case in (first, second):
        assert client.get(reverse("complaints:case", args=[case.tracking_number])).status_code == 200


def test_wrong_mobile_wrong_pin_and_unknown_number_give_identical_responses():
    identified = factories.filed_case().case
    anonymous = factories.filed_case(kind=Kind.SUGGESTION, tier=IdentityTier.ANONYMOUS).case
    unknown = with_check_digit("12345678")
    assert not Case.objects.filter(tracking_number=unknown).exists()

    responses = [
        prove(Client(), identified.tracking_number, "09350000000"),
        prove(Client(), anonymous.tracking_number, "00000000"),
        prove(Client(), unknown, "09121234567"),
    ]

    bodies = {without_csrf(r.content.decode()) for r in responses}
    assert {r.status_code for r in responses} == {200}
    assert len(bodies) == 1
    assert "پرونده‌ای با این شماره پیگیری" in bodies.pop()


def test_a_mistyped_number_is_called_mistyped(client):
    number = factories.filed_case().case.tracking_number
    swapped = number[:3] + number[4] + number[3] + number[5:]
    if swapped == number:
        swapped = number[:-1] + str((int(number[-1]) + 1) % 10)

    body = prove(client, swapped, "09121234567").content.decode()

    assert "اشتباه وارد شده" in body


def test_tracking_is_rate_limited_per_address(client, settings):
    settings.RATE_TRACKING = "3/h"
    number = factories.filed_case().case.tracking_number
    for _ in range(3):
        assert prove(client, number, "09350000000").status_code == 200

    refused = prove(client, number, "09350000000")
    assert refused.status_code == 429
    # The real wait of the hour-long window, in Persian digits, not "a few minutes".
    assert 1 <= stated_wait_minutes(refused) <= 60


def test_the_tracking_refusal_states_the_wait_of_its_own_window(client, settings):
    settings.RATE_TRACKING = "1/5m"
    number = factories.filed_case().case.tracking_number
    prove(client, number, "09350000000")

    refused = prove(client, number, "09350000000")

    assert refused.status_code == 429
    assert 1 <= stated_wait_minutes(refused) <= 5


def test_guessing_one_cases_pin_from_many_addresses_is_rate_limited(settings):
    # The per-number bound is TRACKING_GUESSES_PER_NUMBER (100/h by default); ten keeps this short.
    settings.TRACKING_GUESSES_PER_NUMBER = "10/h"
    number = factories.filed_case(kind=Kind.SUGGESTION, tier=IdentityTier.ANONYMOUS).case.tracking_number
    statuses = [
        prove(Client(REMOTE_ADDR=f"10.0.0.{i}"), number, f"{i:08d}").status_code for i in range(11)
    ]

    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    refused = prove(Client(REMOTE_ADDR="10.0.0.99"), number, "00000099")
    assert refused.status_code == 429 and 1 <= stated_wait_minutes(refused) <= 60


def test_a_session_that_did_not_prove_the_case_gets_404_on_the_case_and_its_attachment(
    client, private_media
):
    png = SimpleUploadedFile("receipt.png", factories.PNG_BYTES, content_type="image/png")
    case = factories.filed_case(files=[png]).case
    attachment = case.attachments.get()
    stranger = Client()
    prove(stranger, case.tracking_number, "09350000000")  # a wrong proof grants nothing

    assert stranger.get(reverse("complaints:case", args=[case.tracking_number])).status_code == 404
    assert stranger.get(reverse("complaints:attachment", args=[attachment.pk])).status_code == 404

    prove(client, case.tracking_number, "09121234567")
    assert client.get(reverse("complaints:case", args=[case.tracking_number])).status_code == 200
    assert client.get(reverse("complaints:attachment", args=[attachment.pk])).status_code == 200


def test_the_case_page_shows_jalali_dates_and_not_the_gregorian_year(client):
    case = factories.filed_case().case
    prove(client, case.tracking_number, "09121234567")

    body = client.get(reverse("complaints:case", args=[case.tracking_number])).content.decode()

    visible = re.sub(r'datetime="[^"]*"', "", body)  # machine-readable ISO dates are fine
    assert "۱۴۰" in visible
    assert format_jalali(case.created_at) in visible
    assert str(case.created_at.year) not in visible


def test_the_case_page_shows_the_referral_to_another_body(client):
    case = factories.filed_case().case
    services.case_refer(
        case_id=case.pk, actor=factories.monitoring_user(), body_name="دانشگاه علوم پزشکی تهران",
        body_url="https://tums.ac.ir/",
    )
    prove(client, case.tracking_number, "09121234567")

    body = client.get(reverse("complaints:case", args=[case.tracking_number])).content.decode()

    assert "دانشگاه علوم پزشکی تهران" in body
    assert 'href="https://tums.ac.ir/"' in body


# --- the citizen's actions --------------------------------------------------------------------


def _assigned_case():
    case = factories.filed_case().case
    unit = factories.unit()
    services.case_assign(case_id=case.pk, unit=unit, role=Role.SYSTEM)
    return case, unit


def test_the_citizen_adds_requested_information_from_the_case_page(client):
    case, unit = _assigned_case()
    services.case_request_info(
        case_id=case.pk, actor=factories.unit_user(unit), question="لطفاً شماره دانشجویی را بفرستید.",
    )
    prove(client, case.tracking_number, "09121234567")
    page = client.get(reverse("complaints:case", args=[case.tracking_number])).content.decode()
    assert reverse("complaints:provide_info", args=[case.tracking_number]) in page

    response = client.post(
        reverse("complaints:provide_info", args=[case.tracking_number]), {"text": "۹۸۱۲۳۴۵"},
        follow=True,
    )

    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert "اطلاعات شما به پرونده افزوده شد" in response.content.decode()


def test_an_action_the_workflow_refuses_becomes_a_persian_message_and_changes_nothing(client):
    case = factories.filed_case().case
    prove(client, case.tracking_number, "09121234567")
    page = client.get(reverse("complaints:case", args=[case.tracking_number])).content.decode()
    assert reverse("complaints:object", args=[case.tracking_number]) not in page

    response = client.post(
        reverse("complaints:object", args=[case.tracking_number]), {"reason": "قبول ندارم"},
        follow=True,
    )

    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert "ممکن نیست" in response.content.decode()


def test_the_citizen_sees_the_published_answer_and_can_object_to_it(client):
    case, unit = _assigned_case()
    services.case_answer(case_id=case.pk, actor=factories.unit_user(unit), text="وام شما پرداخت شد.")
    services.case_answer_approve(case_id=case.pk, actor=factories.monitoring_user())
    prove(client, case.tracking_number, "09121234567")
    page = client.get(reverse("complaints:case", args=[case.tracking_number])).content.decode()
    assert "وام شما پرداخت شد." in page

    client.post(reverse("complaints:object", args=[case.tracking_number]), {"reason": "هنوز نرسیده"})

    case.refresh_from_db()
    assert case.status == Status.OBJECTED


def test_actions_on_a_case_not_proven_in_this_session_are_404(client):
    case, unit = _assigned_case()
    services.case_request_info(case_id=case.pk, actor=factories.unit_user(unit), question="؟")

    response = client.post(reverse("complaints:provide_info", args=[case.tracking_number]), {"text": "x"})

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.WAITING_CITIZEN


# --- site pages -------------------------------------------------------------------------------


def test_the_home_page_offers_the_three_citizen_actions_and_the_phone_line(client, settings):
    body = client.get("/").content.decode()

    assert 'dir="rtl"' in body and 'lang="fa"' in body
    assert reverse("complaints:new") in body
    assert reverse("complaints:track") in body
    assert 'href="/faq/"' in body
    # SPEC §1.6: the guidance line, shown in Persian digits, dialled with ASCII digits.
    assert "۰۲۱-۹۶۶۶۴۰۰۰-۹" in body
    assert 'href="tel:+982196664000"' in body


def test_the_footer_and_the_contact_page_carry_the_organisations_real_contact_facts(client):
    footer = client.get("/faq/").content.decode()
    assert "میدان فردوسی" in footer and "۱۵۸۱۹-۴۴۷۳۴" in footer
    assert "info@saorg.ir" in footer and 'href="/contact/"' in footer
    assert "۸۲۲۳۳۰۰۰" not in footer and "کارگر شمالی" not in footer

    page = client.get("/contact/").content.decode()
    for fact in ("۰۲۱-۹۶۶۶۴۰۰۰-۹", "شهید موسوی (فرصت جنوبی)، پلاک ۲۷", "۱۵۸۱۹-۴۴۷۳۴", "۱۵۸۱۵-۱۱۱۷",
                 "info@saorg.ir", "www.saorg.ir", "portal.saorg.ir", "my.saorg.ir"):
        assert fact in page, fact
    assert 'href="tel:+982196664000"' in page


def test_an_unknown_page_is_a_persian_404(client):
    response = client.get("/complaints/track/123/nothing-here/")

    assert response.status_code == 404
    assert "صفحه پیدا نشد" in response.content.decode()


def test_the_server_error_page_renders_in_persian_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert 'dir="rtl"' in html
    assert "خطایی رخ داد" in html


def test_in_english_the_persian_service_names_of_the_filing_form_keep_their_direction(
    client, service,
):
    client.cookies["django_language"] = "en"
    body = client.get(FILE_URL).content.decode()
    select = re.search(r"<select[^>]*name=\"service\"[^>]*>", body).group(0)
    assert 'dir="auto"' in select


# --- queries per request ----------------------------------------------------------------------


def test_the_filing_form_and_tracking_page_run_no_query_and_touch_no_session(
    client, service, django_assert_num_queries
):
    client.get(FILE_URL)  # the first view in a process reads the service list once

    with django_assert_num_queries(0):
        form_page = client.get(FILE_URL)
    with django_assert_num_queries(0):
        track_page = client.get(TRACK_URL)

    assert service.name in form_page.content.decode()
    for response in (form_page, track_page):
        assert response.status_code == 200
        assert "sessionid" not in response.cookies


def test_the_filing_form_shows_a_new_service_at_once_and_a_fresh_stamp_every_time(client, service):
    first = client.get(FILE_URL).content.decode()
    added = factories.service(name="خدمت تازه‌ای برای آزمون")

    second = client.get(FILE_URL).content.decode()

    assert added.name not in first and added.name in second
    stamps = re.findall(r'name="stamp" value="([^"]+)"', first + second)
    assert len(stamps) == 2 and stamps[0] != stamps[1]


def test_filing_and_the_tracking_proof_stay_within_their_query_budgets(
    service, django_assert_max_num_queries
):
    # A browser that was shown the live suggestions; the process has filed before (its copies
    # of the calendar and the content types are warm).
    data = factories.filing_form_data(service, suggestions_seen="1")
    assert Client().post(FILE_URL, data).status_code == 302

    with django_assert_max_num_queries(21):
        filed = Client().post(FILE_URL, {**data, "subject": "یک پرونده دیگر",
                                         "stamp": factories.form_stamp()})
    assert filed.status_code == 302
    number = Case.objects.latest("pk").tracking_number

    with django_assert_max_num_queries(4):
        proof = prove(Client(), number, "09121234567")
    assert proof.status_code == 302


def test_the_blank_form_page_is_shared_but_each_view_gets_a_working_csrf_token_and_its_own_stamp(
    service,
):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [c.get(FILE_URL).content.decode() for c in (first, second)]

    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', p) for p in pages]
    stamps = [re.search(r'name="stamp" value="([^"]+)"', p).group(1) for p in pages]
    assert all(len(t) == 2 for t in tokens) and tokens[0][0] != tokens[1][0]
    assert stamps[0] != stamps[1]
    assert "-placeholder-0000" not in pages[0] + pages[1]
    # The token in the page is the visitor's own: the POST passes the CSRF check and files.
    data = factories.filing_form_data(service, csrfmiddlewaretoken=tokens[1][0], suggestions_seen="1")
    assert second.post(FILE_URL, data).status_code == 302
    assert Case.objects.count() == 1


def test_the_form_page_keeps_the_kind_and_service_of_its_query_and_the_language(client, service):
    page = client.get(FILE_URL, {"service": service.slug, "kind": "suggestion"}).content.decode()
    assert re.search(rf'<option value="{service.slug}" selected>', page)
    assert re.search(r'value="suggestion"[^>]*checked', page)

    client.cookies["django_language"] = "en"
    english = client.get(FILE_URL).content.decode()
    assert 'lang="en"' in english and 'lang="fa" dir="rtl"' not in english
