"""Composing messages into the outbox and delivering them (called by services, tasks, the sweep).

Bodies are rendered in Persian when the row is written, so the text sent is the text of the moment
the event happened. Delivery claims its row with a conditional UPDATE, so running it twice (two
workers, a retry and the sweep) sends once.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sajad.models import Unit
from sajad.queue import enqueue_on_commit
from sajad.sms import SmsError, send_sms

from .models import Case, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
STUCK_AFTER = timedelta(minutes=10)

# Which message each step sends to the citizen (§3.1 "Notifications").
CITIZEN_TEMPLATES = {
    "filed": "citizen_filed",
    "request_info": "citizen_info_requested",
    "approve": "citizen_answer_published",
    "close": "citizen_closed",
    "uphold": "citizen_closed",
}
UNIT_TEMPLATES = {"assign": "unit_new_case", "reopen": "unit_new_case", "send_back": "unit_new_case"}


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _render(template: str, context: dict) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(f"notifications/{template}.txt", context).strip()
        subject = render_to_string(f"notifications/{template}_subject.txt", context).strip()
    return subject, body


def _outbox_write(*, case: Case, template: str, channel: str, recipient: str, key: str) -> None:
    context = {"case": case, "site_url": settings.SITE_URL}
    subject, body = _render(template, context)
    row, created = Notification.objects.get_or_create(
        dedupe_key=key,
        defaults=dict(channel=channel, recipient=recipient, template=template, subject=subject,
                      body=body, case=case),
    )
    if created:
        from .tasks import deliver_notification

        enqueue_on_commit(deliver_notification, row.pk)


def notify_case_step(*, case: Case, step: str, event_id: int) -> None:
    """Write the outbox rows a step calls for; must run inside the step's transaction."""
    template = CITIZEN_TEMPLATES.get(step)
    if template:
        if case.mobile:
            _outbox_write(case=case, template=template, channel=Notification.Channel.SMS,
                          recipient=case.mobile, key=f"e{event_id}:sms")
        if case.email:
            _outbox_write(case=case, template=template, channel=Notification.Channel.EMAIL,
                          recipient=case.email, key=f"e{event_id}:email")
    if step == "citizen_escalation":
        # The monitoring unit owns escalations; the responsible unit hears of it too.
        targets = [u for u in (case.unit, Unit.objects.filter(is_monitoring=True).first()) if u]
        for address in dict.fromkeys(a for u in targets for a in unit_addresses(u)):
            _outbox_write(case=case, template="unit_citizen_escalation",
                          channel=Notification.Channel.EMAIL, recipient=address,
                          key=f"e{event_id}:unit:{address}")
    template = UNIT_TEMPLATES.get(step)
    if template and case.unit_id:
        for address in unit_addresses(case.unit):
            _outbox_write(case=case, template=template, channel=Notification.Channel.EMAIL,
                          recipient=address, key=f"e{event_id}:unit:{address}")


def unit_addresses(unit) -> list[str]:
    """The unit's shared mailbox and its heads' addresses, without duplicates."""
    addresses = [unit.email] if unit.email else []
    heads = unit.members.filter(is_head=True).exclude(user__email="").values_list("user__email", flat=True)
    return list(dict.fromkeys(addresses + list(heads)))


DIGEST_MAX_LINES = 50


def _digest_context(row: Notification) -> dict:
    case_ids = row.context.get("case_ids", [])
    cases = list(
        Case.objects.filter(pk__in=case_ids).select_related("unit").order_by("created_at")
        [:DIGEST_MAX_LINES]
    )
    return {"cases": cases, "count": len(case_ids), "more": max(len(case_ids) - len(cases), 0),
            "site_url": settings.SITE_URL}


def notification_deliver(*, notification_id: int, now=None) -> str:
    """Send one outbox row if it is due and nobody else holds it; returns its state afterwards."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, state=Notification.State.PENDING, next_attempt_at__lte=now,
    ).update(state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    row = Notification.objects.select_related("case__service").get(pk=notification_id)
    if not claimed:
        return row.state
    if not row.body:  # a digest written in bulk by the sweep; rendered now, and kept as sent
        row.subject, row.body = _render(row.template, _digest_context(row))
        row.save(update_fields=["subject", "body"])
    try:
        if row.channel == Notification.Channel.SMS:
            send_sms(to=row.recipient, text=row.body)
        else:
            send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.recipient])
    except Exception as exc:
        retryable = getattr(exc, "retryable", True)
        give_up = not retryable or row.attempts >= MAX_ATTEMPTS
        row.state = Notification.State.FAILED if give_up else Notification.State.PENDING
        row.next_attempt_at = now + backoff(row.attempts)
        row.last_error = str(exc)[:1000]
        row.save(update_fields=["state", "next_attempt_at", "last_error"])
        log.warning("notification %s attempt %s failed: %s", row.pk, row.attempts, exc)
        return row.state
    row.state, row.sent_at, row.last_error = Notification.State.SENT, timezone.now(), ""
    row.save(update_fields=["state", "sent_at", "last_error"])
    return row.state


def notifications_release_stuck(*, now=None) -> int:
    """Rows left 'sending' by a worker that died go back to the queue."""
    now = now or timezone.now()
    return Notification.objects.filter(
        state=Notification.State.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(state=Notification.State.PENDING, next_attempt_at=now)


def notifications_due(*, now=None, limit: int = 1000) -> list[int]:
    now = now or timezone.now()
    return list(
        Notification.objects.filter(state=Notification.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )


__all__ = ["SmsError", "notify_case_step", "notification_deliver", "transaction"]
