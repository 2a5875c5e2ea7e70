"""Test settings: only faster, never a different stack (PostgreSQL and Redis stay real)."""
from .base import *  # noqa: F401,F403
from .base import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run gets its own Redis database so a developer's portal keeps its cache.
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CACHES = {"default": {"BACKEND": "sajad.resilient_cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
# Every test starts from an emptied cache and a rolled-back database, and a worker process must
# see this test's calendar and policies, not the last test's: ask Redis on every use.
SHARED_COPY_CHECK_SECONDS = 0
# Generous limits so ordinary tests are not throttled; the rate-limit tests set their own.
RATE_FILING = "1000/m"
RATE_TRACKING = "1000/m"
RATE_FAQ_SUGGEST = "1000/m"
RATE_FAQ_VOTE = "1000/m"
RATE_LOGIN_FAILURES = "1000/m"
