"""Celery tasks of the surveys app: names in, one domain call each (enqueued by name)."""
from celery import shared_task


@shared_task(name="surveys.invite", ignore_result=True)
def invite() -> None:
    """Beat: invite the citizens of newly closed cases, then send due reminders."""
    from . import invitations

    invitations.invitations_sweep()
    invitations.reminders_sweep()


@shared_task(name="surveys.watch", ignore_result=True)
def watch() -> None:
    """Beat: judge every service's last complete week; flag, open episodes and draft plans."""
    from . import watch as watch_module

    watch_module.watch_run()


@shared_task(name="surveys.plan_reminders", ignore_result=True)
def plan_reminders() -> None:
    """Beat: remind owner units of improvement actions that fall due soon."""
    from . import services

    services.action_reminders_sweep()
