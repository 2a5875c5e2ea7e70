"""The case log is append-only, in the application and in the database itself."""
import pytest
from django.db import DatabaseError, connection, transaction

from complaints.models import CaseEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_saving_an_existing_event_again_is_refused(service):
    factories.filed_case(service_=service)
    event = CaseEvent.objects.get()
    event.note = "changed"
    with pytest.raises(RuntimeError):
        event.save()


def test_postgresql_refuses_update_and_delete_of_events(service):
    factories.filed_case(service_=service)
    for statement in ("UPDATE complaints_caseevent SET note = 'x'", "DELETE FROM complaints_caseevent"):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert CaseEvent.objects.get().note == ""
