"""FAQ search as people type Persian: the one entry point for the FAQ page and case deflection.

Both the stored columns and the query go through `sajad.persian.search_keys` (ي→ی, ك→ک, hamza
forms → bare letters, no diacritics, every digit script → ASCII, ZWNJ → space, lower case).
Punctuation becomes a space.
Two forms are kept: *spaced* («می خواهم وام») for word-level trigram similarity, and *compact*
(«میخواهموام») so that ZWNJ, space and nothing between word parts all compare equal.

Matching, in at most two index-served queries:
1. Every query word occurs in the entry's compact text (LIKE '%word%' on `search_compact`, GIN
   trigram index). Words may be in any order and split or joined differently.
2. Only if (1) found fewer than `limit`: fuzzy — some stretch of the *question* is trigram-similar
   to the query (`search_question %> query`, pg_trgm word similarity, GIN trigram index), which
   forgives typos such as «اقصاط» for «اقساط». Questions only: on long answers the operator is
   slow and matches almost anything.

Ranking happens in SQL. A common word can match thousands of entries, so a cheap score of LIKE
tests (query phrase in the question, all words in the question, phrase anywhere) first picks the
best `_SHORTLIST`; only those get the costlier word_similarity to the question. Hence an entry
*about* the query ranks above one whose answer merely mentions it, and popular entries break ties.

Requires the pg_trgm extension (faq migration 0001). `django.contrib.postgres` need not be in
INSTALLED_APPS: only its index class and plain SQL functions are used.
"""

from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, TextField, Value, When

from sajad.persian import search_keys

from sajad.markup import plain_text
from .models import FaqEntry

# Weights of the rank (see the module docstring); the similarity is between 0 and 1.
QUESTION_PHRASE_BONUS = 4.0
QUESTION_WORDS_BONUS = 2.0
TEXT_PHRASE_BONUS = 1.0
QUESTION_SIMILARITY_WEIGHT = 1.0
# How many candidates of the cheap score get the word-similarity rank.
_SHORTLIST = 100
# Queries longer than this are cut (a pasted paragraph should not become a huge LIKE chain).
MAX_QUERY_WORDS = 8


def index_keys(*, question: str, answer: str) -> dict[str, str]:
    """The derived search columns of an entry, ready to assign (called by faq.services only)."""
    question_spaced, _ = search_keys(question)
    text_spaced, text_compact = search_keys(f"{question}\n{plain_text(answer)}")
    return {
        "search_question": question_spaced,
        "search_question_compact": question_spaced.replace(" ", ""),
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


def _cheap_score(words: list[str], compact: str):
    """LIKE-only relevance, affordable on every candidate (see module docstring)."""
    all_in_question = Q()
    for word in words:
        all_in_question &= Q(search_question_compact__contains=word)
    return (
        Case(
            When(Q(search_question_compact__contains=compact), then=Value(QUESTION_PHRASE_BONUS)),
            default=Value(0.0), output_field=FloatField(),
        )
        + Case(
            When(all_in_question, then=Value(QUESTION_WORDS_BONUS)),
            default=Value(0.0), output_field=FloatField(),
        )
        + Case(
            When(Q(search_compact__contains=compact), then=Value(TEXT_PHRASE_BONUS)),
            default=Value(0.0), output_field=FloatField(),
        )
    )


def faq_search(query: str, *, service=None, limit: int = 10) -> list[FaqEntry]:
    """Published entries matching `query`, best first.

    With `service`, entries of that service and of general (service-less) categories are searched.
    An empty or punctuation-only query returns []. One SQL query, two when few entries match.
    """
    spaced, compact = search_keys(query)
    if not compact or limit <= 0:
        return []
    words = spaced.split()[:MAX_QUERY_WORDS]
    spaced = " ".join(words)
    compact = "".join(words)

    published = FaqEntry.objects.filter(is_published=True)
    if service is not None:
        published = published.filter(
            Q(category__service=service) | Q(category__service__isnull=True)
        )
    if connection.vendor != "postgresql":
        # The embedded SQLite of `make run` has no pg_trgm: every word must appear, no typos.
        every_word = Q()
        for word in words:
            every_word &= Q(search_compact__contains=word)
        return list(published.filter(every_word).select_related("category__service")
                    .order_by("-helpful_yes", "order", "id")[:limit])
    similarity = _WordSimilarity(Value(spaced, output_field=TextField()), F("search_question"))

    every_word = Q()
    for word in words:
        every_word &= Q(search_compact__contains=word)
    shortlist = (
        published.filter(every_word)
        .alias(cheap=_cheap_score(words, compact))
        .order_by("-cheap", "-helpful_yes", "order", "id")
        .values("pk")[:_SHORTLIST]
    )
    found = list(
        FaqEntry.objects.filter(pk__in=shortlist)
        .annotate(rank=_cheap_score(words, compact) + QUESTION_SIMILARITY_WEIGHT * similarity)
        .select_related("category__service")
        .order_by("-rank", "-helpful_yes", "order", "id")[:limit]
    )
    if len(found) < limit:
        fuzzy = (
            published.filter(_WordSimilarTo(F("search_question"), Value(spaced)))
            .exclude(pk__in=[entry.pk for entry in found])
            .annotate(rank=similarity)
            .select_related("category__service")
            .order_by("-rank", "-helpful_yes", "order", "id")[: limit - len(found)]
        )
        found.extend(fuzzy)
    return found
