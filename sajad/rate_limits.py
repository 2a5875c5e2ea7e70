"""Rate limits that say how long to wait: the one place that turns a limit's window into words.

django-ratelimit counts in fixed windows kept in the shared cache; `get_usage` tells how many
seconds the current window has left. Every refusal states that wait («حدود ۴۵ دقیقه دیگر»), never
"a few minutes" for an hour-long window: the filing form's own refusal (complaints.filing_limits,
which keeps the form filled) and the site's 429 page (`sajad.views.rate_limited`) for everything
limited with `limit` below (tracking, the FAQ suggestions and votes, survey answers).
"""
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from .persian import to_persian_digits


def wait_minutes(usage: dict | None) -> int | None:
    """Whole minutes until the window of `usage` ends (at least one); None when unknown.

    The count is unknown when the cache could not be asked (django-ratelimit then refuses with
    `time_left` -1), so a refusal falls back to a wait without a number.
    """
    if not usage or usage.get("time_left", -1) < 0:
        return None
    return max(1, math.ceil(usage["time_left"] / 60))


def is_spent(usage: dict | None) -> bool:
    """Whether the window of `usage` (from `get_usage(..., increment=False)`) allows no more."""
    return usage is not None and usage["count"] >= usage["limit"]


@dataclass(frozen=True)
class Refusal:
    """A limit is spent; `wait_minutes` until it allows again (None: unknown)."""

    wait_minutes: int | None


def refusal(usages: Iterable[dict | None]) -> Refusal | None:
    """None while every one of several limits allows; else the refusal with the longest wait.

    When two limits are spent, the citizen can try again only once both windows have ended.
    """
    spent = [usage for usage in usages if is_spent(usage)]
    if not spent:
        return None
    waits = [wait_minutes(usage) for usage in spent]
    return Refusal(None if None in waits else max(waits))


def wait_phrase(minutes: int | None) -> str:
    """«حدود ۴۵ دقیقه», «حدود یک ساعت»: the wait in the active language, Persian digits in Persian.

    An unknown wait (None) reads «چند دقیقه».
    """
    if minutes is None:
        return _("a few minutes")
    if minutes <= 1:
        text = _("about a minute")
    elif minutes < 60:
        text = _("about %(n)s minutes") % {"n": minutes}
    else:
        hours = math.floor(minutes / 60 + 0.5)
        text = _("about an hour") if hours == 1 else _("about %(n)s hours") % {"n": hours}
    return to_persian_digits(text) if (get_language() or "fa").startswith("fa") else text


def with_retry_after(response, minutes: int | None):
    """Tell programs (the FAQ suggestions' script, a client) the same wait, in seconds."""
    if minutes is not None:
        response["Retry-After"] = str(minutes * 60)
    return response


class RateLimited(Ratelimited):
    """A refusal that knows its wait; the ratelimit middleware hands it to `RATELIMIT_VIEW`."""

    def __init__(self, wait_minutes: int | None = None):
        super().__init__()
        self.wait_minutes = wait_minutes


def limit(*, rate, key="ip", method=ALL, group=None):
    """Like django-ratelimit's `@ratelimit(block=True)`, but the refusal carries the real wait.

    Counters are the same ones `@ratelimit` keeps (same group, key and rate), so swapping the
    decorator resets nothing.
    """

    def decorator(fn):
        @wraps(fn)
        def wrapped(request, *args, **kwargs):
            usage = get_usage(request, group=group, fn=fn, key=key, rate=rate, method=method,
                              increment=True)
            if usage is not None and usage["should_limit"]:
                raise RateLimited(wait_minutes(usage))
            return fn(request, *args, **kwargs)

        return wrapped

    return decorator
