"""Forms of the unit desk: they check shape only; the workflow rules live in services."""
from django import forms
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 5000


def answer_templates(unit=None):
    """The templates a unit may use: everyone's and its own (admin keeps them)."""
    from django.db.models import Q

    from .models import AnswerTemplate

    scope = Q(unit__isnull=True) | Q(unit=unit) if unit is not None else Q()
    return AnswerTemplate.objects.filter(scope, is_active=True).order_by("order", "id")


class AnswerForm(forms.Form):
    opening = forms.ChoiceField(
        label=_("Answer template"), required=False,
        help_text=_("The chosen template is put into the box below, where you can edit it."),
    )
    text = forms.CharField(
        label=_("Your answer to the citizen"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The monitoring unit reviews the answer before the citizen sees it."),
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A unit's own template may share its key with a global one: the unit's wins.
        self.templates = {t.key: t.text for t in answer_templates(unit)}
        labels = {t.key: t.label for t in answer_templates(unit)}
        self.fields["opening"].choices = [("", _("No template"))] + list(labels.items())

    def answer_text(self) -> str:
        """The answer as the citizen will read it.

        With JavaScript the chosen template is already in the box (and the list reset); without
        it, the chosen template is put before the text here, unless the text already holds it.
        """
        text = self.cleaned_data["text"].strip()
        chosen = self.templates.get(self.cleaned_data.get("opening") or "")
        return f"{chosen}\n\n{text}" if chosen and chosen not in text else text


class RequestInfoForm(forms.Form):
    question = forms.CharField(
        label=_("What should the citizen add?"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The citizen sees this question on the tracking page; the deadline pauses "
                    "until they reply."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this case not belong to your unit?"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InternalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by staff only, never by the citizen."),
    )

    def __init__(self, *args, **kwargs):
        # Its field shares the answer form's name on the same page; the ids must differ.
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class AssignStaffForm(forms.Form):
    """The head's choice of a colleague; the list is the case's unit (the service checks again)."""

    assignee = forms.ModelChoiceField(label=_("Colleague"), queryset=None, empty_label=None)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        field = self.fields["assignee"]
        field.queryset = get_user_model().objects.filter(
            unit_membership__unit=unit, is_active=True).order_by("first_name", "username")
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()
