"""How many cases may be filed, per network address and per mobile: the one place for that rule.

Only accepted filings count. A form sent back with errors, the FAQ step, or a refused robot costs
the citizen nothing; `filing_count` is called once a case is stored. Two limits apply together:

* per address (`RATE_FILING`, default 40 an hour) — generous, because a dormitory, a faculty
  or a mobile operator's gateway puts many students behind one address;
* per mobile (`RATE_FILING_MOBILE`, default 5 an hour) — the tight one, since each citizen files
  with their own mobile (anonymous filings have none and meet only the address limit).

Counters live in the shared cache in fixed windows (`sajad.rate_windows`: both limits in one
round trip to Redis, whether checking or counting); the refusal says how long until the window
that refused ends, the same wait the site's 429 page states. Checking before filing and counting
after is not atomic: two filings at the same instant may both pass the last free place, which
bounds abuse just as well and never counts a filing that was not stored.
"""
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from sajad import rate_limits, rate_windows
from sajad.security import client_ip
from sajad.validators import normalize_mobile

GROUP_ADDRESS = "complaints.filing.address"
GROUP_MOBILE = "complaints.filing.mobile"


@dataclass(frozen=True)
class FilingRefusal:
    """Why filing is refused now, and the real wait until it is possible again."""

    by_mobile: bool  # the mobile's limit, else the address's
    wait_minutes: int


def _windows(request, mobile: str, *, count: bool) -> list[tuple[bool, rate_windows.Window]]:
    windows = [(False, rate_windows.Window(GROUP_ADDRESS, client_ip(request), settings.RATE_FILING,
                                           count=count))]
    mobile = normalize_mobile(mobile or "")
    if mobile:
        windows.append((True, rate_windows.Window(GROUP_MOBILE, mobile, settings.RATE_FILING_MOBILE,
                                                  count=count)))
    return windows


@dataclass(frozen=True)
class Admission:
    stamp_claimed: bool  # False: the form's stamp was used already (a replay)
    refusal: FilingRefusal | None


def filing_admission(request, *, mobile: str, stamp: rate_windows.Claim) -> Admission:
    """Claim the form's single-use stamp and check both limits, in one round trip to Redis.

    A refused filing gives its stamp back, so the person can send the same form once the wait
    is over.
    """
    windows = _windows(request, mobile, count=False)
    usages, claimed = rate_windows.usages_claiming([window for _by_mobile, window in windows], stamp)
    if not claimed:
        return Admission(stamp_claimed=False, refusal=None)
    refused = rate_limits.refusal(usages)  # the longest wait, when both limits are reached
    if refused is None:
        return Admission(stamp_claimed=True, refusal=None)
    cache.delete(stamp.key)
    by_mobile = next(by_mobile for (by_mobile, _window), usage in zip(windows, usages)
                     if usage.refuses and usage.wait_minutes == refused.wait_minutes)
    return Admission(stamp_claimed=True,
                     refusal=FilingRefusal(by_mobile=by_mobile, wait_minutes=refused.wait_minutes))


def filing_count(request, *, mobile: str) -> None:
    """Count one accepted filing against the address and the mobile."""
    rate_windows.usages([window for _by_mobile, window in _windows(request, mobile, count=True)])
