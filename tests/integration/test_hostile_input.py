"""A scanner's view of the site: hostile values in every path and query parameter never cause a 5xx.

The list of URLs is built from the URLconf and from the admin's own filter links, so a new public
page or a new admin filter is probed without editing this file. A 5xx is what we refuse; 200, a
redirect, 400, 403, 404 or 429 are all acceptable answers to a hostile request.
"""
import re
from html import unescape
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from complaints.models import RoutingRule
from tests import factories

# Raw (already percent-encoded) fragments: they go into URLs as they are.
HOSTILE = {
    "nul": "%00",
    "nul-inside": "a%00b",
    "long": "a" * 5000,
    "bad-utf8": "%ff%fe%c3%28",
    "lone-surrogate": "%ed%a0%80",
    "rtl-override": quote("\u202eفارسی\u202c"),
    "sql": quote("' OR 1=1; DROP TABLE complaints_case; --"),
    "template": quote("{{ settings.SECRET_KEY }}{% debug %}${7*7}"),
    "path-dots": quote("../../etc/passwd"),
    "persian-digits": quote("۱۲۳۴۵"),
    "huge-int": "9" * 40,
    "negative": "-1",
}

# Parameters each public page reads (and a few it does not, which must be ignored quietly).
PUBLIC_QUERY_PARAMS = ["q", "service", "kind", "page", "next", "tab", "p", "o", "language"]

# Path converters we can stuff: str and slug take anything URL-safe, int only digits.
_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _public_patterns():
    """Every URL pattern outside the admin, as (route with converters, name)."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith("admin/"):
                    continue
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append(prefix + route)

    walk(get_resolver().url_patterns, "")
    return found


def _fill(route: str, value: str) -> str | None:
    """The route with every str/slug converter set to `value` (int ones to a plain id)."""
    if route.startswith("^"):
        return None

    def one(match):
        conv = match.group("conv") or "str"
        return "1" if conv == "int" else value

    return "/" + _CONVERTER.sub(one, route)


def _assert_no_server_error(client: Client, url: str, method: str = "get", data=None):
    response = getattr(client, method)(url, data=data) if data is not None else getattr(client, method)(url)
    assert response.status_code < 500, f"{method.upper()} {url} → {response.status_code}"
    return response


@pytest.fixture
def site(db):
    import time

    from django.core.cache import cache

    from sajad.health import HEARTBEAT_KEY

    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)  # /healthz answers 200, not 503
    unit = factories.unit()
    service = factories.service(unit_=unit)
    RoutingRule.objects.create(name="همه", unit=unit)
    filed = factories.filed_case(service_=service)
    return {"unit": unit, "service": service, "case": filed.case}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", HOSTILE)
def test_public_pages_answer_hostile_path_and_query_values_without_a_server_error(site, kind):
    value = HOSTILE[kind]
    client = Client()
    routes = _public_patterns()
    assert len(routes) > 15  # the probe really walks the URLconf
    for route in routes:
        url = _fill(route, value)
        if url is None:
            continue
        _assert_no_server_error(client, url)
        query = "&".join(f"{name}={value}" for name in PUBLIC_QUERY_PARAMS)
        _assert_no_server_error(client, f"{url}?{query}")
    # The known sore spots of the report, spelled out.
    for url in (f"/complaints/new/?service={value}", f"/complaints/new/form/?service={value}&kind={value}",
                f"/services/{value}/", f"/faq/suggest/?q={value}&service={value}", f"/faq/?q={value}",
                f"/faq/{value}/", f"/complaints/track/{value}/"):
        _assert_no_server_error(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["nul", "nul-inside", "long", "rtl-override", "sql", "template"])
def test_public_forms_answer_hostile_posted_values_without_a_server_error(site, kind):
    from urllib.parse import unquote

    value = unquote(HOSTILE[kind])
    client = Client()
    fields = ["tracking_number", "secret", "subject", "description", "full_name", "mobile", "email",
              "national_code", "service", "kind", "identity_tier", "text", "reason", "score",
              "helpful", "next", "username", "password"]
    data = {name: value for name in fields}
    for url in ("/complaints/new/form/", "/complaints/track/", "/desk/login/", "/admin/login/",
                reverse("faq:vote", args=[1]), reverse("faq:answered", args=[1])):
        _assert_no_server_error(client, url, "post", data)


@pytest.mark.django_db
@pytest.mark.parametrize("length", [151, 256, 300, 5000])
@pytest.mark.parametrize("login_url", ["/desk/login/", "/admin/login/"])
def test_an_over_long_username_on_either_login_page_is_refused_politely(site, login_url, length):
    response = Client().post(login_url, {"username": "u" * length, "password": "whatever"})
    assert response.status_code < 500
    assert response.status_code in (200, 400, 403, 429)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", HOSTILE)
def test_the_desk_answers_hostile_values_without_a_server_error(site, kind):
    value = HOSTILE[kind]
    client = Client()
    client.force_login(factories.unit_user(site["unit"]))
    for url in (f"/desk/?tab={value}&page={value}", f"/desk/?page={value}",
                f"/desk/cases/{site['case'].pk}/?tab={value}", "/desk/cases/999999999/"):
        _assert_no_server_error(client, url)
    for action in ("answer", "request-info", "return", "note"):
        _assert_no_server_error(client, f"/desk/cases/{site['case'].pk}/{action}/", "post",
                                {"text": value, "reason": value, "note": value})


def _admin_filter_queries(client: Client, changelist_url: str) -> set[str]:
    """The parameter names the admin's own filter and sort links use on this changelist."""
    html = client.get(changelist_url).content.decode()
    names = set()
    for href in re.findall(r'href="\?([^"]*)"', html):
        names.update(name for name, _v in parse_qsl(unescape(href), keep_blank_values=True))
    for name in re.findall(r'<input[^>]+name="([^"]+)"', html):
        names.add(unescape(name))
    names -= {"csrfmiddlewaretoken", "action", "select_across", "index", "_selected_action"}
    return names | {"q", "p", "o", "all", "e"}


@pytest.mark.django_db
def test_admin_list_filters_answer_hostile_values_without_a_server_error(site):
    client = Client()
    client.force_login(_superuser())
    probed = 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        names = _admin_filter_queries(client, url)
        for kind, value in HOSTILE.items():
            for name in sorted(names):
                _assert_no_server_error(client, f"{url}?{urlencode({name: ''})[:-1]}{value}")
                probed += 1
            # Everything at once, as a scanner would send it.
            _assert_no_server_error(client, f"{url}?" + "&".join(f"{quote(n)}={value}" for n in names))
    assert probed > 300


def _superuser():
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root-probe", "root@example.ir", "x")
