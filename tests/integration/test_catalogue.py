"""The service catalogue, each service's SLA page with its figures, and the participation page."""
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue import selectors as catalogue
from dashboards import rollups
from dashboards.public_figures import service_month, sla_page_period, statistics_for_month
from faq import services as faq_services
from sajad.calendar import TEHRAN
from sajad.calendar_display import describe_working_minutes
from sajad.models import PerformanceTarget, Service, StaticPage
from tests import factories

pytestmark = pytest.mark.django_db

SLA_TEXT_FIELDS = {
    "definition": "پرداخت وام کم‌بهره به دانشجویان نیازمند دوره‌های روزانه",
    "recipients": "دانشجویان دانشگاه‌های دولتی و خانواده‌های آنان",
    "provider": "صندوق رفاه دانشجویان، اداره وام",
    "responsibilities": "بررسی پرونده در مهلت اعلام‌شده و اطلاع‌رسانی نتیجه",
    "mutual_obligations": "دانشجو اطلاعات درست می‌دهد و سازمان آن را محرمانه نگه می‌دارد",
    "required_data": "کد ملی، شماره دانشجویی، شماره حساب بانکی",
    "dispute_resolution": "اختلاف از راه بخش نظارت مردمی بررسی می‌شود",
    "termination": "با پایان فراخوان سال تحصیلی، توافق‌نامه خاتمه می‌یابد",
}


@pytest.fixture
def loan_service():
    unit = factories.unit(name="امور رفاهی")
    service = factories.service(unit_=unit, name="وام ودیعه مسکن")
    for field, value in SLA_TEXT_FIELDS.items():
        setattr(service, field, value)
    service.single_window_url = "https://my.gov.ir/service/loan"
    service.cost = Service.Cost.PAID
    service.tariff = "پانصد هزار ریال"
    service.payment_method = "درگاه پرداخت الکترونیکی سامانه"
    service.dispute_negotiation_days = 45
    service.document_version = "2.3"
    service.save()
    PerformanceTarget.objects.create(service=service, request_type="درخواست وام عادی", working_days=12)
    PerformanceTarget.objects.create(service=service, request_type="درخواست وام فوری", working_days=4)
    # 1 Farvardin 1405 is 21 March 2026.
    Service.objects.filter(pk=service.pk).update(
        last_edited=dt.datetime(2026, 3, 21, 10, 0, tzinfo=ZoneInfo("Asia/Tehran"))
    )
    service.refresh_from_db()
    return service


def page_html(client, service) -> str:
    response = client.get(f"/services/{service.slug}/")
    assert response.status_code == 200
    return response.content.decode()


LATER = timezone.now() + dt.timedelta(days=400)  # every event settled, for the rollup task
FIGURES = ("cases", "median", "on-time", "satisfaction", "resolved")


@pytest.fixture
def hand_computed_month(loan_service):
    """The last full Jalali month of the loan service, built through the domain and the rollup task.

    Five cases filed in the month; four reached their unit after 60, 100, 130 and 500 working
    minutes (histogram buckets 60–120 ×2, 120–180, 420–630: the median, at rank 2 of 4, is the
    top of the 60–120 bucket, 120 min, where the exact median would be 115); the fifth is still
    waiting. The unit answered after 100, 900, exactly the budget, and the budget + 60: 3 of 4
    on time (75 %). The service's survey: five responses, CSAT 5, 4, 4, 5, 2 (80 %), need met
    fully, fully, partly, no, fully (60 %). Outside the figures: a case of another service in the
    same month, and one of this service filed this month.
    """
    period = sla_page_period()
    monitor, staff = factories.monitoring_user(), factories.unit_user(loan_service.unit)
    handled = [factories.handled_case(loan_service, first_response=first, unit_answer=answer,
                                      monitor=monitor, staff=staff)
               for first, answer in ((60, 100), (100, 900), (130, 2100), (500, 2160))]
    from complaints.models import CaseClock

    assert set(CaseClock.objects.filter(case__in=handled, clock="unit_answer")
               .values_list("budget_minutes", flat=True)) == {2100}  # five working days of 420
    waiting = factories.filed_case(service_=loan_service).case
    elsewhere = factories.handled_case(factories.service(), first_response=9000, unit_answer=10)
    in_the_month = dt.datetime.combine(period.first_day + dt.timedelta(days=4), dt.time(10), TEHRAN)
    factories.case_log_dated([*handled, waiting, elsewhere], in_the_month)
    factories.handled_case(loan_service, first_response=4000, unit_answer=9000)  # this month
    survey = factories.survey(service_=loan_service, slug="loan-survey")
    factories.survey_answers(survey, in_the_month, csat=(5, 4, 4, 5, 2), need_met=(2, 2, 1, 0, 2))
    rollups.rollups_update_all(now=LATER)
    return loan_service


def _sla_figures(html: str) -> dict[str, str]:
    """The SLA page's five figures as shown (whitespace collapsed)."""
    found = re.findall(r'id="figure-([\w-]+)">\s*<dt>.*?</dt>\s*<dd>(.*?)</dd>', html, re.S)
    return {name: " ".join(value.split()) for name, value in found}


def _statistics_figures(html: str, service) -> dict[str, str]:
    """The same five figures from the service's row of /statistics/."""
    row = re.search(rf'<tr id="service-{service.slug}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td data-label=[^>]*>(.*?)</td>", row, re.S)
    return dict(zip(FIGURES, (" ".join(c.split()) for c in cells)))


# --- The catalogue -------------------------------------------------------------------------------

def test_the_catalogue_groups_active_public_services_under_their_units_in_tree_order(client):
    parent = factories.unit(name="معاونت دانشجویی")
    child = factories.unit(name="اداره بورس", parent=parent)
    other = factories.unit(name="الف اداره مستقل")
    parent_service = factories.service(unit_=parent, name="خدمت معاونت")
    child_service = factories.service(unit_=child, name="بورس تحصیلی")
    other_service = factories.service(unit_=other, name="خدمت مستقل")
    factories.service(unit_=child, name="خدمت غیرفعال", is_active=False)
    internal = factories.service(unit_=child, name="ارزیابی عملکرد واحدها")
    Service.objects.filter(pk=internal.pk).update(is_internal=True)

    groups = catalogue.catalogue_units()
    assert [(g.unit.name, g.depth, [s.name for s in g.services]) for g in groups] == [
        ("الف اداره مستقل", 0, ["خدمت مستقل"]),
        ("معاونت دانشجویی", 0, ["خدمت معاونت"]),
        ("اداره بورس", 1, ["بورس تحصیلی"]),
    ]

    html = client.get(reverse("services:index")).content.decode()
    for service in (parent_service, child_service, other_service):
        assert f'href="{service.get_absolute_url()}"' in html
    assert "خدمت غیرفعال" not in html and "ارزیابی عملکرد واحدها" not in html
    assert html.index("معاونت دانشجویی") < html.index("اداره بورس")
    assert "خدمات سازمان" in html


def test_the_catalogue_is_two_queries_however_many_services(client, django_assert_max_num_queries):
    for n in range(5):
        unit = factories.unit()
        factories.service(unit_=unit)
        factories.service(unit_=unit)
    with django_assert_max_num_queries(2):
        catalogue.catalogue_units()


# --- The SLA page --------------------------------------------------------------------------------

def test_every_sla_field_of_the_service_appears_on_its_page(client, loan_service):
    html = page_html(client, loan_service)

    assert f"توافق‌نامه سطح خدمت: {loan_service.name}" in html
    for field, value in SLA_TEXT_FIELDS.items():
        assert value in html, field
    assert loan_service.single_window_url in html
    assert "پانصد هزار ریال" in html and "درگاه پرداخت الکترونیکی سامانه" in html
    assert "۴۵" in html  # the negotiation days, after which the provider's view stands
    assert "درخواست وام عادی" in html and "۱۲" in html
    assert "درخواست وام فوری" in html and "۴" in html
    assert "۲.۳" in html  # document version
    assert "۱۴۰۵/۰۱/۰۱" in html  # the Jalali last-edited date
    assert loan_service.unit.name in html


def test_the_sla_sections_follow_the_order_of_the_published_document(client, loan_service):
    html = page_html(client, loan_service)
    anchors = ["sla-definition", "sla-recipients", "sla-provider", "sla-single-window",
               "sla-responsibilities", "sla-obligations", "sla-data", "sla-costs", "sla-disputes",
               "sla-performance", "sla-termination"]
    positions = [html.index(f'id="{anchor}"') for anchor in anchors]
    assert positions == sorted(positions)


def test_a_free_service_says_it_is_free_and_shows_no_tariff(client):
    service = factories.service(name="گواهی اشتغال به تحصیل")
    html = page_html(client, service)
    assert "این خدمت رایگان است" in html
    assert "<dt>تعرفه</dt>" not in html


def test_an_inactive_or_unknown_service_is_404(client):
    inactive = factories.service(is_active=False)
    assert client.get(f"/services/{inactive.slug}/").status_code == 404
    assert client.get("/services/no-such-service/").status_code == 404


def test_the_page_opens_the_filing_form_with_the_service_chosen(client, loan_service):
    html = page_html(client, loan_service)
    assert f'href="/complaints/new/form/?service={loan_service.slug}"' in html
    assert "ثبت شکایت، انتقاد یا پیشنهاد درباره این خدمت" in html
    form = client.get(f"/complaints/new/form/?service={loan_service.slug}").content.decode()
    assert f'value="{loan_service.slug}" selected' in form


def test_an_internal_service_has_its_sla_page_but_no_citizen_filing_button(client):
    internal = factories.service(name="ارزیابی عملکرد واحدها")
    Service.objects.filter(pk=internal.pk).update(is_internal=True)
    html = page_html(client, internal)
    assert "توافق‌نامه سطح خدمت: ارزیابی عملکرد واحدها" in html
    assert "/complaints/new/form/" not in html


def test_the_page_lists_the_services_published_questions_and_links_to_all_of_them(
    client, loan_service
):
    category = faq_services.faq_category_create(name="وام", service=loan_service)
    faq_services.faq_entry_create(
        category=category, question="مهلت درخواست وام کی است؟", answer="تا **پایان مهر**.",
        is_published=True,
    )
    faq_services.faq_entry_create(
        category=category, question="پرسش منتشرنشده", answer="پاسخ", is_published=False,
    )
    html = page_html(client, loan_service)
    assert "مهلت درخواست وام کی است؟" in html and "<strong>پایان مهر</strong>" in html
    assert "پرسش منتشرنشده" not in html
    assert f'href="/faq/{loan_service.slug}/"' in html


def test_no_more_than_five_questions_are_shown(client, loan_service):
    category = faq_services.faq_category_create(name="وام", service=loan_service)
    for n in range(7):
        faq_services.faq_entry_create(
            category=category, question=f"پرسش شماره {n}", answer="پاسخ", is_published=True,
        )
    assert len(catalogue.service_faq_entries(service=loan_service)) == 5


# --- The figures: the service's row of /statistics/ ---------------------------------------------

def test_the_sla_figures_match_the_hand_computed_month(hand_computed_month):
    figures = service_month(service=hand_computed_month, period=sla_page_period())
    assert figures.cases == 5
    assert figures.median_first_response == 120  # interpolated in the 60–120 bucket
    assert (figures.answers, figures.on_time_percent) == (4, 75)
    assert (figures.csat_n, figures.csat_percent) == (5, 80)
    assert (figures.resolved_n, figures.resolved_percent) == (5, 60)
    this_month = service_month(service=hand_computed_month, period=sla_page_period().next())
    # This month's one case (4000 min): the middle of its 3360–4200 bucket.
    assert (this_month.cases, this_month.answers, this_month.median_first_response) == (1, 1, 3780)


def test_the_page_shows_the_last_full_jalali_month_in_persian(client, hand_computed_month):
    period = sla_page_period()
    html = page_html(client, hand_computed_month)
    assert re.fullmatch(r"\S+ [۰-۹]{4}", period.label)  # «آبان ۱۴۰۵»
    assert f"عملکرد ما در {period.label}" in html and "آخرین ماه کامل" in html
    assert _sla_figures(html) == {
        "cases": "۵", "median": describe_working_minutes(120), "on-time": "۷۵٪ <small class=\"text-body-secondary\">(از ۴)</small>",
        "satisfaction": "۸۰٪ <small class=\"text-body-secondary\">(n=۵)</small>", "resolved": "۶۰٪",
    }
    assert describe_working_minutes(120) != describe_working_minutes(115)  # the histogram's figure
    assert f'href="/statistics/?period={period.slug}#service-{hand_computed_month.slug}"' in html


def test_the_sla_page_and_the_statistics_page_show_identical_figures(client, hand_computed_month):
    period = sla_page_period()
    sla = _sla_figures(page_html(client, hand_computed_month))
    statistics = client.get(reverse("dashboards:statistics"), {"period": period.slug})
    assert _statistics_figures(statistics.content.decode(), hand_computed_month) == sla
    assert sla["cases"] == "۵"  # not an empty agreement
    row = next(r for r in statistics_for_month(period) if r.service == hand_computed_month)
    assert row == service_month(service=hand_computed_month, period=period)


def test_the_sla_page_reads_the_summary_tables_and_never_the_case_tables(client, hand_computed_month):
    with CaptureQueriesContext(connection) as queries:
        page_html(client, hand_computed_month)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert not re.search(r'"?complaints_case(clock|event)?"?(?!\w)', sql)
    assert "dashboards_dailycaserollup" in sql and "dashboards_dailyclockstat" in sql


def test_satisfaction_under_the_privacy_floor_is_a_dash_as_on_the_statistics_page(client, loan_service):
    period = sla_page_period()
    case = factories.handled_case(loan_service, first_response=60, unit_answer=60)
    in_the_month = dt.datetime.combine(period.first_day + dt.timedelta(days=1), dt.time(10), TEHRAN)
    factories.case_log_dated([case], in_the_month)
    survey = factories.survey(service_=loan_service, slug="loan-survey")
    factories.survey_answers(survey, in_the_month, csat=(5, 5, 5, 5), need_met=(2, 2, 2, 2))
    rollups.rollups_update_all(now=LATER)
    html = page_html(client, loan_service)
    figures = _sla_figures(html)
    assert (figures["satisfaction"], figures["resolved"]) == ("—", "—")
    assert figures["cases"] == "۱"
    assert "رضایت تنها وقتی نشان داده می‌شود که دست‌کم پنج نفر به نظرسنجی پاسخ داده باشند." in html
    statistics = client.get(reverse("dashboards:statistics"), {"period": period.slug}).content.decode()
    assert _statistics_figures(statistics, loan_service) == figures


def test_a_service_without_figures_says_politely_there_is_no_data_yet(client, loan_service):
    factories.handled_case(loan_service, first_response=60, unit_answer=60)  # this month only
    rollups.rollups_update_all(now=LATER)
    html = page_html(client, loan_service)
    assert "هنوز داده‌ای برای این دوره نداریم" in html
    assert 'id="figure-cases"' not in html
    assert f'href="/statistics/?period={sla_page_period().slug}' in html


def test_the_sla_page_needs_a_bounded_number_of_queries(
    client, hand_computed_month, django_assert_max_num_queries
):
    category = faq_services.faq_category_create(name="وام", service=hand_computed_month)
    for n in range(5):
        faq_services.faq_entry_create(
            category=category, question=f"پرسش {n}", answer="پاسخ", is_published=True
        )
    for _ in range(3):  # more services and cases change no query count
        factories.handled_case(factories.service(), first_response=30, unit_answer=30)
    rollups.rollups_update_all(now=LATER)
    # The service and its targets (2), its questions (1), its survey (1), the figures: filings,
    # clock histograms, the service surveys' ids, their answers and responses (5), and the
    # working calendar for "working time" in words when it is not cached yet (2).
    with django_assert_max_num_queries(11):
        page_html(client, hand_computed_month)


# --- The participation page ----------------------------------------------------------------------

def test_the_participation_page_renders_the_shipped_commitments(client):
    response = client.get("/participation/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "تعهدات ما در مشارکت شهروندان" in html
    assert "<strong>پیگیری شفاف:</strong>" in html and "<li>" in html


def test_a_monitoring_head_edits_the_participation_page_in_admin_and_citizens_see_it(client):
    page = StaticPage.objects.get(slug="participation")
    head = factories.monitoring_head()
    client.force_login(head)
    url = reverse("admin:sajad_staticpage_change", args=[page.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {
        "title": "قول‌های ما به شهروندان",
        "body": "به هر پیام **در ۳ روز کاری** پاسخ می‌دهیم.\n\n- ثبت\n- پیگیری",
        "is_published": "on",
    })
    assert response.status_code == 302
    client.logout()

    html = client.get("/participation/").content.decode()
    assert "قول‌های ما به شهروندان" in html
    assert "<strong>در ۳ روز کاری</strong>" in html
    assert "<li>پیگیری</li>" in html


def test_staff_markup_on_the_page_cannot_inject_html(client):
    StaticPage.objects.filter(slug="participation").update(body="<script>alert(1)</script>")
    html = client.get("/participation/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_an_unpublished_page_is_404(client):
    StaticPage.objects.filter(slug="participation").update(is_published=False)
    assert client.get("/participation/").status_code == 404


def test_a_monitoring_expert_without_the_head_role_cannot_edit_the_page(client):
    page = StaticPage.objects.get(slug="participation")
    client.force_login(factories.monitoring_user())
    url = reverse("admin:sajad_staticpage_change", args=[page.pk])
    assert client.post(url, {"title": "x", "body": "y", "is_published": "on"}).status_code == 403
    page.refresh_from_db()
    assert page.title == "تعهدات ما در مشارکت شهروندان"
