"""SLA clocks: which clock each step starts, stops, pauses or resumes, and their deadlines.

The working-time arithmetic itself is `sajad.calendar` (pure); this module applies it to a case's
clocks inside the transaction of the step that moved them, and schedules the reminder and
escalation steps the SLA step sweep (`complaints.sla_step_sweep`) takes when they fall due. The
case's overdue flag and escalation level are not written here but by their owner,
`complaints.escalation`.
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from sajad.calendar import WorkingCalendar
from sajad.calendar_display import deadline_state, describe_working_minutes
from sajad.calendar_store import current_calendar, load_calendar
from sajad.shared_copy import SharedCopy

from . import escalation
from .models import Case, CaseClock, Clock, SlaPolicy, SlaStep
from .workflow import Action

START, RESTART, STOP, PAUSE, RESUME = "start", "restart", "stop", "pause", "resume"
# UNPAUSE ends a pause only: the citizen's reply must not restart a clock that had already
# stopped (the first response stops at routing); RESUME also reopens stopped clocks (objections).
UNPAUSE = "unpause"
ALL_CLOCKS = tuple(Clock)

# What each step does to each clock. Filing starts the first-response and resolution clocks;
# triage stops the first; assignment (re)starts the unit's clock; waiting for the citizen pauses
# everything that runs; a final decision stops everything.
CLOCK_RULES: dict[str, dict[str, str]] = {
    "filed": {Clock.FIRST_RESPONSE: START, Clock.RESOLUTION: START},
    Action.ASSIGN: {Clock.FIRST_RESPONSE: STOP, Clock.UNIT_ANSWER: RESTART},
    Action.REQUEST_INFO: {c: PAUSE for c in ALL_CLOCKS},
    Action.PROVIDE_INFO: {c: UNPAUSE for c in ALL_CLOCKS},
    Action.RETURN_TO_MONITORING: {Clock.UNIT_ANSWER: STOP},
    Action.ANSWER: {Clock.UNIT_ANSWER: STOP},
    Action.SEND_BACK: {Clock.UNIT_ANSWER: RESUME},
    Action.APPROVE: {Clock.RESOLUTION: STOP},
    Action.OBJECT: {Clock.RESOLUTION: RESUME},
    Action.UPHOLD: {c: STOP for c in ALL_CLOCKS},
    Action.REOPEN: {Clock.UNIT_ANSWER: RESTART, Clock.RESOLUTION: RESUME},
    Action.CLOSE: {c: STOP for c in ALL_CLOCKS},
    Action.REJECT: {c: STOP for c in ALL_CLOCKS},
    Action.MERGE: {c: STOP for c in ALL_CLOCKS},
    Action.REFER: {c: STOP for c in ALL_CLOCKS},
}

def fallback_policy(calendar: WorkingCalendar) -> SlaPolicy:
    """Used when no policy row matches (e.g. an administrator deactivated them all).

    One, five and ten working days, a day being the calendar's usual working day.
    """
    day = calendar.typical_day_minutes()
    return SlaPolicy(
        name="fallback", first_response_minutes=day, unit_answer_minutes=5 * day,
        resolution_minutes=10 * day, reminder_percents="50,80",
        escalate_to_monitoring_after_days=2, escalate_to_deputy_after_days=5,
    )


# The active policies: a handful of rows read on every step that moves a clock, filing included.
# Each process keeps them until a policy is saved or deleted (`sajad.shared_copy`); a bulk update
# that bypasses the signals must call `forget_policies()`.
_active_policies = SharedCopy("sla-policies", lambda: list(SlaPolicy.objects.filter(is_active=True)))
forget_policies = _active_policies.forget
post_save.connect(forget_policies, sender=SlaPolicy, dispatch_uid="sla-policies-copy-save")
post_delete.connect(forget_policies, sender=SlaPolicy, dispatch_uid="sla-policies-copy-delete")


def policy_for(case: Case, *, calendar: WorkingCalendar | None = None) -> SlaPolicy:
    """The most specific active policy for the case's service, kind and priority."""
    candidates = [
        p for p in _active_policies.get()
        if p.kind in ("", case.kind) and p.service_id in (None, case.service_id)
        and p.priority in (None, case.priority)
    ]

    def specificity(p: SlaPolicy) -> tuple:
        return (p.service_id is not None, bool(p.kind), p.priority is not None, -p.pk)

    best = max(candidates, key=specificity, default=None)
    return best if best is not None else fallback_policy(calendar or current_calendar())


def _remaining_due(clock: CaseClock, calendar: WorkingCalendar) -> dt.datetime:
    remaining = max(clock.budget_minutes - clock.consumed_minutes, 0)
    return calendar.add_working_minutes(clock.segment_started_at, remaining)


def _consume(clock: CaseClock, now: dt.datetime, calendar: WorkingCalendar) -> None:
    """Fold the running segment into `consumed_minutes` and stop the segment."""
    if clock.segment_started_at is not None:
        clock.consumed_minutes += calendar.working_minutes_between(clock.segment_started_at, now)
        clock.segment_started_at = None


def _apply(clock: CaseClock | None, op: str, *, case: Case, name: str, now, calendar, policy,
           save: bool = True):
    if op in (START, RESTART):
        if clock is not None and op == START:
            return clock  # already started: a repeated step changes nothing
        clock = clock or CaseClock(case=case, clock=name, started_at=now)
        clock.budget_minutes = policy.budget(name)
        clock.started_at = now
        clock.consumed_minutes = clock.paused_minutes = 0
        clock.segment_started_at, clock.paused_since = now, None
        clock.stopped_at = clock.elapsed_minutes = None
    elif clock is None:
        return None
    elif op == PAUSE and clock.is_running:
        _consume(clock, now, calendar)
        clock.paused_since = now
    elif op in (RESUME, UNPAUSE):
        if clock.paused_since is not None:
            clock.paused_minutes += calendar.working_minutes_between(clock.paused_since, now)
            clock.paused_since = None
            clock.segment_started_at = now
        elif op == RESUME and clock.stopped_at is not None:  # an objection reopens resolution
            clock.stopped_at = clock.elapsed_minutes = None
            clock.segment_started_at = now
    elif op == STOP and clock.stopped_at is None:
        _consume(clock, now, calendar)
        if clock.paused_since is not None:
            clock.paused_minutes += calendar.working_minutes_between(clock.paused_since, now)
            clock.paused_since = None
        clock.stopped_at, clock.elapsed_minutes = now, clock.consumed_minutes
    clock.due_at = _remaining_due(clock, calendar) if clock.is_running else None
    if save:
        clock.save()
    return clock


def schedule_steps(clock: CaseClock, *, policy: SlaPolicy, calendar: WorkingCalendar, now,
                   new_clock: bool = False, into: list | None = None) -> None:
    """Replace the clock's pending steps; steps already taken stay and are never taken again.

    `new_clock`: the clock was created in this transaction, so it has no steps to replace.
    `into`: collect the new steps there for the caller's single insert instead of inserting them.
    """
    if not new_clock:
        SlaStep.objects.filter(clock=clock, taken_at__isnull=True).delete()
    if not clock.is_running:
        return
    steps = []
    for percent in policy.reminder_points():
        point = clock.budget_minutes * percent // 100 - clock.consumed_minutes
        if point > 0:  # a reminder point already behind us is not sent late
            due = calendar.add_working_minutes(clock.segment_started_at, point)
            steps.append(SlaStep(clock=clock, kind=SlaStep.StepKind.REMINDER, level=percent, due_at=due))
    ladder = [
        (1, clock.due_at),
        (2, calendar.add_working_days(clock.due_at, policy.escalate_to_monitoring_after_days)),
        (3, calendar.add_working_days(clock.due_at, policy.escalate_to_deputy_after_days)),
    ]
    steps += [
        SlaStep(clock=clock, kind=SlaStep.StepKind.ESCALATION, level=level, due_at=due)
        for level, due in ladder
    ]
    if into is not None:
        into.extend(steps)
    else:
        SlaStep.objects.bulk_create(steps, ignore_conflicts=True)


@dataclass
class ClockChange:
    clock: str
    due_before: dt.datetime | None
    due_after: dt.datetime | None
    # Set when this step stopped the clock: its working minutes and budget, recorded in the
    # step's event so that reports can be computed from the event log alone.
    stopped_elapsed: int | None = None
    budget: int | None = None


@dataclass(frozen=True)
class FilingClocks:
    """The clocks filing starts and their steps, computed but not stored: the filing store
    (`complaints.filing_store`) writes them together with the case."""

    policy: SlaPolicy
    clocks: list[CaseClock]
    steps: list[SlaStep]  # each step's `clock` is its (unsaved) clock above

    @property
    def deadlines(self) -> dict[str, str | None]:
        """Each clock's deadline, as the filed event records it."""
        return {c.clock: c.due_at.isoformat() if c.due_at else None for c in self.clocks}


def clocks_at_filing(*, case: Case, now, calendar: WorkingCalendar | None = None) -> FilingClocks:
    """The clocks the "filed" step starts for `case` (not yet stored; its kind, service and
    priority are read). A new case is not overdue: every clock is due `now` or later."""
    calendar = calendar or current_calendar()
    policy = policy_for(case, calendar=calendar)
    clocks: list[CaseClock] = []
    steps: list[SlaStep] = []
    for name, op in CLOCK_RULES["filed"].items():
        clock = _apply(None, op, case=case, name=name, now=now, calendar=calendar, policy=policy,
                       save=False)
        schedule_steps(clock, policy=policy, calendar=calendar, now=now, new_clock=True, into=steps)
        clocks.append(clock)
    return FilingClocks(policy=policy, clocks=clocks, steps=steps)


def clocks_on_step(*, case: Case, step: str, now=None, calendar=None) -> list[ClockChange]:
    """Move the case's clocks for a workflow step; runs inside the step's transaction.

    Filing does not come here: its clocks are `clocks_at_filing`, stored with the case.
    """
    rules = CLOCK_RULES.get(str(step))
    if not rules:
        return []
    now = now or timezone.now()
    calendar = calendar or current_calendar()
    policy = policy_for(case, calendar=calendar)
    existing = {c.clock: c for c in CaseClock.objects.filter(case=case)}
    changes = []
    new_steps: list[SlaStep] = []  # every clock's steps in one insert
    for name, op in rules.items():
        clock = existing.get(name)
        before = clock.due_at if clock else None
        was_stopped = clock is not None and clock.stopped_at is not None
        created = clock is None
        clock = _apply(clock, op, case=case, name=name, now=now, calendar=calendar, policy=policy)
        if clock is not None:
            schedule_steps(clock, policy=policy, calendar=calendar, now=now, new_clock=created,
                           into=new_steps)
            stopped_now = clock.stopped_at is not None and not was_stopped
            changes.append(ClockChange(
                name, before, clock.due_at,
                stopped_elapsed=clock.elapsed_minutes if stopped_now else None,
                budget=clock.budget_minutes if stopped_now else None,
            ))
            existing[name] = clock
    SlaStep.objects.bulk_create(new_steps, ignore_conflicts=True)
    escalation.case_overdue_refresh(
        case=case, now=now, extra={"sla_policy": policy if policy.pk else None},
        clocks=list(existing.values()))
    return changes


def clocks_recompute(*, case: Case, now=None, calendar=None) -> list[ClockChange]:
    """New deadlines for a case's running clocks after its policy or the calendar changed."""
    now = now or timezone.now()
    calendar = calendar or load_calendar()
    policy = policy_for(case, calendar=calendar)
    changes = []
    for clock in CaseClock.objects.filter(case=case, stopped_at__isnull=True):
        before = clock.due_at
        clock.budget_minutes = policy.budget(clock.clock)
        clock.due_at = _remaining_due(clock, calendar) if clock.is_running else None
        clock.save(update_fields=["budget_minutes", "due_at"])
        schedule_steps(clock, policy=policy, calendar=calendar, now=now)
        if before != clock.due_at:
            changes.append(ClockChange(clock.clock, before, clock.due_at))
    escalation.case_overdue_refresh(
        case=case, now=now, extra={"sla_policy": policy if policy.pk else None})
    return changes


def clock_summary(clock: CaseClock, *, now=None, calendar=None) -> tuple[str, str]:
    """(state, words) for one clock: stopped after …, paused since …, or due … with time left."""
    from sajad.jalali import format_jalali

    if clock.stopped_at:
        return "stopped", _("stopped after %(time)s") % {
            "time": describe_working_minutes(clock.elapsed_minutes or 0)}
    if clock.paused_since:
        return "paused", _("paused since %(when)s") % {"when": format_jalali(clock.paused_since)}
    due = deadline_state(clock.due_at, now=now, calendar=calendar)
    text = _("due %(when)s") % {"when": format_jalali(clock.due_at)} + " · " + due.label
    return ("overdue" if due.state == "overdue" else "ok"), text
