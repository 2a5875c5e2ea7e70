"""The SLA step sweep: take due reminder and escalation steps (the overdue flags follow from them).

Set-based on purpose (STYLE point 11): per batch, one statement claims due steps over the partial
index of pending steps (`SELECT … FOR UPDATE SKIP LOCKED`), one locks their cases in id order
(`FOR NO KEY UPDATE SKIP LOCKED`), and one takes the steps whose case it holds, writing their outbox
rows (digests, rendered at delivery) and escalation events; the cases' levels and overdue flags are
then raised by `escalation.cases_raise`, their one owner. A batch never waits for a lock, so
neither concurrent sweeps nor a transition holding its case can deadlock with it; a batch that fails
anyway is rolled back and the next one runs. Two sweeps running at once split the work; a step is
taken exactly once (its `taken_at`), and a message exactly once (its `dedupe_key`).

Digests go by e-mail to the unit's mailbox and heads, and by SMS to the heads who have a mobile
(the same people `notify_case_step` tells of a new case); an SMS is the short variant of the
digest's template, with the link to the desk.

Who hears of a step is the ladder of `complaints.escalation` (`Rung.who`): reminders and level 1 go
to the responsible unit, level 2 to the monitoring unit, level 3 to the top of the unit's tree.
"""
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sajad.models import Unit

from . import escalation
from .notifications import unit_addresses, unit_mobiles

log = logging.getLogger(__name__)

BATCH = 5000

# Lock order, the same in every transaction that touches these rows (services lock one case and
# then its clocks and steps): a batch first claims due steps with SKIP LOCKED, then locks their
# cases in id order, also with SKIP LOCKED, and takes only the steps whose case it holds. A batch
# therefore never waits for a lock at all, so it cannot be part of a deadlock: steps of a case that
# another sweep or a service holds stay pending for the next batch (`skipped`).
_CLAIM = """
SELECT s.id, cl.case_id
FROM complaints_slastep s
JOIN complaints_caseclock cl ON cl.id = s.clock_id
WHERE s.taken_at IS NULL AND s.due_at <= %(now)s
ORDER BY s.due_at, s.id
LIMIT %(batch)s
FOR UPDATE OF s SKIP LOCKED
"""
_LOCK_CASES = """
SELECT id FROM complaints_case WHERE id = ANY(%(case_ids)s::bigint[])
ORDER BY id
FOR NO KEY UPDATE SKIP LOCKED
"""

_TAKE_BATCH = ("""
WITH claimed AS (
    -- Steps this transaction already holds (claimed above, their case locked).
    UPDATE complaints_slastep SET taken_at = %(now)s
    WHERE id = ANY(%(step_ids)s::bigint[]) AND taken_at IS NULL
    RETURNING id, clock_id, kind, level
),
step AS (
    SELECT c.id AS step_id, c.kind, c.level, cl.clock, cl.case_id,
           CASE WHEN cl.clock = 'unit_answer' AND k.unit_id IS NOT NULL THEN k.unit_id
                ELSE %(monitoring)s END AS responsible
    FROM claimed c
    JOIN complaints_caseclock cl ON cl.id = c.clock_id
    JOIN complaints_case k ON k.id = cl.case_id
),
target AS (
    SELECT s.*, """ + escalation.recipient_unit_sql() + """ AS unit_id
    FROM step s
    LEFT JOIN unnest(%(tree_units)s::bigint[], %(tree_tops)s::bigint[]) AS top(unit_id, top_id)
           ON top.unit_id = s.responsible
),
-- Who hears of a unit's steps, on which channel: its mailbox and heads by e-mail, the heads who
-- have a mobile by SMS as well (`_unit_parameters`).
recipient AS (
    SELECT 'email' AS channel, unit_id, address
    FROM unnest(%(mail_units)s::bigint[], %(mail_addresses)s::text[]) AS m(unit_id, address)
    UNION ALL
    SELECT 'sms', unit_id, address
    FROM unnest(%(sms_units)s::bigint[], %(sms_mobiles)s::text[]) AS m(unit_id, address)
),
-- One digest per recipient, channel and kind per batch: a head reads one message listing forty
-- cases, not forty messages. The key names the batch's first step, so a digest is written once
-- (an SMS key adds its channel; e-mail keys keep the form they always had). `desk` says the
-- recipient works on the unit desk rather than in admin, for the digest's link.
messages AS (
    INSERT INTO notifications_message (channel, recipient, template, subject, body, about_label,
        context, dedupe_key, state, attempts, next_attempt_at, last_error, created_at)
    SELECT r.channel, r.address, d.template, '', '', '',
           jsonb_build_object(
               'case_ids', jsonb_agg(DISTINCT t.case_id),
               'desk', coalesce(bool_and(r.unit_id IS DISTINCT FROM %(monitoring)s), false)),
           'digest' || min(t.step_id) || ':' || d.template || ':'
               || CASE WHEN r.channel = 'email' THEN '' ELSE r.channel || ':' END || r.address,
           'pending', 0, %(now)s, '', %(now)s
    FROM target t
    CROSS JOIN LATERAL (SELECT CASE WHEN t.kind = 'reminder' THEN 'sla_reminder'
                                    ELSE 'sla_escalation' END AS template) d
    JOIN recipient r ON r.unit_id = t.unit_id
    GROUP BY r.channel, r.address, d.template
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
),
events AS (
    INSERT INTO complaints_caseevent (case_id, created_at, actor_id, actor_role, kind, from_status,
        to_status, note, is_public, data)
    SELECT t.case_id, %(now)s, NULL, 'system', 'escalation', '', '', '', false,
           jsonb_build_object('clock', t.clock, 'level', t.level, 'step', t.step_id)
    FROM target t WHERE t.kind = 'escalation'
    RETURNING 1
),
raised AS (
    SELECT case_id, max(level) AS level FROM target WHERE kind = 'escalation' GROUP BY case_id
)
SELECT (SELECT count(*) FROM target WHERE kind = 'reminder'),
       (SELECT count(*) FROM target WHERE kind = 'escalation'),
       (SELECT count(*) FROM messages), (SELECT count(*) FROM events),
       (SELECT coalesce(array_agg(case_id ORDER BY case_id), '{}') FROM raised),
       (SELECT coalesce(array_agg(level ORDER BY case_id), '{}') FROM raised)
""")


@dataclass
class SlaSweepReport:
    reminders: int = 0
    escalations: int = 0
    messages: int = 0
    # Steps left for a later batch because another transaction held their case at that moment.
    skipped: int = 0
    # Batches rolled back by a database error; the sweep carried on with the next one.
    failed_batches: int = 0
    claimed: int = 0  # due steps claimed, taken or skipped

    def add(self, other: "SlaSweepReport") -> None:
        for name in ("reminders", "escalations", "messages", "skipped", "failed_batches", "claimed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _unit_parameters() -> dict:
    """The unit tree, mailboxes and mobiles as arrays for the batch statement (a few dozen units)."""
    units = list(Unit.objects.all())
    monitoring = next((u for u in units if u.is_monitoring), None)
    tree_units, tree_tops, mail_units, mail_addresses, sms_units, sms_mobiles = [], [], [], [], [], []
    for unit in units:
        tree_units.append(unit.pk)
        tree_tops.append((unit.ancestors() or [unit])[-1].pk)
        for address in unit_addresses(unit):
            mail_units.append(unit.pk)
            mail_addresses.append(address)
        for mobile in unit_mobiles(unit):
            sms_units.append(unit.pk)
            sms_mobiles.append(mobile)
    return {
        "monitoring": monitoring.pk if monitoring else None,
        "tree_units": tree_units, "tree_tops": tree_tops,
        "mail_units": mail_units, "mail_addresses": mail_addresses,
        "sms_units": sms_units, "sms_mobiles": sms_mobiles,
    }


# A claimer that keeps failing (the database is gone) stops after this many batches in a row.
MAX_FAILED_BATCHES = 3
# Pause before claiming again when every due step belonged to a case another transaction held,
# and how many such idle batches in a row end this claimer's run.
_BUSY_PAUSE_S = 0.05
MAX_IDLE_BATCHES = 5


def _take_one_batch(params: dict) -> SlaSweepReport:
    """Claim, lock and take one batch in one transaction (see the lock order above)."""
    report = SlaSweepReport()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_CLAIM, params)
        claimed = cursor.fetchall()
        if not claimed:
            return report
        cursor.execute(_LOCK_CASES, {"case_ids": sorted({case_id for _step, case_id in claimed})})
        held = {row[0] for row in cursor.fetchall()}
        step_ids = [step for step, case_id in claimed if case_id in held]
        report.skipped = len(claimed) - len(step_ids)
        if step_ids:
            cursor.execute(_TAKE_BATCH, {**params, "step_ids": step_ids})
            reminders, escalations, messages, _events, case_ids, levels = cursor.fetchone()
            escalation.cases_raise(case_ids=case_ids, levels=levels)
            report.reminders, report.escalations, report.messages = reminders, escalations, messages
    report.claimed = len(claimed)
    return report


def _take_batches(params: dict, max_batches: int) -> SlaSweepReport:
    """Take batches on this thread's connection until nothing due is left (or `max_batches`).

    Each batch is its own transaction: a batch that fails (a lost connection, a statement timeout)
    is rolled back, logged and counted, and the next one is tried; its steps stay pending.
    """
    report = SlaSweepReport()
    failures_in_a_row = idle_in_a_row = 0
    for _ in range(max_batches):
        try:
            batch = _take_one_batch(params)
        except DatabaseError:
            log.exception("SLA sweep: a batch failed and was rolled back; its steps stay pending")
            report.failed_batches += 1
            failures_in_a_row += 1
            if failures_in_a_row >= MAX_FAILED_BATCHES:
                break
            continue
        failures_in_a_row = 0
        report.add(batch)
        if batch.claimed < BATCH and not batch.skipped:
            break  # the last due steps were taken
        if batch.skipped and batch.reminders + batch.escalations == 0:
            # Every claimed step's case is held elsewhere: a parallel claimer takes them once it
            # commits; a transition holding a case leaves its steps to the next sweep.
            idle_in_a_row += 1
            if idle_in_a_row >= MAX_IDLE_BATCHES:
                break
            time.sleep(_BUSY_PAUSE_S)
        else:
            idle_in_a_row = 0
    return report


def _on_own_connection(function, *args):
    try:
        return function(*args)
    except Exception:  # one claimer's failure must not lose the others' work
        log.exception("SLA sweep: a parallel claimer failed")
        return SlaSweepReport(failed_batches=1)
    finally:
        connection.close()  # the thread's connection; the caller's is untouched


def sla_step_sweep(*, now=None, max_batches: int = 100, parallel: int | None = None) -> SlaSweepReport:
    """Take every due step. With `parallel` > 1, that many connections claim batches side by side.

    SKIP LOCKED makes the claimers split the work (the same property that lets several beat
    sweeps overlap safely), so on a large backlog the wall time divides by the database's cores.
    """
    now = now or timezone.now()
    report = SlaSweepReport()
    if connection.vendor != "postgresql":
        # The embedded SQLite default of `make run` is for a first look; SLA steps need PostgreSQL.
        log.warning("SLA sweep skipped: it needs PostgreSQL (database is %s)", connection.vendor)
        return report
    params = {**_unit_parameters(), "now": now, "batch": BATCH}
    parallel = parallel if parallel is not None else settings.SLA_SWEEP_PARALLEL
    if parallel <= 1 or connection.in_atomic_block:
        # Inside a transaction (tests, callers that batch their own work) stay on its connection.
        parts = [_take_batches(params, max_batches)]
    else:
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            parts = list(pool.map(
                lambda _: _on_own_connection(_take_batches, params, max_batches), range(parallel)
            ))
    for part in parts:
        report.add(part)
    # No separate pass for overdue flags: every running clock has a first escalation step at its
    # deadline, and taking that step flags the case (the `raised` part of the statement).
    return report
