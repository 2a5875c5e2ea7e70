"""sajad/schedules.py is the one list of periodic jobs; sync_schedules mirrors it into beat."""
from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask, PeriodicTasks

from sajad.schedules import SCHEDULES, Cron

pytestmark = pytest.mark.django_db


def _sync(*args: str) -> str:
    out = StringIO()
    call_command("sync_schedules", *args, stdout=out)
    return out.getvalue()


def test_sync_schedules_creates_the_heartbeat_every_minute_in_tehran_time():
    _sync()

    task = PeriodicTask.objects.get(name="worker heartbeat")
    assert task.task == "sajad.heartbeat"
    assert task.enabled and not task.one_off
    assert task.interval is None
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("*", "*", "*")
    assert str(task.crontab.timezone) == "Asia/Tehran"
    assert "Every minute" in task.description


def test_sync_schedules_twice_changes_nothing_and_does_not_wake_beat():
    _sync()
    ids = set(PeriodicTask.objects.values_list("id", flat=True))
    beat_stamp = PeriodicTasks.last_change()

    output = _sync()

    assert set(PeriodicTask.objects.values_list("id", flat=True)) == ids
    assert CrontabSchedule.objects.count() == len({e.when for e in SCHEDULES if isinstance(e.when, Cron)})
    assert PeriodicTasks.last_change() == beat_stamp
    assert f"0 created, 0 updated, {len(SCHEDULES)} unchanged" in output


def test_sync_schedules_puts_back_a_schedule_edited_in_the_admin():
    _sync()
    task = PeriodicTask.objects.get(name="worker heartbeat")
    task.crontab = None
    task.interval = IntervalSchedule.objects.create(every=3600, period=IntervalSchedule.SECONDS)
    task.enabled = False
    task.save()

    output = _sync()

    task.refresh_from_db()
    assert task.crontab is not None and task.interval is None and task.enabled
    assert "1 updated" in output


def test_sync_schedules_lists_undeclared_tasks_and_prunes_them_only_when_asked():
    _sync()
    stray = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="forgotten job", task="sajad.heartbeat", interval=stray)

    assert "forgotten job" in _sync()
    assert PeriodicTask.objects.filter(name="forgotten job").exists()

    _sync("--prune")
    assert not PeriodicTask.objects.filter(name="forgotten job").exists()
    assert PeriodicTask.objects.filter(name="worker heartbeat").exists()


def test_every_declared_schedule_says_in_words_when_it_runs_and_names_a_registered_task():
    from sajad.celery import app

    app.loader.import_default_modules()
    for entry in SCHEDULES:
        assert len(entry.says.split()) >= 3, entry.name
        assert entry.task in app.tasks, entry.task
