"""Cases, their attachments and their append-only event log.

Models hold data and the invariants the database can enforce; every change goes through
`complaints.services` (which asks `complaints.workflow`), never through `save()` logic or signals.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sajad.storage import private_storage

from .workflow import Action, Status


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    CRITICISM = "criticism", _("Criticism")
    SUGGESTION = "suggestion", _("Suggestion")


class IdentityTier(models.TextChoices):
    IDENTIFIED = "identified", _("With my name and national code")
    CONTACT_ONLY = "contact_only", _("With my mobile number only (my name stays hidden)")
    ANONYMOUS = "anonymous", _("Anonymously (tracked with a PIN)")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Case(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=12, unique=True)
    identity_tier = models.CharField(_("identity"), max_length=14, choices=IdentityTier.choices)

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    national_code = models.CharField(_("national code"), max_length=10, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Anonymous cases are tracked with a PIN; only its hash is kept.
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)

    service = models.ForeignKey(
        "sajad.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="cases"
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    unit = models.ForeignKey(
        "sajad.Unit", verbose_name=_("responsible unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cases",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged_cases",
    )
    referred_body_name = models.CharField(_("referred to (body)"), max_length=200, blank=True)
    referred_body_url = models.URLField(_("referred to (link)"), blank=True)

    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            # Admin changelist default ordering, and the date-range filters.
            models.Index(fields=["-created_at"], name="case_created_idx"),
            # Admin/desk filters: status within a unit, newest first.
            models.Index(fields=["status", "-created_at"], name="case_status_created_idx"),
            models.Index(fields=["unit", "status", "-created_at"], name="case_unit_status_idx"),
            models.Index(fields=["service", "-created_at"], name="case_service_idx"),
            models.Index(fields=["kind", "-created_at"], name="case_kind_idx"),
            models.Index(fields=["priority", "-created_at"], name="case_priority_idx"),
            # Admin search by mobile and national code (exact matches after normalisation).
            models.Index(fields=["mobile"], name="case_mobile_idx"),
            models.Index(fields=["national_code"], name="case_national_code_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="case_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="case_kind_valid"),
            # Complaints need an identifiable citizen; only criticism and suggestion may be anonymous.
            models.CheckConstraint(
                condition=~Q(identity_tier=IdentityTier.ANONYMOUS) | ~Q(kind=Kind.COMPLAINT),
                name="case_complaint_not_anonymous",
            ),
            models.CheckConstraint(
                condition=Q(identity_tier=IdentityTier.ANONYMOUS) | ~Q(mobile=""),
                name="case_tracked_by_mobile_has_mobile",
            ),
            models.CheckConstraint(
                condition=~Q(identity_tier=IdentityTier.ANONYMOUS) | ~Q(pin_hash=""),
                name="case_anonymous_has_pin",
            ),
            models.CheckConstraint(
                condition=~Q(identity_tier=IdentityTier.IDENTIFIED)
                | (~Q(full_name="") & ~Q(national_code="")),
                name="case_identified_has_identity",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status=Status.MERGED),
                name="case_merged_has_status",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.ASSIGNED, Status.ANSWERED]) | Q(unit__isnull=False),
                name="case_assigned_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_anonymous(self) -> bool:
        return self.identity_tier == IdentityTier.ANONYMOUS

    def name_for_unit(self) -> str:
        """What a unit may see of the citizen's name: contact-only and anonymous cases hide it."""
        if self.identity_tier == IdentityTier.IDENTIFIED:
            return self.full_name
        return str(_("(hidden)"))


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the citizen's file name is kept only as data, never as a path.
    import secrets

    return f"cases/{instance.case.created_at:%Y/%m}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    """Events that are not status transitions; transitions use the workflow's action names."""

    FILED = "filed", _("Filed")
    NOTE = "note", _("Internal note")
    VIEWED = "viewed", _("Personal data viewed by staff")
    ATTACHMENT_VIEWED = "attachment_viewed", _("Attachment opened by staff")
    PRIORITY = "priority", _("Priority changed")


EVENT_KIND_CHOICES = EventKind.choices + Action.choices


class CaseEvent(models.Model):
    """Append-only: written in the same transaction as the change it records; never edited.

    A PostgreSQL trigger (migration 0002) refuses UPDATE and DELETE on this table.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_role = models.CharField(_("role"), max_length=20)
    kind = models.CharField(_("event"), max_length=24, choices=EVENT_KIND_CHOICES)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("visible to the citizen"), default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [
            # The timeline of one case, in order.
            models.Index(fields=["case", "created_at"], name="event_case_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("CaseEvent is append-only")
        super().save(*args, **kwargs)


class ExternalTopic(models.Model):
    """A topic that belongs to another body; the scope check sends the citizen there."""

    title = models.CharField(_("topic"), max_length=200)
    body_name = models.CharField(_("competent body"), max_length=200)
    url = models.URLField(_("link"))
    explanation = models.TextField(_("explanation"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("topic of another body")
        verbose_name_plural = _("topics of other bodies")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title
