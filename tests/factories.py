"""Builders for test data. Cases are built through the domain services, as users would."""
import itertools

from django.contrib.auth.models import Group, User

from complaints import roles, services
from complaints.models import IdentityTier, Kind
from sajad.models import Service, Unit, UnitMember

_seq = itertools.count(1)

# National codes with a valid checksum, for identified filings.
VALID_NATIONAL_CODES = ["0013542419", "0084575948", "1234567891", "0499370899"]


def unit(*, name=None, is_monitoring=False, parent=None) -> Unit:
    n = next(_seq)
    return Unit.objects.create(
        name=name or f"واحد {n}", slug=f"unit-{n}", is_monitoring=is_monitoring, parent=parent
    )


def monitoring_unit() -> Unit:
    return Unit.objects.filter(is_monitoring=True).first() or unit(
        name="واحد نظارت و ارزیابی", is_monitoring=True
    )


def service(*, unit_=None, name=None, is_active=True) -> Service:
    n = next(_seq)
    return Service.objects.create(
        name=name or f"خدمت {n}", slug=f"service-{n}", unit=unit_ or unit(), is_active=is_active,
        definition="تعریف", recipients="دانشجویان", provider="سازمان", responsibilities="مسئولیت‌ها",
        mutual_obligations="تعهدات", required_data="داده‌ها", dispute_resolution="حل اختلاف",
        termination="خاتمه",
    )


def staff_user(*, group: str | None = None, unit_=None, is_head=False, username=None) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        username=username or f"staff{n}", password="x", is_staff=group != roles.UNIT_STAFF_GROUP
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if unit_ is not None:
        UnitMember.objects.create(user=user, unit=unit_, is_head=is_head)
    return user


def monitoring_user(**kw) -> User:
    return staff_user(group=roles.MONITORING_GROUP, **kw)


def monitoring_head(**kw) -> User:
    return staff_user(group=roles.MONITORING_HEAD_GROUP, **kw)


def unit_user(unit_: Unit, **kw) -> User:
    return staff_user(group=roles.UNIT_STAFF_GROUP, unit_=unit_, **kw)


def filed_case(*, kind=Kind.COMPLAINT, tier=IdentityTier.IDENTIFIED, service_=None, files=(), **kw):
    """File a case through the domain; returns services.FiledCase (case and PIN)."""
    fields = dict(
        kind=kind, service=service_ or service(), subject="تأخیر در پرداخت وام",
        description="وام شهریه من پس از سه ماه هنوز پرداخت نشده است.", identity_tier=tier,
        full_name="زهرا احمدی", national_code=VALID_NATIONAL_CODES[0], mobile="09121234567",
        files=files,
    )
    fields.update(kw)
    return services.case_file(**fields)


def survey(*, service_=None, kind="service", slug=None, questions=None, publish=True, **kw):
    """A survey with one question of each type (or `questions`: (kind, text, required, choices))."""
    from surveys import services as survey_services
    from surveys.models import Question, Survey

    n = next(_seq)
    if kind == "service" and service_ is None:
        service_ = service()
    made = Survey.objects.create(kind=kind, service=service_, title=kw.pop("title", f"نظرسنجی {n}"),
                                 slug=slug or f"survey-{n}", **kw)
    questions = questions if questions is not None else [
        ("csat", "از این خدمت چقدر راضی هستید؟", True, ""),
        ("nps", "چقدر احتمال دارد این خدمت را به دوستانتان پیشنهاد کنید؟", False, ""),
        ("ces", "انجام کارتان چقدر دشوار بود؟", False, ""),
        ("need_met", "آیا نیاز شما برآورده شد؟", True, ""),
        ("single", "از چه راهی خدمت را گرفتید؟", False, "درگاه سجاد\nحضوری\nتلفنی"),
        ("multiple", "کدام بخش‌ها مشکل داشت؟", False, "ثبت‌نام\nپرداخت\nپیگیری"),
        ("text", "پیشنهاد شما چیست؟", False, ""),
    ]
    for order, (qkind, text, required, choices) in enumerate(questions, start=1):
        Question.objects.create(survey=made, order=order, kind=qkind, text=text, required=required,
                                choices=choices)
    if publish:
        made = survey_services.survey_publish(survey_id=made.pk)
    return made


def handling_survey(**kw):
    kw.setdefault("questions", [
        ("csat", "از نحوه رسیدگی به پرونده‌تان چقدر راضی هستید؟", True, ""),
        ("need_met", "آیا مشکل شما حل شد؟", True, ""),
        ("text", "چه چیزی را بهتر کنیم؟", False, ""),
    ])
    return survey(kind="handling", slug=kw.pop("slug", "handling"), **kw)
