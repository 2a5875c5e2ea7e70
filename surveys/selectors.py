"""Reads with rules: the current survey of a service, the answer form's questions.

Nothing here writes. Figures for staff live in `surveys.results`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sajad.persian import to_persian_digits

from .models import NEED_MET_FULLY, NEED_MET_NOT, NEED_MET_PARTLY, Question, QuestionKind, Survey, SurveyKind

# The words at the two ends of each scale (the low end is drawn on the right in Persian).
SCALE_ENDS = {
    QuestionKind.CSAT: (_("Very dissatisfied"), _("Very satisfied")),
    QuestionKind.NPS: (_("Not at all likely"), _("Extremely likely")),
    QuestionKind.CES: (_("Very easy"), _("Very difficult")),
}
SCALE_RANGES = {QuestionKind.CSAT: (1, 5), QuestionKind.NPS: (0, 10), QuestionKind.CES: (1, 7)}
NEED_MET_LABELS = (
    (NEED_MET_FULLY, _("Fully")),
    (NEED_MET_PARTLY, _("Partly")),
    (NEED_MET_NOT, _("Not at all")),
)


@dataclass
class Option:
    value: str
    label: str
    checked: bool


@dataclass
class FormQuestion:
    question: Question
    input_type: str  # "scale", "radio", "checkbox", "text"
    options: list[Option] = field(default_factory=list)
    low_label: str = ""
    high_label: str = ""
    text: str = ""
    error: str = ""

    @property
    def name(self) -> str:
        return f"q{self.question.pk}"


def questions_for_form(*, questions: list[Question], data=None, errors: dict | None = None) -> list[FormQuestion]:
    """The questions as the answer form draws them, with what was posted and each one's error."""
    errors = errors or {}
    out = []
    for question in questions:
        name = f"q{question.pk}"
        posted = set(data.getlist(name)) if data is not None else set()
        item = FormQuestion(question=question, input_type="radio", error=errors.get(question.pk, ""))
        if question.kind in SCALE_RANGES:
            low, high = SCALE_RANGES[question.kind]
            item.input_type = "scale"
            item.low_label, item.high_label = SCALE_ENDS[question.kind]
            item.options = [Option(str(v), to_persian_digits(v), str(v) in posted) for v in range(low, high + 1)]
        elif question.kind == QuestionKind.NEED_MET:
            item.options = [Option(str(v), str(label), str(v) in posted) for v, label in NEED_MET_LABELS]
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            item.input_type = "radio" if question.kind == QuestionKind.SINGLE else "checkbox"
            item.options = [Option(str(i), label, str(i) in posted)
                            for i, label in enumerate(question.choice_list(), start=1)]
        else:
            item.input_type = "text"
            item.text = data.get(name, "") if data is not None else ""
        out.append(item)
    return out


def service_survey(*, service) -> Survey | None:
    """The current public survey of a service, if it has one."""
    if service is None:
        return None
    return Survey.objects.filter(service=service, kind=SurveyKind.SERVICE, is_current=True).first()


def service_survey_url(*, service) -> str | None:
    survey = service_survey(service=service)
    return reverse("surveys:public", kwargs={"slug": survey.slug}) if survey else None


def completed_plans():
    """/improvements/: completed plans, newest first, with their service and done actions."""
    from .models import ImprovementPlan, PlanStatus

    return (ImprovementPlan.objects.filter(status=PlanStatus.COMPLETED).select_related("service")
            .prefetch_related("actions__owner_unit").order_by("-completed_at", "-id"))


def actions_for_unit(*, unit_id: int | None):
    """The desk: a unit's actions in plans still being carried out, by due date."""
    from .models import PlanAction, PlanStatus

    if unit_id is None:
        return PlanAction.objects.none()
    return (PlanAction.objects.filter(owner_unit_id=unit_id, plan__status__in=[PlanStatus.DRAFT, PlanStatus.ACTIVE])
            .select_related("plan", "plan__service").order_by("due_date", "id"))


def action_get_for_unit(*, unit_id: int | None, action_id: int):
    """One action of the unit; another unit's action is the same None as a missing one."""
    return actions_for_unit(unit_id=unit_id).filter(pk=action_id).first()


def service_watch_flag(*, service):
    """The watch's state of a service for staff (None when the watch has not flagged it)."""
    from .models import ServiceWatch

    return ServiceWatch.objects.filter(service=service, is_flagged=True).first()
