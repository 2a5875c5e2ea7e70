"""Storing a new case: the case row, the clocks filing starts with their steps, the filed event
and the citizen's acknowledgement in the outbox.

`services.case_file` decides what is stored (the rules); this module only writes the rows it is
given, and draws tracking numbers until one is free. Filing is the public path's busiest write:
through the ORM the same rows took a dozen round trips and most of the request's time (issue 10),
so on PostgreSQL they go in one statement of data-modifying CTEs. Elsewhere (the SQLite of
`make run`'s embedded fallback) the ORM writes the same rows; a test holds the two to the same
result.

The statement is built from the models' own fields, so a new column is written without touching
this module, provided the caller sets it on the instance.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from notifications.api import Message
from sajad.errors import DomainError
from sajad.models import Service

from . import tracking
from .models import Case, CaseClock, CaseEvent, SlaStep
from .sla import FilingClocks

TRACKING_NUMBER_ATTEMPTS = 20
# Stands for the filed event's id in the messages' dedupe keys until the event is stored.
EVENT_ID = "{event}"


class ServiceClosed(Exception):
    """The chosen service stopped accepting cases (closed or made internal) before the insert."""


@dataclass(frozen=True)
class FilingRows:
    case: Case  # every field set but the tracking number, which is drawn here
    clocks: FilingClocks
    event: CaseEvent  # its `case` is the case above
    # The outbox rows about the case, built for its tracking number (again if another is drawn);
    # EVENT_ID in their keys becomes the event's id.
    messages_for: Callable[[Case], list[Message]]


def filing_store(rows: FilingRows) -> list[Message]:
    """Insert the rows, in the caller's transaction if there is one; sets their primary keys and
    returns the stored messages.

    Raises ServiceClosed when the service no longer accepts cases (checked in the same statement,
    so a service closed a moment ago refuses the case), DomainError when no tracking number could
    be drawn.
    """
    store = _store_postgresql if connection.vendor == "postgresql" else _store_orm
    for _attempt in range(TRACKING_NUMBER_ATTEMPTS):
        rows.case.tracking_number = tracking.new_tracking_number()
        messages = rows.messages_for(rows.case)
        if store(rows, messages):
            return messages
    raise DomainError(_("We could not issue a tracking number. Please try again."))


# --- PostgreSQL: one statement ------------------------------------------------------------------


# Columns whose values are the ids of rows inserted before (no parameter).
_PARENT_IDS = {
    CaseClock: {"case_id": "new_case.id"},
    SlaStep: {"clock_id": "new_clocks.id"},
    CaseEvent: {"case_id": "new_case.id"},
    Message: {"about_id": "new_case.id"},
}
# Columns passed as parameters but completed in SQL once the parents' ids are known.
_COMPLETED = {
    Message: {"dedupe_key": f"replace(m.dedupe_key, '{EVENT_ID}', new_event.id::text)"},
}


def _columns(model: type[models.Model]) -> list[models.Field]:
    """The fields the statement writes from parameters: every concrete one but the primary key and
    the parents' ids."""
    parent_ids = _PARENT_IDS.get(model, {})
    return [f for f in model._meta.concrete_fields
            if not f.primary_key and f.attname not in parent_ids]


def _unnest(model, alias: str, *, extra: tuple[str, ...] = ()) -> str:
    """`unnest(%(alias_col)s::type[], …) AS alias(col, …)`: one parameter array per column."""
    fields = _columns(model)
    arrays = [f"%({alias}_{f.column})s::{f.db_type(connection)}[]" for f in fields]
    arrays += [f"%({alias}_{name})s::text[]" for name in extra]
    names = [f.column for f in fields] + list(extra)
    return f"unnest({', '.join(arrays)}) AS {alias}({', '.join(names)})"


def _insert(model, alias: str) -> str:
    derived = {**_PARENT_IDS.get(model, {}), **_COMPLETED.get(model, {})}
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = [derived.get(column, f"{alias}.{column}") for column in columns]
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)}"


@cache
def _statement() -> str:
    # Rows join their parents' CTEs: the case's id goes to its clocks and event, each clock's id
    # to its steps (matched on the clock's name). With the service closed or the tracking number
    # taken, no case row is inserted and hence no child either; the final row says which.
    return f"""
WITH open_service AS (
    {_open_service_query()[0]}
), new_case AS (
    {_insert(Case, "c")} FROM {_unnest(Case, "c")}, open_service
    ON CONFLICT (tracking_number) DO NOTHING
    RETURNING id
), new_clocks AS (
    {_insert(CaseClock, "k")} FROM new_case, {_unnest(CaseClock, "k")}
    RETURNING id, clock
), new_steps AS (
    {_insert(SlaStep, "s")} FROM {_unnest(SlaStep, "s", extra=("of_clock",))}
    JOIN new_clocks ON new_clocks.clock = s.of_clock
), new_event AS (
    {_insert(CaseEvent, "e")} FROM new_case, {_unnest(CaseEvent, "e")}
    RETURNING id
), new_messages AS (
    {_insert(Message, "m")} FROM new_case, new_event, {_unnest(Message, "m")}
    RETURNING id, dedupe_key
)
SELECT EXISTS (SELECT 1 FROM open_service),
       (SELECT id FROM new_case),
       (SELECT id FROM new_event),
       (SELECT array_agg(clock || ' ' || id) FROM new_clocks),
       (SELECT array_agg(dedupe_key || ' ' || id) FROM new_messages)
"""


# A number no service has: marks the id's place in the compiled queryset below.
_SERVICE_ID_MARK = -7_340_017


@cache
def _open_service_query() -> tuple[str, dict]:
    """`Service.objects.open_to_citizens()` for the case's service, compiled once into the
    statement's first CTE (the rule stays in the queryset): its SQL with named parameters, and
    the values of those other than `service_id`."""
    sql, values = (Service.objects.open_to_citizens().filter(pk=_SERVICE_ID_MARK)
                   .order_by().values("id").query.sql_with_params())
    pieces = sql.split("%s")
    named, constants = pieces[0], {}
    for index, (value, piece) in enumerate(zip(values, pieces[1:], strict=True)):
        name = "service_id" if value == _SERVICE_ID_MARK else f"open_service_{index}"
        if name != "service_id":
            constants[name] = value
        named += f"%({name})s" + piece
    return named, constants


def _values(objects: list[models.Model], alias: str) -> dict:
    """The parameter arrays of `_unnest`: each column's values, as saving through the ORM would
    store them."""
    if not objects:
        return {}
    return {
        f"{alias}_{column}": [convert(obj) for obj in objects]
        for column, convert in _converters(type(objects[0]))
    }


@cache
def _converters(model) -> list[tuple[str, Callable]]:
    """(column, value of an instance) for each column of `_columns`. Per field, not per value, we
    decide what a value needs: timestamps the caller set (one instant for every row) are taken as
    they are, where `pre_save` would draw a new "now" for auto_now fields; values psycopg2 adapts
    itself skip the field's preparation (most of this statement's Python time otherwise); the
    rest (JSON) is prepared as the ORM would."""
    converters = []
    for field in _columns(model):
        attname = field.attname
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            def convert(obj, field=field, attname=attname):
                value = getattr(obj, attname)
                return value if value is not None else field.pre_save(obj, True)
        elif isinstance(field, _PLAIN_FIELDS):
            convert = attrgetter(attname)
        else:
            def convert(obj, field=field):
                return field.get_db_prep_save(field.pre_save(obj, True), connection)
        converters.append((field.column, convert))
    return converters


# Their Python values (str, int, bool, aware datetime, None) are what the column stores.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
                 models.DateTimeField, models.ForeignKey)


def _store_postgresql(rows: FilingRows, messages: list[Message]) -> bool:
    case, event = rows.case, rows.event
    params = {"service_id": case.service_id, **_open_service_query()[1]}
    params |= _values([case], "c")
    params |= _values(rows.clocks.clocks, "k")
    params |= _values(rows.clocks.steps, "s")
    params["s_of_clock"] = [step.clock.clock for step in rows.clocks.steps]
    params |= _values([event], "e")
    params |= _values(messages, "m") or {f"m_{f.column}": [] for f in _columns(Message)}
    with connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        service_open, case_id, event_id, clock_ids, message_ids = cursor.fetchone()
    if not service_open:
        raise ServiceClosed
    if case_id is None:
        return False  # the tracking number is taken: draw another
    _mark_saved(case, case_id)
    _mark_saved(event, event_id)
    clock_ids = dict(entry.split(" ") for entry in clock_ids)
    for clock in rows.clocks.clocks:
        clock.case_id = case_id
        _mark_saved(clock, int(clock_ids[clock.clock]))
    for step in rows.clocks.steps:
        step.clock_id = step.clock.pk
    message_ids = dict(entry.rsplit(" ", 1) for entry in message_ids or [])
    for message in messages:
        _message_keyed(message, case_id, event_id)
        _mark_saved(message, int(message_ids[message.dedupe_key]))
    return True


def _message_keyed(message: Message, case_id: int, event_id: int) -> None:
    message.about_id = case_id
    message.dedupe_key = message.dedupe_key.replace(EVENT_ID, str(event_id))


def _mark_saved(obj: models.Model, pk: int) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias


# --- any other database: the ORM --------------------------------------------------------------


def _store_orm(rows: FilingRows, messages: list[Message]) -> bool:
    case = rows.case
    if not Service.objects.open_to_citizens().filter(pk=case.service_id).exists():
        raise ServiceClosed
    try:
        with transaction.atomic():  # a savepoint: a taken number does not spoil the caller's
            case.save(force_insert=True)
    except IntegrityError as exc:
        if "tracking_number" not in str(exc):
            raise
        case.pk = None
        return False
    CaseClock.objects.bulk_create(rows.clocks.clocks)
    SlaStep.objects.bulk_create(rows.clocks.steps)
    rows.event.save(force_insert=True)
    for message in messages:
        _message_keyed(message, case.pk, rows.event.pk)
        message.save(force_insert=True)
    return True
