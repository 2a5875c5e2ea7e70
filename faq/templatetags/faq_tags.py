"""Template helpers of the FAQ pages."""
from django import template

register = template.Library()


@register.filter
def vote_for(my_votes: dict, entry_id: int):
    """{{ my_votes|vote_for:entry.pk }} → True, False, or None when the visitor has not voted."""
    return (my_votes or {}).get(entry_id)
