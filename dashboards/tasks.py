"""Celery tasks of the summary tables. Safe to run twice or at once (the watermark's row lock)."""
from celery import shared_task

from .rollups import rollups_update_all


@shared_task(name="dashboards.rollups", ignore_result=True)
def rollups() -> None:
    rollups_update_all()
