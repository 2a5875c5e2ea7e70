"""Public forms: they check shape only (lengths, counts); the rules live in `complaints.services`."""
import secrets
import threading
import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from crispy_forms.utils import render_crispy_form
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sajad import rate_windows
from sajad.models import Service

from .models import IdentityTier, Kind

# The signed timestamp proves the form was fetched; a human needs more than this to fill it in.
MIN_FILL_SECONDS = 3
FORM_STAMP_SALT = "complaints.filing.stamp"
FORM_STAMP_MAX_AGE = 6 * 60 * 60


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files in one input; each is checked for shape here, for content by services."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        if len(items) > settings.ATTACHMENT_MAX_COUNT:
            raise forms.ValidationError(
                _("You can attach at most %(count)d files.") % {"count": settings.ATTACHMENT_MAX_COUNT},
                code="too_many",
            )
        single = super().clean
        return [single(item, initial) for item in items]


def new_form_stamp(*, issued: float | None = None) -> str:
    """A signed (issue time, one-off nonce) pair for the filing form's hidden field."""
    payload = {"t": time.time() if issued is None else issued, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=FORM_STAMP_SALT)


def _stamp_payload(stamp: str) -> dict | None:
    try:
        payload = signing.loads(stamp or "", salt=FORM_STAMP_SALT, max_age=FORM_STAMP_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), (int, float)):
        return None
    return payload if isinstance(payload.get("n"), str) else None


def form_stamp_fresh(stamp: str) -> bool:
    """True when the stamp is ours, not stale, and old enough for a person to have typed.

    Whether it was used already is asked when it is claimed (`form_stamp_claim`), in the same
    round trip to Redis as the filing limits (`filing_limits.filing_admission`).
    """
    payload = _stamp_payload(stamp)
    return payload is not None and time.time() - payload["t"] >= MIN_FILL_SECONDS


def _stamp_key(payload: dict) -> str:
    return f"filing-stamp-used:{payload['n']}"


def form_stamp_claim(stamp: str) -> rate_windows.Claim | None:
    """The single-use claim of a valid stamp (None for a forged or stale one): claiming marks it
    used, atomically (Redis SET NX), and fails if it already was (a replay).

    The filing view claims the stamp just before filing and releases it if the case is refused,
    so a person correcting a mistake sends the same form again; a bot replaying one fetched form
    files one case, not one per request for six hours. While Redis is down the claim lives in
    the process's fallback cache (sajad.resilient_cache).
    """
    payload = _stamp_payload(stamp)
    if payload is None:
        return None
    return rate_windows.Claim(_stamp_key(payload), FORM_STAMP_MAX_AGE + 60)


def form_stamp_release(stamp: str) -> None:
    payload = _stamp_payload(stamp)
    if payload is not None:
        cache.delete(_stamp_key(payload))


class ServiceChoiceField(forms.ChoiceField):
    """A service open to citizens, by slug; cleans to the Service (from the cached list, so
    checking the choice runs no query: `services.case_file` re-checks in its insert that the
    service still accepts cases)."""

    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"],
    }

    def __init__(self, *, empty_label, **kwargs):
        self.empty_label = empty_label
        super().__init__(**kwargs)

    @staticmethod
    def label(obj) -> str:
        return f"{obj.name} ({obj.unit.name})"

    def to_python(self, value):
        slug = super().to_python(value)
        if slug in self.empty_values:
            return None
        service = public_services_by_slug().get(slug)
        if service is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return service

    def validate(self, value):
        forms.Field.validate(self, value)  # the choice was checked by to_python


def public_services():
    return (
        Service.objects.open_to_citizens()
        .select_related("unit")
        .order_by("unit__name", "order", "name")
    )


# --- what every visitor of the filing form sees alike ------------------------------------------
# The service list and the unbound form's markup are the same for every visitor, so each process
# keeps them for a short while instead of querying and rendering them on every page view. Saving
# a service or unit clears this process's copy at once; other processes follow within the TTL.
# Choosing a service that was just closed is still refused by `services.case_file`.
PUBLIC_CHOICES_TTL = 60
_choices_lock = threading.Lock()
_choices: dict = {"until": 0.0, "value": (), "version": 0, "services": {}}
_form_html: dict[tuple, str] = {}
STAMP_PLACEHOLDER = "stamp-placeholder-0000"


def public_service_choices() -> tuple[tuple[str, str], ...]:
    """(slug, "service (unit)") of every service open to citizens, in form order (cached)."""
    now = time.monotonic()
    if _choices["until"] > now:
        return _choices["value"]
    with _choices_lock:
        if _choices["until"] <= now:
            services = list(public_services())
            value = tuple((service.slug, ServiceChoiceField.label(service)) for service in services)
            if value != _choices["value"]:
                _choices["version"] += 1
                _form_html.clear()
            _choices.update(value=value, until=now + PUBLIC_CHOICES_TTL,
                            services={service.slug: service for service in services})
    return _choices["value"]


def public_services_by_slug() -> dict[str, Service]:
    """The services of `public_service_choices()`, by slug (cached with it; do not modify them)."""
    public_service_choices()
    return _choices["services"]


def forget_public_choices(**_kwargs) -> None:
    _choices["until"] = 0.0


for _model in ("sajad.Service", "sajad.Unit"):
    post_save.connect(forget_public_choices, sender=_model, dispatch_uid=f"public-choices-{_model}")
    post_delete.connect(forget_public_choices, sender=_model, dispatch_uid=f"public-choices-d-{_model}")


class CaseFilingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to send?"), choices=Kind.choices, widget=forms.RadioSelect,
        initial=Kind.COMPLAINT,
    )
    service = ServiceChoiceField(
        label=_("Service"), empty_label=_("Choose the service this is about"),
        # Service names are Persian: in an English page a left-to-right box would clip them at
        # their start; "auto" lays each one out right to left.
        widget=forms.Select(attrs={"dir": "auto"}),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Please describe what happened, when, and what you expect from us."),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        help_text=_("Up to 5 files; PDF, JPEG or PNG; at most 5 MB each."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    identity_tier = forms.ChoiceField(
        label=_("How should we know you?"), choices=IdentityTier.choices, widget=forms.RadioSelect,
        initial=IdentityTier.IDENTIFIED,
        help_text=_("A complaint needs at least your mobile number. Criticisms and suggestions may "
                    "be anonymous."),
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    national_code = forms.CharField(
        label=_("National code"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
        help_text=_("Ten digits; Persian or English digits are both fine."),
    )
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=20, required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr", "placeholder": "09xxxxxxxxx"}
        ),
        help_text=_("Needed unless you file anonymously; you will track your case with it."),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"), required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    # Bot protection: people never see this field; software that fills every input does.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)
    # Set once the citizen has been shown the FAQ suggestions for the subject (by the server's
    # suggestions step, or live by static/js/deflection.js); the next submit then files the case.
    suggestions_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        # The cached list, so neither showing the form nor checking the choice runs a query.
        service.choices = [("", service.empty_label), *public_service_choices()]
        if not self.is_bound:
            self.initial.setdefault("stamp", new_form_stamp())

    @cached_property
    def helper(self) -> FormHelper:
        """crispy-forms' layout, built only when the form is shown (not for a valid POST)."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Fieldset(
                _("Your case"),
                Field("kind"), Field("service"), Field("subject"),
                # The live FAQ suggestions sit right under the subject (filled by deflection.js).
                HTML('{% include "complaints/public/_suggestions_live.html" %}'),
                Field("description"),
                HTML('{% include "complaints/public/_attachments_again.html" %}'),
                Field("attachments"),
            ),
            Fieldset(
                _("Your details"),
                Field("identity_tier"),
                Div(Field("full_name"), Field("national_code"), css_class="js-identified-only"),
                Div(Field("mobile"), Field("email"), css_class="js-contact-only"),
            ),
            Div(Field("website"), css_class="hp-field", aria_hidden="true"),
            Field("stamp"), Field("suggestions_seen"),
            Submit("submit", _("Submit"), css_class="btn-primary btn-lg w-100 mt-2"),
        )
        return helper

    def unbound_html(self, *, stamp: str | None = None) -> str:
        """The markup of this unbound form, rendered once per process for its language and
        initial kind and service, with this form's own time stamp put in (or `stamp`)."""
        assert not self.is_bound
        public_service_choices()  # refreshes the version the key names
        key = (get_language(), str(self.initial.get("kind", "")), str(self.initial.get("service", "")),
               _choices["version"])
        html = _form_html.get(key)
        if html is None:
            template = type(self)(initial={**self.initial, "stamp": STAMP_PLACEHOLDER})
            html = render_crispy_form(template)
            if len(_form_html) > 500:  # bounded: kinds × services × languages in practice
                _form_html.clear()
            _form_html[key] = html
        return mark_safe(html.replace(STAMP_PLACEHOLDER, stamp or self.initial["stamp"], 1))

    @staticmethod
    def choices_version() -> int:
        """Changes whenever the service list does (for caches of pages showing this form)."""
        public_service_choices()
        return _choices["version"]

    def is_bot(self) -> bool:
        """The honeypot was filled or the form came back impossibly fast (or with a forged stamp)."""
        data = self.data
        return bool((data.get("website") or "").strip()) or not form_stamp_fresh(data.get("stamp", ""))


class TrackingForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )
    secret = forms.CharField(
        label=_("Mobile number or PIN"), max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
        help_text=_("The mobile number you gave when filing, or the PIN shown for an anonymous case."),
    )

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Field("tracking_number"), Field("secret"),
            Submit("submit", _("Show my case"), css_class="btn-primary btn-lg w-100"),
        )
        return helper


class ProvideInfoForm(forms.Form):
    text = forms.CharField(
        label=_("The information you were asked for"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        help_text=_("Up to 5 files; PDF, JPEG or PNG; at most 5 MB each."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you object to the answer?"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How useful was the answer?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 — very good")), (4, _("4 — good")), (3, _("3 — fair")),
                 (2, _("2 — poor")), (1, _("1 — very poor"))],
    )
