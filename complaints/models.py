"""Cases, their attachments and their append-only event log.

Models hold data and the invariants the database can enforce; every change goes through
`complaints.services` (which asks `complaints.workflow`), never through `save()` logic or signals.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sajad.storage import get_private_storage

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
    # Set once by the routing service; a NULL here means routing has not happened yet.
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True, editable=False)
    # Kept current by the SLA sweep and by transitions; read by every list that shows a badge.
    is_overdue = models.BooleanField(_("overdue"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # The citizen's rating of the published answer (1–5), given once.
    rating = models.PositiveSmallIntegerField(_("citizen's rating"), null=True, blank=True)
    # The staff member of the unit who has the case, named by the unit's head
    # (`case_assign_to_staff`); empty while the unit as a whole has it.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_cases",
    )
    sla_policy = models.ForeignKey(
        "complaints.SlaPolicy", verbose_name=_("SLA policy"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # The triage list's text search: subject, name and description in the compact search form of
    # `sajad.persian.search_keys`, written by `case_file` (`case_search_text`). Its trigram index
    # (migration 0015, PostgreSQL only) serves the admin search's LIKE '%word%' per query word.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        # The staff roles, as stable codes (complaints/roles.py); groups carry them, and a
        # group's name is only its label.
        permissions = [
            ("role_monitoring", _("Acts as a monitoring-unit expert")),
            ("role_monitoring_head", _("Acts as the head of the monitoring unit")),
            ("role_unit_staff", _("Acts as staff of a unit (the desk)")),
        ]
        indexes = [
            # Admin changelist default ordering and the date-range filters. Admin adds "-id" to make
            # the order total, so every list index ends in it (else PostgreSQL sorts the table).
            models.Index(fields=["-created_at", "-id"], name="case_created_idx"),
            # Admin/desk filters: status within a unit, newest first.
            models.Index(fields=["status", "-created_at", "-id"], name="case_status_created_idx"),
            models.Index(fields=["unit", "status", "-created_at", "-id"], name="case_unit_status_idx"),
            models.Index(fields=["service", "-created_at", "-id"], name="case_service_idx"),
            models.Index(fields=["kind", "-created_at", "-id"], name="case_kind_idx"),
            models.Index(fields=["priority", "-created_at", "-id"], name="case_priority_idx"),
            # Admin search by mobile and national code (exact matches after normalisation).
            models.Index(fields=["mobile"], name="case_mobile_idx"),
            models.Index(fields=["national_code"], name="case_national_code_idx"),
            # The desk's "mine" filter: a staff member's own cases.
            models.Index(fields=["assignee", "status"], name="case_assignee_idx",
                         condition=Q(assignee__isnull=False)),
            # Admin's "overdue" filter: the few overdue cases, newest first.
            models.Index(
                fields=["-created_at", "-id"], name="case_overdue_idx", condition=Q(is_overdue=True),
            ),
            # The sweep's scan for published answers whose dispute window has ended.
            models.Index(
                fields=["status_changed_at"], name="case_published_idx",
                condition=Q(status="published"),
            ),
            # The sweep's scan for cases nobody has routed yet (e.g. the broker was down).
            models.Index(
                fields=["created_at"], name="case_unrouted_idx", condition=Q(routed_at__isnull=True),
            ),
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
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="case_rating_one_to_five",
            ),
            models.CheckConstraint(
                condition=Q(escalation_level__lte=3), name="case_escalation_level_in_ladder",
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


def case_search_text(*, subject: str, full_name: str, description: str) -> str:
    """The stored search form of a case (compact: ZWNJ, space and nothing compare equal)."""
    from sajad.persian import search_keys

    return search_keys(f"{subject}\n{full_name}\n{description}")[1]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the citizen's file name is kept only as data, never as a path.
    import secrets

    return f"cases/{instance.case.created_at:%Y/%m}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(storage=get_private_storage, upload_to=attachment_path, max_length=200)
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
    TRIAGE = "triage", _("No routing rule matched; waiting for triage")
    REMINDER = "reminder", _("Deadline reminder sent")
    ESCALATION = "escalation", _("Escalated")
    DEADLINES = "deadlines", _("Deadlines recomputed")
    RATED = "rated", _("Answer rated by the citizen")
    CITIZEN_ESCALATION = "citizen_escalation", _("Escalated at the citizen's request")
    STAFF_ASSIGNED = "staff_assigned", _("Assigned to a staff member")


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
            # The summary tables' look-up of a case's unit at an event (its latest assignment).
            models.Index(fields=["case", "kind", "id"], name="event_case_kind_idx"),
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


class RoutingRule(models.Model):
    """Ordered rules that name the responsible unit; the first active rule that matches wins.

    Empty criteria match anything; keywords (one per line or comma-separated) match when any of
    them appears in the case's normalised subject or description.
    """

    order = models.PositiveIntegerField(_("order"), default=100)
    name = models.CharField(_("name"), max_length=150)
    service = models.ForeignKey(
        "sajad.Service", verbose_name=_("service"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("One per line or separated by commas; any may match."),
    )
    unit = models.ForeignKey(
        "sajad.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Clock(models.TextChoices):
    """The three SLA clocks of §3.1, each measured and reported on its own."""

    FIRST_RESPONSE = "first_response", _("First response (triage)")
    UNIT_ANSWER = "unit_answer", _("Unit's answer")
    RESOLUTION = "resolution", _("Resolution")


class SlaPolicy(models.Model):
    """Working-time budgets for the three clocks, reminder points and the escalation ladder.

    The most specific active policy wins: a blank kind, service or priority matches anything.
    Budgets are working minutes (one working day of the default calendar is 420 minutes).
    """

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    service = models.ForeignKey(
        "sajad.Service", verbose_name=_("service"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="sla_policies",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, null=True, blank=True
    )
    first_response_minutes = models.PositiveIntegerField(_("first response (working minutes)"))
    unit_answer_minutes = models.PositiveIntegerField(_("unit's answer (working minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution (working minutes)"))
    reminder_percents = models.CharField(
        _("reminders (percent of the budget)"), max_length=40, default="50,80",
        help_text=_("Comma-separated percentages of each clock at which a reminder is sent."),
    )
    escalate_to_monitoring_after_days = models.PositiveSmallIntegerField(
        _("escalate to the monitoring head after (working days past the deadline)"), default=2
    )
    escalate_to_deputy_after_days = models.PositiveSmallIntegerField(
        _("escalate to the deputy after (working days past the deadline)"), default=5
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(escalate_to_deputy_after_days__gt=models.F("escalate_to_monitoring_after_days")),
                name="sla_policy_ladder_ascends",
            ),
            models.CheckConstraint(
                condition=Q(first_response_minutes__gt=0) & Q(unit_answer_minutes__gt=0)
                & Q(resolution_minutes__gt=0),
                name="sla_policy_budgets_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def budget(self, clock: str) -> int:
        return getattr(self, f"{clock}_minutes")

    def reminder_points(self) -> list[int]:
        points = []
        for part in self.reminder_percents.replace("،", ",").split(","):
            part = part.strip().rstrip("%")
            if part.isdigit() and 0 < int(part) < 100:
                points.append(int(part))
        return sorted(set(points))


class CaseClock(models.Model):
    """One SLA clock of one case: its budget, its run segments, pauses, deadline and final time.

    `consumed_minutes` holds working time of finished segments; while running, the clock is
    `segment_started_at` onward. `due_at` is set only while running (indexed for the sweep).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    clock = models.CharField(_("clock"), max_length=16, choices=Clock.choices)
    budget_minutes = models.PositiveIntegerField(_("budget (working minutes)"))
    started_at = models.DateTimeField(_("started at"))
    segment_started_at = models.DateTimeField(null=True, blank=True)
    consumed_minutes = models.PositiveIntegerField(default=0)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("paused (working minutes)"), default=0)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    elapsed_minutes = models.PositiveIntegerField(_("elapsed (working minutes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [
            models.UniqueConstraint(fields=["case", "clock"], name="clock_one_per_case"),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | Q(elapsed_minutes__isnull=False),
                name="clock_stopped_has_elapsed",
            ),
        ]
        indexes = [
            # Overdue flags: running clocks past their deadline.
            models.Index(fields=["due_at"], name="clock_running_due_idx", condition=Q(due_at__isnull=False)),
        ]

    @property
    def is_running(self) -> bool:
        return self.segment_started_at is not None


class SlaStep(models.Model):
    """A reminder or an escalation scheduled for a clock; `taken_at` marks it done, once.

    The unique constraint is what makes the sweep idempotent: a step exists once per clock, kind and
    level, and it is claimed by a conditional UPDATE of `taken_at`.
    """

    class StepKind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")

    clock = models.ForeignKey(CaseClock, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    # Reminders: percent of the budget; escalations: 1 unit head, 2 monitoring head, 3 deputy.
    level = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clock", "kind", "level"], name="step_once_per_clock"),
        ]
        indexes = [
            # The sweep's range scan: steps not yet taken, by due time.
            models.Index(fields=["due_at"], name="step_pending_due_idx", condition=Q(taken_at__isnull=True)),
        ]


class AnswerTemplate(models.Model):
    """A ready text a unit puts into its answer box and edits (admin; global when no unit)."""

    key = models.SlugField(_("key"), max_length=40)
    unit = models.ForeignKey(
        "sajad.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="answer_templates", help_text=_("Empty: offered to every unit."),
    )
    label = models.CharField(_("name in the list"), max_length=100)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "key"], name="answer_template_unit_key"),
        ]

    def __str__(self) -> str:
        return self.label
