"""The Celery app. Tasks are thin: ids in, one domain call (see complaints/tasks.py)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sajad.settings.base")

app = Celery("sajad")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
