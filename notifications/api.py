"""The outbox's public API: what any app calls, inside its own transaction, to send a message.

    message_queue(template="citizen_filed", channel=Channel.SMS, recipient="0912…",
                  context={"case": case}, dedupe_key=f"e{event.pk}:sms", about=case)

Nothing is sent here: the row is the queue of record, and its delivery is enqueued when the
caller's transaction commits (the outbox sweep retries what is still pending).
"""
from django.contrib.contenttypes.models import ContentType
from django.db import models

from sajad.queue import enqueue_on_commit

from .models import Channel, Message
from .rendering import register_late_context_builder, render

DELIVER_TASK = "notifications.deliver_message"

__all__ = ["Channel", "Message", "deliver_on_commit", "message_build", "message_queue",
           "register_late_context_builder"]


def message_build(
    *, template: str, channel: str, recipient: str, context: dict, dedupe_key: str,
    about: models.Model | None = None, about_label: str = "",
) -> Message:
    """The message `message_queue` would write, rendered but not stored: for a caller that
    stores it together with its own rows, then calls `deliver_on_commit`."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    subject, body = render(template, context, channel=channel)
    return Message(
        dedupe_key=dedupe_key, channel=channel, recipient=recipient, template=template,
        subject=subject, body=body,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
        about_label=(about_label or (str(about) if about is not None else ""))[:100],
    )


def deliver_on_commit(message: Message) -> None:
    """Deliver a stored message once the caller's transaction commits."""
    enqueue_on_commit(DELIVER_TASK, message.pk)


def message_queue(
    *, template: str, channel: str, recipient: str, context: dict, dedupe_key: str,
    about: models.Model | None = None, about_label: str = "",
) -> Message:
    """Write one message (once per `dedupe_key`) and deliver it after commit.

    The body is rendered now, in Persian, from `templates/notifications/<template>.txt` (an SMS
    from `<template>_sms.txt` when the template has that short variant).
    Returns the row, the earlier one if the key was already used. A caller whose key is new for
    certain (it names an event of its own transaction) stores `message_build(...)` itself.
    """
    message = message_build(
        template=template, channel=channel, recipient=recipient, context=context,
        dedupe_key=dedupe_key, about=about, about_label=about_label,
    )
    fields = {f.attname: getattr(message, f.attname) for f in Message._meta.concrete_fields
              if not f.primary_key and f.attname != "dedupe_key"}
    row, created = Message.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
    if created:
        deliver_on_commit(row)
    return row
