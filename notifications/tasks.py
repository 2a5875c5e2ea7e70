"""Celery tasks of the outbox: ids in, one domain call. Each is safe to run twice."""
from celery import shared_task
from django.utils import timezone

from .delivery import message_deliver
from .models import Message
from .outbox_sweep import outbox_sweep


@shared_task(name="notifications.deliver_message", ignore_result=True, bind=True)
def deliver_message(self, message_id: int) -> None:
    state = message_deliver(message_id=message_id)
    if state == Message.State.PENDING:
        # Failed this time; try again after the back-off (the sweep would also pick it up).
        row = Message.objects.get(pk=message_id)
        delay = max((row.next_attempt_at - timezone.now()).total_seconds(), 0)
        self.apply_async(args=(message_id,), countdown=delay)


@shared_task(name="notifications.deliver_messages", ignore_result=True)
def deliver_messages(message_ids: list[int]) -> None:
    """The sweep's batch form: each row is claimed on its own, so overlaps are harmless."""
    for message_id in message_ids:
        message_deliver(message_id=message_id)


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep() -> None:
    outbox_sweep()
