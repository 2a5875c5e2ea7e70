"""The body of a child process for test_concurrent_filing: nothing Django is imported at the top,
because a spawned interpreter imports this module before Django is set up."""


def file_many(service_id: int, pool: list[str], count: int, seed: int, barrier, results) -> None:
    import random

    import django

    django.setup()
    from django.db import connections

    from complaints import tracking
    from sajad.models import Service
    from tests import factories

    rng = random.Random(seed)
    tracking.random_body = lambda: rng.choice(pool)  # a tiny pool, so the processes really clash
    numbers = []
    try:
        service = Service.objects.get(pk=service_id)
        barrier.wait()
        for _ in range(count):
            numbers.append(factories.filed_case(service_=service).case.tracking_number)
        results.put(("ok", numbers))
    except Exception as exc:  # reported to the parent, which fails the test
        results.put(("error", repr(exc)))
    finally:
        connections.close_all()
