"""Per-process copies of small, rarely changed tables, reloaded when a shared version changes.

Filing a case needs the working calendar: a few rows that change a few times a year but cost two
queries and the expansion of recurring Jalali holidays over eight years on every filing. Each process keeps what it
loaded together with a version token kept in the shared cache (Redis); any change deletes the
token, so every process reloads on its next use. Deleting happens at once and again when the
changing transaction commits (a process that reloaded in between would otherwise keep rows read
before the commit). Changes that bypass model signals (bulk updates, raw SQL) are picked up when
the token expires (`TTL_SECONDS`).

A process asks for the token at most every `SHARED_COPY_CHECK_SECONDS` (setting): other
processes see a change that much later, the changing process at once.

When the shared cache cannot be reached, every use reads the rows afresh: slower, never stale.
"""
from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

T = TypeVar("T")
TTL_SECONDS = 300


class SharedCopy(Generic[T]):
    def __init__(self, name: str, load: Callable[[], T]):
        self.key = f"sajad:shared-copy:{name}"
        self.load = load
        self._version: str | None = None
        self._value: T | None = None
        self._checked_at = 0.0

    def get(self) -> T:
        now = time.monotonic()
        if self._version is not None and now - self._checked_at < settings.SHARED_COPY_CHECK_SECONDS:
            return self._value
        try:
            version = cache.get(self.key)
            if version is None:
                version = secrets.token_hex(8)
                if not cache.add(self.key, version, TTL_SECONDS):
                    version = cache.get(self.key) or version
        except Exception:  # noqa: BLE001 - the cache is an optimisation; the rows are the truth
            log.warning("shared cache unreachable: reading %s afresh", self.key)
            return self.load()
        if version != self._version:
            self._value = self.load()
            self._version = version
        self._checked_at = now
        return self._value

    def forget(self, **_signal_kwargs) -> None:
        """Make every process reload; call (or connect as a receiver) after a change."""
        self._version = None
        self._delete()
        transaction.on_commit(self._delete)

    def _delete(self) -> None:
        try:
            cache.delete(self.key)
        except Exception:  # noqa: BLE001
            log.warning("shared cache unreachable: could not expire %s", self.key)
