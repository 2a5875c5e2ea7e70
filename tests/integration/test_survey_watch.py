"""The continuous watch: a step trips the p-chart, a slow drift trips CUSUM only, noise trips
nothing; one episode and exactly one draft plan per episode, run twice or twice at once.

Fixtures are weekly CSAT counts written in bulk (the watch reads only answers): 300 answers a
week, 10 % dissatisfied in the 12 baseline weeks. The p-chart's limit is then
0.10 + 3·√(0.09/300) = 15.2 %.
"""
import datetime as dt
import random
import threading

import pytest
from django.db import connection
from django.utils import timezone

from notifications.models import Message
from surveys import rollups, watch
from surveys.models import AlarmEpisode, Answer, ImprovementPlan, Response, ServiceWatch, WatchRule
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 25, 10, 0))  # a Wednesday
PER_WEEK = 300


def load_weeks(survey, dissatisfied_per_week: list[int], per_week: int = PER_WEEK):
    """One CSAT answer row per answer: `bad` of them 1 (dissatisfied), the rest 5, week by week."""
    question = survey.questions.get(kind="csat")
    origin = watch.judged_week_start(NOW) - (watch.BASELINE_WEEKS + watch.RECENT_WEEKS - 1) * watch.WEEK
    responses, values = [], []
    for week, bad in enumerate(dissatisfied_per_week):
        at = origin + week * watch.WEEK + dt.timedelta(hours=12)
        for i in range(per_week):
            responses.append(Response(survey=survey, service=survey.service, unit=survey.service.unit,
                                      channel="public", submitted_at=at))
            values.append(1 if i < bad else 5)
    made = Response.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(
        [Answer(response=r, question=question, survey=survey, kind="csat", value=v, service=survey.service,
                unit=survey.service.unit, channel="public", answered_at=r.submitted_at)
         for r, v in zip(made, values)], batch_size=2000)
    rollups.rebuild()  # a bulk load bypasses the services, so rebuild the daily summaries


BASELINE = [30] * 12  # 10 %


def test_noise_trips_nothing():
    survey = factories.survey()
    rng = random.Random(7)
    load_weeks(survey, [sum(rng.random() < 0.10 for _ in range(PER_WEEK)) for _ in range(24)])
    assert watch.watch_run(now=NOW) == []
    assert not AlarmEpisode.objects.exists() and not ImprovementPlan.objects.exists()


def test_a_step_change_trips_the_p_chart(monitoring_unit):
    survey = factories.survey()
    load_weeks(survey, BASELINE + [30] * 11 + [90])  # 30 % in the judged week
    (verdict,) = watch.watch_run(now=NOW)
    assert WatchRule.P_CHART in verdict.rules
    assert verdict.baseline == 0.1 and verdict.ucl == 0.152 and verdict.share == 0.3
    assert ServiceWatch.objects.get(service=survey.service).is_flagged


def test_a_slow_drift_trips_cusum_and_not_the_p_chart():
    survey = factories.survey()
    drift = [round(PER_WEEK * (0.10 + 0.004 * i)) for i in range(1, 13)]  # 10.4 % … 14.8 %
    load_weeks(survey, BASELINE + drift)
    (verdict,) = watch.watch_run(now=NOW)
    assert verdict.rules == [WatchRule.CUSUM]
    assert verdict.share < verdict.ucl and verdict.cusum > watch.CUSUM_H


def test_the_fixed_threshold_of_a_service():
    survey = factories.survey()
    load_weeks(survey, BASELINE + [30] * 11 + [36])  # 12 %: below the p-chart limit
    assert watch.watch_run(now=NOW) == []
    ServiceWatch.objects.update_or_create(service=survey.service, defaults={"fixed_threshold": 11})
    (verdict,) = watch.watch_run(now=NOW)
    assert verdict.rules == [WatchRule.THRESHOLD]


def test_an_alarm_opens_one_episode_one_draft_plan_and_one_message_however_often_it_runs(monitoring_unit):
    monitoring_unit.email = "monitor@example.com"
    monitoring_unit.save()
    survey = factories.survey()
    load_weeks(survey, BASELINE + [30] * 11 + [90])
    watch.watch_run(now=NOW)
    watch.watch_run(now=NOW)
    watch.watch_run(now=NOW + dt.timedelta(hours=1))
    episode = AlarmEpisode.objects.get()
    plan = ImprovementPlan.objects.get()
    assert plan.episode == episode and plan.status == "draft" and plan.service == survey.service
    assert "۳۰.۰٪" in plan.evidence or "30.0٪" in plan.evidence
    assert Message.objects.filter(template="survey_watch_alarm", recipient="monitor@example.com").count() == 1


def test_a_quiet_week_closes_the_episode_and_a_later_alarm_opens_a_new_one(monitoring_unit):
    survey = factories.survey()
    load_weeks(survey, BASELINE + [30] * 11 + [90])
    watch.watch_run(now=NOW)
    # CUSUM remembers the spike while it is among the recent weeks; once it has left them and the
    # judged week is calm, the watch is quiet.
    watch.watch_run(now=NOW + (watch.RECENT_WEEKS + 1) * watch.WEEK)
    assert AlarmEpisode.objects.get().closed_at is not None
    assert not ServiceWatch.objects.get(service=survey.service).is_flagged
    watch.watch_run(now=NOW)
    assert AlarmEpisode.objects.count() == 2 and ImprovementPlan.objects.count() == 2


def test_the_database_allows_one_open_episode_and_one_plan_per_episode(monitoring_unit):
    from django.db import IntegrityError, transaction

    service = factories.service()
    episode = AlarmEpisode.objects.create(service=service, rules=["p_chart"], week_start=NOW.date(),
                                          opened_at=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        AlarmEpisode.objects.create(service=service, rules=["cusum"], week_start=NOW.date(), opened_at=NOW)
    ImprovementPlan.objects.create(service=service, episode=episode, title="x", finding="y")
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementPlan.objects.create(service=service, episode=episode, title="x", finding="y")


@pytest.mark.django_db(transaction=True)
def test_two_watch_runs_at_once_open_one_episode_and_one_plan():
    factories.monitoring_unit()
    survey = factories.survey()
    load_weeks(survey, BASELINE + [30] * 11 + [90])
    barrier = threading.Barrier(3)
    errors = []

    def run():
        try:
            barrier.wait()
            watch.watch_run(now=NOW)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AlarmEpisode.objects.count() == 1 and ImprovementPlan.objects.count() == 1


def test_the_watch_page_documents_the_rules_and_the_sla_page_flags_the_service_for_staff(client, monitoring_unit):
    from django.urls import reverse

    survey = factories.survey()
    load_weeks(survey, BASELINE + [30] * 11 + [90])
    watch.watch_run(now=NOW)
    sla = reverse("services:detail", args=[survey.service.slug])
    assert "sla-watch-flag" not in client.get(sla).content.decode()  # citizens do not see it
    client.force_login(factories.monitoring_user())
    assert "sla-watch-flag" in client.get(sla).content.decode()
    page = client.get(reverse("surveys_staff:watch")).content.decode()
    from sajad.persian import to_persian_digits

    assert "CUSUM" in page and "نمودار p" in page
    assert to_persian_digits(survey.service.name) in page and "ناراضی ۳۰.۰٪" in page
