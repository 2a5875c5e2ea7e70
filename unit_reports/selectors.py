"""Reads that carry rules: what a unit sees of the calls, who has not submitted, the current call."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from complaints import roles
from sajad.models import Service, Unit

from .models import ReportCall, ReportFile, UnitReport
from .services import DONE, call_window_end


def calls_missing_units(call: ReportCall) -> QuerySet[Unit]:
    """The units asked by `call` that have not submitted (a returned report counts as missing)."""
    submitted = UnitReport.objects.filter(call=call, unit=OuterRef("pk"), status__in=DONE)
    return call.units.annotate(done=Exists(submitted)).filter(done=False).order_by("name")


def call_progress(call: ReportCall) -> list[dict]:
    """Every unit asked, with its report (or None) and its window's end, for monitoring's list."""
    reports = {r.unit_id: r for r in UnitReport.objects.filter(call=call)}
    return [
        {"unit": unit, "report": reports.get(unit.pk),
         "submitted": reports.get(unit.pk) is not None and reports[unit.pk].status in DONE,
         "window_end": call_window_end(call=call, unit=unit)}
        for unit in call.units.order_by("name")
    ]


@dataclass(frozen=True)
class DeskCall:
    call: ReportCall
    report: UnitReport | None
    window_end: dt.datetime
    is_open: bool


def _unit_of(user) -> Unit:
    membership = getattr(user, "unit_membership", None)
    if membership is None or roles.staff_role(user) is None:
        raise Http404
    return membership.unit


def desk_calls(*, user, now: dt.datetime | None = None) -> list[DeskCall]:
    """The calls that asked the user's unit and have opened, the latest first."""
    now = now or timezone.now()
    unit = _unit_of(user)
    calls = ReportCall.objects.filter(units=unit, opens_at__lte=now).order_by("-closes_at")
    reports = {r.call_id: r for r in UnitReport.objects.filter(unit=unit, call__in=calls)}
    out = []
    for call in calls:
        end = call_window_end(call=call, unit=unit)
        out.append(DeskCall(call, reports.get(call.pk), end, call.opens_at <= now < end))
    return out


def desk_call_get(*, user, call_id: int, now: dt.datetime | None = None) -> DeskCall:
    """One call of the user's unit; a call that did not ask the unit is the same 404 as none."""
    now = now or timezone.now()
    unit = _unit_of(user)
    call = ReportCall.objects.filter(pk=call_id, units=unit, opens_at__lte=now).first()
    if call is None:
        raise Http404
    end = call_window_end(call=call, unit=unit)
    report = UnitReport.objects.filter(call=call, unit=unit).first()
    return DeskCall(call, report, end, call.opens_at <= now < end)


def report_file_get_for_desk(*, user, file_id: int) -> ReportFile:
    """A file of the user's own unit's report; anything else is 404."""
    unit = _unit_of(user)
    row = ReportFile.objects.filter(pk=file_id, report__unit=unit).first()
    if row is None:
        raise Http404
    return row


def current_call(*, service: Service, now: dt.datetime | None = None) -> ReportCall | None:
    """The call the service's SLA page shows: the open one, else the next, else the last."""
    now = now or timezone.now()
    calls = ReportCall.objects.filter(service=service)
    return (
        calls.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()
        or calls.filter(opens_at__gt=now).order_by("opens_at").first()
        or calls.order_by("-closes_at").first()
    )
