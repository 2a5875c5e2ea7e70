"""How many cases may be filed, per network address and per mobile: the one place for that rule.

Only accepted filings count. A form sent back with errors, the FAQ step, or a refused robot costs
the citizen nothing; `filing_count` is called once a case is stored. Two limits apply together:

* per address (`RATE_FILING`, default 40 an hour) — generous, because a dormitory, a faculty
  or a mobile operator's gateway puts many students behind one address;
* per mobile (`RATE_FILING_MOBILE`, default 5 an hour) — the tight one, since each citizen files
  with their own mobile (anonymous filings have none and meet only the address limit).

Counters live in the shared cache through django-ratelimit's `get_usage`, in fixed windows; the
refusal says how long until the window that refused ends (`sajad.rate_limits.wait_minutes`, the
same wait the site's 429 page states). Checking before filing and counting
after is not atomic: two filings at the same instant may both pass the last free place, which
bounds abuse just as well and never counts a filing that was not stored.
"""
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

from sajad.rate_limits import is_spent, wait_minutes
from sajad.validators import normalize_mobile

GROUP_ADDRESS = "complaints.filing.address"
GROUP_MOBILE = "complaints.filing.mobile"


@dataclass(frozen=True)
class FilingRefusal:
    """Why filing is refused now, and the real wait until it is possible again."""

    by_mobile: bool  # the mobile's limit, else the address's
    wait_minutes: int | None  # None: the counter could not be read (see sajad.rate_limits)


def _usages(request, mobile: str, *, increment: bool):
    yield False, get_usage(
        request, group=GROUP_ADDRESS, key="ip", rate=settings.RATE_FILING, method="POST",
        increment=increment,
    )
    mobile = normalize_mobile(mobile or "")
    if mobile:
        yield True, get_usage(
            request, group=GROUP_MOBILE, key=lambda group, request: mobile,
            rate=settings.RATE_FILING_MOBILE, method="POST", increment=increment,
        )


def filing_refusal(request, *, mobile: str) -> FilingRefusal | None:
    """None when another filing from this address and mobile is allowed now; else the refusal."""
    refusals = [
        FilingRefusal(by_mobile=by_mobile, wait_minutes=wait_minutes(usage))
        for by_mobile, usage in _usages(request, mobile, increment=False)
        if is_spent(usage)
    ]
    # The longest wait is the true one when both limits are reached.
    return max(refusals, key=lambda r: r.wait_minutes or 0, default=None)


def filing_count(request, *, mobile: str) -> None:
    """Count one accepted filing against the address and the mobile."""
    for _by_mobile, _usage in _usages(request, mobile, increment=True):
        pass
