"""Admin lists that answer a mistyped or hostile filter with "invalid filter", never a 500.

Django's changelist turns a bad `date_hierarchy` value into "invalid lookup" when `int()` fails,
but a 40-digit year passes `int()` and then overflows `datetime()` (an OverflowError it does not
catch). django-axes' three log lists use a date hierarchy, so a scanner could raise it at will.
"""
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class GuardedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as exc:  # a date part too large for datetime(): a bad lookup
            raise IncorrectLookupParameters(exc) from exc


def guard_changelists(site: admin.AdminSite) -> None:
    """Give every registered list with a date hierarchy the guarded changelist."""
    for model_admin in site._registry.values():
        if model_admin.date_hierarchy and model_admin.get_changelist.__func__ is (
            admin.ModelAdmin.get_changelist
        ):
            model_admin.get_changelist = lambda request, **kwargs: GuardedChangeList
