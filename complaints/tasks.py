"""Celery tasks: ids in, one domain call. Each is safe to run twice."""
from celery import shared_task

from . import notifications, services, sweep as sweep_module


@shared_task(name="complaints.route_case", ignore_result=True)
def route_case(case_id: int) -> None:
    services.case_route(case_id=case_id)


@shared_task(name="complaints.deliver_notification", ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    state = notifications.notification_deliver(notification_id=notification_id)
    if state == "pending":
        # Failed this time; try again after the back-off (the sweep would also pick it up).
        row = notifications.Notification.objects.get(pk=notification_id)
        from django.utils import timezone

        delay = max((row.next_attempt_at - timezone.now()).total_seconds(), 0)
        deliver_notification.apply_async(args=(notification_id,), countdown=delay)


@shared_task(name="complaints.deliver_notifications", ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> None:
    """The sweep's batch form: each row is claimed on its own, so overlaps are harmless."""
    for notification_id in notification_ids:
        notifications.notification_deliver(notification_id=notification_id)


@shared_task(name="complaints.recompute_deadlines", ignore_result=True)
def recompute_deadlines(reason: str) -> None:
    services.deadlines_recompute_open(reason=reason)


@shared_task(name="complaints.sweep", ignore_result=True)
def sweep() -> None:
    sweep_module.sweep_run()
