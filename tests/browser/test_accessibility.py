"""Every public page, a citizen's case page and the unit desk pass the accessibility rules
Lighthouse scores (axe-core, WCAG 2 A and AA plus Lighthouse's extra rules), at phone and desktop
widths, in one browser.

Lighthouse's accessibility score is the share of these axe-core rules a page passes, so zero
violations here is a score of 100 there, for the states Lighthouse cannot reach as well: pages
after a POST (form errors, the tracking proof, the filing's confirmation with its PIN) and every
<details> opened. axe-core comes from npm (`npm ci`), pinned to the version Lighthouse 13.5.0
runs; its rule switches below are Lighthouse's own
(lighthouse/core/gather/gatherers/accessibility.js).
"""
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from complaints import forms as complaint_forms
from complaints import roles, services
from complaints.workflow import Role
from faq import services as faq_services
from surveys import services as survey_services
from surveys.models import ImprovementPlan, PlanAction
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo-pass-1405"
MOBILE = "09121234567"
WIDTHS = (390, 1280)

# What Lighthouse 13.5.0 asks of axe-core: the WCAG 2 A/AA rules, with these switched on or off.
LIGHTHOUSE_RULES = {
    rule: {"enabled": True} for rule in (
        "accesskeys", "aria-allowed-role", "aria-conditional-attr", "aria-deprecated-role",
        "aria-dialog-name", "aria-prohibited-attr", "aria-treeitem-name", "aria-text",
        "autocomplete-valid", "empty-heading", "heading-order", "html-xml-lang-mismatch",
        "identical-links-same-purpose", "image-redundant-alt", "input-button-name",
        "label-content-name-mismatch", "landmark-one-main", "link-in-text-block", "meta-viewport",
        "presentation-role-conflict", "select-name", "skip-link", "svg-img-alt", "tabindex",
        "table-duplicate-name", "table-fake-caption", "target-size", "td-has-header",
    )
} | {
    rule: {"enabled": False} for rule in (
        "area-alt", "aria-braille-equivalent", "aria-roledescription", "audio-caption", "blink",
        "duplicate-id", "frame-focusable-content", "frame-title-unique", "marquee",
        "nested-interactive", "no-autoplay-audio", "role-img-alt", "scrollable-region-focusable",
        "server-side-image-map", "summary-name", "aria-tab-name",
    )
}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
    "rules": LIGHTHOUSE_RULES,
    "resultTypes": ["violations"],
}


@pytest.fixture
def site(transactional_db):
    """One service with an FAQ, a survey and a completed plan; a case answered and published to
    the citizen, one waiting for the citizen, nine more in the unit's inbox; the unit's head."""
    for role in (Role.UNIT, Role.MONITORING):
        roles.staff_group(role)
    factories.monitoring_unit()
    unit = factories.unit(name="امور رفاهی دانشجویان")
    service = factories.service(unit_=unit, name="وام شهریه دانشجویی")
    factories.internal_service()
    category = faq_services.faq_category_create(name="وام", service=service)
    faq_services.faq_entry_create(
        category=category, question="وام شهریه کی واریز می‌شود؟",
        answer="پس از تأیید ضامن، در پایان نیم‌سال.", is_published=True,
    )
    survey = factories.survey(service_=service)
    head = factories.unit_user(unit, is_head=True, username="unithead")
    head.set_password(PASSWORD)
    head.save()
    monitor = factories.monitoring_user()

    def assigned(subject):
        case = factories.filed_case(service_=service, subject=subject, mobile=MOBILE).case
        return services.case_assign(case_id=case.pk, unit=unit, actor=monitor)

    published = assigned("تأخیر در پرداخت وام")
    services.case_answer(case_id=published.pk, actor=head, text="وام شما این هفته واریز می‌شود.")
    services.case_answer_approve(case_id=published.pk, actor=monitor)
    waiting = assigned("مدارک ضامن")
    services.case_request_info(case_id=waiting.pk, actor=head, question="تصویر سفته را بفرستید.")
    inbox = assigned("خرابی آب گرم خوابگاه")
    # Ten open cases: axe leaves a one-digit tab count unjudged (too short to be sure it is text).
    for n in range(8):
        assigned(f"درخواست شماره {n + 1}")

    plan = ImprovementPlan.objects.create(
        service=service, title="پرداخت زودتر وام", finding="پرداخت وام دیر انجام می‌شد.",
        evidence="نظرسنجی خدمت، پاییز.",
    )
    action = PlanAction.objects.create(plan=plan, description="پرداخت در آغاز نیم‌سال",
                                       owner_unit=unit, due_date=timezone.localdate())
    survey_services.plan_activate(plan_id=plan.pk, actor=monitor)
    survey_services.action_report_progress(action_id=action.pk, actor=head, unit_id=unit.pk,
                                           percent=100)
    survey_services.plan_complete(plan_id=plan.pk, actor=monitor,
                                  public_summary="وام اکنون در آغاز نیم‌سال واریز می‌شود.")
    return {"service": service, "survey": survey, "published": published, "waiting": waiting,
            "inbox": inbox}


def test_every_public_page_a_case_page_and_the_desk_pass_lighthouses_accessibility_rules(
    page, live_server, site, monkeypatch,
):
    assert AXE.exists(), f"{AXE} is missing: run npm ci"
    # The anti-bot minimum time does not apply here: this test files no faster than it reads.
    monkeypatch.setattr(complaint_forms, "MIN_FILL_SECONDS", 0)
    page.context.add_init_script(path=str(AXE))
    base = live_server.url
    slug = site["service"].slug
    violations: dict[str, list[str]] = {}

    def audit(name: str) -> None:
        """axe over the page as it is now, every <details> open, at each width; no reload."""
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            for rule in result["violations"]:
                for node in rule["nodes"]:
                    violations.setdefault(f"{name} @{width}px", []).append(
                        f"{rule['id']}: {node['html'][:120]}\n      "
                        + node["failureSummary"].replace("\n", " ")[:300]
                    )
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    def visit(name: str, path: str) -> None:
        page.goto(base + path)
        audit(name)

    for name, path in [
        ("home", "/"),
        ("scope check", "/complaints/new/?kind=criticism"),
        ("filing form", "/complaints/new/form/"),
        ("filing form for a service", f"/complaints/new/form/?service={slug}&kind=complaint"),
        ("tracking", "/complaints/track/"),
        ("faq", "/faq/"),
        ("faq search", "/faq/?q=وام"),
        ("faq of a service", f"/faq/{slug}/"),
        ("services", "/services/"),
        ("sla page", f"/services/{slug}/"),
        ("statistics", "/statistics/"),
        ("improvements", "/improvements/"),
        ("participation", "/participation/"),
        ("contact", "/contact/"),
        ("survey", f"/surveys/{site['survey'].slug}/"),
        ("not found", "/no-such-page/"),
    ]:
        visit(name, path)

    # The filing form sent empty (its errors), then an anonymous suggestion and its PIN.
    page.goto(f"{base}/complaints/new/form/?kind=suggestion")
    page.locator("#submit-id-submit").click()
    page.wait_for_load_state()
    audit("filing form with errors")
    page.locator("#id_service").select_option(slug)
    page.locator("#id_subject").fill("نوبت‌دهی برخط")
    page.locator("#id_description").fill("لطفاً برای دریافت وام نوبت‌دهی برخط راه بیندازید.")
    page.locator("#id_identity_tier_2").check()  # anonymous: the confirmation shows a PIN
    page.locator("#submit-id-submit").click()
    page.wait_for_url("**/complaints/new/done/")
    assert page.locator(".tracking-number.pin").count() == 1
    audit("filed, with its PIN")

    # Tracking: a mistyped number, then the proof that opens the citizen's case pages.
    page.goto(f"{base}/complaints/track/")
    page.get_by_label("شماره پیگیری").fill("123")
    page.get_by_label("شماره تلفن همراه یا رمز پیگیری").fill(MOBILE)
    page.get_by_role("button", name="نمایش پرونده من").click()
    page.wait_for_load_state()
    audit("tracking, mistyped")
    for status in ("published", "waiting"):
        case = site[status]
        page.goto(f"{base}/complaints/track/")
        page.get_by_label("شماره پیگیری").fill(case.tracking_number)
        page.get_by_label("شماره تلفن همراه یا رمز پیگیری").fill(MOBILE)
        page.get_by_role("button", name="نمایش پرونده من").click()
        page.wait_for_url(f"**/complaints/track/{case.tracking_number}/")
        audit(f"case page ({status})")

    # The unit desk, signed in as the unit's head.
    visit("desk login", "/desk/login/")
    page.get_by_label("نام کاربری").fill("unithead")
    page.get_by_label("گذرواژه").fill(PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url(f"{base}/desk/")
    audit("desk inbox")
    visit("desk case page", f"/desk/cases/{site['inbox'].pk}/")
    visit("desk scorecard", "/desk/scorecard/")
    visit("desk improvements", "/desk/improvements/")

    assert not violations, "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in violations.items()
    )
