"""Delivering outbox rows: claim, send through the SMS backend or e-mail, retry with back-off.

A row is claimed with a conditional UPDATE, so running delivery twice (two workers, a retry and the
sweep) sends once. A worker that dies mid-send leaves the row 'sending'; the outbox sweep puts it
back in the queue after `STUCK_AFTER`.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from .models import Channel, Message
from .rendering import render_late
from .sms import send_sms

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
STUCK_AFTER = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def message_deliver(*, message_id: int, now=None) -> str:
    """Send one outbox row if it is due and nobody else holds it; returns its state afterwards."""
    now = now or timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, state=Message.State.PENDING, next_attempt_at__lte=now,
    ).update(state=Message.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    row = Message.objects.get(pk=message_id)
    if not claimed:
        return row.state
    if not row.body:  # a digest written in bulk; rendered now, and kept as sent
        row.subject, row.body = render_late(row.template, row.context, channel=row.channel)
        row.save(update_fields=["subject", "body"])
    try:
        if row.channel == Channel.SMS:
            send_sms(to=row.recipient, text=row.body)
        else:
            send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.recipient])
    except Exception as exc:
        retryable = getattr(exc, "retryable", True)
        give_up = not retryable or row.attempts >= MAX_ATTEMPTS
        row.state = Message.State.FAILED if give_up else Message.State.PENDING
        row.next_attempt_at = now + backoff(row.attempts)
        row.last_error = str(exc)[:1000]
        row.save(update_fields=["state", "next_attempt_at", "last_error"])
        log.warning("message %s attempt %s failed: %s", row.pk, row.attempts, exc)
        return row.state
    row.state, row.sent_at, row.last_error = Message.State.SENT, timezone.now(), ""
    row.save(update_fields=["state", "sent_at", "last_error"])
    return row.state


def messages_release_stuck(*, now=None) -> int:
    """Rows left 'sending' by a worker that died go back to the queue."""
    now = now or timezone.now()
    return Message.objects.filter(
        state=Message.State.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(state=Message.State.PENDING, next_attempt_at=now)


def messages_due(*, now=None, limit: int = 1000) -> list[int]:
    now = now or timezone.now()
    return list(
        Message.objects.filter(state=Message.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
