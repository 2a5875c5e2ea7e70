"""A paginator for tables too large to count: the admin lists at a million cases.

Django's paginator runs `SELECT COUNT(*)` over the whole filtered queryset on every page view. On a
million-row table that is a full index scan per click. `BoundedCountPaginator` counts at most
`COUNT_LIMIT + 1` rows (`SELECT COUNT(*) FROM (… LIMIT n) subquery`), so the cost is bounded however
large the table grows. When the cap is hit, `count` is `COUNT_LIMIT + 1`, `is_capped` is True and
templates say "more than …"; the pages beyond the cap are not reachable: narrow the list with a
filter or a search instead, which is what a triage expert does anyway.
"""
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedCountPaginator(Paginator):
    COUNT_LIMIT = 10_000

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if hasattr(object_list, "query"):  # a QuerySet: let the database stop early
            # Which rows are counted does not matter, so drop the ordering (any N+1 will do) and
            # the annotations (values("pk") leaves per-row subqueries such as deadlines out).
            return object_list.order_by().values("pk")[: self.COUNT_LIMIT + 1].count()
        return len(object_list)

    @property
    def is_capped(self) -> bool:
        return self.count > self.COUNT_LIMIT


class TextSearchPaginator(BoundedCountPaginator):
    """For word searches, whose matches the database re-checks row by row: a lower bound."""

    COUNT_LIMIT = 1_000
