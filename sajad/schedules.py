"""Every periodic job of the portal, declared once, in code.

`manage.py sync_schedules` upserts these rows into django-celery-beat's tables by name at deploy
(and `make run` does it on every start), so the database scheduler runs exactly what this file says.
Editing a schedule in the admin is temporary: the next sync puts this file's version back.

Each entry says in words when it runs; the words are copied into the task's description so the
admin shows them next to the cron fields. Crontab entries are read in Asia/Tehran time.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cron:
    """A crontab in Tehran time; fields use cron syntax ("*", "*/5", "7-14", "6,0-3")."""

    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"


@dataclass(frozen=True)
class Every:
    """A fixed interval, counted from the moment beat last ran the job."""

    seconds: int


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    when: Cron | Every
    says: str
    kwargs: dict = field(default_factory=dict)
    # Drop a run that waited longer than this in the queue (e.g. while no worker was up), so a
    # backlog never replays a burst of stale runs.
    expire_seconds: int | None = None


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        name="worker heartbeat",
        task="sajad.heartbeat",
        when=Cron(minute="*"),
        says="Every minute, day and night; /healthz calls the worker dead after three missed beats.",
        expire_seconds=120,
    ),
    Schedule(
        name="case sweep",
        task="complaints.sweep",
        when=Cron(minute="*"),
        says=(
            "Every minute, day and night: routes cases the on-commit task missed, closes answers "
            "whose dispute window ended, takes due SLA reminders and escalations (which set the "
            "overdue flags)."
        ),
        # A later run does the same work; a queued run older than a minute adds nothing.
        expire_seconds=60,
    ),
    Schedule(
        name="summary tables",
        task="dashboards.rollups",
        when=Cron(minute="*/5"),
        says=(
            "Every five minutes, day and night: folds the case log's new steps into the summary "
            "tables that the dashboard, the scorecards and the public statistics read."
        ),
        expire_seconds=300,
    ),
    Schedule(
        name="outbox sweep",
        task="notifications.sweep",
        when=Cron(minute="*"),
        says=(
            "Every minute, day and night: re-queues messages still waiting to be sent (e.g. after "
            "the broker was down) and releases messages a dead worker left half-sent."
        ),
        expire_seconds=60,
    ),
    Schedule(
        name="survey invitations",
        task="surveys.invite",
        when=Cron(minute="*/5"),
        says=(
            "Every five minutes, day and night: invites the citizens of cases closed since the last "
            "run to the handling survey (fatigue rule applied) and sends due reminders."
        ),
        expire_seconds=300,
    ),
    Schedule(
        name="report call reminders",
        task="unit_reports.remind",
        when=Cron(minute="15", hour="8-13", day_of_week="6,0-3"),
        says=(
            "At a quarter past each hour from 08:15 to 13:15, Saturday to Wednesday: reminds the "
            "units that have not submitted to an open report call, once per reminder point (the "
            "outbox's dedupe key makes a second run send nothing)."
        ),
        expire_seconds=3600,
    ),
    Schedule(
        name="survey watch",
        task="surveys.watch",
        when=Cron(minute="17"),
        says=(
            "Every hour at minute 17: judges every service's last complete week of survey answers "
            "(p-chart, CUSUM, fixed threshold); flags services and opens draft improvement plans."
        ),
        expire_seconds=1800,
    ),
    Schedule(
        name="improvement action reminders",
        task="surveys.plan_reminders",
        when=Cron(minute="30", hour="8"),
        says="Every day at 08:30: reminds owner units of improvement actions due within three days.",
        expire_seconds=3600,
    ),
)


def schedule_names() -> set[str]:
    return {entry.name for entry in SCHEDULES}
