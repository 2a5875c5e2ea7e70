"""Every change to FAQ data goes through these functions (views, admin, seeds and tests alike).

Entry writes keep the derived search columns in step with question and answer; votes and
deflections count once per visitor, guarded by a unique constraint rather than a prior read, so two
simultaneous clicks cannot both count.
"""
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from sajad.persian import normalize_text

from .models import DeflectionClick, FaqCategory, FaqEntry, FaqVote
from .search import index_keys

_VOTER_SALT = "faq.voter"


def faq_voter_key(*, session_key: str) -> str:
    """A stable pseudonym for a visitor's session: we count visitors without storing session keys."""
    return salted_hmac(_VOTER_SALT, session_key, algorithm="sha256").hexdigest()


def faq_category_create(*, name: str, service=None, order: int = 0, actor=None) -> FaqCategory:
    return FaqCategory.objects.create(name=normalize_text(name), service=service, order=order)


def faq_entry_create(
    *, category: FaqCategory, question: str, answer: str, is_published: bool = False,
    order: int = 0, actor=None,
) -> FaqEntry:
    """Create an entry with its search columns."""
    question, answer = normalize_text(question), normalize_text(answer)
    return FaqEntry.objects.create(
        category=category, question=question, answer=answer, is_published=is_published,
        order=order, **index_keys(question=question, answer=answer),
    )


def faq_entry_save(*, entry: FaqEntry, actor=None) -> FaqEntry:
    """Save an entry whose editable fields were changed in memory (the admin's path).

    Normalises question and answer and recomputes the search columns before writing, so stored
    text and index can never disagree.
    """
    entry.question = normalize_text(entry.question)
    entry.answer = normalize_text(entry.answer)
    for field, value in index_keys(question=entry.question, answer=entry.answer).items():
        setattr(entry, field, value)
    # Counters are written only by F() updates; never overwrite them from a stale instance.
    if entry.pk is None:
        entry.save()
    else:
        entry.save(
            update_fields=[
                "category", "question", "answer", "is_published", "order", "search_question",
                "search_question_compact", "search_text", "search_compact", "updated",
            ]
        )
    return entry


def faq_entry_update(*, entry: FaqEntry, actor=None, **changes) -> FaqEntry:
    """Change some of category, question, answer, is_published, order and reindex."""
    allowed = {"category", "question", "answer", "is_published", "order"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"faq_entry_update cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(entry, field, value)
    return faq_entry_save(entry=entry, actor=actor)


def faq_vote_cast(*, entry: FaqEntry, voter_key: str, helpful: bool) -> bool:
    """Record a visitor's "was this helpful?" answer; returns False if they had already voted."""
    try:
        with transaction.atomic():
            FaqVote.objects.create(entry=entry, voter_key=voter_key, helpful=helpful)
            counter = "helpful_yes" if helpful else "helpful_no"
            FaqEntry.objects.filter(pk=entry.pk).update(**{counter: F(counter) + 1})
    except IntegrityError:
        return False
    return True


def faq_deflection_record(*, entry: FaqEntry, voter_key: str) -> bool:
    """Count "this answered my question" once per visitor; returns False for a repeat click."""
    try:
        with transaction.atomic():
            DeflectionClick.objects.create(entry=entry, voter_key=voter_key)
    except IntegrityError:
        return False
    return True


def faq_entries_viewed(*, entry_ids: list[int]) -> int:
    """Add one view to each entry in one UPDATE; the caller decides what counts as a new view."""
    if not entry_ids:
        return 0
    return FaqEntry.objects.filter(pk__in=entry_ids).update(view_count=F("view_count") + 1)

