"""The anonymous case's PIN: a keyed hash checked in microseconds, with old hashes still accepted."""
import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from complaints import selectors, tracking
from complaints.models import Case, IdentityTier, Kind
from tests import factories

pytestmark = pytest.mark.django_db

TRACK_URL = reverse("complaints:track")


def anonymous_case():
    return factories.filed_case(kind=Kind.SUGGESTION, tier=IdentityTier.ANONYMOUS)


def test_a_pin_is_stored_as_a_salted_keyed_hash_and_never_in_clear():
    first, second = anonymous_case(), anonymous_case()

    for filed in (first, second):
        assert filed.case.pin_hash.startswith(tracking.PIN_HASH_PREFIX)
        assert filed.pin not in filed.case.pin_hash
    # A per-case salt: the same PIN would not give the same stored value.
    assert tracking.pin_hash(first.pin) != tracking.pin_hash(first.pin)


def test_the_pin_opens_its_case_with_persian_digits_and_a_wrong_pin_does_not():
    filed = anonymous_case()
    persian_pin = filed.pin.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    assert selectors.case_find_for_citizen(
        tracking_number=filed.case.tracking_number, secret=persian_pin
    ) == filed.case
    wrong = f"{(int(filed.pin) + 1) % 10**8:08d}"
    assert selectors.case_find_for_citizen(
        tracking_number=filed.case.tracking_number, secret=wrong
    ) is None


def test_the_stored_hash_is_worthless_without_the_server_key(settings):
    filed = anonymous_case()

    settings.PIN_HMAC_KEY = "another-server"

    assert selectors.case_find_for_citizen(
        tracking_number=filed.case.tracking_number, secret=filed.pin
    ) is None


def test_a_mobile_never_opens_an_anonymous_case_and_a_pin_never_opens_an_identified_one():
    anonymous = anonymous_case()
    identified = factories.filed_case().case

    assert selectors.case_find_for_citizen(
        tracking_number=anonymous.case.tracking_number, secret="09121234567"
    ) is None
    assert selectors.case_find_for_citizen(
        tracking_number=identified.tracking_number, secret=anonymous.pin
    ) is None
    assert selectors.case_find_for_citizen(
        tracking_number=identified.tracking_number, secret=""
    ) is None


def test_a_pin_hashed_by_the_old_scheme_still_works_and_is_rehashed_on_its_first_success():
    filed = anonymous_case()
    Case.objects.filter(pk=filed.case.pk).update(pin_hash=make_password(filed.pin))
    number = filed.case.tracking_number

    assert selectors.case_find_for_citizen(tracking_number=number, secret="12345678") is None
    assert not Case.objects.get(pk=filed.case.pk).pin_hash.startswith(tracking.PIN_HASH_PREFIX)

    response = Client().post(TRACK_URL, {"tracking_number": number, "secret": filed.pin})

    assert response.status_code == 302
    stored = Case.objects.get(pk=filed.case.pk).pin_hash
    assert stored.startswith(tracking.PIN_HASH_PREFIX)
    assert selectors.case_find_for_citizen(tracking_number=number, secret=filed.pin) == filed.case
