"""Reads with rules: only published entries and active services reach the public pages."""
from django.db.models import Count, Prefetch, Q
from django.http import Http404

from sajad.models import Service

from .models import FaqCategory, FaqEntry, FaqVote


def faq_most_useful(*, limit: int = 8) -> list[FaqEntry]:
    """Published entries people found helpful, then the most read (the /faq/ landing list)."""
    return list(
        FaqEntry.objects.filter(is_published=True)
        .filter(Q(category__service__isnull=True) | Q(category__service__is_active=True))
        .select_related("category__service")
        .order_by("-helpful_yes", "-view_count", "order", "id")[:limit]
    )


def faq_services_with_entries() -> list[Service]:
    """Active services that have at least one published entry, with how many."""
    return list(
        Service.objects.filter(is_active=True, faq_categories__entries__is_published=True)
        .annotate(
            faq_count=Count(
                "faq_categories__entries",
                filter=Q(faq_categories__entries__is_published=True),
                distinct=True,
            )
        )
        .order_by("order", "name")
    )


def faq_service_get(*, slug: str) -> Service:
    """The active service of a per-service FAQ page; 404 otherwise."""
    try:
        return Service.objects.get(slug=slug, is_active=True)
    except Service.DoesNotExist as exc:
        raise Http404 from exc


def faq_categories_for_service(*, service: Service) -> list[FaqCategory]:
    """The service's categories that have published entries, each with them prefetched in order."""
    published = FaqEntry.objects.filter(is_published=True).order_by("order", "id")
    return list(
        FaqCategory.objects.filter(service=service, entries__is_published=True)
        .distinct()
        .order_by("order", "name")
        .prefetch_related(Prefetch("entries", queryset=published, to_attr="published_entries"))
    )


def faq_entry_get_published(*, entry_id: int) -> FaqEntry:
    """A published entry for the vote and "answered" endpoints; 404 otherwise."""
    try:
        return FaqEntry.objects.select_related("category__service").get(
            pk=entry_id, is_published=True
        )
    except FaqEntry.DoesNotExist as exc:
        raise Http404 from exc


def faq_votes_of_visitor(*, voter_key: str | None, entry_ids: list[int]) -> dict[int, bool]:
    """{entry id: helpful} for the entries on a page that this visitor has already voted on."""
    if not voter_key or not entry_ids:
        return {}
    return dict(
        FaqVote.objects.filter(voter_key=voter_key, entry_id__in=entry_ids).values_list(
            "entry_id", "helpful"
        )
    )
