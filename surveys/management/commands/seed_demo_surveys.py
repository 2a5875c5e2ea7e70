"""Demo surveys with a year of answers, one service that trips the watch, and a completed plan.

Runs after `seed_demo` (which builds the organisation and the cases). Everything goes through the
domain: surveys are published with `survey_publish`, every answer is a `response_submit_public` or
`response_submit_invited` call at a moment in the past, invitations come from the invitation sweep,
the alarm from `watch_run` and the plan moves with the plan services. Running it again changes
nothing: it stops when the demo surveys exist.
"""
import datetime as dt
import random
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from complaints.models import Case
from complaints.workflow import Status
from sajad.models import Service, Unit, UnitMember
from surveys import invitations, services, watch
from surveys.models import ImprovementPlan, Invitation, PlanAction, Question, Survey, SurveyKind

SEED = 1405
SURVEYED_SERVICES = 4
WEEKS = 52

SERVICE_QUESTIONS = [
    ("csat", "به‌طور کلی از این خدمت چقدر راضی هستید؟", True, ""),
    ("need_met", "آیا کاری که برایش آمده بودید انجام شد؟", True, ""),
    ("ces", "انجام کارتان در سامانه چقدر دشوار بود؟", False, ""),
    ("nps", "چقدر احتمال دارد این خدمت را به دانشجوی دیگری پیشنهاد کنید؟", False, ""),
    ("multiple", "در کدام مرحله به مشکل خوردید؟", False, "ورود به سامانه\nبارگذاری مدارک\nپرداخت\nپیگیری نتیجه"),
    ("text", "چه چیزی را در این خدمت تغییر دهیم؟", False, ""),
]
HANDLING_QUESTIONS = [
    ("csat", "از نحوه رسیدگی به پرونده‌تان چقدر راضی هستید؟", True, ""),
    ("need_met", "آیا مشکل شما حل شد؟", True, ""),
    ("single", "پاسخ در چه زمانی به دستتان رسید؟", False, "زودتر از انتظارم\nدر زمان اعلام‌شده\nدیرتر از انتظارم"),
    ("text", "چه چیزی را در رسیدگی بهتر کنیم؟", False, ""),
]
COMMENTS = [
    "بارگذاری مدارک در تلفن همراه سخت بود", "پاسخ‌گویی تلفنی عالی بود", "صفحه پرداخت چند بار خطا داد",
    "کاش وضعیت درخواست با پیامک اعلام شود", "کارکنان مؤدب و پیگیر بودند", "فرم‌ها طولانی است",
    "نتیجه زودتر از موعد اعلام شد", "راهنمای خدمت روشن نبود",
]


def _create(kind, service, slug, title, questions) -> Survey:
    survey = Survey.objects.create(kind=kind, service=service, slug=slug, title=title,
                                   intro="پاسخ شما بی‌نام ثبت می‌شود و فقط برای بهبود خدمت به کار می‌رود.")
    for order, (qkind, text, required, choices) in enumerate(questions, start=1):
        Question.objects.create(survey=survey, order=order, kind=qkind, text=text, required=required,
                                choices=choices)
    return services.survey_publish(survey_id=survey.pk)


def _answers(rng, survey, dissatisfied: float) -> QueryDict:
    data = QueryDict(mutable=True)
    for q in survey.questions.all():
        if q.kind == "csat":
            value = rng.choice([1, 2]) if rng.random() < dissatisfied else rng.choice([3, 4, 4, 5, 5])
            data[f"q{q.pk}"] = str(value)
        elif q.kind == "need_met":
            data[f"q{q.pk}"] = str(rng.choice([0, 1, 2, 2, 2]) if rng.random() > dissatisfied else rng.choice([0, 1]))
        elif q.kind == "ces" and rng.random() < .8:
            data[f"q{q.pk}"] = str(rng.randint(1, 7))
        elif q.kind == "nps" and rng.random() < .8:
            data[f"q{q.pk}"] = str(rng.randint(0, 10))
        elif q.kind == "single" and rng.random() < .7:
            data[f"q{q.pk}"] = str(rng.randint(1, 3))
        elif q.kind == "multiple" and rng.random() < .5:
            data.setlist(f"q{q.pk}", [str(p) for p in rng.sample(range(1, 5), rng.randint(1, 2))])
        elif q.kind == "text" and rng.random() < .15:
            data[f"q{q.pk}"] = rng.choice(COMMENTS)
    return data


class Command(BaseCommand):
    help = "Demo surveys, a year of answers, a watch alarm and a completed improvement plan."

    def handle(self, *args, **options):
        if Survey.objects.filter(slug__startswith="demo-").exists():
            self.stdout.write("Demo surveys already exist; nothing new was created.")
            return
        public = list(Service.objects.open_to_citizens().order_by("order", "name")[:SURVEYED_SERVICES])
        if not public:
            self.stdout.write("No services yet: run seed_demo first.")
            return
        rng = random.Random(SEED)
        now = timezone.now()
        judged = watch.judged_week_start(now)
        with transaction.atomic():
            surveys = [_create(SurveyKind.SERVICE, s, f"demo-{s.slug}"[:80], f"نظرسنجی رضایت از «{s.name}»",
                               SERVICE_QUESTIONS) for s in public]
            handling = Survey.objects.filter(kind=SurveyKind.HANDLING, is_current=True).first() or _create(
                SurveyKind.HANDLING, None, "demo-handling", "نظرسنجی نحوه رسیدگی به پرونده", HANDLING_QUESTIONS)
        count = 0
        # A year of public answers; the first service turns sour in the last complete week.
        for index, survey in enumerate(surveys):
            for week in range(WEEKS, 0, -1):
                start = judged - (week - 1) * watch.WEEK
                tripping = index == 0 and week == 1
                per_week = 30 if tripping else rng.randint(8, 14)
                share = 0.55 if tripping else 0.10 + 0.03 * index
                for _ in range(per_week):
                    at = start + dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(8, 20),
                                              minutes=rng.randint(0, 59))
                    services.response_submit_public(slug=survey.slug, data=_answers(rng, survey, share),
                                                    browser_id=secrets.token_hex(12), now=min(at, now))
                    count += 1
        # Invitations for the closed demo cases (the sweep reads the case log), half of them answered.
        invitations.invitations_sweep(now=now + dt.timedelta(hours=1))
        for invitation in Invitation.objects.filter(skipped=False, answered_at__isnull=True, survey=handling):
            if rng.random() < 0.5:
                services.response_submit_invited(token=invitation.token, data=_answers(rng, handling, 0.2),
                                                 now=min(invitation.created_at + dt.timedelta(hours=5), now))
                count += 1
        alarms = watch.watch_run(now=now)
        self._completed_plan(public[-1])
        self.stdout.write(f"Published {len(surveys) + 1} demo surveys with {count} responses; "
                          f"the watch raised {len(alarms)} alarm(s); one completed improvement plan.")

    def _completed_plan(self, service: Service) -> None:
        from django.contrib.auth.models import User

        monitor = User.objects.filter(username="monitor").first()
        member = UnitMember.objects.filter(unit=service.unit).select_related("user").first()
        plan = ImprovementPlan.objects.create(
            service=service, title="بارگذاری آسان‌تر مدارک با تلفن همراه",
            finding="در نظرسنجی فصل تابستان بسیاری از پاسخ‌دهندگان بارگذاری مدارک با تلفن همراه را دشوار دانستند.",
            evidence="نظرسنجی رضایت خدمت، تیر تا شهریور؛ پاسخ‌های متنی درباره بارگذاری مدارک.",
        )
        owner = member.unit if member else service.unit
        PlanAction.objects.create(plan=plan, description="ساده کردن فرم بارگذاری و پذیرش عکس با تلفن همراه",
                                  owner_unit=owner, due_date=timezone.localdate() - dt.timedelta(days=10))
        PlanAction.objects.create(plan=plan, description="راهنمای تصویری بارگذاری مدارک در صفحه خدمت",
                                  owner_unit=owner, due_date=timezone.localdate() - dt.timedelta(days=5))
        closed = Case.objects.filter(service=service, status=Status.CLOSED)[:3]
        plan.cases.add(*closed)
        services.plan_activate(plan_id=plan.pk, actor=monitor)
        for action in plan.actions.all():
            services.action_report_progress(action_id=action.pk, actor=member.user if member else None,
                                            unit_id=owner.pk, percent=100, note="انجام شد")
        services.plan_complete(plan_id=plan.pk, actor=monitor, public_summary=(
            "فرم بارگذاری مدارک اکنون عکس گرفته‌شده با تلفن همراه را می‌پذیرد و راهنمای تصویری آن در صفحه "
            "خدمت آمده است."))
