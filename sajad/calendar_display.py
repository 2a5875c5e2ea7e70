"""Working time in words, for every page that shows a deadline or a duration.

Deadlines themselves are always computed on a fresh `load_calendar()` (see complaints/sla.py); this
module only describes them, on a calendar re-read at most once a minute per process so that a list
page does not read the calendar for every row.
"""
import datetime as dt
import time
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import WorkingCalendar
from .calendar_store import load_calendar
from .persian import to_persian_digits

_DISPLAY_CALENDAR_TTL_S = 60
_display_cache: dict = {}


def display_calendar() -> WorkingCalendar:
    """The working calendar for display, at most a minute old."""
    loaded_at, calendar = _display_cache.get("calendar", (0.0, None))
    if calendar is None or time.monotonic() - loaded_at > _DISPLAY_CALENDAR_TTL_S:
        calendar = load_calendar()
        _display_cache["calendar"] = (time.monotonic(), calendar)
    return calendar


def describe_working_minutes(minutes: int, *, calendar: WorkingCalendar | None = None) -> str:
    """«۲ روز و ۳ ساعت کاری» — a duration in working time, a day being the calendar's usual day."""
    day_minutes = (calendar or display_calendar()).typical_day_minutes()
    minutes = abs(minutes)
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    if days:
        text = _("%(days)s working days and %(hours)s hours") % {"days": days, "hours": hours} \
            if hours else _("%(days)s working days") % {"days": days}
    elif hours:
        text = _("%(hours)s working hours") % {"hours": hours}
    else:
        text = _("%(minutes)s working minutes") % {"minutes": mins}
    return to_persian_digits(text)


@dataclass(frozen=True)
class DeadlineState:
    """How a deadline stands now, for every list and page that shows one."""

    state: str  # "ok", "soon" (under one working day left) or "overdue"
    minutes: int  # working minutes left, or overdue
    label: str


def deadline_state(due: dt.datetime, *, now=None, calendar=None) -> DeadlineState:
    """Working time left before `due`, or how long past it, in words."""
    now = now or timezone.now()
    calendar = calendar or display_calendar()
    if due <= now:
        minutes = calendar.working_minutes_between(due, now)
        # Past a deadline that fell at the close of the last working day, no working time has
        # gone by yet; "0 minutes overdue" would read as a glitch.
        label = (_("%(time)s overdue") % {"time": describe_working_minutes(minutes, calendar=calendar)}
                 if minutes else _("deadline passed"))
        return DeadlineState("overdue", minutes, label)
    minutes = calendar.working_minutes_between(now, due)
    label = _("%(time)s left") % {"time": describe_working_minutes(minutes, calendar=calendar)}
    soon = minutes < calendar.typical_day_minutes()
    return DeadlineState("soon" if soon else "ok", minutes, label)
