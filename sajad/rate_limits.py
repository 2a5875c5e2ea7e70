"""Rate limits that say how long to wait: the one place that turns a limit's window into words.

The counters are `sajad.rate_windows` (fixed windows, several in one Redis round trip), which know
how many seconds their window has left. Every refusal states that wait («حدود ۴۵ دقیقه دیگر»),
never "a few minutes" for an hour-long window: the filing form's own refusal (complaints.filing_limits,
which keeps the form filled), the tracking proof, and the site's 429 page (`sajad.views.rate_limited`)
for every view limited with `limit` below (the citizen's case actions, the FAQ suggestions and
votes, survey answers).
"""
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit.exceptions import Ratelimited

from . import rate_windows
from .persian import to_persian_digits
from .security import client_ip


@dataclass(frozen=True)
class Refusal:
    """A limit is spent; `wait_minutes` until it allows again (None: unknown)."""

    wait_minutes: int | None


def refusal(usages: Iterable[rate_windows.Usage]) -> Refusal | None:
    """None while every one of several limits allows; else the refusal with the longest wait.

    When two limits are spent, the citizen can try again only once both windows have ended.
    """
    waits = [usage.wait_minutes for usage in usages if usage.refuses]
    return Refusal(max(waits)) if waits else None


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


def limit(*, rate, method=None, group=None):
    """Like django-ratelimit's `@ratelimit(key="ip", block=True)`, in one Redis round trip, and
    the refusal carries the real wait.

    `rate` is a rate string or `rate(group, request)`; `method` limits only that method (None:
    every request); `group` shares one counter between views (default: the view's own).
    """

    def decorator(fn):
        name = group or f"{fn.__module__}.{fn.__qualname__}"

        @wraps(fn)
        def wrapped(request, *args, **kwargs):
            if method is None or request.method == method:
                value = rate(name, request) if callable(rate) else rate
                usage, = rate_windows.usages([
                    rate_windows.Window(name, client_ip(request), value, count=True)])
                if usage.refuses:
                    raise RateLimited(usage.wait_minutes)
            return fn(request, *args, **kwargs)

        return wrapped

    return decorator
