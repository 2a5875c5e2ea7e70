"""Shapes of the FAQ's public inputs; the rules live in faq.services."""
from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the questions"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )
    next = forms.CharField(required=False, max_length=2000)


class AnsweredForm(forms.Form):
    next = forms.CharField(required=False, max_length=2000)
