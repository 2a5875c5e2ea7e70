"""Upsert the schedules declared in sajad/schedules.py into django-celery-beat, by name.

Idempotent: a second run writes nothing (beat is only told to reload when a row really changed).
`--prune` also deletes periodic tasks that the code no longer declares; without it they are listed.
"""
import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from sajad.schedules import SCHEDULES, Cron, Schedule

# Beat adds this one itself when it starts; it is not ours to prune.
CELERY_OWN_TASKS = {"celery.backend_cleanup"}


def _schedule_fields(entry: Schedule) -> dict:
    if isinstance(entry.when, Cron):
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=entry.when.minute,
            hour=entry.when.hour,
            day_of_week=entry.when.day_of_week,
            day_of_month=entry.when.day_of_month,
            month_of_year=entry.when.month_of_year,
            timezone=settings.CELERY_TIMEZONE,
        )
        return {"crontab": crontab, "interval": None, "solar": None, "clocked": None}
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=entry.when.seconds, period=IntervalSchedule.SECONDS
    )
    return {"interval": interval, "crontab": None, "solar": None, "clocked": None}


def _wanted(entry: Schedule) -> dict:
    return {
        "task": entry.task,
        **_schedule_fields(entry),
        "kwargs": json.dumps(entry.kwargs, sort_keys=True),
        "args": "[]",
        "expire_seconds": entry.expire_seconds,
        "description": entry.says,
        "enabled": True,
        "one_off": False,
    }


def _canonical_json(text: str, empty: str) -> str:
    return json.dumps(json.loads(text or empty), sort_keys=True)


def _matches(task: PeriodicTask, wanted: dict) -> bool:
    current = {attr: getattr(task, attr) for attr in wanted}
    current["kwargs"] = _canonical_json(task.kwargs, "{}")
    current["args"] = _canonical_json(task.args, "[]")
    return current == wanted


class Command(BaseCommand):
    help = "Write the periodic tasks declared in sajad/schedules.py into the beat database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune", action="store_true",
            help="Delete periodic tasks that sajad/schedules.py does not declare.",
        )

    @transaction.atomic
    def handle(self, *args, prune: bool = False, **options):
        counts = {"created": 0, "updated": 0, "unchanged": 0, "pruned": 0}
        for entry in SCHEDULES:
            wanted = _wanted(entry)
            task = PeriodicTask.objects.select_for_update().filter(name=entry.name).first()
            if task is None:
                PeriodicTask.objects.create(name=entry.name, **wanted)
                counts["created"] += 1
            elif _matches(task, wanted):
                counts["unchanged"] += 1
            else:
                for attr, value in wanted.items():
                    setattr(task, attr, value)
                task.save()
                counts["updated"] += 1
            self.stdout.write(f"  {entry.name}: {entry.task} — {entry.says}", self.style.HTTP_INFO)

        declared = {entry.name for entry in SCHEDULES} | CELERY_OWN_TASKS
        strays = PeriodicTask.objects.exclude(name__in=declared)
        for stray in strays:
            if prune:
                stray.delete()
                counts["pruned"] += 1
            else:
                self.stdout.write(
                    self.style.WARNING(f"  not declared in sajad/schedules.py: {stray.name} "
                                       f"(run with --prune to delete)")
                )
        self.stdout.write(self.style.SUCCESS(
            "schedules: {created} created, {updated} updated, {unchanged} unchanged, "
            "{pruned} pruned".format(**counts)
        ))
