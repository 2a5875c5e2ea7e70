"""Surveys, their questions, responses and answers; invitations; the watch; improvement plans.

Models hold data and what the database can enforce. Every change goes through `surveys.services`
(surveys, answering, invitations), `surveys.watch` (alarms) and `surveys.plans` (improvement plans);
reads that carry rules are in `surveys.selectors` and `surveys.results`.

Answers are stored one row per answered question with the response's service, unit, case, channel
and time copied onto the row, so every figure of the results page is one indexed aggregate over this
table (never a join through responses, never answers loaded into Python).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    SERVICE = "service", _("Satisfaction with a service")
    HANDLING = "handling", _("Satisfaction with how a case was handled")


class Survey(models.Model):
    """One version of a survey. Versions of one survey share its slug (its public address).

    A version with responses never changes its questions (a database trigger refuses it); the
    monitoring unit makes the next version instead (`services.survey_new_version`), and publishing
    that version makes it the current one (`is_current`, at most one per slug, per service and for
    the handling survey, each guarded by a constraint).
    """

    kind = models.CharField(_("kind"), max_length=10, choices=SurveyKind.choices, default=SurveyKind.SERVICE)
    service = models.ForeignKey(
        "sajad.Service", verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, allow_unicode=True)
    intro = models.TextField(_("introduction"), blank=True)
    thanks = models.TextField(_("thank-you text"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_published = models.BooleanField(_("published"), default=False)
    is_current = models.BooleanField(_("current version"), default=False)
    opens_at = models.DateTimeField(_("answers accepted from"), null=True, blank=True)
    closes_at = models.DateTimeField(_("answers accepted until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="survey_slug_version_unique"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(is_current=True), name="survey_one_current_per_slug",
            ),
            models.UniqueConstraint(
                fields=["service"], condition=Q(is_current=True, kind="service"),
                name="survey_one_current_per_service",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_current=True, kind="handling"),
                name="survey_one_current_handling",
            ),
            models.CheckConstraint(
                condition=Q(kind="handling") | Q(service__isnull=False), name="survey_service_has_service",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(is_published=True), name="survey_current_is_published",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="survey_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class QuestionKind(models.TextChoices):
    CSAT = "csat", _("Satisfaction (1 to 5)")
    NPS = "nps", _("Recommendation (0 to 10)")
    CES = "ces", _("Effort (1 to 7)")
    NEED_MET = "need_met", _("Was your need met? (fully / partly / not at all)")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


# The stored value of a "need met" answer.
NEED_MET_FULLY, NEED_MET_PARTLY, NEED_MET_NOT = 2, 1, 0


class Question(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("Single and multiple choice only: one choice per line."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind__in=["single", "multiple"]) | ~Q(choices=""),
                name="question_choice_has_choices",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Channel(models.TextChoices):
    PUBLIC = "public", _("Public link")
    INVITATION = "invitation", _("Invitation")


class Invitation(models.Model):
    """An unguessable link to one survey for one closed case; answers once.

    `skipped` invitations are kept (no token sent) so the case is not considered again and the
    fatigue rule's decision is visible in admin.
    """

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="invitations")
    case = models.ForeignKey(
        "complaints.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+",
    )
    service = models.ForeignKey("sajad.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "sajad.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    token = models.CharField(max_length=64, unique=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    skipped = models.BooleanField(_("not sent (survey fatigue)"), default=False)
    reminder_due_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at"]
        constraints = [
            # What makes the invitation sweep idempotent: one invitation per case and survey.
            models.UniqueConstraint(fields=["case", "survey"], name="invitation_once_per_case"),
        ]
        indexes = [
            # The fatigue rule: the last invitation actually sent to a mobile number.
            models.Index(fields=["mobile", "-created_at"], name="invitation_mobile_idx",
                         condition=Q(skipped=False)),
            # Results: invitations sent per service (and per unit) in a period.
            models.Index(fields=["service", "created_at"], name="invitation_service_time_idx",
                         condition=Q(skipped=False)),
            models.Index(fields=["unit", "created_at"], name="invitation_unit_time_idx",
                         condition=Q(skipped=False)),
            # The reminder sweep: unanswered invitations whose reminder is due.
            models.Index(fields=["reminder_due_at"], name="invitation_reminder_due_idx",
                         condition=Q(reminded_at__isnull=True, answered_at__isnull=True, skipped=False)),
        ]

    def __str__(self) -> str:
        return f"{self.survey} → {self.case}"


class InvitationCursor(models.Model):
    """The invitation sweep's watermark over the case event log: the last close event handled.

    One row (pk=1). The sweep locks it, so two sweeps never interleave; the unique constraint on
    invitations makes a repeated batch harmless anyway.
    """

    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class Response(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses")
    service = models.ForeignKey(
        "sajad.Service", verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    unit = models.ForeignKey(
        "sajad.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    case = models.ForeignKey(
        "complaints.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    invitation = models.OneToOneField(
        Invitation, verbose_name=_("invitation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="response",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # A hash of the browser's survey cookie: the same browser answers a public survey once.
    browser_key = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "browser_key"], condition=~Q(browser_key=""),
                name="response_once_per_browser",
            ),
            models.CheckConstraint(
                condition=Q(channel="public") | Q(invitation__isnull=False), name="response_invited_has_invitation",
            ),
        ]
        indexes = [
            # Results: responses per service / per unit in a period.
            models.Index(fields=["service", "submitted_at"], include=["survey", "channel"],
                         name="response_service_time_idx"),
            models.Index(fields=["unit", "submitted_at"], include=["survey", "channel"],
                         name="response_unit_time_idx"),
            models.Index(fields=["survey", "submitted_at"], name="response_survey_time_idx"),
        ]


class Answer(models.Model):
    """One answered question of one response, with the response's facts copied for aggregation.

    `value` holds scale answers (CSAT 1–5, NPS 0–10, CES 1–7, need met 0/1/2), a single choice's
    1-based position, or a multiple choice's positions as a bit mask (bit i-1 for choice i, so a
    count per choice is `value & mask` in SQL); `text` holds free text as typed (normalised) and
    `text_key` its search form.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    value = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    text_key = models.TextField(blank=True)
    service = models.ForeignKey("sajad.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("sajad.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("complaints.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question"),
            models.CheckConstraint(
                condition=~Q(kind="csat") | Q(value__gte=1, value__lte=5), name="answer_csat_range"),
            models.CheckConstraint(
                condition=~Q(kind="nps") | Q(value__gte=0, value__lte=10), name="answer_nps_range"),
            models.CheckConstraint(
                condition=~Q(kind="ces") | Q(value__gte=1, value__lte=7), name="answer_ces_range"),
            models.CheckConstraint(
                condition=~Q(kind="need_met") | Q(value__gte=0, value__lte=2), name="answer_need_met_range"),
        ]
        indexes = [
            # Results per service: CSAT/NPS/CES/resolved for one service and period, and the watch's
            # weekly dissatisfied share per service (kind='csat'). Covering: the aggregate reads
            # only the index.
            models.Index(fields=["service", "kind", "answered_at"], include=["value", "survey"],
                         name="answer_service_kind_time_idx"),
            # Results of the handling survey per unit.
            models.Index(fields=["unit", "kind", "answered_at"], include=["value", "survey"],
                         name="answer_unit_kind_time_idx"),
            # Per-question mean and distribution for a period.
            models.Index(fields=["question", "answered_at"], include=["value", "kind", "service", "unit"],
                         name="answer_question_time_idx"),
            # The watch over every service: one week of CSAT answers, all services.
            models.Index(fields=["answered_at"], include=["service", "value", "survey"],
                         name="answer_csat_week_idx", condition=Q(kind="csat")),
        ]


# --- The continuous watch -------------------------------------------------------------------

class ServiceWatch(models.Model):
    """The watch's per-service settings and state; one row per service the watch has seen."""

    service = models.OneToOneField("sajad.Service", verbose_name=_("service"), on_delete=models.CASCADE,
                                   related_name="watch")
    fixed_threshold = models.PositiveSmallIntegerField(
        _("alarm when the weekly dissatisfied share exceeds (percent)"), null=True, blank=True,
        help_text=_("Set by the monitoring unit; empty means no fixed threshold for this service."),
    )
    is_flagged = models.BooleanField(_("flagged by the watch"), default=False)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("service watch")
        verbose_name_plural = _("service watch")
        constraints = [
            models.CheckConstraint(
                condition=Q(fixed_threshold__isnull=True) | Q(fixed_threshold__lte=100), name="watch_threshold_percent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.service)


class WatchRule(models.TextChoices):
    P_CHART = "p_chart", _("Above the p-chart's upper control limit")
    CUSUM = "cusum", _("Slow drift (CUSUM)")
    THRESHOLD = "threshold", _("Above the service's fixed threshold")


class AlarmEpisode(models.Model):
    """A period during which a service is in alarm; opened once, closed when the watch is quiet.

    At most one open episode per service (constraint); each episode has exactly one draft
    improvement plan (the plan's unique `episode`).
    """

    service = models.ForeignKey("sajad.Service", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="alarm_episodes")
    rules = models.JSONField(_("rules"), default=list)
    week_start = models.DateField(_("week"))
    details = models.JSONField(_("figures"), default=dict)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alarm episode")
        verbose_name_plural = _("alarm episodes")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["service"], condition=Q(closed_at__isnull=True),
                                    name="episode_one_open_per_service"),
        ]

    def __str__(self) -> str:
        from sajad.jalali import format_jalali

        return f"{self.service} – {format_jalali(self.week_start, '%Y/%m/%d')}"


# --- Improvement plans ----------------------------------------------------------------------

class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ImprovementPlan(models.Model):
    service = models.ForeignKey("sajad.Service", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="improvement_plans")
    episode = models.OneToOneField(
        AlarmEpisode, verbose_name=_("alarm episode"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="plan",
    )
    title = models.CharField(_("title"), max_length=200)
    finding = models.TextField(_("finding"))
    evidence = models.TextField(_("evidence"), blank=True,
                                help_text=_("The survey periods and results that prompted the plan."))
    cases = models.ManyToManyField("complaints.Case", verbose_name=_("linked cases"), blank=True, related_name="+")
    public_summary = models.TextField(_("what was done (public)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="completed") | (Q(completed_at__isnull=False) & ~Q(public_summary="")),
                name="plan_completed_has_summary",
            ),
        ]
        indexes = [
            # /improvements/: completed plans, newest first.
            models.Index(fields=["-completed_at"], name="plan_completed_idx", condition=Q(status="completed")),
        ]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class PlanAction(models.Model):
    plan = models.ForeignKey(ImprovementPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner_unit = models.ForeignKey("sajad.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT,
                                   related_name="plan_actions")
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    percent_done = models.PositiveSmallIntegerField(_("percent done"), default=0)
    progress_note = models.TextField(_("progress note"), blank=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="action_percent_le_100"),
            models.CheckConstraint(condition=~Q(status="done") | Q(percent_done=100), name="action_done_is_100"),
        ]
        indexes = [
            # The desk: a unit's open actions by due date; the reminder sweep over due dates.
            models.Index(fields=["owner_unit", "due_date"], name="action_unit_due_idx", condition=~Q(status="done")),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class PlanHistory(models.Model):
    """Append-only history of a plan and its actions (who changed what, when)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="history")
    action = models.ForeignKey(PlanAction, null=True, blank=True, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("change"))
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan history entry")
        verbose_name_plural = _("plan history")
        ordering = ["created_at", "id"]


# --- Daily summaries the results and the watch read ------------------------------------------

class AnswerDay(models.Model):
    """How many answers of one value one question got on one day (Tehran), per service and unit.

    Kept current in the transaction that stores a response (`surveys.rollups.record`), rebuilt from
    the answers by `rollups.rebuild` (bulk loads, repairs). Results and the watch aggregate these
    rows (a few per question and day) instead of the answers. Free text is not summarised.
    `service_id`/`unit_id` are 0 when the response has none.
    """

    day = models.DateField()
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    service_id = models.IntegerField(default=0)
    unit_id = models.IntegerField(default=0)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    value = models.IntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "question", "service_id", "unit_id", "value"],
                                    name="answerday_unique"),
        ]
        indexes = [
            # Results per service (and the watch): one service's days, by kind.
            models.Index(fields=["service_id", "kind", "day"], include=["value", "n", "survey"],
                         name="answerday_service_idx"),
            # Handling results per unit.
            models.Index(fields=["unit_id", "kind", "day"], include=["value", "n", "survey"],
                         name="answerday_unit_idx"),
            # The watch over every service: the CSAT rows of 24 weeks.
            models.Index(fields=["day"], include=["service_id", "value", "n", "survey"],
                         name="answerday_csat_idx", condition=Q(kind="csat")),
        ]


class ResponseDay(models.Model):
    """How many responses one survey got on one day, per service, unit and channel."""

    day = models.DateField()
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    service_id = models.IntegerField(default=0)
    unit_id = models.IntegerField(default=0)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "survey", "service_id", "unit_id", "channel"],
                                    name="responseday_unique"),
        ]
        indexes = [
            models.Index(fields=["service_id", "day"], include=["survey", "channel", "n"], name="responseday_service_idx"),
            models.Index(fields=["unit_id", "day"], include=["survey", "channel", "n"], name="responseday_unit_idx"),
        ]
