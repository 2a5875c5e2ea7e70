"""Keep the summary tables current from the case log: incrementally, from a watermark.

`rollups_update` folds the events after the watermark into every summary table and moves the
watermark, all in one transaction that first locks the watermark row: two runs at once queue up
behind each other and the second finds nothing new, so the task is idempotent and safe on several
workers. Only events older than `SETTLE_SECONDS` are taken, so an event whose transaction commits
late (ids are given out before commit) is never skipped.

`rollups_rebuild(first_day, last_day)` recomputes the daily tables for a range of days (and the
open-case register) from the log up to the same watermark, so a rebuild and the increments agree.
"""
import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from sajad.persian import ZWNJ, normalize_text

from .models import DURATION_BOUNDS, DailyFilerCount, DailyTermCount, RollupWatermark

log = logging.getLogger(__name__)

WATERMARK = "case_events"
SETTLE_SECONDS = 120
BATCH_EVENTS = 200_000

# Events that change no figure (audit reads, notes, ratings) are skipped by every statement.
_IGNORED_KINDS = ("viewed", "attachment_viewed", "note", "rated", "priority", "reminder", "triage")
_FINAL_STATUSES = ("closed", "rejected", "merged", "referred")

# The events of a batch with what every projection needs: the Tehran day, the case's service and
# kind, and the unit the case had at that event (its latest assignment up to the event).
_EVENT_ROWS = """
SELECT e.id, e.case_id, e.kind, e.to_status, e.data, e.created_at,
       (e.created_at AT TIME ZONE 'Asia/Tehran')::date AS day,
       c.service_id, c.kind AS case_kind,
       CASE WHEN e.kind = 'assign' THEN (e.data->>'unit_id')::bigint
            ELSE (SELECT (a.data->>'unit_id')::bigint FROM complaints_caseevent a
                  WHERE a.case_id = e.case_id AND a.kind = 'assign' AND a.id < e.id
                  ORDER BY a.id DESC LIMIT 1) END AS unit_id
FROM complaints_caseevent e
JOIN complaints_case c ON c.id = e.case_id
WHERE {where} AND e.kind <> ALL(%(ignored)s)
"""
# Every statement below reads the batch from this temporary table, filled once per batch.
_EVENTS = "ev AS (SELECT * FROM rollup_events)"

_COUNTS = """
WITH {events}
INSERT INTO dashboards_dailycaserollup AS r (day, unit_id, service_id, kind, filed, routed,
    answered, published, went_overdue, escalated, returned, objected, upheld, reopened, closed)
SELECT day, unit_id, service_id, case_kind,
       count(*) FILTER (WHERE kind = 'filed'),
       count(*) FILTER (WHERE kind = 'assign'),
       count(*) FILTER (WHERE kind = 'answer'),
       count(*) FILTER (WHERE kind = 'approve'),
       count(*) FILTER (WHERE kind = 'escalation' AND data->>'level' = '1'),
       count(*) FILTER (WHERE kind IN ('escalation', 'citizen_escalation')),
       count(*) FILTER (WHERE kind = 'return_to_monitoring'),
       count(*) FILTER (WHERE kind = 'object'),
       count(*) FILTER (WHERE kind = 'uphold'),
       count(*) FILTER (WHERE kind = 'reopen'),
       count(*) FILTER (WHERE to_status = 'closed')
FROM ev GROUP BY day, unit_id, service_id, case_kind
ON CONFLICT (day, unit_id, service_id, kind) DO UPDATE SET
    filed = r.filed + EXCLUDED.filed, routed = r.routed + EXCLUDED.routed,
    answered = r.answered + EXCLUDED.answered, published = r.published + EXCLUDED.published,
    went_overdue = r.went_overdue + EXCLUDED.went_overdue,
    escalated = r.escalated + EXCLUDED.escalated, returned = r.returned + EXCLUDED.returned,
    objected = r.objected + EXCLUDED.objected, upheld = r.upheld + EXCLUDED.upheld,
    reopened = r.reopened + EXCLUDED.reopened, closed = r.closed + EXCLUDED.closed
"""

# Clocks a step stopped (`data.clocks_stopped`: working minutes and budget), as histograms.
_CLOCKS = """
WITH {events},
stopped AS (
    SELECT ev.day, ev.unit_id, ev.service_id, ev.case_kind, s.key AS clock,
           (s.value->>'elapsed')::int AS elapsed, (s.value->>'budget')::int AS budget
    FROM ev CROSS JOIN LATERAL jsonb_each(ev.data->'clocks_stopped') AS s
    WHERE ev.data ? 'clocks_stopped'
)
INSERT INTO dashboards_dailyclockstat AS r (day, unit_id, service_id, kind, clock, bucket, stopped,
    minutes, on_time)
SELECT day, unit_id, service_id, case_kind, clock, width_bucket(elapsed, %(bounds)s::int[]),
       count(*), sum(elapsed), count(*) FILTER (WHERE elapsed <= budget)
FROM stopped GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (day, unit_id, service_id, kind, clock, bucket) DO UPDATE SET
    stopped = r.stopped + EXCLUDED.stopped, minutes = r.minutes + EXCLUDED.minutes,
    on_time = r.on_time + EXCLUDED.on_time
"""

# The open-case register: new cases in, each case's latest status, unit, deadlines and escalation
# level, finished cases out. Two statements, since a statement does not see its own inserts.
_OPEN_CASES_INSERT = """
WITH {events}
INSERT INTO dashboards_opencase (case_id, tracking_number, unit_id, service_id, kind, status,
    filed_at, escalation_level)
SELECT c.id, c.tracking_number, NULL, c.service_id, c.kind, 'submitted', c.created_at, 0
FROM ev JOIN complaints_case c ON c.id = ev.case_id WHERE ev.kind = 'filed'
ON CONFLICT (case_id) DO NOTHING
"""

_OPEN_CASES_UPDATE = """
WITH {events},
latest_status AS (
    SELECT DISTINCT ON (case_id) case_id, to_status FROM ev WHERE to_status <> ''
    ORDER BY case_id, id DESC
),
latest_unit AS (
    SELECT DISTINCT ON (case_id) case_id, unit_id FROM ev WHERE kind = 'assign'
    ORDER BY case_id, id DESC
),
deadline_sets AS (
    SELECT ev.id, ev.case_id,
           CASE WHEN ev.kind = 'deadlines'
                THEN (SELECT jsonb_object_agg(k, v->'after') FROM jsonb_each(ev.data) AS x(k, v))
                ELSE ev.data->'deadlines' END AS due
    FROM ev WHERE ev.data ? 'deadlines' OR ev.kind = 'deadlines'
),
latest_due AS (
    SELECT DISTINCT ON (d.case_id, x.clock) d.case_id, x.clock, x.due
    FROM deadline_sets d CROSS JOIN LATERAL jsonb_each_text(d.due) AS x(clock, due)
    ORDER BY d.case_id, x.clock, d.id DESC
),
dues AS (
    SELECT case_id,
           bool_or(clock = 'first_response') AS has_fr,
           max(due) FILTER (WHERE clock = 'first_response') AS fr,
           bool_or(clock = 'unit_answer') AS has_ua,
           max(due) FILTER (WHERE clock = 'unit_answer') AS ua,
           bool_or(clock = 'resolution') AS has_res,
           max(due) FILTER (WHERE clock = 'resolution') AS res
    FROM latest_due GROUP BY case_id
),
levels AS (
    SELECT case_id, max((data->>'level')::int) AS level FROM ev
    WHERE kind IN ('escalation', 'citizen_escalation') GROUP BY case_id
),
latest AS (
    SELECT ids.case_id, s.to_status AS status, u.unit_id, d.has_fr, d.fr, d.has_ua, d.ua,
           d.has_res, d.res, l.level
    FROM (SELECT DISTINCT case_id FROM ev) ids
    LEFT JOIN latest_status s ON s.case_id = ids.case_id
    LEFT JOIN latest_unit u ON u.case_id = ids.case_id
    LEFT JOIN dues d ON d.case_id = ids.case_id
    LEFT JOIN levels l ON l.case_id = ids.case_id
)
UPDATE dashboards_opencase o SET
    status = COALESCE(l.status, o.status),
    unit_id = COALESCE(l.unit_id, o.unit_id),
    first_response_due = CASE WHEN l.has_fr THEN l.fr::timestamptz ELSE o.first_response_due END,
    unit_answer_due = CASE WHEN l.has_ua THEN l.ua::timestamptz ELSE o.unit_answer_due END,
    resolution_due = CASE WHEN l.has_res THEN l.res::timestamptz ELSE o.resolution_due END,
    next_due = LEAST(
        CASE WHEN l.has_fr THEN l.fr::timestamptz ELSE o.first_response_due END,
        CASE WHEN l.has_ua THEN l.ua::timestamptz ELSE o.unit_answer_due END,
        CASE WHEN l.has_res THEN l.res::timestamptz ELSE o.resolution_due END),
    escalation_level = GREATEST(o.escalation_level, COALESCE(l.level, 0))
FROM latest l
WHERE o.case_id = l.case_id
"""

_OPEN_CASES_DROP_FINISHED = "DELETE FROM dashboards_opencase WHERE status = ANY(%(final)s)"

_TERM_MIN_LENGTH = 3
# Words that say nothing about a topic in a case subject.
_STOPWORDS = frozenset("""
از به با در برای که این آن را و یا تا بر هم نیز اما ولی است هست بود شد شده شود می نمی های ها
یک دو سه من ما شما او ایشان چرا چه چگونه کی کجا هیچ همه بسیار خیلی لطفا لطفاً درخواست مشکل
""".split())
_WORD = re.compile(r"[\w\u200c]+")


@dataclass
class RollupReport:
    events: int = 0
    last_event_id: int = 0


def subject_terms(subject: str) -> list[str]:
    """The topic words of a case subject, normalised (ZWNJ dropped, so «نوبت‌دهی» = «نوبتدهی»)."""
    text = normalize_text(subject).replace(ZWNJ, "").lower()
    return [w for w in _WORD.findall(text)
            if len(w) >= _TERM_MIN_LENGTH and w not in _STOPWORDS and not w.isdigit()]


_PARAMS = {"ignored": list(_IGNORED_KINDS), "bounds": list(DURATION_BOUNDS),
           "final": list(_FINAL_STATUSES)}


def _materialise(where: str, params: dict) -> None:
    """Read the batch's events (with their unit at the time) once, into a temporary table."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS rollup_events")
        cursor.execute("CREATE TEMPORARY TABLE rollup_events ON COMMIT DROP AS "
                       + _EVENT_ROWS.format(where=where), {**params, **_PARAMS})
        cursor.execute("ANALYZE rollup_events")


def _run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(events=_EVENTS), _PARAMS)


def _fold_terms_and_filers() -> None:
    """Subject words and repeat filers of the new cases (word splitting is Persian-aware Python)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT e.day, c.subject, c.mobile
            FROM rollup_events e JOIN complaints_case c ON c.id = e.case_id
            WHERE e.kind = 'filed'
        """)
        rows = cursor.fetchall()
    terms: Counter = Counter()
    filers: Counter = Counter()
    for day, subject, mobile in rows:
        for term in set(subject_terms(subject)):
            terms[(day, term[:60])] += 1
        if mobile:
            filers[(day, mobile)] += 1
    _upsert_counts(DailyTermCount, "term", terms)
    _upsert_counts(DailyFilerCount, "mobile", filers)


def _upsert_counts(model, field: str, counts: Counter) -> None:
    if not counts:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {table} AS r (day, {field}, count)
            SELECT * FROM unnest(%s::date[], %s::text[], %s::int[])
            ON CONFLICT (day, {field}) DO UPDATE SET count = r.count + EXCLUDED.count
        """, [[k[0] for k in counts], [k[1] for k in counts], list(counts.values())])


def _fold(where: str, params: dict, *, open_cases: bool = True) -> None:
    _materialise(where, params)
    _run(_COUNTS)
    _run(_CLOCKS)
    _fold_terms_and_filers()
    if open_cases:
        _fold_open_cases()


def _fold_open_cases() -> None:
    _run(_OPEN_CASES_INSERT)
    _run(_OPEN_CASES_UPDATE)
    _run(_OPEN_CASES_DROP_FINISHED)


def _lock_watermark() -> RollupWatermark:
    RollupWatermark.objects.get_or_create(name=WATERMARK)
    return RollupWatermark.objects.select_for_update().get(name=WATERMARK)


def rollups_update(*, now=None, batch: int = BATCH_EVENTS) -> RollupReport:
    """Fold the settled events after the watermark into the summary tables (one transaction)."""
    if connection.vendor != "postgresql":
        log.warning("rollups skipped: they need PostgreSQL (database is %s)", connection.vendor)
        return RollupReport()
    now = now or timezone.now()
    settled_before = now - dt.timedelta(seconds=SETTLE_SECONDS)
    with transaction.atomic():
        mark = _lock_watermark()
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT max(id), count(*) FROM (
                    SELECT id FROM complaints_caseevent
                    WHERE id > %s AND created_at < %s ORDER BY id LIMIT %s) batch
            """, [mark.last_event_id, settled_before, batch])
            upto, count = cursor.fetchone()
        if not count:
            return RollupReport(0, mark.last_event_id)
        where = "e.id > %(after)s AND e.id <= %(upto)s"
        _fold(where, {"after": mark.last_event_id, "upto": upto})
        mark.last_event_id = upto
        mark.save(update_fields=["last_event_id", "updated_at"])
    log.info("rollups: %s events folded, watermark %s", count, upto)
    return RollupReport(count, upto)


def rollups_update_all(*, now=None) -> RollupReport:
    """Run `rollups_update` until nothing settled is left (the beat task and demo data)."""
    from .dashboard import register_groups

    total = RollupReport()
    while True:
        report = rollups_update(now=now)
        total.events += report.events
        total.last_event_id = report.last_event_id
        if report.events < BATCH_EVENTS:
            break
    if total.events and connection.vendor == "postgresql":
        register_groups(refresh=True)  # warm the dashboard's grouping for the new watermark
    return total


def rollups_rebuild(*, first_day: dt.date, last_day: dt.date) -> None:
    """Recompute the daily tables for `first_day`…`last_day` and the open-case register.

    Up to the current watermark, so what the increments add afterwards is not counted twice.
    """
    from .models import DailyCaseRollup, DailyClockStat, OpenCase

    with transaction.atomic():
        mark = _lock_watermark()
        for model in (DailyCaseRollup, DailyClockStat, DailyTermCount, DailyFilerCount):
            model.objects.filter(day__gte=first_day, day__lte=last_day).delete()
        where = ("e.id <= %(upto)s AND (e.created_at AT TIME ZONE 'Asia/Tehran')::date "
                 "BETWEEN %(first)s AND %(last)s")
        _fold(where, {"upto": mark.last_event_id, "first": first_day, "last": last_day},
              open_cases=False)
        OpenCase.objects.all().delete()
        _materialise("e.id <= %(upto)s", {"upto": mark.last_event_id})
        _fold_open_cases()
