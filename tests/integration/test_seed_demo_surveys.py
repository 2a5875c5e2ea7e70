"""seed_demo_surveys: a year of answers through the domain, one watch alarm, a completed plan."""
import pytest
from django.core.management import call_command

from surveys.models import AlarmEpisode, Answer, ImprovementPlan, Response, Survey

pytestmark = pytest.mark.django_db


def test_demo_surveys_trip_the_watch_once_and_complete_a_plan_and_run_twice_harmlessly():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo_surveys", stdout=open("/dev/null", "w"))
    assert Survey.objects.filter(is_current=True).count() == 5
    responses = Response.objects.count()
    assert responses > 1500
    months = {a.month for a in Answer.objects.filter(kind="csat").dates("answered_at", "month")}
    assert len(months) == 12  # a year of answers: enough for trends
    assert Response.objects.filter(channel="invitation").exists()
    episode = AlarmEpisode.objects.get()
    assert ImprovementPlan.objects.filter(episode=episode, status="draft").count() == 1
    completed = ImprovementPlan.objects.get(status="completed")
    assert completed.cases.exists() and completed.history.count() >= 4
    call_command("seed_demo_surveys", stdout=open("/dev/null", "w"))
    assert Response.objects.count() == responses and AlarmEpisode.objects.count() == 1
