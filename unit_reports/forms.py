"""The desk's report form: one text per section, the self-assessment and files. Shape only."""
from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms import MultipleFileField, MultipleFileInput

TEXT_MAX = 20000


class ReportForm(forms.Form):
    self_assessment = forms.CharField(
        label=_("Self-assessment"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("It starts from your unit's scorecard for the period; edit it freely."),
    )
    files = MultipleFileField(
        label=_("Add files"),
        help_text=_("PDF, JPEG or PNG, up to 5 MB each."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for section in self.sections:
            self.fields[f"section_{section.pk}"] = forms.CharField(
                label=section.title, required=False, max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 5}), help_text=section.guidance,
            )

    def section_fields(self):
        return [self[f"section_{section.pk}"] for section in self.sections]

    def answers(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"section_{s.pk}", "") for s in self.sections}
