"""Abuse bounds: FAQ counts, password spraying, tracking guesses, replayed form stamps, proxies."""
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from complaints.models import Case, IdentityTier, Kind
from faq import services as faq_services
from faq.models import DeflectionClick, FaqVote
from sajad.security import client_ip
from tests import factories
from tests.integration.test_public_views import FILE_URL, prove

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    service = factories.service(name="وام شهریه")
    category = faq_services.faq_category_create(name="درخواست وام", service=service)
    return faq_services.faq_entry_create(category=category, question="چگونه وام شهریه بگیرم؟",
                                         answer="در سامانه ثبت‌نام کنید.", is_published=True)


# --- FAQ counts -------------------------------------------------------------------------------


def test_fresh_sessions_from_one_address_cannot_inflate_helpful_votes(entry, settings):
    settings.RATE_FAQ_VOTE = "10/h"
    url = reverse("faq:vote", args=[entry.pk])
    codes = [Client(REMOTE_ADDR="10.1.1.1").post(url, {"helpful": "yes", "next": "/faq/"}).status_code
             for _ in range(40)]

    assert codes.count(302) == 10 and codes.count(429) == 30
    assert FaqVote.objects.filter(entry=entry).count() == 10
    # Another address is not affected.
    Client(REMOTE_ADDR="10.1.1.2").post(url, {"helpful": "yes", "next": "/faq/"})
    assert FaqVote.objects.filter(entry=entry).count() == 11


def test_fresh_sessions_from_one_address_cannot_inflate_answered_clicks(entry, settings):
    settings.RATE_FAQ_VOTE = "10/h"
    url = reverse("faq:answered", args=[entry.pk])
    for _ in range(40):
        Client(REMOTE_ADDR="10.1.1.1").post(url, {"next": "/faq/"})

    assert DeflectionClick.objects.filter(entry=entry).count() == 10


# --- password spraying ------------------------------------------------------------------------


@pytest.mark.parametrize("login_url", ["/desk/login/", "/admin/login/"])
def test_password_spraying_from_one_address_is_refused_across_usernames(login_url, settings):
    settings.RATE_LOGIN_FAILURES = "20/h"
    victim = factories.staff_user(username="victim")
    victim.set_password("right-pass-1405")
    victim.save()
    sprayer = Client(REMOTE_ADDR="10.2.2.2")

    codes = [sprayer.post(login_url, {"username": f"user{n}", "password": f"guess{g}"}).status_code
             for n in range(30) for g in range(4)]

    assert codes[:20] == [200] * 20  # the form again, with the error
    assert set(codes[20:]) == {429}
    # Even the right password is refused from that address for the rest of the window...
    assert sprayer.post(login_url, {"username": "victim", "password": "right-pass-1405"}).status_code == 429
    # ...while the owner at their own address signs in.
    owner = Client(REMOTE_ADDR="10.2.2.3")
    assert owner.post(login_url, {"username": "victim", "password": "right-pass-1405"}).status_code == 302


@pytest.mark.parametrize("login_url", ["/desk/login/", "/admin/login/"])
def test_a_locked_out_sign_in_gets_the_sites_own_page_with_the_wait(login_url, settings):
    # django-axes' own answer is bare text: no lang, no title, no main landmark to read it by.
    user = factories.staff_user(username="victim")
    user.set_password("right-pass-1405")
    user.save()
    guesser = Client(REMOTE_ADDR="10.2.2.4")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(login_url, {"username": "victim", "password": "wrong"})

    response = guesser.post(login_url, {"username": "victim", "password": "right-pass-1405"})

    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "1800"
    assert '<html lang="fa" dir="rtl">' in html and "<title>" in html and '<main id="main"' in html
    assert "ورود با این نام کاربری از اتصال شما چند بار ناموفق بوده است" in html
    assert "حدود ۳۰ دقیقه" in html


# --- tracking guesses -------------------------------------------------------------------------


def test_a_strangers_wrong_guesses_do_not_lock_the_owner_out(settings):
    number = factories.filed_case().case.tracking_number
    stranger = Client(REMOTE_ADDR="10.3.3.3")
    codes = [prove(stranger, number, f"0912000{n:04d}").status_code for n in range(12)]

    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}  # the stranger is bounded...
    owner = Client(REMOTE_ADDR="10.3.3.4")
    response = prove(owner, number, "09121234567")
    assert response.status_code == 302  # ...and the owner walks in.


def test_wrong_guesses_on_one_number_from_many_addresses_stay_bounded(settings):
    settings.TRACKING_GUESSES_PER_NUMBER = "30/h"
    number = factories.filed_case(kind=Kind.SUGGESTION, tier=IdentityTier.ANONYMOUS).case.tracking_number
    codes = [prove(Client(REMOTE_ADDR=f"10.4.{i // 200}.{i % 200}"), number, f"{i:08d}").status_code
             for i in range(35)]

    assert codes[:30] == [200] * 30 and set(codes[30:]) == {429}


def test_the_owners_own_visits_never_use_up_the_guesses(settings):
    settings.TRACKING_GUESSES_PER_ADDRESS = "2/h"
    number = factories.filed_case().case.tracking_number
    for _ in range(5):
        assert prove(Client(REMOTE_ADDR="10.5.5.5"), number, "09121234567").status_code == 302


# --- the filing form's stamp ------------------------------------------------------------------


def test_a_form_stamp_files_one_case_and_is_refused_when_replayed_from_another_session():
    service = factories.service()
    data = factories.filing_form_data(service)

    first = Client(REMOTE_ADDR="10.6.6.6").post(FILE_URL, data)
    replay = Client(REMOTE_ADDR="10.6.6.7").post(FILE_URL, data)

    assert first.status_code == 302
    assert replay.status_code == 400
    assert Case.objects.count() == 1


def test_a_form_refused_by_the_service_can_be_sent_again_with_the_same_stamp():
    service = factories.service()
    data = factories.filing_form_data(service, kind=Kind.COMPLAINT, identity_tier=IdentityTier.ANONYMOUS,
                                      mobile="", full_name="", national_code="")
    client = Client()
    assert client.post(FILE_URL, data).status_code == 200  # a complaint needs a mobile number
    fixed = {**data, "identity_tier": IdentityTier.IDENTIFIED, "mobile": "09121234567",
             "full_name": "زهرا احمدی", "national_code": factories.VALID_NATIONAL_CODES[0]}
    assert client.post(FILE_URL, fixed).status_code == 302
    assert Case.objects.count() == 1


def test_a_form_refused_for_the_limit_keeps_its_stamp_for_when_the_wait_is_over(settings):
    settings.RATE_FILING_MOBILE = "1/h"
    service = factories.service()
    client = Client()
    assert client.post(FILE_URL, factories.filing_form_data(service)).status_code == 302
    second = factories.filing_form_data(service)
    assert client.post(FILE_URL, second).status_code == 429

    settings.RATE_FILING_MOBILE = "2/h"  # as if the hour had passed
    assert client.post(FILE_URL, second).status_code == 302
    assert client.post(FILE_URL, second).status_code == 400  # and now it is used
    assert Case.objects.count() == 2


# --- client address behind proxies ------------------------------------------------------------


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_x_forwarded_for_is_ignored_without_configured_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_behind_one_trusted_proxy_the_client_is_the_hop_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_NETWORKS = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.1", "1.2.3.4")) == "1.2.3.4"
    # A client forging its own header gets the proxy's view of it, not its claim.
    assert client_ip(_request("10.0.0.1", "9.9.9.9, 1.2.3.4")) == "1.2.3.4"
    # A client that is not behind the proxy is taken at its word: REMOTE_ADDR.
    assert client_ip(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"
    # Garbage in the header falls back to the proxy's address, never to the garbage.
    assert client_ip(_request("10.0.0.1", "not-an-ip")) == "10.0.0.1"


def test_behind_two_proxies_only_two_hops_are_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.TRUSTED_PROXY_NETWORKS = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.1", "1.2.3.4, 10.0.0.2")) == "1.2.3.4"
    assert client_ip(_request("10.0.0.1", "10.9.9.9, 10.0.0.3, 10.0.0.2")) == "10.0.0.3"


def test_citizens_behind_a_proxy_get_their_own_filing_bucket(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_NETWORKS = ["10.0.0.0/8"]
    settings.RATE_FILING = "1/h"
    service = factories.service()

    def file(forwarded):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return client.post(FILE_URL, factories.filing_form_data(service)).status_code

    assert file("1.1.1.1") == 302
    assert file("2.2.2.2") == 302  # another citizen, same proxy
    assert file("1.1.1.1") == 429
    assert file("7.7.7.7, 1.1.1.1") == 429  # a forged left part does not buy a new bucket
