"""Deflection: the FAQ entries offered while a citizen writes a case subject.

The filing form (no-JS step) and the JSON endpoint behind the live suggestions both call
`suggestions_for`, so they always agree; the matching itself is `faq.search.faq_search`.
"""
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from sajad.persian import to_persian_digits

from .models import FaqEntry
from .search import faq_search, search_keys

SUGGESTION_LIMIT = 5
# Shorter subjects match too much to be a useful suggestion (one or two letters typed so far).
MIN_QUERY_LETTERS = 3


@dataclass(frozen=True)
class Suggestion:
    entry: FaqEntry
    url: str

    def as_json(self) -> dict:
        return {
            "id": self.entry.pk,
            "question": to_persian_digits(self.entry.question),
            "url": self.url,
            "answered_url": reverse("faq:answered", args=[self.entry.pk]),
        }


def entry_url(entry: FaqEntry) -> str:
    """Where an entry is read in full: its service's FAQ page, or a search for general entries."""
    anchor = f"#faq-{entry.pk}"
    service = entry.category.service
    if service is not None:
        return reverse("faq:service", args=[service.slug]) + anchor
    return reverse("faq:index") + "?" + urlencode({"q": entry.question}) + anchor


def suggestions_for(subject: str, *, service=None) -> list[Suggestion]:
    """The best few published entries for a case subject (of the chosen service or general)."""
    _spaced, compact = search_keys(subject or "")
    if len(compact) < MIN_QUERY_LETTERS:
        return []
    return [
        Suggestion(entry=entry, url=entry_url(entry))
        for entry in faq_search(subject, service=service, limit=SUGGESTION_LIMIT)
    ]
