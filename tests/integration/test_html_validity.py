"""Every public page, the unit's desk and a citizen's case page are valid HTML (Nu HTML Checker).

The pages are rendered by the test client with real data, written to files and checked in one run
of the checker from the `vnu-jar` npm package (`npm ci` installs it; it needs Java). Errors fail
the test with the checker's own message, line and extract.
"""
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import IdentityTier, Kind
from complaints.workflow import Role
from faq import services as faq_services
from tests import factories

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def check_html(pages: dict[str, str], folder: Path) -> list[str]:
    """The checker's errors for each page, as «page: line N: message (extract)»."""
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = folder / f"page{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    assert VNU.exists(), f"{VNU} is missing: run npm ci"
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker (apt-get install default-jre-headless)"
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json",
         *[str(folder / name) for name in files]],
        capture_output=True, text=True, timeout=300,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = []
    for message in report["messages"]:
        url = message.get("url", "")
        page = files.get(url.rsplit("/", 1)[-1], url)
        errors.append(f"{page}: line {message.get('lastLine')}: {message['message']} "
                      f"({message.get('extract', '').strip()[:120]})")
    return errors


@pytest.fixture
def pages(tmp_path, private_media):
    unit = factories.unit(name="امور رفاهی")
    factories.monitoring_unit()
    service = factories.service(unit_=unit, name="وام شهریه دانشجویی")
    category = faq_services.faq_category_create(name="وام", service=service)
    faq_services.faq_entry_create(
        category=category, question="وام شهریه کی واریز می‌شود؟",
        answer="پس از تأیید ضامن، در پایان نیم‌سال.", is_published=True,
    )
    survey = factories.survey(service_=service)
    filed = factories.filed_case(service_=service)
    case = services.case_assign(case_id=filed.case.pk, unit=unit, role=Role.SYSTEM)
    anonymous = factories.filed_case(service_=service, kind=Kind.SUGGESTION,
                                     tier=IdentityTier.ANONYMOUS)

    citizen = Client()
    rendered: dict[str, str] = {}

    def get(name, client, url, status=200):
        response = client.get(url)
        assert response.status_code == status, (name, url, response.status_code)
        rendered[name] = response.content.decode()

    for name, url in [
        ("home", reverse("home")),
        ("scope check", reverse("complaints:new")),
        ("filing form", reverse("complaints:file") + f"?service={service.slug}&kind=complaint"),
        ("tracking", reverse("complaints:track")),
        ("faq", reverse("faq:index")),
        ("faq search", reverse("faq:index") + "?q=وام"),
        ("faq of a service", reverse("faq:service", args=[service.slug])),
        ("services", reverse("services:index")),
        ("service sla page", reverse("services:detail", args=[service.slug])),
        ("desk login", reverse("desk:login")),
        ("participation", reverse("participation")),
        ("service survey", reverse("surveys:public", args=[survey.slug])),
    ]:
        get(name, citizen, url)
    get("not found", citizen, "/no-such-page/", status=404)

    # The filing form with errors, then a filing and its confirmation with the PIN.
    response = citizen.post(reverse("complaints:file"), {"kind": "complaint", "stamp": "x"})
    rendered["filing form with errors"] = response.content.decode()
    response = citizen.post(reverse("complaints:file"), factories.filing_form_data(
        service, identity_tier=IdentityTier.ANONYMOUS, kind=Kind.SUGGESTION, mobile="",
        full_name="", national_code="", suggestions_seen="1",
    ))
    assert response.status_code == 302
    get("filed", citizen, reverse("complaints:filed"))

    response = citizen.post(reverse("complaints:track"),
                            {"tracking_number": "123", "secret": "09120000000"})
    rendered["tracking, mistyped"] = response.content.decode()
    response = citizen.post(reverse("complaints:track"),
                            {"tracking_number": case.tracking_number, "secret": "09121234567"})
    assert response.status_code == 302
    get("citizen's case page", citizen, response["Location"])
    assert anonymous.case.pk

    staff = Client()
    staff.force_login(factories.unit_user(unit, is_head=True))
    get("desk inbox", staff, reverse("desk:inbox"))
    get("desk case page", staff, reverse("desk:case", args=[case.pk]))
    return rendered


def test_every_public_page_the_desk_and_a_case_page_are_valid_html(pages, tmp_path):
    errors = check_html(pages, tmp_path)

    assert errors == [], "\n".join(errors)


def test_the_checker_does_report_invalid_html(tmp_path):
    broken = "<!doctype html><html lang=fa><title>x</title><p><div></p></div>"

    assert check_html({"broken": broken}, tmp_path)


def test_every_page_describes_itself_and_names_an_icon_that_exists(pages, client):
    for name, html in pages.items():
        assert '<meta name="description" content="' in html, name
        assert 'rel="icon" href="/static/img/favicon.svg"' in html, name

    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert finders.find("img/favicon.svg")
