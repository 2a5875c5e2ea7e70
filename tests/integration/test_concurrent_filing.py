"""Filings from several processes at once never share a tracking number."""
import multiprocessing

import pytest
from django.db import connections

from complaints.models import Case
from tests import factories

PROCESSES = 4
FILINGS_EACH = 10
# A deliberately tiny pool of numbers, so concurrent filings really do draw the same ones.
POOL = [f"{n:08d}" for n in range(10_000_000, 10_000_000 + PROCESSES * FILINGS_EACH * 2)]


def _file_many(service_id: int, seed: int, barrier, results):
    import random

    from complaints import tracking
    from sajad.models import Service

    rng = random.Random(seed)
    tracking.random_body = lambda: rng.choice(POOL)
    barrier.wait()
    numbers = []
    try:
        service = Service.objects.get(pk=service_id)
        for _ in range(FILINGS_EACH):
            numbers.append(factories.filed_case(service_=service).case.tracking_number)
        results.put(("ok", numbers))
    except Exception as exc:  # reported to the parent, which fails the test
        results.put(("error", repr(exc)))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_from_several_processes_get_distinct_numbers():
    service = factories.service(unit_=factories.unit())
    connections.close_all()  # children must open their own connections
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=_file_many, args=(service.pk, seed, barrier, results))
        for seed in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)

    assert [kind for kind, _ in outcomes] == ["ok"] * PROCESSES, outcomes
    numbers = [n for _, batch in outcomes for n in batch]
    assert len(numbers) == PROCESSES * FILINGS_EACH
    assert len(set(numbers)) == len(numbers)
    assert Case.objects.count() == len(numbers)
    assert set(Case.objects.values_list("tracking_number", flat=True)) == set(numbers)
