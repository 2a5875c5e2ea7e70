"""Survey results for staff: figures per service (or per unit for the handling survey) and period.

Every figure is aggregated in the database over the daily summaries (`AnswerDay`, `ResponseDay`:
one row per question, value and day, kept current with each response; see `surveys.rollups`), so
a year of a million answers is a few thousand summary rows; Python only turns grouped counts into
rates and margins. Free-text answers are read from the answers themselves, one page at a time.

Definitions (SPEC §3.2):
- CSAT: share of satisfaction answers (1–5) that are 4 or 5, in percent.
- NPS: percent promoters (9–10) minus percent detractors (0–6), from −100 to 100.
- CES: mean effort (1–7; lower is easier).
- Resolved rate: share of "was your need met?" answers that say "fully".
- 95 % margin of error: 1.96·√(p(1−p)/n) for a share; 1.96·s/√n for a mean (s the sample
  standard deviation); for NPS 1.96·√((p₊ + p₋ − (p₊ − p₋)²)/n), all in the figure's own unit.
- Privacy floor: a group (a period, a question) with fewer than `PRIVACY_FLOOR` responses shows
  no figure at all, only that it is too small.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import jdatetime
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from sajad.persian import search_key, to_persian_digits

from .models import (
    Answer, AnswerDay, Channel, Invitation, Question, QuestionKind, ResponseDay, Survey, SurveyKind,
)

PRIVACY_FLOOR = 5
Z95 = 1.96
JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
                 "بهمن", "اسفند")
QUARTER_NAMES = ("بهار", "تابستان", "پاییز", "زمستان")


# --- Periods --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """[start, end) in local dates; `label` in Persian."""

    start: dt.date
    end: dt.date
    label: str

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        return (dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
                dt.datetime.combine(self.end, dt.time.min, tzinfo=tz))


def _jalali_month_start(year: int, month: int) -> dt.date:
    while month > 12:
        year, month = year + 1, month - 12
    while month < 1:
        year, month = year - 1, month + 12
    return jdatetime.date(year, month, 1).togregorian()


def month(year: int, month_: int) -> Period:
    label = f"{JALALI_MONTHS[month_ - 1]} {to_persian_digits(year)}"
    return Period(_jalali_month_start(year, month_), _jalali_month_start(year, month_ + 1), label)


def quarter(year: int, q: int) -> Period:
    label = f"{QUARTER_NAMES[q - 1]} {to_persian_digits(year)}"
    return Period(_jalali_month_start(year, 3 * q - 2), _jalali_month_start(year, 3 * q + 1), label)


def date_range(start: dt.date, end_inclusive: dt.date) -> Period:
    from sajad.jalali import format_jalali

    label = f"{format_jalali(start, '%Y/%m/%d')} – {format_jalali(end_inclusive, '%Y/%m/%d')}"
    return Period(start, end_inclusive + dt.timedelta(days=1), label)


def current_jalali(today: dt.date | None = None) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=today or timezone.localdate())


def trend_periods(kind: str, last: Period, count: int) -> list[Period]:
    """`count` consecutive months or quarters ending with `last` (oldest first)."""
    j = jdatetime.date.fromgregorian(date=last.start)
    periods = []
    for back in range(count - 1, -1, -1):
        if kind == "quarter":
            index = (j.year * 4 + (j.month - 1) // 3) - back
            periods.append(quarter(index // 4, index % 4 + 1))
        else:
            index = (j.year * 12 + j.month - 1) - back
            periods.append(month(index // 12, index % 12 + 1))
    return periods


# --- Scope ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """What the figures are about: a service's own survey, or the handling survey (all or one unit).

    Answers of both kinds carry the service (a handling answer, its case's service), so a scope
    always names the survey kind; the ids of that kind's surveys (a few rows) are matched against
    the `survey` column every index on answers and responses includes.
    """

    kind: str  # "service" or "handling"
    service_id: int | None = None
    unit_id: int | None = None

    def survey_ids(self) -> list[int]:
        if not hasattr(self, "_ids"):
            object.__setattr__(self, "_ids", list(Survey.objects.filter(kind=self.kind).values_list("id", flat=True)))
        return self._ids

    def _where(self) -> Q:
        q = Q(survey_id__in=self.survey_ids())
        if self.service_id:
            q &= Q(service_id=self.service_id)
        if self.unit_id:
            q &= Q(unit_id=self.unit_id)
        return q

    def answer_filter(self) -> Q:
        return self._where()

    def response_filter(self) -> Q:
        return self._where()

    def invitation_filter(self) -> Q:
        return Q(skipped=False) & self._where()

    def day_filter(self) -> Q:
        """The same scope on the daily summaries (ids are plain columns there, 0 for none)."""
        return self._where()


# --- Figures --------------------------------------------------------------------------------

@dataclass
class Share:
    """A percentage with its 95 % margin of error, both in percentage points."""

    n: int
    value: float | None
    margin: float | None


@dataclass
class Summary:
    period: Period
    invitations: int
    responses: int
    invited_responses: int
    csat: Share
    nps: Share
    ces: Share
    resolved: Share

    @property
    def below_floor(self) -> bool:
        return self.responses < PRIVACY_FLOOR

    @property
    def response_rate(self) -> float | None:
        if self.below_floor or not self.invitations:
            return None
        return round(100 * self.invited_responses / self.invitations, 1)


def share(hits: int, n: int) -> Share:
    if n < PRIVACY_FLOOR:
        return Share(n, None, None)
    p = hits / n
    return Share(n, round(100 * p, 1), round(100 * Z95 * math.sqrt(p * (1 - p) / n), 1))


def nps(promoters: int, detractors: int, n: int) -> Share:
    if n < PRIVACY_FLOOR:
        return Share(n, None, None)
    pp, pd = promoters / n, detractors / n
    variance = pp + pd - (pp - pd) ** 2
    return Share(n, round(100 * (pp - pd), 1), round(100 * Z95 * math.sqrt(max(variance, 0) / n), 1))


def mean(n: int, total: float, total_sq: float) -> Share:
    if n < PRIVACY_FLOOR:
        return Share(n, None, None)
    m = total / n
    variance = (total_sq - n * m * m) / (n - 1) if n > 1 else 0.0
    return Share(n, round(m, 2), round(Z95 * math.sqrt(max(variance, 0.0) / n), 2))


def kpi_aggregates():
    """CSAT (4–5), NPS (9–10 minus 0–6), CES and resolved (need fully met) over daily summaries."""
    csat, nps_, ces, need = (Q(kind=k) for k in ("csat", "nps", "ces", "need_met"))
    return dict(
        csat_n=Sum("n", filter=csat), csat_hits=Sum("n", filter=csat & Q(value__gte=4)),
        nps_n=Sum("n", filter=nps_), nps_pro=Sum("n", filter=nps_ & Q(value__gte=9)),
        nps_det=Sum("n", filter=nps_ & Q(value__lte=6)),
        need_n=Sum("n", filter=need), need_full=Sum("n", filter=need & Q(value=2)),
        ces_n=Sum("n", filter=ces), ces_s=Sum(F("value") * F("n"), filter=ces),
        ces_ss=Sum(F("value") * F("value") * F("n"), filter=ces),
    )


def _bucket(periods: list[Period], field_name: str, dates: bool = False):
    whens = []
    for index, period in enumerate(periods):
        start, end = (period.start, period.end) if dates else period.bounds()
        whens.append(When(**{f"{field_name}__gte": start, f"{field_name}__lt": end}, then=Value(index)))
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def summaries(*, scope: Scope, periods: list[Period]) -> list[Summary]:
    """One Summary per period: three grouped queries over the daily summaries and invitations."""
    if not periods:
        return []
    lo, hi = periods[0].start, periods[-1].end
    by_bucket = {
        row["bucket"]: row for row in
        AnswerDay.objects.filter(scope.day_filter(), day__gte=lo, day__lt=hi,
                                 kind__in=["csat", "nps", "ces", "need_met"])
        .annotate(bucket=_bucket(periods, "day", dates=True)).values("bucket")
        .annotate(**kpi_aggregates())
    }
    responses = {
        row["bucket"]: row for row in
        ResponseDay.objects.filter(scope.day_filter(), day__gte=lo, day__lt=hi)
        .annotate(bucket=_bucket(periods, "day", dates=True)).values("bucket")
        .annotate(total=Sum("n"), invited=Sum("n", filter=Q(channel=Channel.INVITATION)))
    }
    lo_t, hi_t = periods[0].bounds()[0], periods[-1].bounds()[1]
    invitations = {
        row["bucket"]: row["n"] for row in Invitation.objects.filter(scope.invitation_filter(), created_at__gte=lo_t,
                                                                     created_at__lt=hi_t)
        .annotate(bucket=_bucket(periods, "created_at")).values("bucket").annotate(n=Count("id"))
    }
    out = []
    for index, period in enumerate(periods):
        row = {k: (v or 0) for k, v in by_bucket.get(index, {}).items()}
        resp = responses.get(index, {})
        total, invited = resp.get("total") or 0, resp.get("invited") or 0
        floor = total < PRIVACY_FLOOR
        out.append(Summary(
            period=period, invitations=invitations.get(index, 0), responses=total, invited_responses=invited,
            csat=share(row.get("csat_hits", 0), 0 if floor else row.get("csat_n", 0)),
            nps=nps(row.get("nps_pro", 0), row.get("nps_det", 0), 0 if floor else row.get("nps_n", 0)),
            ces=mean(0 if floor else row.get("ces_n", 0), float(row.get("ces_s", 0)), float(row.get("ces_ss", 0))),
            resolved=share(row.get("need_full", 0), 0 if floor else row.get("need_n", 0)),
        ))
    return out


# --- Per question ---------------------------------------------------------------------------

@dataclass
class QuestionFigures:
    question: Question
    n: int
    mean: Share | None = None
    distribution: list[tuple[str, int, float]] = field(default_factory=list)  # (label, count, percent)

    @property
    def below_floor(self) -> bool:
        return self.n < PRIVACY_FLOOR


def _labels(question: Question) -> list[tuple[int, str]]:
    from .selectors import NEED_MET_LABELS, SCALE_RANGES

    if question.kind in SCALE_RANGES:
        low, high = SCALE_RANGES[question.kind]
        return [(v, to_persian_digits(v)) for v in range(low, high + 1)]
    if question.kind == QuestionKind.NEED_MET:
        return [(v, str(label)) for v, label in NEED_MET_LABELS]
    return list(enumerate(question.choice_list(), start=1))


def question_figures(*, scope: Scope, period: Period, survey: Survey | None) -> list[QuestionFigures]:
    """Mean (scales) with its margin, and the distribution of every closed question of `survey`."""
    if survey is None:
        return []
    questions = [q for q in survey.questions.all() if q.kind != QuestionKind.TEXT]
    base = AnswerDay.objects.filter(scope.day_filter(), question__in=questions, day__gte=period.start,
                                    day__lt=period.end)
    counts: dict[int, dict[int, int]] = {}
    totals: dict[int, int] = {}
    for row in base.values("question_id", "value").annotate(total=Sum("n")):
        totals[row["question_id"]] = totals.get(row["question_id"], 0) + row["total"]
        if row["question_id"] not in {q.pk for q in questions if q.kind == QuestionKind.MULTIPLE}:
            counts.setdefault(row["question_id"], {})[row["value"]] = row["total"]
    multiple = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE]
    if multiple:
        sql, params = base.filter(kind="multiple").values("question_id", "value", "n").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.question_id, b + 1, sum(a.n) FROM ({sql}) a, generate_series(0, 29) b "
                "WHERE a.value & (1 << b) <> 0 GROUP BY 1, 2", params)
            for question_id, position, n in cursor.fetchall():
                counts.setdefault(question_id, {})[position] = int(n)
    out = []
    for question in questions:
        n = totals.get(question.pk, 0)
        figures = QuestionFigures(question=question, n=n)
        if n >= PRIVACY_FLOOR:
            dist = counts.get(question.pk, {})
            figures.distribution = [(label, dist.get(v, 0), round(100 * dist.get(v, 0) / n, 1))
                                    for v, label in _labels(question)]
            if question.kind in (QuestionKind.CSAT, QuestionKind.NPS, QuestionKind.CES):
                total = sum(v * c for v, c in dist.items())
                total_sq = sum(v * v * c for v, c in dist.items())
                figures.mean = mean(n, total, total_sq)
        out.append(figures)
    return out


def free_text(*, scope: Scope, period: Period, query: str = "", limit: int = 50) -> tuple[int, list[Answer]]:
    """Free-text answers of the period, newest first, matching `query` after Persian normalisation."""
    start, end = period.bounds()
    qs = Answer.objects.filter(scope.answer_filter(), kind="text", answered_at__gte=start, answered_at__lt=end)
    responses = ResponseDay.objects.filter(scope.day_filter(), day__gte=period.start, day__lt=period.end)
    if (responses.aggregate(total=Sum("n"))["total"] or 0) < PRIVACY_FLOOR:
        return 0, []
    key = search_key(query)
    if key:
        qs = qs.filter(text_key__contains=key)
    return qs.count(), list(qs.order_by("-answered_at", "-id").only("text", "answered_at")[:limit])


def survey_for_scope(scope: Scope) -> Survey | None:
    surveys = Survey.objects.filter(is_current=True, kind=scope.kind)
    if scope.kind == SurveyKind.SERVICE:
        surveys = surveys.filter(service_id=scope.service_id)
    return surveys.first()
