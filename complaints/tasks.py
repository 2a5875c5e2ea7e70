"""Celery tasks of cases: ids in, one domain call. Each is safe to run twice.

Enqueued by name (`sajad.queue.enqueue_on_commit("complaints.route_case", …)`): this module
depends on the domain, never the other way round.
"""
from celery import shared_task

from . import services
from .case_sweep import case_sweep


@shared_task(name="complaints.route_case", ignore_result=True)
def route_case(case_id: int) -> None:
    services.case_route(case_id=case_id)


@shared_task(name="complaints.recompute_deadlines", ignore_result=True)
def recompute_deadlines(reason: str) -> None:
    services.deadlines_recompute_open(reason=reason)


@shared_task(name="complaints.sweep", ignore_result=True)
def sweep() -> None:
    case_sweep()
