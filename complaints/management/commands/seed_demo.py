"""Fill an empty portal with a believable organisation and a few hundred cases, through the domain.

STYLE point 20: every case is filed with `services.case_file` and moved with the same services a
citizen, a unit or the monitoring unit triggers, so the demo data obeys the workflow table and has a
complete event log. Running it again changes nothing: each part is looked up before it is created,
and the cases are only generated when no demo case exists yet. Works on PostgreSQL and SQLite.
"""
import datetime as dt
import random

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from complaints import roles, services
from complaints.models import (
    Case, CaseClock, CaseEvent, ExternalTopic, IdentityTier, Kind, Priority, RoutingRule,
)
from complaints.sla_step_sweep import sla_step_sweep
from complaints.workflow import Role, Status
from faq import services as faq_services
from faq.models import FaqCategory
from sajad.calendar_store import load_calendar
from sajad.models import PerformanceTarget, Service, Unit, UnitMember

from ._demo_faq import DEMO_FAQ

PASSWORD = "demo-pass-1405"
PORTAL = "https://portal.saorg.ir/"
SEED = 1405

ROOT = ("sao", "سازمان امور دانشجویان")
MONITORING = ("monitoring", "واحد نظارت و ارزیابی")
UNITS = [
    ("welfare", "امور رفاهی دانشجویان"),
    ("scholarships", "بورس و اعزام"),
    ("international", "امور دانشجویان غیرایرانی"),
    ("evaluation", "ارزشیابی مدارک تحصیلی"),
    ("it", "فناوری اطلاعات"),
]

COMMON_SLA = {
    "provider": "سازمان امور دانشجویان، {unit}",
    "responsibilities": (
        "سازمان: ارائه خدمت در مهلت اعلام‌شده، اطلاع‌رسانی شفاف درباره مراحل و نتیجه، حفاظت از "
        "داده‌های شخصی متقاضی و پاسخ‌گویی به شکایت‌ها از طریق واحد نظارت و ارزیابی.\n"
        "متقاضی: ثبت درست و کامل اطلاعات، بارگذاری مدارک خوانا و پیگیری درخواست با شماره پیگیری."
    ),
    "mutual_obligations": (
        "هر دو طرف متعهدند مکاتبات را فقط از راه سامانه سجاد انجام دهند. سازمان هر تغییر در "
        "وضعیت درخواست را با پیامک اطلاع می‌دهد و متقاضی اطلاعات تماس خود را به‌روز نگه می‌دارد."
    ),
    "dispute_resolution": (
        "اختلاف درباره این خدمت نخست از راه ثبت شکایت در بخش نظارت مردمی سامانه سجاد بررسی می‌شود. "
        "طرفین یک ماه برای مذاکره فرصت دارند؛ پس از آن نظر ارائه‌دهنده خدمت ملاک است."
    ),
    "termination": (
        "این توافق‌نامه با پایان فراخوان خدمت در سال جاری یا انجام کامل درخواست خاتمه می‌یابد و با "
        "فراخوان بعدی دوباره برقرار می‌شود."
    ),
}

SERVICES = [
    {
        "slug": "student-loans", "unit": "welfare", "name": "وام‌های دانشجویی صندوق رفاه",
        "definition": "اعطای وام شهریه، وام ضروری و وام ازدواج به دانشجویان دانشگاه‌های دولتی "
                      "از محل اعتبارات صندوق رفاه دانشجویان.",
        "recipients": "دانشجویان شاغل به تحصیل در دانشگاه‌ها و مؤسسات آموزش عالی دولتی.",
        "required_data": "کد ملی، شماره دانشجویی، مقطع و رشته تحصیلی، مشخصات ضامن، شماره حساب "
                         "بانکی به نام دانشجو.",
        "targets": [("وام شهریه", 15), ("وام ضروری", 10), ("وام ازدواج", 20)],
        "subjects": [
            ("تأخیر در واریز وام شهریه", "درخواست وام شهریه من در نیم‌سال گذشته تأیید شد اما "
             "پس از سه ماه هنوز مبلغی به حسابم واریز نشده است."),
            ("رد شدن ضامن بدون توضیح", "ضامن معرفی‌شده کارمند رسمی است اما درخواست بدون ذکر "
             "دلیل رد شد. لطفاً دلیل را اعلام کنید."),
            ("اشتباه در محاسبه اقساط", "مبلغ قسط ماهانه در سامانه با مبلغ قرارداد همخوانی ندارد."),
        ],
    },
    {
        "slug": "dormitory", "unit": "welfare", "name": "خوابگاه‌های دانشجویی",
        "definition": "واگذاری و مدیریت خوابگاه دانشجویی و رسیدگی به درخواست‌های اسکان.",
        "recipients": "دانشجویان غیربومی دانشگاه‌های دولتی.",
        "required_data": "کد ملی، شماره دانشجویی، نشانی محل سکونت خانواده، مدارک تأهل در صورت نیاز.",
        "targets": [("درخواست اسکان", 7), ("تغییر خوابگاه", 10)],
        "subjects": [
            ("نامناسب بودن وضعیت گرمایش خوابگاه", "در ساختمان ۳ خوابگاه، گرمایش یک هفته است "
             "قطع است و به درخواست‌های ما پاسخی داده نشده است."),
            ("پیشنهاد سامانه نوبت‌دهی سلف", "پیشنهاد می‌کنم برای صف طولانی سلف خوابگاه نوبت‌دهی "
             "برخط راه‌اندازی شود."),
        ],
    },
    {
        "slug": "scholarships", "unit": "scholarships", "name": "بورس تحصیلی و اعزام به خارج",
        "definition": "انتخاب، اعزام و پشتیبانی از دانشجویان بورسیه وزارت علوم در دانشگاه‌های "
                      "معتبر خارج از کشور.",
        "recipients": "دانش‌آموختگان برگزیده و اعضای هیئت علمی معرفی‌شده از دانشگاه‌ها.",
        "required_data": "کد ملی، مدارک تحصیلی، پذیرش دانشگاه مقصد، مدرک زبان، تعهد محضری.",
        "cost": Service.Cost.PAID, "tariff": "۵٬۰۰۰٬۰۰۰ ریال هزینه بررسی پرونده",
        "targets": [("بررسی پرونده بورس", 30), ("صدور حکم اعزام", 20)],
        "subjects": [
            ("تأخیر در پرداخت مقرری ارزی", "مقرری ارزی ماه گذشته هنوز به حساب دانشجوی بورسیه "
             "واریز نشده و در پرداخت اجاره مشکل دارم."),
            ("ابهام در شرایط فراخوان بورس", "در فراخوان امسال شرط معدل برای دانش‌آموختگان "
             "کارشناسی ارشد روشن نیست."),
        ],
    },
    {
        "slug": "study-abroad-permit", "unit": "scholarships",
        "name": "صدور مجوز خروج و تمدید مهلت تحصیل دانشجویان خارج از کشور",
        "definition": "صدور معرفی‌نامه برای ترخیص و خروج دانشجویان مشمول و تمدید مهلت تحصیل "
                      "دانشجویان شاغل به تحصیل در خارج از کشور.",
        "recipients": "دانشجویان ایرانی مشغول به تحصیل در دانشگاه‌های خارج از کشور.",
        "required_data": "کد ملی، گواهی اشتغال به تحصیل، برنامه زمانی تحصیل، گذرنامه.",
        "targets": [("معرفی‌نامه خروج", 5), ("تمدید مهلت تحصیل", 10)],
        "subjects": [
            ("عدم صدور معرفی‌نامه خروج", "مدارک کامل را بارگذاری کرده‌ام اما معرفی‌نامه خروج "
             "پس از دو هفته صادر نشده است."),
            ("خطای سامانه در بارگذاری گواهی", "هنگام بارگذاری گواهی اشتغال به تحصیل خطای "
             "«قالب نامعتبر» نمایش داده می‌شود."),
        ],
    },
    {
        "slug": "international-admission", "unit": "international",
        "name": "پذیرش دانشجویان غیرایرانی",
        "definition": "بررسی و صدور پذیرش تحصیلی اتباع غیرایرانی در دانشگاه‌های کشور.",
        "recipients": "اتباع غیرایرانی متقاضی تحصیل در ایران.",
        "required_data": "گذرنامه یا کارت اقامت، مدارک تحصیلی ترجمه‌شده، رشته و دانشگاه مورد تقاضا.",
        "cost": Service.Cost.PAID, "tariff": "۲٬۵۰۰٬۰۰۰ ریال هزینه ثبت درخواست",
        "targets": [("پذیرش مقطع کارشناسی", 30), ("پذیرش تحصیلات تکمیلی", 45)],
        "subjects": [
            ("عدم اعلام نتیجه پذیرش", "درخواست پذیرش در رشته مهندسی عمران چهار ماه پیش ثبت شده "
             "و هنوز نتیجه‌ای اعلام نشده است."),
            ("مشکل در صدور کارت دانشجویی اتباع", "کارت دانشجویی من به دلیل تمدید نشدن اقامت صادر "
             "نمی‌شود."),
        ],
    },
    {
        "slug": "degree-evaluation", "unit": "evaluation",
        "name": "ارزشیابی مدارک تحصیلی خارج از کشور",
        "definition": "ارزشیابی و تعیین مقطع مدارک تحصیلی دانش‌آموختگان دانشگاه‌های خارج از کشور.",
        "recipients": "دانش‌آموختگان ایرانی و غیرایرانی دانشگاه‌های خارج از کشور.",
        "required_data": "کد ملی، اصل مدرک و ریزنمرات، گذرنامه با مهرهای ورود و خروج، پایان‌نامه.",
        "cost": Service.Cost.PAID, "tariff": "۸٬۰۰۰٬۰۰۰ ریال برای هر مقطع",
        "targets": [("ارزشیابی کارشناسی", 30), ("ارزشیابی دکتری", 60)],
        "subjects": [
            ("طولانی شدن ارزشیابی مدرک دکتری", "پرونده ارزشیابی مدرک دکتری من بیش از سه ماه در "
             "مرحله «بررسی کارشناسی» مانده است."),
            ("اعتراض به نتیجه ارزشیابی", "مدرک کارشناسی ارشد من «فاقد ارزش» اعلام شده در حالی که "
             "دانشگاه در فهرست دانشگاه‌های مورد تأیید است."),
        ],
    },
    {
        "slug": "degree-verification", "unit": "evaluation", "name": "استعلام و تأیید مدارک تحصیلی",
        "definition": "پاسخ به استعلام اصالت مدارک تحصیلی برای کارفرمایان، سفارتخانه‌ها و دانشگاه‌ها.",
        "recipients": "دانش‌آموختگان، کارفرمایان و نهادهای داخلی و خارجی.",
        "required_data": "کد ملی دانش‌آموخته، شماره و تاریخ مدرک، نام دانشگاه صادرکننده.",
        "targets": [("استعلام داخلی", 5), ("استعلام برای خارج از کشور", 10)],
        "subjects": [
            ("عدم پاسخ به استعلام کارفرما", "کارفرمای من یک ماه پیش استعلام مدرک را ثبت کرده و "
             "هنوز پاسخی دریافت نکرده است."),
            ("پیشنهاد ارسال الکترونیکی نتیجه", "پیشنهاد می‌شود نتیجه استعلام به‌صورت الکترونیکی و "
             "با کد رهگیری برای سفارت ارسال شود."),
        ],
    },
    {
        "slug": "sajad-account", "unit": "it", "name": "ثبت‌نام و پشتیبانی حساب کاربری سجاد",
        "definition": "ایجاد حساب کاربری، بازیابی گذرواژه و پشتیبانی فنی کاربران سامانه سجاد.",
        "recipients": "همه کاربران سامانه سجاد.",
        "required_data": "کد ملی، شماره تلفن همراه به نام کاربر، نشانی رایانامه.",
        "targets": [("بازیابی حساب کاربری", 2), ("رفع اشکال فنی", 5)],
        "subjects": [
            ("دریافت نکردن پیامک کد تأیید", "هنگام ورود به سامانه پیامک کد تأیید برای من ارسال "
             "نمی‌شود و نمی‌توانم وارد حسابم شوم."),
            ("کند بودن سامانه در روزهای ثبت‌نام", "در روزهای پایانی فراخوان سامانه بسیار کند است و "
             "چند بار از حساب خارج شدم."),
            ("پیشنهاد نسخه موبایل", "پیشنهاد می‌کنم صفحه پیگیری درخواست‌ها برای تلفن همراه "
             "بهینه شود."),
        ],
    },
]

INTERNAL_SERVICE = {
    "slug": "unit-performance-evaluation", "unit": "monitoring",
    "name": "ارزیابی عملکرد واحدهای خدمات دانشجویی", "is_internal": True,
    "definition": "ارزیابی دوره‌ای عملکرد واحدهای ارائه‌دهنده خدمات دانشجویی بر پایه گزارش‌های "
                  "ارسالی در بازه فراخوان و شاخص‌های رضایت و به‌موقع بودن پاسخ‌ها.",
    "recipients": "معاونت‌ها و ادارات کل سازمان امور دانشجویان.",
    "required_data": "گزارش عملکرد دوره، شاخص‌های کمی خدمات، مستندات اقدامات اصلاحی.",
    "targets": [("گزارش فصلی", 15), ("گزارش سالانه", 30)],
    "subjects": [],
}

TOPICS = [
    ("امور دانشجویان دانشگاه آزاد اسلامی", "دانشگاه آزاد اسلامی", "https://iau.ac.ir/",
     "شکایت‌ها و درخواست‌های دانشجویان دانشگاه آزاد اسلامی در سامانه‌های همان دانشگاه بررسی "
     "می‌شود."),
    ("دانشجویان دانشگاه‌های علوم پزشکی", "وزارت بهداشت، درمان و آموزش پزشکی",
     "https://behdasht.gov.ir/",
     "امور دانشجویان رشته‌های پزشکی و دانشگاه‌های علوم پزشکی با وزارت بهداشت است."),
    ("رفتار و عملکرد استادان", "هیئت مرکزی نظارت و بازرسی وزارت علوم، تحقیقات و فناوری",
     "https://www.msrt.ir/",
     "شکایت از رفتار یا عملکرد اعضای هیئت علمی به هیئت نظارت و بازرسی وزارت علوم می‌رسد."),
]

ANSWERS = [
    "درخواست شما بررسی شد و مبلغ در نوبت پرداخت هفته آینده قرار گرفت.",
    "پس از بررسی، اشکال برطرف شد. لطفاً دوباره از سامانه اقدام کنید.",
    "پیشنهاد شما به کارگروه بهبود خدمات ارجاع شد و در برنامه اصلاح این فصل قرار گرفت.",
    "مدارک شما کامل است و پرونده برای تصمیم نهایی به کمیسیون ارسال شد.",
]
FIRST_NAMES = ["زهرا", "محمد", "فاطمه", "علی", "مریم", "حسین", "سارا", "رضا", "نرگس", "امیر"]
LAST_NAMES = ["احمدی", "محمدی", "حسینی", "کریمی", "رضایی", "موسوی", "جعفری", "صادقی", "نوری"]

# Demo cases in these statuses are spread over the past year; the others over two months.
FINISHED_IN_DEMO = frozenset({Status.CLOSED, Status.PUBLISHED, Status.REJECTED, Status.MERGED,
                              Status.REFERRED})

# How many demo cases end in each status (300 in all). Every Status value is present.
PLAN = {
    Status.SUBMITTED: 40, Status.ASSIGNED: 45, Status.WAITING_CITIZEN: 20, Status.RETURNED: 15,
    Status.ANSWERED: 30, Status.PUBLISHED: 35, Status.OBJECTED: 15, Status.CLOSED: 50,
    Status.REJECTED: 15, Status.MERGED: 12, Status.REFERRED: 23,
}


def national_code(rng: random.Random) -> str:
    """A random national code with a valid check digit (see sajad.validators)."""
    body = "".join(str(rng.randrange(10)) for _ in range(9))
    remainder = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return body + str(check)


class Command(BaseCommand):
    help = "Create demo units, services, topics, staff users and 300 cases (idempotent)."

    def handle(self, *args, **options):
        rng = random.Random(SEED)
        self._calendar = load_calendar()
        with transaction.atomic():
            units = self._units()
            services_ = self._services(units)
            self._topics()
            users = self._users(units)
            if Case.objects.filter(service__slug__in=[s.slug for s in services_]).exists():
                self.stdout.write("Demo cases already exist; nothing new was created.")
            else:
                count = self._cases(rng, units, services_, users)
                self.stdout.write(f"Filed {count} demo cases through the domain services.")
            # After the demo cases (which show triage by hand): from now on a new case is routed
            # by its service's rule as soon as the worker takes it.
            self._routing_rules(services_)
            self._faq(services_)
        self.stdout.write(self.style.SUCCESS(
            f"Demo users (password for all: {PASSWORD}): admin (superuser), monitor (monitoring "
            "expert), monitorhead (monitoring head), unithead and unitstaff (unit desk of "
            "امور رفاهی دانشجویان); staff-<unit> for the other units."
        ))

    # --- organisation ---------------------------------------------------------------------

    def _units(self) -> dict[str, Unit]:
        root, _ = Unit.objects.get_or_create(slug=ROOT[0], defaults={"name": ROOT[1]})
        monitoring = Unit.objects.filter(is_monitoring=True).first()
        if monitoring is None:
            monitoring, _ = Unit.objects.get_or_create(
                slug=MONITORING[0],
                defaults={"name": MONITORING[1], "is_monitoring": True, "parent": root},
            )
        units = {"root": root, "monitoring": monitoring}
        for slug, name in UNITS:
            units[slug], _ = Unit.objects.get_or_create(
                slug=slug, defaults={"name": name, "parent": root},
            )
        # Units are told about their cases by e-mail (the outbox): every demo unit has an address.
        for unit in units.values():
            if not unit.email:
                Unit.objects.filter(pk=unit.pk).update(email=f"{unit.slug}@saorg.ir")
                unit.email = f"{unit.slug}@saorg.ir"
        return units

    def _routing_rules(self, services_) -> None:
        """One rule per public service: its cases go straight to the service's unit."""
        for order, service in enumerate(services_, start=1):
            if service.is_internal or RoutingRule.objects.filter(service=service).exists():
                continue
            RoutingRule.objects.create(
                order=order * 10, name=f"{service.name} ← {service.unit.name}", service=service,
                unit=service.unit,
            )

    def _faq(self, services_) -> None:
        """A few published FAQ entries per public service, through the FAQ's services."""
        for service in services_:
            entries = DEMO_FAQ.get(service.slug, [])
            if not entries or FaqCategory.objects.filter(service=service).exists():
                continue
            category = faq_services.faq_category_create(name=service.name, service=service)
            for order, (question, answer) in enumerate(entries, start=1):
                faq_services.faq_entry_create(
                    category=category, question=question, answer=answer, is_published=True,
                    order=order,
                )

    def _services(self, units) -> list[Service]:
        result = []
        for order, spec in enumerate([*SERVICES, INTERNAL_SERVICE], start=1):
            unit = units[spec["unit"]]
            cost = spec.get("cost", Service.Cost.FREE)
            service, created = Service.objects.get_or_create(slug=spec["slug"], defaults={
                "name": spec["name"], "unit": unit, "order": order,
                "is_internal": spec.get("is_internal", False),
                "definition": spec["definition"], "recipients": spec["recipients"],
                "provider": COMMON_SLA["provider"].format(unit=unit.name),
                "single_window_url": PORTAL,
                "responsibilities": COMMON_SLA["responsibilities"],
                "mutual_obligations": COMMON_SLA["mutual_obligations"],
                "required_data": spec["required_data"], "cost": cost,
                "tariff": spec.get("tariff", ""),
                "payment_method": (
                    "پرداخت الکترونیکی از درگاه پرداخت سامانه سجاد"
                    if cost == Service.Cost.PAID else ""
                ),
                "dispute_resolution": COMMON_SLA["dispute_resolution"],
                "dispute_negotiation_days": 30, "termination": COMMON_SLA["termination"],
                "document_version": "1.2",
            })
            if created:
                PerformanceTarget.objects.bulk_create([
                    PerformanceTarget(service=service, request_type=kind, working_days=days)
                    for kind, days in spec["targets"]
                ])
            result.append(service)
        return result

    def _topics(self) -> None:
        for order, (title, body, url, explanation) in enumerate(TOPICS, start=1):
            ExternalTopic.objects.get_or_create(title=title, defaults={
                "body_name": body, "url": url, "explanation": explanation, "order": order,
            })

    def _user(self, username, *, role=None, unit=None, is_head=False, is_staff=True,
              superuser=False) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=is_staff, is_superuser=superuser,
                        email=f"{username}@saorg.ir")
            user.set_password(PASSWORD)
            user.save()
            if role:
                user.groups.add(roles.staff_group(role))
            if unit is not None:
                # Staff contacts: e-mail on the user, a (demo) mobile on the membership.
                UnitMember.objects.create(user=user, unit=unit, is_head=is_head,
                                          mobile=f"0912000{UnitMember.objects.count():04d}")
        return user

    def _users(self, units) -> dict:
        users = {
            "admin": self._user("admin", superuser=True),
            "monitor": self._user("monitor", role=Role.MONITORING),
            "head": self._user("monitorhead", role=Role.MONITORING_HEAD,
                               unit=units["monitoring"], is_head=True),
            "unit": {},
        }
        # Unit staff work in the desk, not in admin.
        self._user("unithead", role=Role.UNIT, unit=units["welfare"], is_head=True,
                   is_staff=False)
        users["unit"]["welfare"] = self._user(
            "unitstaff", role=Role.UNIT, unit=units["welfare"], is_staff=False,
        )
        for slug, _name in UNITS[1:]:
            users["unit"][slug] = self._user(
                f"staff-{slug}", role=Role.UNIT, unit=units[slug], is_staff=False,
            )
        return users

    # --- cases ----------------------------------------------------------------------------

    def _file(self, rng, service: Service):
        subject, description = rng.choice(service._demo_subjects)
        kind = rng.choices([Kind.COMPLAINT, Kind.CRITICISM, Kind.SUGGESTION], [6, 3, 2])[0]
        if subject.startswith("پیشنهاد"):
            kind = Kind.SUGGESTION
        # Anonymous filings hash a PIN (slow by design), so keep them few.
        tier = IdentityTier.IDENTIFIED if kind == Kind.COMPLAINT else rng.choices(
            [IdentityTier.IDENTIFIED, IdentityTier.CONTACT_ONLY, IdentityTier.ANONYMOUS], [5, 4, 1]
        )[0]
        return services.case_file(
            kind=kind, service=service, subject=subject, description=description,
            identity_tier=tier,
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            national_code=national_code(rng),
            mobile="09" + rng.choice(["12", "13", "19", "35", "36", "01", "90"])
                   + "".join(str(rng.randrange(10)) for _ in range(7)),
        ).case

    def _cases(self, rng, units, services_, users) -> int:
        public_services = [s for s in services_ if not s.is_internal]
        by_slug = {spec["slug"]: spec for spec in SERVICES}
        for service in public_services:
            service._demo_subjects = by_slug[service.slug]["subjects"]
        monitor, head = users["monitor"], users["head"]
        plan = [status for status, n in PLAN.items() for _ in range(n)]
        rng.shuffle(plan)
        survivors: dict[int, Case] = {}  # a live case per service, for duplicates to merge into
        now = timezone.now()
        self._extra: list[int] = []  # cases filed only to receive merged duplicates
        history: dict[int, tuple] = {}  # case id → (filed, last change), for the timelines
        for target in plan:
            service = rng.choice(public_services)
            case = self._file(rng, service)
            services.case_route(case_id=case.pk)  # no rules yet: every demo case meets triage
            self._advance(rng, case, target, service, units, users, monitor, head, survivors)
            # CaseEvent is append-only (a PostgreSQL trigger refuses UPDATE), so only the case's
            # own dates are backdated; its events keep the time the seed ran. The lists, filters
            # and dashboards read Case.created_at, which is what a demo needs to look lived-in.
            # A year of finished cases (so the dashboard and scorecards have months to compare);
            # cases still open were filed in the last two months, as in a portal that keeps up.
            horizon = 365 if target in FINISHED_IN_DEMO else 60
            filed = now - dt.timedelta(days=rng.uniform(0, horizon), minutes=rng.randrange(600))
            changed = min(now, filed + dt.timedelta(hours=rng.uniform(1, 24 * 20)))
            Case.objects.filter(pk=case.pk).update(
                created_at=filed,
                status_changed_at=filed if target == Status.SUBMITTED else changed,
            )
            self._age_clocks(rng, case.pk, filed, now)
            history[case.pk] = (filed, filed if target == Status.SUBMITTED else changed)
        for pk in self._extra:
            filed = now - dt.timedelta(days=rng.uniform(60, 90))
            Case.objects.filter(pk=pk).update(created_at=filed, status_changed_at=filed)
            history[pk] = (filed, filed)
        self._date_timelines(history)
        # Reminders and escalations whose time has come in the aged clocks, as beat would have done.
        # New deadlines for the aged clocks, recorded in each case's log like any recomputation,
        # so everything that reads the log (the dashboard's open-case register) sees them.
        services.deadlines_recompute_open(reason="داده‌های نمایشی: مهلت‌ها از تاریخ ثبت پرونده")
        sla_step_sweep()  # the current time, so its events follow the filing events in every timeline
        return len(plan) + len(self._extra)

    def _date_timelines(self, history: dict) -> None:
        """Spread each demo case's events between its filing and its last change, in order.

        The services write events at the time the seed runs; a demo whose every timeline says
        "today" does not look lived-in. The working minutes a step recorded for the clocks it
        stopped (`clocks_stopped`, which the public statistics and SLA pages read through the
        summary tables) are those of the aged clocks (`_age_clocks`), not the few seconds the
        seed took. The case log is append-only (a PostgreSQL trigger refuses UPDATE), and the
        seed is the one writer allowed to place events in the past: it lifts the trigger for this
        statement only, inside its own transaction, so no other writer ever sees the log without it.
        """
        events = list(
            CaseEvent.objects.filter(case_id__in=history)
            .order_by("case_id", "created_at", "id").only("id", "case_id", "created_at", "data")
        )
        aged = {
            (case_id, clock): elapsed for case_id, clock, elapsed in CaseClock.objects.filter(
                case_id__in=history, stopped_at__isnull=False
            ).values_list("case_id", "clock", "elapsed_minutes")
        }
        rng = random.Random(SEED + 1)  # its own stream: the rest of the demo stays as it was
        by_case: dict[int, list] = {}
        for event in events:
            by_case.setdefault(event.case_id, []).append(event)
            for clock, outcome in (event.data or {}).get("clocks_stopped", {}).items():
                # A clock stopped and later restarted (a reopened case) has no aged figure left.
                outcome["elapsed"] = aged.get((event.case_id, clock)) or rng.randint(
                    30, int(outcome["budget"] * 1.4))
        for case_id, items in by_case.items():
            filed, changed = history[case_id]
            step = (changed - filed) / max(len(items) - 1, 1)
            for index, event in enumerate(items):
                event.created_at = filed + step * index
        postgres = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            if postgres:
                # Deferred foreign-key checks of this transaction must run first: PostgreSQL does
                # not alter a table with trigger events pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE complaints_caseevent "
                               "DISABLE TRIGGER complaints_caseevent_append_only")
            CaseEvent.objects.bulk_update(events, ["created_at", "data"], batch_size=500)
            if postgres:
                cursor.execute("ALTER TABLE complaints_caseevent "
                               "ENABLE TRIGGER complaints_caseevent_append_only")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _age_clocks(self, rng, case_id: int, filed, now) -> None:
        """Move the case's SLA clocks back to its filing date, so deadlines and figures look lived-in.

        Running clocks restart at the filing time (old cases become overdue); stopped clocks get a
        plausible elapsed working time around their budget, as if the step had happened then.
        """
        calendar = self._calendar
        for clock in CaseClock.objects.filter(case_id=case_id):
            clock.started_at = filed
            if clock.stopped_at is not None:
                clock.elapsed_minutes = clock.consumed_minutes = rng.randint(
                    30, int(clock.budget_minutes * 1.4))
                clock.stopped_at = min(now, calendar.add_working_minutes(filed, clock.elapsed_minutes))
                clock.segment_started_at = clock.paused_since = None
            elif clock.paused_since is not None:
                clock.paused_since = filed + (now - filed) / 2
            else:
                clock.segment_started_at = filed
            clock.save()

    def _advance(self, rng, case, target, service, units, users, monitor, head, survivors):
        """Move a freshly filed case to `target` along a path the workflow table allows."""
        pk = case.pk
        if target == Status.SUBMITTED:
            survivors.setdefault(service.pk, case)
            return
        if target == Status.REJECTED:
            services.case_reject(case_id=pk, actor=monitor, reason="محتوای تبلیغاتی و نامرتبط")
            return
        if target == Status.REFERRED:
            topic = rng.choice(TOPICS)
            services.case_refer(case_id=pk, actor=monitor, body_name=topic[1], body_url=topic[2],
                                note="موضوع در صلاحیت مرجع دیگری است.")
            return
        if target == Status.MERGED:
            keep = survivors.get(service.pk)
            if keep is None:
                survivors[service.pk] = keep = self._file(rng, service)
                self._extra.append(keep.pk)
            services.case_merge(case_id=pk, into_case_id=keep.pk, actor=monitor,
                                note="درخواست تکراری")
            return
        unit_slug = service.unit.slug if service.unit.slug in users["unit"] else "welfare"
        staff = users["unit"][unit_slug]
        services.case_assign(case_id=pk, unit=units[unit_slug], actor=monitor,
                             priority=rng.choice(Priority.values))
        if target == Status.ASSIGNED:
            survivors.setdefault(service.pk, case)
            return
        if target == Status.WAITING_CITIZEN:
            services.case_request_info(case_id=pk, actor=staff,
                                       question="لطفاً تصویر رسید پرداخت را بارگذاری کنید.")
            return
        if target == Status.RETURNED:
            services.case_return_to_monitoring(case_id=pk, actor=staff,
                                               reason="این موضوع در حوزه کاری این واحد نیست.")
            return
        if rng.random() < 0.3:  # some cases needed more information before the answer
            services.case_request_info(case_id=pk, actor=staff,
                                       question="شماره دانشجویی خود را اعلام کنید.")
            services.case_provide_info(case_id=pk, text="شماره دانشجویی من ۹۸۱۲۳۴۵۶ است.")
        services.case_answer(case_id=pk, actor=staff, text=rng.choice(ANSWERS))
        if target == Status.ANSWERED:
            return
        services.case_answer_approve(case_id=pk, actor=monitor)
        if target == Status.PUBLISHED:
            return
        if target == Status.CLOSED and rng.random() < 0.6:
            services.case_close(case_id=pk, actor=monitor)
            return
        services.case_object(case_id=pk, reason="پاسخ داده‌شده مشکل من را حل نکرده است.")
        if target == Status.OBJECTED:
            return
        services.case_objection_uphold(case_id=pk, actor=head,
                                       note="پاسخ واحد مطابق ضوابط است و تأیید می‌شود.")
