"""The tasks one transaction enqueues leave as one message, and only those of committed work."""
import pytest
from django.core.cache import cache
from django.db import transaction

from sajad.health import HEARTBEAT_KEY
from sajad.queue import BATCH_TASK, enqueue_on_commit
from sajad.tasks import run_tasks
from tests.broker import broker_client, queued

pytestmark = pytest.mark.django_db(transaction=True)  # callbacks run on a real commit


@pytest.fixture
def empty_queue():
    broker_client().delete("celery")
    yield
    broker_client().delete("celery")


def test_the_tasks_of_one_transaction_leave_as_one_message(empty_queue):
    with transaction.atomic():
        enqueue_on_commit("complaints.route_case", 7)
        enqueue_on_commit("notifications.deliver_message", 11)
        assert queued() == []  # nothing before the commit

    assert queued() == [
        (BATCH_TASK, [[["complaints.route_case", [7]], ["notifications.deliver_message", [11]]]]),
    ]


def test_a_single_task_leaves_as_itself_and_one_outside_a_transaction_at_once(empty_queue):
    with transaction.atomic():
        enqueue_on_commit("complaints.route_case", 7)
    enqueue_on_commit("complaints.route_case", 8)

    assert queued() == [("complaints.route_case", [7]), ("complaints.route_case", [8])]


def test_a_rolled_back_savepoint_publishes_none_of_its_tasks(empty_queue):
    with transaction.atomic():
        enqueue_on_commit("complaints.route_case", 1)
        try:
            with transaction.atomic():
                enqueue_on_commit("complaints.route_case", 2)
                raise RuntimeError("the inner step failed")
        except RuntimeError:
            pass
        enqueue_on_commit("complaints.route_case", 3)

    sent = [args for _task, message in queued() for args in _task_args(_task, message)]
    assert sent == [[1], [3]]


def test_a_rolled_back_transaction_publishes_nothing(empty_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit("complaints.route_case", 1)
        enqueue_on_commit("complaints.route_case", 2)
        raise RuntimeError
    assert queued() == []


def test_a_task_with_a_countdown_is_published_on_its_own(empty_queue):
    with transaction.atomic():
        enqueue_on_commit("complaints.route_case", 1)
        enqueue_on_commit("notifications.deliver_message", 5, countdown=60)
    assert [task for task, _args in queued()] == [
        "complaints.route_case", "notifications.deliver_message",
    ]


def test_the_batch_runs_every_task_even_after_one_fails():
    import complaints.tasks  # noqa: F401 - registered, as the worker's autodiscovery does

    cache.delete(HEARTBEAT_KEY)
    # No case 999999: routing it fails; the heartbeat after it still runs.
    run_tasks.apply(args=([["complaints.route_case", [999999]], ["sajad.heartbeat", []]],))
    assert cache.get(HEARTBEAT_KEY) is not None


def _task_args(task: str, message: list) -> list:
    return [args for _name, args in message[0]] if task == BATCH_TASK else [message]
