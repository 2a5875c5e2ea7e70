"""Survey invitations: who is invited when a case closes, the fatigue rule, the one reminder.

The surveys app reacts to the case event log; complaints never calls it. `invitations_sweep`
reads close events past a watermark (`InvitationCursor`), creates one invitation per closed case
(unique per case and survey) and writes its messages into the outbox in the same transaction.
The cursor row is locked for the batch, so concurrent sweeps queue behind each other, and the
unique constraint makes a repeated batch a no-op.

Events are read only once they are `SURVEY_INVITE_LAG_SECONDS` old (default 120): event ids are handed out before commit, so a
slow transaction could commit an id below the watermark after the sweep passed it; waiting a
couple of minutes (no case transaction runs that long) closes that gap.
"""
from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from complaints.models import Case, CaseEvent
from complaints.workflow import Status

from . import outbox
from .models import Invitation, InvitationCursor, Survey, SurveyKind
from .services import survey_window_open

EVENTS_PER_BATCH = 2000


def _event_lag() -> dt.timedelta:
    return dt.timedelta(seconds=settings.SURVEY_INVITE_LAG_SECONDS)


def fatigue_days() -> int:
    return settings.SURVEY_FATIGUE_DAYS


def _recently_invited(*, mobile: str, email: str, now: dt.datetime) -> bool:
    """The fatigue rule: one invitation per mobile number (or e-mail, without a mobile) per N days."""
    since = now - dt.timedelta(days=fatigue_days())
    sent = Invitation.objects.filter(skipped=False, created_at__gte=since)
    return sent.filter(Q(mobile=mobile) if mobile else Q(email=email)).exists()


def invitation_for_case(*, case: Case, survey: Survey, now: dt.datetime) -> Invitation | None:
    """Create (once) the invitation of a closed case and queue its messages; None if unreachable."""
    if not case.mobile and not case.email:
        return None  # anonymous: nobody to invite
    if Invitation.objects.filter(case=case, survey=survey).exists():
        return None
    skipped = _recently_invited(mobile=case.mobile, email=case.email, now=now)
    invitation = Invitation.objects.create(
        survey=survey, case=case, service_id=case.service_id, unit_id=case.unit_id or case.service.unit_id,
        token=secrets.token_urlsafe(24), mobile=case.mobile, email=case.email, created_at=now,
        skipped=skipped,
        reminder_due_at=None if skipped else now + dt.timedelta(days=settings.SURVEY_REMINDER_DAYS),
    )
    if not skipped:
        outbox.invitation_send(invitation=invitation)
    return invitation


def invitations_sweep(*, now: dt.datetime | None = None, batch: int = EVENTS_PER_BATCH) -> int:
    """Invite the citizens of cases closed since the watermark; returns invitations sent."""
    now = now or timezone.now()
    InvitationCursor.objects.get_or_create(pk=1)
    sent = 0
    with transaction.atomic():
        cursor = InvitationCursor.objects.select_for_update().get(pk=1)
        events = list(
            CaseEvent.objects.filter(pk__gt=cursor.last_event_id, created_at__lte=now - _event_lag())
            .order_by("pk").values_list("pk", "case_id", "to_status")[:batch]
        )
        if not events:
            return 0
        closed_ids = list(dict.fromkeys(case_id for _, case_id, to in events if to == Status.CLOSED))
        survey = Survey.objects.filter(kind=SurveyKind.HANDLING, is_current=True).first()
        if survey is not None and survey_window_open(survey, now) and closed_ids:
            # Only cases still closed: one reopened in the meantime is invited when it closes again.
            cases = Case.objects.filter(pk__in=closed_ids, status=Status.CLOSED).select_related("service")
            for case in cases:
                if invitation_for_case(case=case, survey=survey, now=now) and not Invitation.objects.filter(
                        case=case, survey=survey, skipped=True).exists():
                    sent += 1
        cursor.last_event_id = events[-1][0]
        cursor.save(update_fields=["last_event_id", "updated_at"])
    return sent


def reminders_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Send the one reminder of unanswered invitations whose reminder is due; claimed once each."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(reminder_due_at__lte=now, reminded_at__isnull=True, answered_at__isnull=True, skipped=False)
            .select_related("case", "service", "survey").order_by("reminder_due_at")[:batch]
        )
        for invitation in due:
            if survey_window_open(invitation.survey, now):
                outbox.invitation_send(invitation=invitation, reminder=True)
        Invitation.objects.filter(pk__in=[i.pk for i in due]).update(reminded_at=now)
    return len(due)
