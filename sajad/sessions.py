"""Django's database sessions, less one query per new session.

A new session key is 32 random characters from 36, so a clash with a stored key does not happen in
practice; Django's base class still asks the database first (one SELECT per new session, i.e. on
every first filing and tracking proof). The insert itself is guarded by the primary key:
`save(must_create=True)` turns a clash into `CreateError` and `create()` draws another key.
"""
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)
