"""Django's Redis cache that degrades to a local in-process cache while Redis is unreachable.

The cache holds nothing a citizen's request needs to be correct: rate-limit counters, the single-
use filing stamps and the worker heartbeat. When Redis refuses connections (killed, restarting,
a network split), every cache call would raise and every filing, tracking or FAQ request would
be a 500. Instead each call falls back to a per-process LocMemCache, so limits still hold per
process (looser across processes: an outage is not a moment to be stricter), and the outage is
logged once when it starts and once when it ends, never per request.

While Redis is down the primary is not tried again for `RETRY_SECONDS`, so requests do not each
pay a connect timeout (a hung Redis with dropped packets would otherwise cost `socket_timeout` per
call). `/healthz` asks `primary_available()`, which always tries Redis itself.
"""
import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# The failures of an unreachable server; anything else (a bad key, a bug) still raises.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)

# Socket limits so a Redis that hangs instead of refusing costs a request at most this much.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class _Outage:
    """Whether one Redis server is down, shared by every cache instance in the process (Django
    makes one per thread), so an outage is one log line per process, not one per thread."""

    def __init__(self):
        self.down_since: float | None = None
        self.retry_at = 0.0


_states: dict[str, _Outage] = {}
_states_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    RETRY_SECONDS = 2.0

    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        retry = params["OPTIONS"].pop("retry_seconds", None)
        super().__init__(server, params)
        if retry is not None:
            self.RETRY_SECONDS = float(retry)
        self._fallback = LocMemCache(f"sajad-fallback-{id(self)}", {
            "TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 100_000},
        })
        with _states_lock:
            self._state = _states.setdefault(str(server), _Outage())
        self._pipeline_client = None

    def _call(self, name: str, *args, **kwargs):
        state = self._state
        if state.down_since is not None and time.monotonic() < state.retry_at:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._went_down(exc)
            return getattr(self._fallback, name)(*args, **kwargs)
        if state.down_since is not None:
            self._came_back()
        return result

    def _went_down(self, exc: Exception) -> None:
        state = self._state
        with _states_lock:
            state.retry_at = time.monotonic() + self.RETRY_SECONDS
            if state.down_since is None:
                state.down_since = time.monotonic()
                log.error(
                    "cache unreachable (%s: %s); using the in-process fallback until Redis answers",
                    type(exc).__name__, exc,
                )

    def _came_back(self) -> None:
        state = self._state
        with _states_lock:
            if state.down_since is None:
                return
            seconds = time.monotonic() - state.down_since
            state.down_since = None
            log.warning("cache reachable again after %.1f s; the fallback is no longer used", seconds)

    def pipeline(self, build) -> list | None:
        """Run several commands in one round trip: `build(pipe)` queues them on a redis-py
        pipeline. None when Redis is unreachable (the caller then uses the cache API, i.e. the
        fallback), so hot paths can batch their counters without losing the outage handling."""
        state = self._state
        if state.down_since is not None and time.monotonic() < state.retry_at:
            return None
        try:
            # One client object per cache instance (Django builds a new one on every call).
            if self._pipeline_client is None:
                self._pipeline_client = self._cache.get_client(write=True)
            pipe = self._pipeline_client.pipeline(transaction=False)
            build(pipe)
            replies = pipe.execute()
        except UNREACHABLE as exc:
            self._went_down(exc)
            return None
        if state.down_since is not None:
            self._came_back()
        return replies

    def primary_available(self) -> bool:
        """Ask Redis itself (for /healthz), whatever the fallback state."""
        try:
            super().set("sajad:healthz", "1", 10)
            ok = super().get("sajad:healthz") == "1"
        except UNREACHABLE:
            return False
        if ok and self._state.down_since is not None:
            self._came_back()
        return ok

    # Every public operation goes through `_call`.
    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self, *args, **kwargs):
        return self._call("clear", *args, **kwargs)


def resilient(cache_config: dict) -> dict:
    """Settings helper: Django's RedisCache becomes the resilient one; other backends unchanged."""
    if cache_config.get("BACKEND") == "django.core.cache.backends.redis.RedisCache":
        return {**cache_config, "BACKEND": "sajad.resilient_cache.ResilientRedisCache"}
    return cache_config
