"""Frequently asked questions: categories per service, entries, one vote per visitor, deflections.

The `search_*` columns are derived from question and answer by `faq.search.index_keys` and are
written only by `faq.services`; nothing else should set them (no signals, no `save()` logic).
"""
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sajad.models import Service


class FaqCategory(models.Model):
    """A heading under which a service's questions are grouped; no service means general questions."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="faq_categories",
        help_text=_("Leave empty for general questions that are not about one service."),
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="faq_category_unique_per_service"),
        ]

    def __str__(self) -> str:
        if self.service_id:
            return f"{self.service} – {self.name}"
        return self.name


class FaqEntry(models.Model):
    """One question and its answer, written in the small markup of `faq.markup`."""

    category = models.ForeignKey(
        FaqCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="entries"
    )
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(
        _("answer"),
        help_text=_(
            "Blank line between paragraphs; **bold**; lines starting with “- ” make a list; "
            "[text](https://…) makes a link."
        ),
    )
    is_published = models.BooleanField(_("published"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(_("found helpful"), default=0, editable=False)
    helpful_no = models.PositiveIntegerField(_("found unhelpful"), default=0, editable=False)

    # Derived search columns (see faq.search): the question, and question with answer, each
    # with spaces and with every space removed (so «میخواهم» meets «می خواهم»).
    search_question = models.TextField(editable=False, default="")
    search_question_compact = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    search_compact = models.TextField(editable=False, default="")

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["order", "id"]
        indexes = [
            # faq_search step 1: every query word LIKE '%word%' in the compact text.
            GinIndex(
                fields=["search_compact"], opclasses=["gin_trgm_ops"], name="faq_entry_compact_trgm"
            ),
            # faq_search step 2 (typos): `search_question %> query`.
            GinIndex(
                fields=["search_question"], opclasses=["gin_trgm_ops"], name="faq_entry_question_trgm"
            ),
            # The /faq/ landing page: published entries by helpful votes, then views.
            models.Index(
                fields=["-helpful_yes", "-view_count"], condition=Q(is_published=True),
                name="faq_entry_most_useful",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def answer_html(self) -> str:
        from sajad.markup import render

        return render(self.answer)


class FaqVote(models.Model):
    """A visitor's answer to "was this helpful?"; the unique pair makes it one vote per visitor."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="votes")
    # A keyed hash of the visitor's session key: identifies the visitor without storing the key.
    voter_key = models.CharField(max_length=64)
    helpful = models.BooleanField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("FAQ vote")
        verbose_name_plural = _("FAQ votes")
        constraints = [
            models.UniqueConstraint(fields=["entry", "voter_key"], name="faq_vote_once_per_visitor"),
        ]


class DeflectionClick(models.Model):
    """A citizen said an FAQ entry answered their question instead of filing a case."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="deflections")
    voter_key = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "voter_key"], name="faq_deflection_once_per_visitor"
            ),
        ]
