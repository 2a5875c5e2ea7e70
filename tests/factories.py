"""Builders for test data. Cases are built through the domain services, as users would."""
import itertools

from django.contrib.auth.models import User

from complaints import roles, services
from complaints.models import IdentityTier, Kind
from complaints.workflow import Role
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


def staff_user(*, role: Role | None = None, unit_=None, is_head=False, username=None) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        username=username or f"staff{n}", password="x", is_staff=role != Role.UNIT
    )
    if role:
        user.groups.add(roles.staff_group(role))
    if unit_ is not None:
        UnitMember.objects.create(user=user, unit=unit_, is_head=is_head)
    return user


def monitoring_user(**kw) -> User:
    return staff_user(role=Role.MONITORING, **kw)


def monitoring_head(**kw) -> User:
    return staff_user(role=Role.MONITORING_HEAD, **kw)


def unit_user(unit_: Unit, **kw) -> User:
    return staff_user(role=Role.UNIT, unit_=unit_, **kw)


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


# --- files and forms ----------------------------------------------------------------------------

# The smallest real files of each accepted type: their magic bytes are what the checker reads.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if content_type:
        return SimpleUploadedFile(name, content, content_type=content_type)
    return SimpleUploadedFile(name, content)


def form_stamp(seconds_ago: float = 60) -> str:
    """A fresh (unused) filing-form stamp issued `seconds_ago`, as if a person had been typing."""
    import time

    from complaints.forms import new_form_stamp

    return new_form_stamp(issued=time.time() - seconds_ago)


def filing_form_data(service_, **overrides) -> dict:
    """What a citizen's browser posts to the filing form (identified complaint), with overrides."""
    data = {
        "kind": Kind.COMPLAINT, "service": service_.slug, "subject": "تأخیر در پرداخت وام",
        "description": "وام شهریه من پس از سه ماه پرداخت نشده است.",
        "identity_tier": IdentityTier.IDENTIFIED, "full_name": "زهرا احمدی",
        "national_code": VALID_NATIONAL_CODES[0], "mobile": "09121234567", "email": "",
        "website": "", "stamp": form_stamp(),
    }
    data.update(overrides)
    return data


# --- SLA outcomes and the public figures -----------------------------------------------------


def clock_spent(case, clock: str, minutes: int) -> int:
    """Let the case's running `clock` have used exactly `minutes` working minutes so far.

    The step that stops it next (assign for the first response, the unit's answer for
    unit_answer) then records that figure in its event, as the services record any outcome.
    Returns the clock's budget, for on-time arithmetic.
    """
    from django.utils import timezone

    from complaints.models import CaseClock

    running = CaseClock.objects.get(case=case, clock=clock, stopped_at__isnull=True)
    running.consumed_minutes, running.segment_started_at = minutes, timezone.now()
    running.save(update_fields=["consumed_minutes", "segment_started_at"])
    return running.budget_minutes


def handled_case(service_, *, first_response: int, unit_answer: int | None = None, monitor=None,
                 staff=None):
    """A case filed about `service_`, assigned to its unit after `first_response` working minutes
    and, when `unit_answer` is given, answered by the unit after that many more, all through
    the domain services."""
    monitor = monitor or monitoring_user()
    case = filed_case(service_=service_).case
    clock_spent(case, "first_response", first_response)
    services.case_assign(case_id=case.pk, unit=service_.unit, actor=monitor)
    if unit_answer is not None:
        clock_spent(case, "unit_answer", unit_answer)
        services.case_answer(case_id=case.pk, actor=staff or unit_user(service_.unit),
                             text="پاسخ واحد")
    return case


def case_log_dated(cases, when) -> None:
    """Move the whole log of `cases` to `when` (a second apart, in order), as seed_demo dates its
    timelines: the log is append-only, so the trigger is lifted for this one statement inside
    a transaction. For figures of a past month (the SLA page shows the last full one)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE complaints_caseevent DISABLE TRIGGER complaints_caseevent_append_only")
        cursor.execute("""
            UPDATE complaints_caseevent e SET created_at = %s + n.rank * interval '1 second'
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM complaints_caseevent
                  WHERE case_id = ANY(%s)) n
            WHERE e.id = n.id
        """, [when, [c.pk for c in cases]])
        cursor.execute("ALTER TABLE complaints_caseevent ENABLE TRIGGER complaints_caseevent_append_only")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    type(cases[0]).objects.filter(pk__in=[c.pk for c in cases]).update(created_at=when)


def survey_answers(survey_, when, *, csat=(), need_met=()) -> None:
    """One response per value pair to a service survey at `when` (csat 1–5, need_met 0–2), then
    the surveys' daily summaries brought up to date, as the public figures read them."""
    import itertools

    from surveys import rollups as survey_rollups
    from surveys.models import Answer, Response

    for c, m in itertools.zip_longest(csat, need_met):
        response = Response.objects.create(survey=survey_, service=survey_.service, channel="public",
                                           browser_key=f"answer-{next(_seq)}", submitted_at=when)
        for kind, value in (("csat", c), ("need_met", m)):
            if value is not None:
                Answer.objects.create(response=response, question=survey_.questions.get(kind=kind),
                                      survey=survey_, kind=kind, value=value, service=survey_.service,
                                      channel="public", answered_at=when)
    survey_rollups.rebuild()


def closed_case(*, unit_, mobile="09121234567", email="", service_=None, **kw):
    """A case filed, answered by `unit_`, published and closed, all through the domain services."""
    from complaints.workflow import Role

    case = filed_case(service_=service_ or service(unit_=unit_), mobile=mobile, email=email, **kw).case
    monitor = monitoring_user()
    services.case_assign(case_id=case.pk, unit=unit_, actor=monitor)
    services.case_answer(case_id=case.pk, actor=unit_user(unit_), text="پرداخت انجام شد.")
    services.case_answer_approve(case_id=case.pk, actor=monitor)
    return services.case_close(case_id=case.pk, role=Role.SYSTEM)


def internal_service(*, unit_=None):
    """The internal service of report calls (§1.5)."""
    svc = service(unit_=unit_ or monitoring_unit(), name="ارزیابی عملکرد واحدها")
    svc.is_internal = True
    svc.save(update_fields=["is_internal"])
    return svc


def report_call(*, units, opens_in_days: float = -1, closes_in_days: float = 5, sections=None,
                reminder_days=(3, 1), service_=None, actor=None):
    """A report call opened through the domain, asking `units`; days are relative to now."""
    import datetime as dt

    from django.utils import timezone

    from unit_reports import services as report_services
    from dashboards.periods import Period

    now = timezone.now()
    return report_services.call_open(
        title="فراخوان گزارش عملکرد فصل دوم", service=service_ or internal_service(),
        period=Period("quarter", 1405, 2),
        opens_at=now + dt.timedelta(days=opens_in_days),
        closes_at=now + dt.timedelta(days=closes_in_days),
        sections=sections or [("مهم‌ترین اقدامات دوره", "سه اقدام اصلی"), ("برنامه دوره بعد", "")],
        units=units, reminder_days=reminder_days, actor=actor or monitoring_user(),
    )
