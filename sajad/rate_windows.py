"""Fixed-window counters for the citizen's hot paths, several in one Redis round trip.

django-ratelimit's `get_usage` costs two round trips per counter (ADD, then INCR or GET). The
tracking proof checks three counters and the filing POST two plus its single-use stamp, so on the
public path those trips were a large share of each request (see README, "Public path"). Here a
request states every counter it needs at once and one pipeline answers them all:

    address, number = rate_windows.usages([
        rate_windows.Window("track-address", client_ip(request), settings.RATE_TRACKING, count=True),
        rate_windows.Window("track-guess-number", number, settings.TRACKING_GUESSES_PER_NUMBER),
    ])

Windows are fixed and aligned to the epoch, like django-ratelimit's, so a refusal can say exactly
when its window ends (`Usage.seconds_left`). The key names the window, so a counter never needs
its expiry read back. While Redis is unreachable the counters live in the resilient cache's
per-process fallback (`sajad.resilient_cache`), one call each: limits still hold per process.
"""
import hashlib
import math
import re
import time
from dataclasses import dataclass

from django.core.cache import caches

from .resilient_cache import ResilientRedisCache

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'20/10m' → (20, 600): the limit and the window in seconds (django-ratelimit's notation)."""
    match = _RATE.match(rate or "")
    if match is None:
        raise ValueError(f"not a rate: {rate!r}")
    limit, multiplier, unit = match.groups()
    return int(limit), int(multiplier or 1) * _UNIT_SECONDS[unit]


@dataclass(frozen=True)
class Window:
    """One counter: `value` (an address, a number, a mobile) within `group`, at `rate`.

    `count=True` adds this request to the counter; otherwise the counter is only read.
    """

    group: str
    value: str
    rate: str
    count: bool = False


@dataclass(frozen=True)
class Usage:
    count: int  # this request included when it was counted
    limit: int
    seconds_left: int  # until the current window ends
    counted: bool = False  # this request was added to the counter

    @property
    def refuses(self) -> bool:
        """A counted request over the limit, or a read-only check with nothing left."""
        return self.exceeded if self.counted else self.reached

    @property
    def wait_minutes(self) -> int:
        """Whole minutes until the window ends (at least one), as a refusal states them."""
        return max(1, math.ceil(self.seconds_left / 60))

    @property
    def reached(self) -> bool:
        """Nothing more is allowed in this window (a read-only check before acting)."""
        return self.count >= self.limit

    @property
    def exceeded(self) -> bool:
        """This counted request went over the limit."""
        return self.count > self.limit


def _key(window: Window, period: int, index: int) -> str:
    digest = hashlib.blake2b(window.value.encode(), digest_size=12).hexdigest()
    return f"rw:{window.group}:{period}:{index}:{digest}"


def usages(windows: list[Window], *, now: float | None = None) -> list[Usage]:
    """The counters of `windows`, counting those marked `count`, in one round trip to Redis."""
    return usages_claiming(windows, now=now)[0]


@dataclass(frozen=True)
class Claim:
    """A single-use marker (a form's one-off stamp): set if absent, kept for `seconds`."""

    key: str
    seconds: int


def usages_claiming(windows: list[Window], claim: Claim | None = None, *,
                    now: float | None = None) -> tuple[list[Usage], bool]:
    """`usages(windows)` and, in the same round trip, `claim` (SET NX): (usages, claimed).

    `claimed` is False when the marker was already set (a replay); True without a claim.
    """
    now = time.time() if now is None else now
    plans = []
    for window in windows:
        limit, period = parse_rate(window.rate)
        index = int(now // period)
        seconds_left = max(1, int((index + 1) * period - now))
        plans.append((window, limit, period, _key(window, period, index), seconds_left))
    counts, claimed = _counts(plans, claim)
    return [
        Usage(count=count, limit=limit, seconds_left=seconds_left, counted=window.count)
        for count, (window, limit, _period, _key_, seconds_left) in zip(counts, plans)
    ], claimed


def _counts(plans, claim: Claim | None) -> tuple[list[int], bool]:
    backend = caches["default"]
    replies = None
    if isinstance(backend, ResilientRedisCache):
        def build(pipe):
            if claim is not None:
                pipe.set(backend.make_key(claim.key), 1, nx=True, ex=claim.seconds)
            for window, _limit, period, key, _left in plans:
                stored = backend.make_key(key)  # the cache API's prefix and version, as in fallback
                if window.count:
                    pipe.incr(stored)
                    pipe.expire(stored, period + 1)
                else:
                    pipe.get(stored)

        replies = backend.pipeline(build)
    if replies is None:
        claimed = claim is None or backend.add(claim.key, 1, claim.seconds)
        return [_fallback_count(backend, window, period, key)
                for window, _limit, period, key, _left in plans], claimed
    replies = iter(replies)
    claimed = claim is None or bool(next(replies))
    counts = []
    for window, *_rest in plans:
        reply = next(replies)
        if window.count:
            next(replies)  # EXPIRE's reply
        counts.append(int(reply or 0))
    return counts, claimed


def _fallback_count(backend, window: Window, period: int, key: str) -> int:
    """One counter through the cache API (the fallback while Redis is down, or a non-Redis cache)."""
    if not window.count:
        return int(backend.get(key) or 0)
    backend.add(key, 0, period + 1)
    try:
        return backend.incr(key)
    except ValueError:  # expired between the two calls
        backend.set(key, 1, period + 1)
        return 1
