"""The continuous watch (SPEC §3.2): every service's weekly share of dissatisfied answers.

The rules and their parameters, as the monitoring unit reads them on the watch page:

- A *dissatisfied* answer is a satisfaction (CSAT) answer of 1 or 2 to the service's own survey.
- Weeks run Saturday to Friday (Tehran time). The watch judges the last complete week.
- *Baseline*: the service's own dissatisfied share over the `BASELINE_WEEKS` weeks that end
  `RECENT_WEEKS` weeks before the judged week (so a slow drift does not raise its own baseline).
  A service with fewer than `MIN_BASELINE_ANSWERS` baseline answers is not judged by the charts.
- *p-chart*: alarm when the judged week's share is above p̄ + 3·√(p̄(1−p̄)/n), and the week has at
  least `MIN_WEEKLY_ANSWERS` answers.
- *CUSUM*: over the `RECENT_WEEKS` weeks up to the judged week, S = max(0, S + z − k) with
  z = (p − p̄)/√(p̄(1−p̄)/n) for each week with enough answers; alarm when S > h. It catches a
  share that creeps up week after week without ever crossing the 3-sigma limit.
- *Fixed threshold*: alarm when the judged week's share (with the minimum sample) is above the
  percentage the monitoring unit set for that service (ServiceWatch.fixed_threshold).

On an alarm the service is flagged, an episode opens (one open episode per service, a database
constraint), exactly one draft improvement plan is created for it (a unique key on the plan) and
the monitoring unit is told once per episode through the outbox. When a judged week raises no
alarm, the open episode closes and the flag is lowered. Running the watch twice, or twice at once,
changes nothing the second time.

All figures come from one grouped query over the daily CSAT summaries (`AnswerDay`), for every
service at once.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sajad.models import Service, Unit

from .models import AlarmEpisode, ImprovementPlan, PlanHistory, ServiceWatch, Survey, SurveyKind, WatchRule

DISSATISFIED_MAX = 2
BASELINE_WEEKS = 12
RECENT_WEEKS = 12
MIN_WEEKLY_ANSWERS = 20
MIN_BASELINE_ANSWERS = 100
SIGMA = 3.0
CUSUM_K = 0.5
CUSUM_H = 4.0
WEEK = dt.timedelta(days=7)
SATURDAY = 5  # Python's weekday() of Saturday


def parameters() -> dict:
    """What the watch page shows the monitoring unit (one source with the code above)."""
    return {
        "dissatisfied_max": DISSATISFIED_MAX, "baseline_weeks": BASELINE_WEEKS, "recent_weeks": RECENT_WEEKS,
        "min_weekly": MIN_WEEKLY_ANSWERS, "min_baseline": MIN_BASELINE_ANSWERS, "sigma": SIGMA,
        "cusum_k": CUSUM_K, "cusum_h": CUSUM_H,
    }


def judged_week_start(now: dt.datetime) -> dt.datetime:
    """Saturday 00:00 (Tehran) of the last complete week before `now`."""
    local = timezone.localtime(now)
    this_saturday = (local - dt.timedelta(days=(local.weekday() - SATURDAY) % 7)).replace(
        hour=0, minute=0, second=0, microsecond=0)
    return this_saturday - WEEK


@dataclass
class Verdict:
    service_id: int
    week_start: dt.date
    n: int
    dissatisfied: int
    share: float | None
    baseline: float | None
    ucl: float | None
    cusum: float
    rules: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"week": self.week_start.isoformat(), "n": self.n, "dissatisfied": self.dissatisfied,
                "share": self.share, "baseline": self.baseline, "ucl": self.ucl, "cusum": round(self.cusum, 2),
                "rules": self.rules}


def weekly_counts(*, now: dt.datetime) -> tuple[dt.datetime, dict[int, dict[int, tuple[int, int]]]]:
    """{service: {week index: (answers, dissatisfied)}}; week 0 is the oldest baseline week."""
    judged = judged_week_start(now)
    origin = judged - (BASELINE_WEEKS + RECENT_WEEKS - 1) * WEEK
    survey_ids = list(Survey.objects.filter(kind=SurveyKind.SERVICE).values_list("id", flat=True))
    if not survey_ids:
        return origin, {}
    origin_day = timezone.localtime(origin).date()
    end_day = timezone.localtime(judged + WEEK).date()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT service_id, (day - %s) / 7 AS week, sum(n), sum(n) FILTER (WHERE value <= %s)
            FROM surveys_answerday
            WHERE kind = 'csat' AND day >= %s AND day < %s AND survey_id = ANY(%s)
            GROUP BY 1, 2
            """,
            [origin_day, DISSATISFIED_MAX, origin_day, end_day, survey_ids],
        )
        rows = cursor.fetchall()
    counts: dict[int, dict[int, tuple[int, int]]] = {}
    for service_id, week, n, bad in rows:
        counts.setdefault(service_id, {})[int(week)] = (int(n), int(bad or 0))
    return origin, counts


def judge(*, service_id: int, weeks: dict[int, tuple[int, int]], week_start: dt.date,
          threshold: int | None) -> Verdict:
    """Apply the three rules to one service's weekly counts (pure; no database)."""
    judged_index = BASELINE_WEEKS + RECENT_WEEKS - 1
    base_n = sum(weeks.get(i, (0, 0))[0] for i in range(BASELINE_WEEKS))
    base_bad = sum(weeks.get(i, (0, 0))[1] for i in range(BASELINE_WEEKS))
    n, bad = weeks.get(judged_index, (0, 0))
    share = bad / n if n else None
    verdict = Verdict(service_id, week_start, n, bad, None if share is None else round(share, 4), None, None, 0.0)
    enough_week = n >= MIN_WEEKLY_ANSWERS
    if threshold is not None and enough_week and share is not None and 100 * share > threshold:
        verdict.rules.append(WatchRule.THRESHOLD)
    if base_n < MIN_BASELINE_ANSWERS:
        return verdict
    p_bar = base_bad / base_n
    verdict.baseline = round(p_bar, 4)
    if p_bar <= 0 or p_bar >= 1:
        return verdict
    if enough_week:
        ucl = p_bar + SIGMA * math.sqrt(p_bar * (1 - p_bar) / n)
        verdict.ucl = round(ucl, 4)
        if share > ucl:
            verdict.rules.append(WatchRule.P_CHART)
    s = 0.0
    for index in range(BASELINE_WEEKS, judged_index + 1):
        wn, wbad = weeks.get(index, (0, 0))
        if wn < MIN_WEEKLY_ANSWERS:
            continue
        z = (wbad / wn - p_bar) / math.sqrt(p_bar * (1 - p_bar) / wn)
        s = max(0.0, s + z - CUSUM_K)
    verdict.cusum = s
    if s > CUSUM_H:
        verdict.rules.append(WatchRule.CUSUM)
    return verdict


def watch_run(*, now: dt.datetime | None = None) -> list[Verdict]:
    """Judge every service with a survey; flag, open episodes and draft plans; return the alarms."""
    now = now or timezone.now()
    origin, counts = weekly_counts(now=now)
    week_start = timezone.localtime(judged_week_start(now)).date()
    thresholds = dict(ServiceWatch.objects.values_list("service_id", "fixed_threshold"))
    service_ids = set(Survey.objects.filter(kind=SurveyKind.SERVICE, is_published=True)
                      .values_list("service_id", flat=True)) | set(counts)
    alarms = []
    flagged = set(ServiceWatch.objects.filter(is_flagged=True).values_list("service_id", flat=True))
    for service_id in sorted(service_ids):
        verdict = judge(service_id=service_id, weeks=counts.get(service_id, {}), week_start=week_start,
                        threshold=thresholds.get(service_id))
        if verdict.rules:
            alarms.append(verdict)
            _raise_alarm(verdict=verdict, now=now)
        elif service_id in flagged:
            _quiet(verdict=verdict, now=now)
    # One statement records the check on every watched service.
    ServiceWatch.objects.filter(service_id__in=service_ids).update(last_checked_at=now)
    missing = service_ids - set(ServiceWatch.objects.filter(service_id__in=service_ids)
                                .values_list("service_id", flat=True))
    ServiceWatch.objects.bulk_create([ServiceWatch(service_id=s, last_checked_at=now) for s in missing],
                                     ignore_conflicts=True)
    return alarms


def _rules_text(rules: list[str]) -> str:
    labels = dict(WatchRule.choices)
    return "، ".join(str(labels[r]) for r in rules)


def _raise_alarm(*, verdict: Verdict, now: dt.datetime) -> None:
    """Flag the service and make sure its open episode and that episode's draft plan exist."""
    with transaction.atomic():
        watch, _ = ServiceWatch.objects.get_or_create(service_id=verdict.service_id)
        watch = ServiceWatch.objects.select_for_update().get(pk=watch.pk)  # one judge per service at a time
        watch.is_flagged = True
        watch.last_result = verdict.as_dict()
        watch.save(update_fields=["is_flagged", "last_result"])
        episode = AlarmEpisode.objects.filter(service_id=verdict.service_id, closed_at__isnull=True).first()
        if episode is None:
            try:
                with transaction.atomic():
                    episode = AlarmEpisode.objects.create(
                        service_id=verdict.service_id, rules=verdict.rules, week_start=verdict.week_start,
                        details=verdict.as_dict(), opened_at=now)
            except IntegrityError:  # another run opened it between our read and our insert
                episode = AlarmEpisode.objects.get(service_id=verdict.service_id, closed_at__isnull=True)
        plan = _draft_plan_for(episode=episode)
        if plan is not None:
            from . import outbox
            from complaints.notifications import unit_addresses

            monitoring = Unit.objects.filter(is_monitoring=True).first()
            recipients = unit_addresses(monitoring) if monitoring else []
            service = Service.objects.get(pk=verdict.service_id)
            outbox.monitoring_alarm(recipients=recipients, episode=episode, service=service,
                                    rules_text=_rules_text(episode.rules), plan=plan)


def _draft_plan_for(*, episode: AlarmEpisode) -> ImprovementPlan | None:
    """Create the episode's draft plan unless it exists; returns it only when created now."""
    if ImprovementPlan.objects.filter(episode=episode).exists():
        return None
    service = Service.objects.get(pk=episode.service_id)
    d = episode.details
    share = "—" if d.get("share") is None else f"{100 * d['share']:.1f}٪"
    baseline = "—" if d.get("baseline") is None else f"{100 * d['baseline']:.1f}٪"
    try:
        with transaction.atomic():
            plan = ImprovementPlan.objects.create(
                service=service, episode=episode,
                title=_("Improve «%(name)s»") % {"name": service.name},
                finding=_("The watch raised an alarm (%(rules)s) for the week starting %(week)s.")
                % {"rules": _rules_text(episode.rules), "week": _jalali(episode.week_start)},
                evidence=_("Dissatisfied share that week: %(share)s of %(n)s answers; the service's baseline: "
                           "%(baseline)s; CUSUM: %(cusum)s.")
                % {"share": share, "n": d.get("n"), "baseline": baseline, "cusum": d.get("cusum")},
            )
    except IntegrityError:  # a concurrent run created it first
        return None
    PlanHistory.objects.create(plan=plan, note=_("Draft opened by the watch."), data=episode.details)
    return plan


def _jalali(day: dt.date) -> str:
    from sajad.jalali import format_jalali

    return format_jalali(day, "%Y/%m/%d")


def _quiet(*, verdict: Verdict, now: dt.datetime) -> None:
    with transaction.atomic():
        ServiceWatch.objects.filter(service_id=verdict.service_id).update(
            is_flagged=False, last_result=verdict.as_dict())
        AlarmEpisode.objects.filter(service_id=verdict.service_id, closed_at__isnull=True).update(closed_at=now)
