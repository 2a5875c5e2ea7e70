"""The outbox: one row per message, written in the transaction of the change it reports.

Any app writes rows through `notifications.api.message_queue`; Celery delivers them (the fast path,
enqueued on commit) and the outbox sweep re-enqueues rows left pending, e.g. while the broker was
down. `dedupe_key` makes writing the same message twice a no-op.
"""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class MessageQuerySet(models.QuerySet):
    def about(self, obj: models.Model) -> "MessageQuerySet":
        """Messages written about `obj` (a case, a survey invitation, an improvement plan …)."""
        return self.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)


class Message(models.Model):
    Channel = Channel

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    template = models.CharField(_("template"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    # What the message is about, generic so that any app can use the outbox; `about_label` is a
    # short text (e.g. a tracking number) kept for the outbox list and its search.
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    about_label = models.CharField(_("about"), max_length=100, blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True)
    # Digests (e.g. the SLA sweep's reminders) carry what their late renderer needs, such as the
    # ids of the cases they list; their body is rendered at delivery.
    context = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at"]
        indexes = [
            # The outbox sweep's scan for messages due again: pending rows by next attempt.
            models.Index(
                fields=["next_attempt_at"], name="notification_due_idx",
                condition=Q(state="pending"),
            ),
            # The outbox sweep's scan for messages whose worker died mid-send.
            models.Index(
                fields=["claimed_at"], name="notification_stuck_idx", condition=Q(state="sending"),
            ),
            # `Message.objects.about(obj)`: a case's or a plan's messages.
            models.Index(fields=["about_type", "about_id"], name="message_about_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sending", "sent", "failed"]),
                name="notification_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="notification_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
