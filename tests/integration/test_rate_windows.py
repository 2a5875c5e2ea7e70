"""The hot paths' counters (`sajad.rate_windows`): real Redis, and its fallback on a closed port."""
import pytest
from django.core.cache import cache

from sajad import rate_windows
from sajad.rate_windows import Window

CLOSED = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_counted_windows_grow_and_read_windows_only_look():
    now = 1_700_000_000.0
    for expected in (1, 2, 3):
        counted, looked = rate_windows.usages(
            [Window("g", "10.0.0.1", "3/m", count=True), Window("h", "10.0.0.1", "5/m")], now=now)
        assert counted.count == expected and looked.count == 0
    assert not counted.exceeded and counted.reached
    over, = rate_windows.usages([Window("g", "10.0.0.1", "3/m", count=True)], now=now)
    assert over.exceeded
    # Another value, another group: their own counters.
    other, = rate_windows.usages([Window("g", "10.0.0.2", "3/m")], now=now)
    assert other.count == 0


def test_windows_are_fixed_and_say_when_they_end():
    start = 1_700_000_400.0  # a multiple of 600: a ten-minute window starts here
    first, = rate_windows.usages([Window("w", "a", "2/10m", count=True)], now=start + 30)
    assert first.seconds_left == 570 and first.limit == 2
    rate_windows.usages([Window("w", "a", "2/10m", count=True)], now=start + 500)
    fresh, = rate_windows.usages([Window("w", "a", "2/10m", count=True)], now=start + 600)
    assert fresh.count == 1  # a new window, a new count


def test_counters_live_in_redis_with_an_expiry():
    rate_windows.usages([Window("ttl", "x", "5/h", count=True)])
    client = cache._cache.get_client()
    keys = client.keys("*rw:ttl:*")
    assert len(keys) == 1 and 0 < client.ttl(keys[0]) <= 3601


@pytest.mark.parametrize("rate, expected", [("20/10m", (20, 600)), ("5/h", (5, 3600)),
                                            ("1000/m", (1000, 60)), ("3/2d", (3, 172800))])
def test_rates_read_like_django_ratelimit(rate, expected):
    assert rate_windows.parse_rate(rate) == expected


def test_a_bad_rate_is_refused():
    with pytest.raises(ValueError):
        rate_windows.parse_rate("twenty a minute")


def test_while_redis_is_down_the_limits_hold_per_process(settings):
    from sajad import resilient_cache

    settings.CACHES = {"default": {"BACKEND": "sajad.resilient_cache.ResilientRedisCache",
                                   "LOCATION": CLOSED}}
    try:
        counts = [rate_windows.usages([Window("down", "a", "2/m", count=True)])[0] for _ in range(3)]
        assert [usage.count for usage in counts] == [1, 2, 3]
        assert counts[-1].exceeded
    finally:
        resilient_cache._states.pop(CLOSED, None)
