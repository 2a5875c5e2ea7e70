"""Filing through the domain service: one case, one event, one transaction, nothing half-done."""
import pytest
from django.core.exceptions import ValidationError

from complaints import services, tracking
from complaints.models import Attachment, Case, CaseEvent, EventKind, IdentityTier, Kind
from complaints.workflow import Status
from tests import factories
from tests.factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, upload

pytestmark = pytest.mark.django_db


def test_filing_creates_exactly_one_case_and_one_public_event(service):
    filed = factories.filed_case(service_=service)
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1
    event = CaseEvent.objects.get()
    assert (event.kind, event.to_status, event.is_public) == (EventKind.FILED, Status.SUBMITTED, True)
    assert filed.case.status == Status.SUBMITTED
    assert tracking.is_well_formed(filed.case.tracking_number)
    assert filed.pin == ""


def test_persian_and_arabic_digits_and_letters_are_stored_normalised(service):
    case = factories.filed_case(
        service_=service, national_code="۰۰۱۳٥٤٢٤١٩", mobile="+98 912 123 ٤٥٦٧",
        subject="مشكل در ثبت‌نام ۱۴۰۵", full_name="علي  كريمي",
    ).case
    case.refresh_from_db()
    assert case.national_code == "0013542419"
    assert case.mobile == "09121234567"
    assert case.subject == "مشکل در ثبت‌نام 1405"
    assert case.full_name == "علی کریمی"


def test_contact_only_filing_keeps_the_mobile_but_drops_name_and_code(service):
    case = factories.filed_case(service_=service, tier=IdentityTier.CONTACT_ONLY).case
    assert (case.full_name, case.national_code, case.mobile) == ("", "", "09121234567")
    assert case.name_for_unit() != "زهرا احمدی"


def test_an_anonymous_criticism_gets_a_pin_that_is_stored_only_as_a_hash(service):
    filed = factories.filed_case(service_=service, kind=Kind.CRITICISM, tier=IdentityTier.ANONYMOUS)
    assert len(filed.pin) == 8
    assert filed.case.pin_hash and filed.pin not in filed.case.pin_hash
    assert filed.case.mobile == "" and filed.case.full_name == ""


def test_an_anonymous_complaint_is_refused_and_nothing_is_stored(service):
    with pytest.raises(ValidationError) as refused:
        factories.filed_case(service_=service, kind=Kind.COMPLAINT, tier=IdentityTier.ANONYMOUS)
    assert "identity_tier" in refused.value.message_dict
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [("national_code", "1234567890"), ("mobile", "0912"), ("full_name", " "), ("subject", "  "),
     ("description", "")],
)
def test_bad_identified_input_is_refused_by_field_and_changes_nothing(service, field, value):
    with pytest.raises(ValidationError) as refused:
        factories.filed_case(service_=service, **{field: value})
    assert field in refused.value.message_dict
    assert not Case.objects.exists()


def test_an_inactive_service_accepts_no_cases(unit):
    closed = factories.service(unit_=unit, is_active=False)
    with pytest.raises(ValidationError) as refused:
        factories.filed_case(service_=closed)
    assert "service" in refused.value.message_dict


def test_an_internal_service_accepts_no_citizen_cases(unit):
    internal = factories.service(unit_=unit)
    internal.is_internal = True
    internal.save()
    with pytest.raises(ValidationError) as refused:
        factories.filed_case(service_=internal)
    assert "service" in refused.value.message_dict
    assert not Case.objects.exists()


def test_attachments_are_kept_in_private_storage_with_their_checksum(service, private_media):
    filed = factories.filed_case(
        service_=service, files=[upload("رسید.png", PNG_BYTES), upload("نامه.PDF", PDF_BYTES)]
    )
    stored = list(filed.case.attachments.order_by("id"))
    assert [a.content_type for a in stored] == ["image/png", "application/pdf"]
    assert [a.original_name for a in stored] == ["رسید.png", "نامه.PDF"]
    for attachment in stored:
        path = private_media / attachment.file.name
        assert path.exists() and "رسید" not in str(path)
    data = CaseEvent.objects.get().data
    assert data["attachments"] == 2
    assert set(data["deadlines"]) == {"first_response", "resolution"}  # the clocks filing starts


@pytest.mark.parametrize(
    "name,content",
    [("invoice.pdf", EXE_BYTES), ("photo.jpg", PNG_BYTES), ("setup.exe", EXE_BYTES),
     ("empty.png", b"")],
    ids=["renamed-executable", "png-named-jpg", "executable", "empty"],
)
def test_a_file_that_is_not_what_it_claims_is_refused(service, private_media, name, content):
    with pytest.raises(ValidationError) as refused:
        factories.filed_case(service_=service, files=[upload(name, content)])
    assert "attachments" in refused.value.message_dict
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in private_media.rglob("*") if p.is_file()]


def test_an_oversize_file_is_refused(service, private_media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = PDF_BYTES + b"0" * 2000
    with pytest.raises(ValidationError) as refused:
        factories.filed_case(service_=service, files=[upload("big.pdf", big)])
    assert "attachments" in refused.value.message_dict
    assert not Case.objects.exists()


def test_more_than_five_files_are_refused(service, private_media):
    files = [upload(f"{i}.png", PNG_BYTES) for i in range(6)]
    with pytest.raises(ValidationError):
        factories.filed_case(service_=service, files=files)
    assert not Case.objects.exists()


def test_a_failure_half_way_leaves_no_case_no_event_and_no_file(service, private_media, monkeypatch):
    def broken_outbox(*args, **kwargs):
        raise RuntimeError("database went away")

    # After the case, its clocks, its event, its outbox row and its files were written.
    monkeypatch.setattr(services, "deliver_on_commit", broken_outbox)
    with pytest.raises(RuntimeError):
        factories.filed_case(service_=service, files=[upload("a.png", PNG_BYTES)])
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in private_media.rglob("*") if p.is_file()]


def test_a_tracking_number_clash_draws_a_new_number(service, monkeypatch):
    first = factories.filed_case(service_=service).case
    draws = iter([first.tracking_number[:-1], first.tracking_number[:-1], "12345678"])
    monkeypatch.setattr(tracking, "random_body", lambda: next(draws))
    second = factories.filed_case(service_=service).case
    assert second.tracking_number == tracking.with_check_digit("12345678")
    assert Case.objects.count() == 2
