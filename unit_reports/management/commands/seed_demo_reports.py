"""Demo report calls over seed_demo's organisation, through the domain services (STYLE point 20).

Run after `seed_demo` (scripts/run.sh does): a closed call for the previous quarter, where one unit
reported late under an extension and one never reported, and an open call for the current quarter
with some units submitted (one accepted, one returned for changes) and some not — among them the
welfare unit, whose head (`unithead`) can fill the report in on the desk. Running it again changes
nothing: the calls are looked up by title first.
"""
import datetime as dt

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from complaints import roles
from complaints.workflow import Role
from dashboards.periods import current_period
from sajad.models import Service, Unit, UnitMember
from unit_reports import services
from unit_reports.models import ReportCall, UnitContact
from unit_reports.self_assessment import self_assessment_draft

PASSWORD = "demo-pass-1405"
INTERNAL_SLUG = "unit-performance-evaluation"
SECTIONS = [
    ("مهم‌ترین اقدامات و دستاوردهای واحد در این دوره",
     "سه تا پنج اقدام اصلی را با نتیجه هر کدام بنویسید."),
    ("تحلیل شکایت‌ها و پیشنهادهای رسیده و پاسخ به‌موقع آن‌ها",
     "با تکیه بر کارنامه واحد: علت تأخیرها و موضوع‌های پرتکرار."),
    ("مشکلات، نیازها و برنامه بهبود دوره بعد", ""),
]
CONTACTS = {
    "welfare": ("دبیرخانه امور رفاهی", "09120000101"),
    "scholarships": ("دبیرخانه بورس و اعزام", "09120000102"),
    "international": ("دبیرخانه امور دانشجویان غیرایرانی", "09120000103"),
    "evaluation": ("دبیرخانه ارزشیابی مدارک", "09120000104"),
    "it": ("دبیرخانه فناوری اطلاعات", "09120000105"),
}
TEXTS = {
    "scholarships": ["بررسی ۴۲ پرونده بورس داخل و اعزام و تشکیل دو جلسه کمیسیون.",
                     "همه شکایت‌های رسیده در مهلت پاسخ داده شد؛ موضوع پرتکرار تأخیر در اعلام نتیجه بود.",
                     "راه‌اندازی اعلام نتیجه پیامکی در دوره بعد."],
    "evaluation": ["کاهش زمان ارزشیابی مدارک از ۲۰ به ۱۴ روز کاری.",
                   "دو شکایت با تأخیر پاسخ داده شد که علت آن کمبود کارشناس بود.",
                   "جذب یک کارشناس و برخط کردن استعلام مدارک."],
    "international": ["ثبت‌نام دانشجویان غیرایرانی نیمسال اول انجام شد.",
                      "شکایت‌ها بیشتر درباره تمدید اقامت بود.",
                      "هماهنگی بیشتر با اداره اتباع."],
    "it": ["ارتقای سامانه سجاد.", "", ""],
}


def _head(unit: Unit) -> User:
    """The unit's head: the existing one, or a demo head `head-<slug>` for units without one."""
    member = UnitMember.objects.filter(unit=unit, is_head=True).select_related("user").first()
    if member is not None:
        return member.user
    user = User(username=f"head-{unit.slug}", is_staff=False)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(roles.staff_group(Role.UNIT))
    UnitMember.objects.create(user=user, unit=unit, is_head=True)
    return user


class Command(BaseCommand):
    help = "Create demo report calls (one closed, one open) through the domain services (idempotent)."

    def handle(self, *args, **options):
        service = Service.objects.filter(slug=INTERNAL_SLUG).first()
        monitor = User.objects.filter(username="monitor").first()
        if service is None or monitor is None:
            raise CommandError("Run seed_demo first: the internal service or the monitor user is missing.")
        units = {u.slug: u for u in Unit.objects.filter(slug__in=CONTACTS)}
        with transaction.atomic():
            for slug, (name, mobile) in CONTACTS.items():
                if slug in units:
                    UnitContact.objects.get_or_create(unit=units[slug], name=name,
                                                      defaults={"mobile": mobile})
            heads = {slug: _head(unit) for slug, unit in units.items()}
            created = self._past_call(service, monitor, units, heads)
            created += self._open_call(service, monitor, units, heads)
        self.stdout.write(f"Demo report calls: {created} created. Unit heads: unithead (welfare) "
                          f"and head-<unit> for the others (password {PASSWORD}).")

    def _write(self, call, unit, head, texts, *, now):
        answers = {s.pk: text for s, text in zip(call.sections.all(), texts, strict=False)}
        draft = self_assessment_draft(unit=unit, period=call.period)
        return services.report_save(call=call, unit=unit, answers=answers, actor=head, now=now,
                                    self_assessment=draft + "عملکرد واحد در این دوره بهتر شده است.")

    def _past_call(self, service, monitor, units, heads) -> int:
        period = current_period("quarter").previous().previous()
        title = f"فراخوان گزارش عملکرد {period.label}"
        if ReportCall.objects.filter(title=title).exists():
            return 0
        now = timezone.now()
        opens, closes = now - dt.timedelta(days=75), now - dt.timedelta(days=60)
        call = services.call_open(title=title, service=service, period=period, opens_at=opens,
                                  closes_at=closes, sections=SECTIONS, units=list(units.values()),
                                  actor=monitor)
        at = opens + dt.timedelta(days=5)
        for slug in ("scholarships", "evaluation", "international", "welfare"):
            texts = TEXTS.get(slug, TEXTS["scholarships"])
            report = self._write(call, units[slug], heads[slug], texts, now=at)
            if slug == "international":  # late, under an extension
                services.extension_grant(
                    call=call, unit=units[slug], until=closes + dt.timedelta(days=3),
                    reason="تغییر مدیر واحد در هفته پایانی فراخوان", actor=monitor,
                    now=closes - dt.timedelta(hours=2))
                services.report_submit(report_id=report.pk, actor=heads[slug],
                                       now=closes + dt.timedelta(days=1))
            else:
                services.report_submit(report_id=report.pk, actor=heads[slug], now=at)
            services.report_accept(report_id=report.pk, actor=monitor,
                                   now=closes + dt.timedelta(days=5))
        return 1

    def _open_call(self, service, monitor, units, heads) -> int:
        period = current_period("quarter").previous()
        title = f"فراخوان گزارش عملکرد {period.label}"
        if ReportCall.objects.filter(title=title).exists():
            return 0
        now = timezone.now()
        call = services.call_open(title=title, service=service, period=period,
                                  opens_at=now - dt.timedelta(days=6),
                                  closes_at=now + dt.timedelta(days=10), sections=SECTIONS,
                                  units=list(units.values()), actor=monitor)
        submitted_at = now - dt.timedelta(days=2)
        for slug in ("scholarships", "evaluation", "international"):
            report = self._write(call, units[slug], heads[slug], TEXTS[slug], now=submitted_at)
            services.report_submit(report_id=report.pk, actor=heads[slug], now=submitted_at)
        evaluation = call.reports.get(unit=units["evaluation"])
        services.report_accept(report_id=evaluation.pk, actor=monitor)
        international = call.reports.get(unit=units["international"])
        services.report_return(report_id=international.pk, actor=monitor,
                               reason="لطفاً آمار تمدید اقامت‌ها را به بخش دوم بیفزایید.")
        # IT has a draft with an empty section; welfare has not started (its head is `unithead`).
        self._write(call, units["it"], heads["it"], TEXTS["it"], now=now)
        return 1
