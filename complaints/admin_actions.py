"""What the monitoring unit can do to a case from admin: one entry per workflow action.

Each entry pairs a workflow action with the small form it needs (a unit, a reason, a tracking
number…) and the one service call that performs it. The bulk admin actions and the buttons on a
single case's page both go through `apply_to_cases`, so both paths share the same rules: the
service asks `complaints.workflow`, and a refusal comes back as a `DomainError` with a message.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sajad.errors import DomainError
from sajad.models import Unit
from sajad.persian import normalize_digits

from . import services
from .models import Case, Priority
from .workflow import Action


class OptionalNoteForm(forms.Form):
    """The optional note every admin action can carry into the timeline (base of the action forms)."""

    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional; kept in the case's timeline."),
    )


class AssignForm(OptionalNoteForm):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Responsible unit"), queryset=Unit.objects.filter(is_active=True),
    )
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"), required=False, coerce=int, empty_value=None,
        choices=[("", gettext_lazy("Keep the current priority"))] + list(Priority.choices),
    )
    field_order = ["unit", "priority", "note"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("What should the citizen add?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(OptionalNoteForm):
    into = forms.CharField(
        label=gettext_lazy("Tracking number of the case to keep"), max_length=30,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}),
    )
    field_order = ["into", "note"]

    def clean_into(self) -> Case:
        number = normalize_digits(self.cleaned_data["into"])
        case = Case.objects.filter(tracking_number=number).first()
        if case is None:
            raise forms.ValidationError(_("No case has this tracking number."))
        return case


class ReferForm(OptionalNoteForm):
    body_name = forms.CharField(label=gettext_lazy("Competent body"), max_length=200)
    body_url = forms.URLField(
        label=gettext_lazy("Link of the competent body"), required=False, assume_scheme="https",
    )
    field_order = ["body_name", "body_url", "note"]


@dataclass(frozen=True)
class StaffAction:
    action: Action
    # What the button and the bulk-action menu say.
    label: str
    form_class: type[forms.Form] | None
    run: Callable[..., Case]
    # Offered as a bulk action on the changelist (the rest only on a single case's page).
    bulk: bool = False
    # An action without a form whose effect reaches citizens or ends cases: the bulk action first
    # shows the cases it will change and asks for confirmation (an action with a form already
    # shows that page, with the list, before anything happens).
    confirm: bool = False


def _assign(case, actor, data):
    return services.case_assign(
        case_id=case.pk, unit=data["unit"], actor=actor, priority=data.get("priority"),
        note=data.get("note", ""),
    )


def _merge(case, actor, data):
    return services.case_merge(
        case_id=case.pk, into_case_id=data["into"].pk, actor=actor, note=data.get("note", ""),
    )


def _refer(case, actor, data):
    return services.case_refer(
        case_id=case.pk, actor=actor, body_name=data["body_name"],
        body_url=data.get("body_url") or "", note=data.get("note", ""),
    )


STAFF_ACTIONS: dict[Action, StaffAction] = {
    spec.action: spec
    for spec in (
        StaffAction(Action.ASSIGN, gettext_lazy("Assign to a unit"), AssignForm, _assign, bulk=True),
        StaffAction(
            Action.REQUEST_INFO, gettext_lazy("Ask the citizen for more information"),
            QuestionForm,
            lambda case, actor, data: services.case_request_info(
                case_id=case.pk, actor=actor, question=data["question"]),
        ),
        StaffAction(
            Action.APPROVE, gettext_lazy("Approve and publish the answer"), None,
            lambda case, actor, data: services.case_answer_approve(case_id=case.pk, actor=actor),
            bulk=True, confirm=True,
        ),
        StaffAction(
            Action.SEND_BACK, gettext_lazy("Send the answer back to the unit"), ReasonForm,
            lambda case, actor, data: services.case_answer_send_back(
                case_id=case.pk, actor=actor, reason=data["reason"]),
        ),
        StaffAction(
            Action.UPHOLD, gettext_lazy("Uphold the answer (reject the objection)"), OptionalNoteForm,
            lambda case, actor, data: services.case_objection_uphold(
                case_id=case.pk, actor=actor, note=data.get("note", "")),
        ),
        StaffAction(
            Action.REOPEN, gettext_lazy("Accept the objection and reopen the case"), OptionalNoteForm,
            lambda case, actor, data: services.case_reopen(
                case_id=case.pk, actor=actor, note=data.get("note", "")),
        ),
        StaffAction(
            Action.CLOSE, gettext_lazy("Close"), None,
            lambda case, actor, data: services.case_close(case_id=case.pk, actor=actor),
            bulk=True, confirm=True,
        ),
        StaffAction(
            Action.REJECT, gettext_lazy("Reject as spam"), ReasonForm,
            lambda case, actor, data: services.case_reject(
                case_id=case.pk, actor=actor, reason=data["reason"]),
            bulk=True,
        ),
        StaffAction(Action.MERGE, gettext_lazy("Merge into another case"), MergeForm, _merge,
                    bulk=True),
        StaffAction(Action.REFER, gettext_lazy("Refer to another body"), ReferForm, _refer,
                    bulk=True),
    )
}


@dataclass
class Outcome:
    done: list[str]
    # (tracking number, the domain's reason) for every case the rules refused.
    refused: list[tuple[str, str]]


def apply_to_cases(*, cases: Iterable[Case], actor, spec: StaffAction, data: dict) -> Outcome:
    """Run one action case by case; each case commits or is refused on its own."""
    outcome = Outcome(done=[], refused=[])
    for case in cases:
        try:
            spec.run(case, actor, data)
        except DomainError as exc:
            outcome.refused.append((case.tracking_number, str(exc.message)))
        else:
            outcome.done.append(case.tracking_number)
    return outcome
