import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached state live in the test Redis database; start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def private_media(tmp_path, settings):
    """Attachments of this test go to a throw-away folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from sajad.storage import private_storage

    from django.utils.functional import empty

    private_storage._wrapped = empty
    yield settings.PRIVATE_MEDIA_ROOT
    private_storage._wrapped = empty
