"""Forms of the unit desk: they check shape only; the workflow rules live in services."""
from django import forms
from django.utils.translation import gettext_lazy as _

# Canned openings a unit may start its answer with. Declared in code (not per unit in the
# database) until units ask for their own; the chosen one is put before the written text, so the
# form works without JavaScript.
ANSWER_OPENINGS: dict[str, tuple[str, str]] = {  # key: (label in the list, the opening itself)
    "greeting": (
        _("Greeting and thanks"),
        _("Greetings. Thank you for contacting the Student Affairs Organization."),
    ),
    "reviewed": (
        _("Result of the review"),
        _("Greetings. Your case was reviewed carefully by the responsible unit, and the result "
          "is as follows."),
    ),
    "apology": (
        _("Apology"),
        _("Greetings. We apologise for the inconvenience caused. After review:"),
    ),
}

TEXT_MAX = 5000


class AnswerForm(forms.Form):
    opening = forms.ChoiceField(
        label=_("Answer template"), required=False,
        help_text=_("Optional: the chosen opening is placed before your text."),
    )
    text = forms.CharField(
        label=_("Your answer to the citizen"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The monitoring unit reviews the answer before the citizen sees it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opening"].choices = [("", _("No template"))] + [
            (key, label) for key, (label, _opening) in ANSWER_OPENINGS.items()
        ]

    def answer_text(self) -> str:
        """The answer as the citizen will read it: the chosen opening, then the unit's text."""
        text = self.cleaned_data["text"].strip()
        chosen = ANSWER_OPENINGS.get(self.cleaned_data.get("opening") or "")
        return f"{chosen[1]}\n\n{text}" if chosen else text


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
