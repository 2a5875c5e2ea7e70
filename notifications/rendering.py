"""Message texts: Django templates under `templates/notifications/`, always rendered in Persian.

Most bodies are rendered when the row is written, so the text sent is the text of the moment the
event happened. Digests written in bulk by SQL (the SLA sweep) are rendered at delivery by a
*late context builder* that the owning app registers for its template at start-up: the outbox
stays ignorant of what a digest lists.

One template serves both channels unless it has a short SMS variant: `<template>_sms.txt` is the
body of its SMS (a digest that lists forty cases by e-mail says "forty cases, see the desk" by SMS).
"""
from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string, select_template
from django.utils import translation

_late_context_builders: dict[str, Callable[[dict], dict]] = {}


def register_late_context_builder(template: str, builder: Callable[[dict], dict]) -> None:
    """Let `builder(row.context)` supply the context of `template`'s digests at delivery."""
    _late_context_builders[template] = builder


def render(template: str, context: dict, *, channel: str = "") -> tuple[str, str]:
    """(subject, body) of `template` for `context`, with `site_url` always available.

    For `channel="sms"` the body comes from `<template>_sms.txt` when there is one.
    """
    context = {"site_url": settings.SITE_URL, **context}
    bodies = [f"notifications/{template}.txt"]
    if channel == "sms":
        bodies.insert(0, f"notifications/{template}_sms.txt")
    with translation.override(settings.LANGUAGE_CODE):
        body = select_template(bodies).render(context).strip()
        subject = render_to_string(f"notifications/{template}_subject.txt", context).strip()
    return subject, body


def render_late(template: str, stored_context: dict, *, channel: str = "") -> tuple[str, str]:
    """Render a digest row whose body was left empty when it was written."""
    builder = _late_context_builders.get(template)
    context = builder(stored_context) if builder else dict(stored_context)
    return render(template, context, channel=channel)
