"""Celery tasks of the surveys app: names in, one domain call each (enqueued by name)."""
from celery import shared_task


@shared_task(name="surveys.invite", ignore_result=True)
def invite() -> None:
    """Beat: invite the citizens of newly closed cases, then send due reminders."""
    from . import invitations

    invitations.invitations_sweep()
    invitations.reminders_sweep()
