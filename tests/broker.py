"""What waits in the test broker's default queue (real Redis): tests of what gets published."""
import base64
import json

import redis
from django.conf import settings


def broker_client() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def queued() -> list[tuple[str, list]]:
    """(task name, positional arguments) of every message waiting, oldest first."""
    messages = [json.loads(raw) for raw in reversed(broker_client().lrange("celery", 0, -1))]
    return [(m["headers"]["task"], json.loads(base64.b64decode(m["body"]))[0]) for m in messages]
