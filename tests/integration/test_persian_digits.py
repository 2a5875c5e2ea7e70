"""Every number a person reads on the survey, dashboard and FAQ pages shows Persian digits.

The pages are rendered over the demo data (`make run`'s seed: a year of cases, survey answers,
FAQ entries, report calls and the summary tables), so counts, percentages, dates, page numbers
and sizes are all present. What the browser or a program reads stays ASCII: links, form values,
data attributes and the chart data, and the CSV and Excel exports.
"""
import csv
import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sajad.models import Service
from surveys.models import Invitation, Survey
from tests import factories
from tests.pages import latin_digits_shown, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    quiet = open("/dev/null", "w")
    for command in ("seed_demo", "seed_demo_reports", "seed_demo_surveys"):
        call_command(command, stdout=quiet)
    call_command("update_rollups", "--now", stdout=quiet)
    _staff_write_numbers()


def _staff_write_numbers() -> None:
    """Text staff type in admin with numbers in it, stored with ASCII digits as always.

    The demo's own texts spell their numbers out («ده روز»); staff usually type digits, and links
    carry digits that must stay as they are.
    """
    from faq.models import FaqCategory, FaqEntry
    from sajad.models import Unit
    from surveys.models import ImprovementPlan, PlanAction, Question

    service = Service.objects.get(slug="student-loans")
    service.name = "وام‌های دانشجویی 1405"
    service.save(update_fields=["name"])
    category = FaqCategory.objects.filter(service=service).first()
    category.name = "مرحله 2: بازپرداخت"
    category.save(update_fields=["name"])
    entry = FaqEntry.objects.filter(category=category, is_published=True).first()
    entry.question = "وام شهریه در 2 قسط واریز می‌شود؟"
    entry.answer = ("حداکثر 10 روز کاری پس از تأیید، در 2 قسط.\n\n- قسط 1: مهر\n"
                    "- قسط 2: بهمن\n\n[راهنمای 3 مرحله‌ای](https://portal.saorg.ir/help/12)")
    entry.save()
    # Questions of a survey with responses are frozen: staff publish a new survey instead.
    factories.survey(
        service_=service, slug="loans-1405", title="نظرسنجی وام 1405",
        intro="پاسخ دادن حدود 2 دقیقه طول می‌کشد.", questions=[
            ("csat", "در 3 ماه گذشته از این خدمت چقدر راضی بودید؟", True, ""),
            ("nps", "چقدر احتمال دارد این خدمت را به 1 دوست پیشنهاد کنید؟", False, ""),
            ("single", "چند بار مراجعه کردید؟", False, "1 بار\n2 تا 3 بار\nبیش از 3 بار"),
            ("text", "اگر بیش از 10 روز منتظر ماندید، بنویسید.", False, ""),
        ])
    plan = ImprovementPlan.objects.filter(status="completed").first()
    plan.title = plan.title + " در 3 مرحله"
    plan.public_summary = "زمان بارگذاری مدارک از 10 به 4 دقیقه رسید."
    plan.save(update_fields=["title", "public_summary"])
    plan.actions.update(description="بارگذاری 5 فایل با تلفن همراه")
    welfare = Unit.objects.get(members__user__username="unithead")
    PlanAction.objects.create(
        plan=ImprovementPlan.objects.exclude(status="completed").first(), owner_unit=welfare,
        description="پاسخ به پرونده‌های وام در 3 روز کاری", due_date=timezone.localdate(),
        status="in_progress", percent_done=40, progress_note="2 کارشناس اضافه شد",
    )


def _client(username: str | None = None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _pages() -> dict[str, tuple[str | None, str]]:
    """name → (demo login or None, path): the pages this audit covers."""
    survey = Survey.objects.get(slug="loans-1405")
    invitation = Invitation.objects.filter(answered_at__isnull=True, skipped=False).first()
    service = Service.objects.open_to_citizens().filter(faq_categories__isnull=False).first()
    return {
        "faq index": (None, "/faq/"),
        "faq search": (None, "/faq/?q=%D9%88%D8%A7%D9%85"),  # «وام»
        "faq service": (None, f"/faq/{service.slug}/"),
        "public survey": (None, f"/surveys/{survey.slug}/"),
        "public survey of the demo": (None, "/surveys/demo-dormitory/"),
        "invited survey": (None, f"/surveys/i/{invitation.token}/"),
        "improvements": (None, "/improvements/"),
        "statistics": (None, "/statistics/"),
        "desk scorecard": ("unithead", "/desk/scorecard/"),
        "desk improvement actions": ("unithead", "/desk/improvements/"),
        "monitoring dashboard": ("monitor", "/admin/dashboard/"),
        "unit scorecards": ("monitor", "/admin/dashboard/scorecards/"),
        "survey results index": ("monitor", "/admin/surveys/results/"),
        "survey results of a service": ("monitor", f"/admin/surveys/results/service/{survey.service.slug}/"),
        "handling survey results": ("monitor", "/admin/surveys/results/handling/"),
        "survey watch": ("monitor", "/admin/surveys/results/watch/"),
    }


def test_every_number_on_the_survey_dashboard_and_faq_pages_shows_persian_digits(demo):
    offenders = {}
    for name, (login, path) in _pages().items():
        response = _client(login).get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        shown = latin_digits_shown(response.content.decode())
        if shown:
            offenders[name] = shown[:8]
    assert not offenders, json.dumps(offenders, ensure_ascii=False, indent=1)



def _cells(content: bytes, kind: str) -> list[str]:
    if kind == "csv":
        return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def test_exports_and_chart_data_keep_ascii_digits(demo):
    survey = Survey.objects.get(slug="demo-dormitory")
    monitor, head = _client("monitor"), _client("unithead")
    exports = {
        "unit scorecard xlsx": (monitor, "/admin/dashboard/scorecards/?export=xlsx", "xlsx"),
        "desk scorecard xlsx": (head, "/desk/scorecard/?export=xlsx", "xlsx"),
        "survey results csv": (monitor, f"/admin/surveys/results/service/{survey.service.slug}/?export=csv", "csv"),
        "survey results xlsx": (monitor, f"/admin/surveys/results/service/{survey.service.slug}/?export=xlsx", "xlsx"),
        "handling results csv": (monitor, "/admin/surveys/results/handling/?export=csv", "csv"),
    }
    offenders = {}
    for name, (client, path, kind) in exports.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        persian = [cell for cell in _cells(response.content, kind) if re.search("[۰-۹]", cell)]
        if persian:
            offenders[name] = persian[:6]
    assert not offenders, json.dumps(offenders, ensure_ascii=False, indent=1)

    # What Chart.js and the browser read: numbers as JSON numbers, attributes with ASCII digits.
    page = monitor.get("/admin/dashboard/").content.decode()
    chart = json.loads(re.search(r'id="dash-chart-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert all(isinstance(n, int) for n in chart["filed"] + chart["age_counts"])
    form = _client().get("/surveys/demo-dormitory/").content.decode()
    assert 'value="5"' in form and 'data-points="5"' in form
    assert re.search(r'href="tel:\+?[0-9]+"', form)
