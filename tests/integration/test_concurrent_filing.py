"""Filings from several processes at once never share a tracking number."""
import multiprocessing

import pytest
from django.db import connections

from complaints.models import Case
from tests import factories
from tests.integration.filing_child import file_many

PROCESSES = 4
FILINGS_EACH = 10
# A deliberately tiny pool of numbers, so concurrent filings really do draw the same ones.
POOL = [f"{n:08d}" for n in range(10_000_000, 10_000_000 + PROCESSES * FILINGS_EACH * 2)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_from_several_processes_get_distinct_numbers(monkeypatch):
    from tests.worker.conftest import _database_url

    service = factories.service(unit_=factories.unit())
    # Spawned, not forked: a forked child would share this process's PostgreSQL sockets.
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "sajad.settings.test")
    monkeypatch.setenv("DATABASE_URL", _database_url(connections["default"].settings_dict))
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=file_many,
                        args=(service.pk, POOL, FILINGS_EACH, seed, barrier, results))
        for seed in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)

    assert [kind for kind, _ in outcomes] == ["ok"] * PROCESSES, outcomes
    numbers = [n for _, batch in outcomes for n in batch]
    assert len(numbers) == PROCESSES * FILINGS_EACH
    assert len(set(numbers)) == len(numbers)
    assert Case.objects.count() == len(numbers)
    assert set(Case.objects.values_list("tracking_number", flat=True)) == set(numbers)
