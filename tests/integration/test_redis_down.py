"""With Redis gone (the cache and the broker both on a closed port), citizens are still served.

Real refused connections on loopback port 1, no mocks: filing, tracking, the case page's actions
and the FAQ answer as usual, limits still hold (from the in-process fallback), and the outage is
logged once, not per request.
"""
import logging

import pytest
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import Case, RoutingRule
from faq import services as faq_services
from sajad.celery import app
from tests import factories
from tests.integration.test_public_views import FILE_URL, TRACK_URL

CLOSED = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    """Cache and broker both pointed at a closed port: every Redis call is refused."""
    from sajad import queue

    settings.CACHES = {"default": {"BACKEND": "sajad.resilient_cache.ResilientRedisCache",
                                   "LOCATION": CLOSED}}
    saved = app.conf.broker_url
    app.conf.broker_url = CLOSED
    # Both caches of connections, or an earlier test's producer still talks to the real Redis.
    app._pool = None
    app.amqp._producer_pool = None
    queue._BrokerState.down_since = None
    yield
    app.conf.broker_url = saved
    app._pool = None
    app.amqp._producer_pool = None
    queue._BrokerState.down_since = None
    from sajad import resilient_cache

    resilient_cache._states.pop(CLOSED, None)


@pytest.fixture
def site(db):
    unit = factories.unit()
    service = factories.service(unit_=unit)
    RoutingRule.objects.create(name="همه", unit=unit)
    category = faq_services.faq_category_create(name="وام", service=service)
    entry = faq_services.faq_entry_create(category=category, question="چگونه وام بگیرم؟",
                                          answer="در سامانه ثبت‌نام کنید.", is_published=True)
    return {"unit": unit, "service": service, "entry": entry}


def _errors_about(caplog, text: str) -> list:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and text in r.getMessage()]


@pytest.mark.django_db(transaction=True)
def test_citizens_file_track_act_and_read_the_faq_while_redis_is_down(site, redis_down, caplog):
    caplog.set_level(logging.INFO)
    client = Client()

    for _ in range(3):
        response = client.post(FILE_URL, factories.filing_form_data(site["service"]))
        assert response.status_code == 302 and response.url == reverse("complaints:filed")
    assert Case.objects.count() == 3
    number = Case.objects.order_by("pk").first().tracking_number

    response = Client().post(TRACK_URL, {"tracking_number": number, "secret": "09121234567"})
    assert response.status_code == 302

    # The case page's actions, behind the same limiter.
    case = Case.objects.get(tracking_number=number)
    case_client = Client()
    case_client.post(TRACK_URL, {"tracking_number": number, "secret": "09121234567"})
    staff = factories.monitoring_user()
    services.case_assign(case_id=case.pk, actor=staff, unit=site["unit"])
    services.case_request_info(case_id=case.pk, actor=factories.unit_user(site["unit"]),
                               question="شماره دانشجویی؟")
    response = case_client.post(reverse("complaints:provide_info", args=[number]),
                                {"text": "۹۸۱۲۳۴۵"})
    assert response.status_code == 302
    assert case_client.get(response.url).status_code == 200

    faq = Client()
    assert faq.get("/faq/", {"q": "وام"}).status_code == 200
    assert faq.get(reverse("faq:suggest"), {"q": "وام"}).status_code == 200
    response = faq.post(reverse("faq:vote", args=[site["entry"].pk]), {"helpful": "yes", "next": "/faq/"})
    assert response.status_code == 302

    # One line each for the cache and the broker outage, however many requests met it.
    assert len(_errors_about(caplog, "cache unreachable")) == 1
    assert len(_errors_about(caplog, "broker unreachable")) == 1
    assert not [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]


@pytest.mark.django_db(transaction=True)
def test_filing_limits_still_hold_from_the_local_fallback_while_redis_is_down(site, redis_down, settings):
    settings.RATE_FILING = "2/h"
    client = Client(REMOTE_ADDR="10.9.9.9")
    codes = [client.post(FILE_URL, factories.filing_form_data(site["service"])).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_healthz_reports_the_cache_down_even_though_requests_are_served(redis_down):
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] is False
