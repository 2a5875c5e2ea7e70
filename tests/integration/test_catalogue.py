"""The service catalogue, each service's SLA page with its live figures, and the participation page."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Clock
from sajad.calendar_display import describe_working_minutes
from faq import services as faq_services
from catalogue import selectors as catalogue
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


@pytest.fixture
def hand_computed_cases(loan_service):
    """Three recent cases (first response 60, 120, 300 min; two of three answers within 420 min)."""
    for first, answer in ((60, 100), (120, 420), (300, 900)):
        case = factories.filed_case_days_ago(loan_service, days_ago=10)
        factories.clock_outcome(case, Clock.FIRST_RESPONSE, elapsed=first)
        factories.clock_outcome(case, Clock.UNIT_ANSWER, elapsed=answer, budget=420)
    return loan_service


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


# --- Live figures --------------------------------------------------------------------------------

def test_the_live_figures_match_the_hand_computed_fixture(hand_computed_cases):
    figures = catalogue.service_figures(service=hand_computed_cases)
    assert figures.cases_filed == 3
    assert figures.median_first_response_minutes == 120
    assert (figures.answers_on_time, figures.answers_total) == (2, 3)
    assert figures.on_time_percent == 67


def test_the_page_shows_the_figures_in_persian_working_time(client, hand_computed_cases):
    html = page_html(client, hand_computed_cases)
    assert "در ۹۰ روز گذشته" in html
    assert describe_working_minutes(120) in html
    assert "۶۷٪" in html
    assert "۲ از ۳ پاسخ" in html


def test_cases_older_than_ninety_days_and_running_clocks_are_left_out(hand_computed_cases):
    old = factories.filed_case_days_ago(hand_computed_cases, days_ago=100)
    long_ago = timezone.now() - dt.timedelta(days=95)
    factories.clock_outcome(old, Clock.FIRST_RESPONSE, elapsed=5000, stopped_at=long_ago)
    factories.clock_outcome(old, Clock.UNIT_ANSWER, elapsed=10, budget=420, stopped_at=long_ago)
    running = factories.filed_case_days_ago(hand_computed_cases, days_ago=2)
    factories.clock_outcome(running, Clock.FIRST_RESPONSE, elapsed=None)
    factories.clock_outcome(running, Clock.UNIT_ANSWER, elapsed=None)
    other_service_case = factories.filed_case_days_ago(factories.service(), days_ago=1)
    factories.clock_outcome(other_service_case, Clock.FIRST_RESPONSE, elapsed=9000)

    figures = catalogue.service_figures(service=hand_computed_cases)
    assert figures.cases_filed == 4  # the three of the fixture and the running one
    assert figures.median_first_response_minutes == 120
    assert (figures.answers_on_time, figures.answers_total) == (2, 3)


def test_a_service_without_cases_says_politely_there_is_no_data_yet(client, loan_service):
    figures = catalogue.service_figures(service=loan_service)
    assert (figures.cases_filed, figures.median_first_response_minutes, figures.answers_total) == (
        0, None, 0
    )
    html = page_html(client, loan_service)
    assert "هنوز داده‌ای برای این دوره نداریم" in html


def test_the_sla_page_needs_a_bounded_number_of_queries(
    client, hand_computed_cases, django_assert_max_num_queries
):
    category = faq_services.faq_category_create(name="وام", service=hand_computed_cases)
    for n in range(5):
        faq_services.faq_entry_create(
            category=category, question=f"پرسش {n}", answer="پاسخ", is_published=True
        )
    with django_assert_max_num_queries(8):
        client.get(f"/services/{hand_computed_cases.slug}/")


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
