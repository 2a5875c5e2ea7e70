"""The rules of report calls: the only code that writes calls, reports, extensions and reminders.

Who may do what:
- the monitoring unit opens calls, grants extensions, returns (before the unit's window ends) or
  accepts submitted reports;
- a unit's staff write their own unit's draft; only the unit's head submits it;
- a report can be written and submitted only inside the unit's window: from the call's opening to
  its close, or to the end of the latest extension granted to that unit. After that it is locked.
Every refusal is a `DomainError` with a Persian message; nothing is changed by a refused call.
"""
import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import roles
from complaints.attachments import check_upload
from complaints.notifications import unit_addresses
from notifications.api import Channel, Message, message_queue
from sajad.errors import DomainError
from sajad.jalali import format_jalali
from sajad.models import Unit, UnitMember

from .models import (
    CallExtension, CallSection, ReportAnswer, ReportCall, ReportFile, UnitContact, UnitReport,
)
from dashboards.periods import Period
from .self_assessment import self_assessment_draft

EDITABLE = (UnitReport.Status.DRAFT, UnitReport.Status.RETURNED)
DONE = (UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED)
DEFAULT_REMINDER_DAYS = (3, 1)


# --- the window ---------------------------------------------------------------------------------

def call_window_end(*, call: ReportCall, unit: Unit) -> dt.datetime:
    """When the unit's report locks: the call's close, or the end of its latest extension."""
    extended = CallExtension.objects.filter(call=call, unit=unit).aggregate(end=Max("until"))["end"]
    return max(call.closes_at, extended) if extended else call.closes_at


def _require_window_open(*, call: ReportCall, unit: Unit, now: dt.datetime) -> None:
    if now < call.opens_at:
        raise DomainError(_("This call opens on %(date)s; the report cannot be written before then.")
                          % {"date": format_jalali(call.opens_at)})
    end = call_window_end(call=call, unit=unit)
    if now >= end:
        raise DomainError(_(
            "This call closed on %(date)s and the report is locked. A late report is possible only "
            "with an extension from the monitoring unit."
        ) % {"date": format_jalali(end)})


def _require_monitoring(actor) -> None:
    if not roles.is_monitoring(actor):
        raise DomainError(_("Only the monitoring unit can do this."))


def _require_member(actor, unit: Unit, *, head: bool = False) -> None:
    member = UnitMember.objects.filter(user=actor, unit=unit).first() if actor else None
    if member is None or roles.staff_role(actor) is None:
        raise DomainError(_("Only the unit's own staff can write its report."))
    if head and not member.is_head:
        raise DomainError(_("Only the head of the unit can submit the report."))


# --- calls --------------------------------------------------------------------------------------

def call_check(*, period_kind: str, period_year: int, period_index: int, opens_at: dt.datetime,
               closes_at: dt.datetime, reminder_days: Iterable[int] = ()) -> None:
    """The rules a call must satisfy, for `call_open` and the admin form alike."""
    try:
        Period(period_kind, period_year, period_index)
    except ValueError:
        raise DomainError(_("Choose a month 1–12, a quarter 1–4, or 1 for a whole year.")) from None
    if closes_at <= opens_at:
        raise DomainError(_("A call must close after it opens."))
    for days in reminder_days:
        if not isinstance(days, int) or days < 1 or days > 60:
            raise DomainError(_("Reminders are whole days before the close, from 1 to 60."))


def default_call_units() -> list[Unit]:
    """The units a call asks by default: every active unit below the root except monitoring."""
    return list(Unit.objects.filter(is_active=True, is_monitoring=False, parent__isnull=False))


def call_open(*, title: str, service, period: Period, opens_at: dt.datetime, closes_at: dt.datetime,
              sections: Iterable[tuple[str, str]], units: Iterable[Unit] | None = None,
              reminder_days: Iterable[int] = DEFAULT_REMINDER_DAYS, actor) -> ReportCall:
    """Open a call for `period`, asking `units` (default: all reporting units) the `sections`."""
    _require_monitoring(actor)
    sections = [(title_.strip(), guidance.strip()) for title_, guidance in sections if title_.strip()]
    reminder_days = sorted(set(reminder_days), reverse=True)
    if not title.strip():
        raise DomainError(_("Give the call a title."))
    if not sections:
        raise DomainError(_("A call needs at least one question or section for the report."))
    if not service.is_internal:
        raise DomainError(_("A report call belongs to an internal service."))
    call_check(period_kind=period.kind, period_year=period.year, period_index=period.index,
               opens_at=opens_at, closes_at=closes_at, reminder_days=reminder_days)
    units = list(units) if units is not None else default_call_units()
    if not units:
        raise DomainError(_("Choose at least one unit to report."))
    with transaction.atomic():
        call = ReportCall.objects.create(
            title=title.strip(), service=service, period_kind=period.kind, period_year=period.year,
            period_index=period.index, opens_at=opens_at, closes_at=closes_at,
            reminder_days=reminder_days, created_by=actor,
        )
        call.units.set(units)
        CallSection.objects.bulk_create([
            CallSection(call=call, order=order, title=title_, guidance=guidance)
            for order, (title_, guidance) in enumerate(sections, start=1)
        ])
    return call


def extension_check(*, call: ReportCall, unit: Unit, until: dt.datetime,
                    now: dt.datetime | None = None) -> None:
    """The rules of an extension, for `extension_grant` and the admin form alike."""
    now = now or timezone.now()
    if not call.units.filter(pk=unit.pk).exists():
        raise DomainError(_("This unit was not asked to report in this call."))
    if until <= call.closes_at:
        raise DomainError(_("An extension must end after the call closes (%(date)s).")
                          % {"date": format_jalali(call.closes_at)})
    if until <= now:
        raise DomainError(_("An extension must end in the future."))
    if UnitReport.objects.filter(call=call, unit=unit, status=UnitReport.Status.ACCEPTED).exists():
        raise DomainError(_("This unit's report has already been accepted."))


def extension_grant(*, call: ReportCall, unit: Unit, until: dt.datetime, reason: str = "",
                    actor, now: dt.datetime | None = None) -> CallExtension:
    """Let one unit submit after the close, until `until`; recorded with who granted it and when."""
    _require_monitoring(actor)
    extension_check(call=call, unit=unit, until=until, now=now)
    return CallExtension.objects.create(call=call, unit=unit, until=until, reason=reason.strip(),
                                        granted_by=actor)


# --- the unit's report --------------------------------------------------------------------------

def _report_for(*, call: ReportCall, unit: Unit, actor, now: dt.datetime) -> UnitReport:
    """The unit's report, locked; created as a draft from its scorecard the first time."""
    _require_member(actor, unit)
    if not call.units.filter(pk=unit.pk).exists():
        raise DomainError(_("Your unit was not asked to report in this call."))
    report = UnitReport.objects.select_for_update().filter(call=call, unit=unit).first()
    if report is not None:
        return report
    _require_window_open(call=call, unit=unit, now=now)
    report, created = UnitReport.objects.get_or_create(
        call=call, unit=unit,
        defaults={"self_assessment": self_assessment_draft(unit=unit, period=call.period)},
    )
    if created:
        ReportAnswer.objects.bulk_create(
            [ReportAnswer(report=report, section=section) for section in call.sections.all()]
        )
    return UnitReport.objects.select_for_update().get(pk=report.pk)


def report_start(*, call: ReportCall, unit: Unit, actor, now: dt.datetime | None = None) -> UnitReport:
    """The unit's report for the call, created as a draft from its scorecard the first time."""
    with transaction.atomic():
        return _report_for(call=call, unit=unit, actor=actor, now=now or timezone.now())


def _locked_report(report_id: int) -> UnitReport:
    return UnitReport.objects.select_for_update().select_related("call", "unit").get(pk=report_id)


def report_save(*, call: ReportCall, unit: Unit, answers: Mapping[int, str], self_assessment: str,
                files: Iterable = (), actor, now: dt.datetime | None = None) -> UnitReport:
    """Keep the unit's draft text (per section id) and add files, starting the draft if needed.

    Refused once submitted or outside the unit's window; a refusal stores nothing (not even the
    draft it would have started).
    """
    now = now or timezone.now()
    files = list(files)
    try:
        checked = [check_upload(upload) for upload in files]
    except ValidationError as exc:
        raise DomainError(exc.messages[0]) from None
    with transaction.atomic():
        report = _report_for(call=call, unit=unit, actor=actor, now=now)
        if report.status not in EDITABLE:
            raise DomainError(_("This report has been submitted and can no longer be changed."))
        _require_window_open(call=call, unit=unit, now=now)
        if report.files.count() + len(checked) > settings.ATTACHMENT_MAX_COUNT:
            raise DomainError(_("A report can have at most %(count)d files.")
                              % {"count": settings.ATTACHMENT_MAX_COUNT})
        sections = {s.pk for s in call.sections.all()}
        for section_id, text in answers.items():
            if section_id not in sections:
                raise DomainError(_("That section is not part of this call."))
            ReportAnswer.objects.update_or_create(
                report=report, section_id=section_id, defaults={"text": text.strip()},
            )
        report.self_assessment = self_assessment.strip()
        report.save(update_fields=["self_assessment", "updated_at"])
        for item in checked:
            row = ReportFile(report=report, original_name=item.name, content_type=item.content_type,
                             size=item.size, sha256=item.sha256, uploaded_by=actor)
            row.file.save(item.name, item.upload, save=False)
            row.save()
    return report


def report_file_remove(*, report_id: int, file_id: int, actor,
                       now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked_report(report_id)
        _require_member(actor, report.unit)
        if report.status not in EDITABLE:
            raise DomainError(_("This report has been submitted and can no longer be changed."))
        _require_window_open(call=report.call, unit=report.unit, now=now)
        row = ReportFile.objects.filter(report=report, pk=file_id).first()
        if row is None:
            raise DomainError(_("That file is not part of this report."))
        name = row.file.name
        row.delete()
        transaction.on_commit(lambda: row.file.storage.delete(name))


def report_submit(*, report_id: int, actor, now: dt.datetime | None = None) -> UnitReport:
    """The head hands the report to the monitoring unit; every section must be answered."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked_report(report_id)
        _require_member(actor, report.unit, head=True)
        if report.status not in EDITABLE:
            raise DomainError(_("This report has already been submitted."))
        _require_window_open(call=report.call, unit=report.unit, now=now)
        empty = [a.section.title for a in report.answers.select_related("section") if not a.text]
        missing = report.call.sections.exclude(answers__report=report)
        empty += [s.title for s in missing]
        if empty:
            raise DomainError(_("Answer every section before submitting: %(sections)s.")
                              % {"sections": "، ".join(empty)})
        report.status = UnitReport.Status.SUBMITTED
        report.submitted_at = now
        report.submitted_by = actor
        report.submitted_late = now >= report.call.closes_at
        report.save(update_fields=["status", "submitted_at", "submitted_by", "submitted_late",
                                   "updated_at"])
    return report


def report_return(*, report_id: int, reason: str, actor, now: dt.datetime | None = None) -> UnitReport:
    """Monitoring sends a submitted report back for changes, with a reason the unit sees."""
    _require_monitoring(actor)
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError(_("Write why the report is returned; the unit will see it."))
    with transaction.atomic():
        report = _locked_report(report_id)
        if report.status != UnitReport.Status.SUBMITTED:
            raise DomainError(_("Only a submitted report can be returned."))
        if now >= call_window_end(call=report.call, unit=report.unit):
            raise DomainError(_(
                "The call has closed, so the unit could not resubmit. Grant the unit an extension "
                "first, then return the report."
            ))
        report.status = UnitReport.Status.RETURNED
        report.return_reason = reason.strip()
        report.reviewed_at, report.reviewed_by = now, actor
        report.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by",
                                   "updated_at"])
        for address in unit_addresses(report.unit):
            message_queue(
                template="unit_report_returned", channel=Channel.EMAIL, recipient=address,
                context={"report": report, "site_url": settings.SITE_URL},
                dedupe_key=f"ureport{report.pk}:returned:{now.timestamp():.0f}:{address}"[:120],
                about=report.call,
            )
    return report


def report_accept(*, report_id: int, actor, now: dt.datetime | None = None) -> UnitReport:
    _require_monitoring(actor)
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked_report(report_id)
        if report.status != UnitReport.Status.SUBMITTED:
            raise DomainError(_("Only a submitted report can be accepted."))
        report.status = UnitReport.Status.ACCEPTED
        report.reviewed_at, report.reviewed_by = now, actor
        report.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    return report


# --- reminders ----------------------------------------------------------------------------------

def _due_reminder(call: ReportCall, now: dt.datetime) -> int | None:
    """The latest reminder point the call has reached (days before the close), if any.

    Only the nearest point is sent: a task that was down for days sends one reminder, not a burst.
    """
    reached = [d for d in call.reminder_days if now >= call.closes_at - dt.timedelta(days=d)]
    return min(reached) if reached else None


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind every unit that has not submitted to an open call; once per unit and reminder point.

    The outbox's dedupe key (call, point, unit, channel, recipient) makes a second run, or two
    runs at once, write nothing new. Returns the number of messages written this run.
    """
    from .selectors import calls_missing_units

    now = now or timezone.now()
    written = 0
    for call in ReportCall.objects.filter(opens_at__lte=now, closes_at__gt=now):
        days = _due_reminder(call, now)
        if days is None:
            continue
        for unit in calls_missing_units(call):
            recipients = [(Channel.EMAIL, address) for address in unit_addresses(unit)]
            for contact in UnitContact.objects.filter(unit=unit):
                if contact.mobile:
                    recipients.append((Channel.SMS, contact.mobile))
                if contact.email:
                    recipients.append((Channel.EMAIL, contact.email))
            context = {"call": call, "unit": unit, "days": days, "site_url": settings.SITE_URL}
            with transaction.atomic():
                for channel, recipient in dict.fromkeys(recipients):
                    key = f"call{call.pk}:remind{days}:u{unit.pk}:{channel}:{recipient}"[:120]
                    written += not Message.objects.filter(dedupe_key=key).exists()
                    message_queue(template="unit_report_reminder", channel=channel,
                                        recipient=recipient, context=context, dedupe_key=key,
                                        about=call)
    return written
