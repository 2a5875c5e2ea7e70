"""Celery tasks of report calls: names in, one domain call each."""
from celery import shared_task


@shared_task(name="unit_reports.remind", ignore_result=True)
def remind() -> None:
    """Beat: remind the units that have not submitted to an open call (once per reminder point)."""
    from . import services

    services.reminders_send()
