"""FAQ search as people type Persian: the one entry point for the FAQ page and case deflection.

Both the stored columns and the query go through `search_keys`, built on `sajad.persian.search_key`
(ي→ی, ك→ک, every digit script → ASCII, ZWNJ → space, lower case). Punctuation becomes a space.
Two forms are kept: *spaced* («می خواهم وام») for word-level trigram similarity, and *compact*
(«میخواهموام») so that ZWNJ, space and nothing between word parts all compare equal.

An entry is a candidate when every query word occurs in its compact text (LIKE, served by a GIN
trigram index), or when the query is a close fuzzy match for some stretch of its words
(`search_text %> query`, the pg_trgm word-similarity operator on the same kind of index). Candidates
are ranked in SQL: similarity to the question weighs three times similarity to the whole text, and
a query found verbatim (compact) in the question adds a bonus, so an entry *about* the query ranks
above one whose answer merely mentions it.

Requires the pg_trgm extension (created by faq migration 0001). `django.contrib.postgres` need not
be installed: only its index class and plain SQL functions are used.
"""
import re

from django.db.models import BooleanField, Case, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Replace

from sajad.persian import search_key

from .markup import plain_text
from .models import FaqEntry

_NON_WORD = re.compile(r"[^\w]+")
# Weights of the rank; see the module docstring.
QUESTION_WEIGHT = 3.0
TEXT_WEIGHT = 1.0
QUESTION_PHRASE_BONUS = 2.0
TEXT_PHRASE_BONUS = 0.5
# Queries longer than this are cut (a pasted paragraph should not become a huge LIKE chain).
MAX_QUERY_WORDS = 8


def search_keys(text: str) -> tuple[str, str]:
    """(spaced, compact) search forms of `text`; the same function for stored text and queries."""
    spaced = " ".join(_NON_WORD.sub(" ", search_key(text).replace("_", " ")).split())
    return spaced, spaced.replace(" ", "")


def index_keys(*, question: str, answer: str) -> dict[str, str]:
    """The derived search columns of an entry, ready to assign (called by faq.services only)."""
    question_spaced, _ = search_keys(question)
    text_spaced, text_compact = search_keys(f"{question}\n{plain_text(answer)}")
    return {
        "search_question": question_spaced,
        "search_text": text_spaced,
        "search_compact": text_compact,
    }


class _WordSimilarTo(Func):
    """`column %> query`: some stretch of column's words is similar to query (index-assisted)."""

    arg_joiner = " %%> "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


def faq_search(query: str, *, service=None, limit: int = 10) -> list[FaqEntry]:
    """Published entries matching `query`, best first; general entries are included per service.

    With `service`, entries of that service and general (service-less) categories are searched.
    An empty or punctuation-only query returns [].
    """
    spaced, compact = search_keys(query)
    if not compact:
        return []
    words = spaced.split()[:MAX_QUERY_WORDS]
    spaced = " ".join(words)

    every_word = Q()
    for word in words:
        every_word &= Q(search_compact__contains=word)
    fuzzy = _WordSimilarTo(F("search_text"), Value(spaced))

    entries = FaqEntry.objects.filter(is_published=True).filter(every_word | Q(fuzzy))
    if service is not None:
        entries = entries.filter(
            Q(category__service=service) | Q(category__service__isnull=True)
        )
    entries = entries.alias(
        question_compact=Replace(
            F("search_question"), Value(" "), Value(""), output_field=TextField()
        )
    ).annotate(
        rank=(
            QUESTION_WEIGHT * _WordSimilarity(Value(spaced), F("search_question"))
            + TEXT_WEIGHT * _WordSimilarity(Value(spaced), F("search_text"))
            + Case(
                When(Q(question_compact__contains=compact), then=Value(QUESTION_PHRASE_BONUS)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            + Case(
                When(Q(search_compact__contains=compact), then=Value(TEXT_PHRASE_BONUS)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
    )
    entries = entries.select_related("category__service").order_by("-rank", "order", "id")
    return list(entries[:limit])
