"""Build the pure `WorkingCalendar` from the working-week and holiday rows in the database.

`sajad.calendar` does the arithmetic and never touches the ORM; this module is the one bridge.
Recurring solar holidays are expanded into Gregorian dates for a window of Jalali years, so a
deadline far beyond that window would not see them: the default window (two years back, five
ahead) covers every clock the portal runs and the reports that look back on them.
"""
from __future__ import annotations

import datetime as dt

import jdatetime
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

from .calendar import DEFAULT_WEEK, TEHRAN, WorkingCalendar
from .models import Holiday, WorkingWeek
from .shared_copy import SharedCopy

YEARS_BACK = 2
YEARS_AHEAD = 5


def current_jalali_year(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return jdatetime.date.fromgregorian(date=today).year


def recurring_dates(month: int, day: int, years: range) -> list[dt.date]:
    """The Gregorian dates of a Jalali month/day in each year; Esfand 30 only in leap years."""
    dates = []
    for year in years:
        try:
            dates.append(jdatetime.date(year, month, day).togregorian())
        except ValueError:
            continue
    return dates


def load_calendar(years: range | None = None) -> WorkingCalendar:
    """Read the week and the holidays (two queries) into an immutable calendar.

    `years` is the range of Jalali years over which recurring holidays are expanded; one-off
    holidays are always included whatever their year.
    """
    if years is None:
        now = current_jalali_year()
        years = range(now - YEARS_BACK, now + YEARS_AHEAD + 1)
    week: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for row in WorkingWeek.objects.filter(is_working=True):
        week.setdefault(row.weekday, []).append((row.start, row.end))
    if not week:
        # No rows (a database emptied by hand or by tests): the spec's default week, never no week.
        week = DEFAULT_WEEK
    holidays: set[dt.date] = set()
    for month, day, date in Holiday.objects.values_list("jalali_month", "jalali_day", "date"):
        if date is not None:
            holidays.add(date)
        else:
            holidays.update(recurring_dates(month, day, years))
    return WorkingCalendar(week, holidays, TEHRAN)


def _load_current() -> tuple[int, WorkingCalendar]:
    return current_jalali_year(), load_calendar()


_current = SharedCopy("working-calendar", _load_current)
for _model in (Holiday, WorkingWeek):
    post_save.connect(_current.forget, sender=_model, dispatch_uid=f"calendar-copy-{_model.__name__}")
    post_delete.connect(_current.forget, sender=_model, dispatch_uid=f"calendar-copy-d-{_model.__name__}")


def current_calendar() -> WorkingCalendar:
    """The calendar deadlines are computed on: `load_calendar()`'s result, kept by each process
    until the week or a holiday changes (see `sajad.shared_copy`) or the Jalali year turns."""
    year, calendar = _current.get()
    if year != current_jalali_year():
        _current.forget()
        year, calendar = _current.get()
    return calendar


# Sent after an administrator changes the week or a holiday. The core app does not know who keeps
# deadlines; complaints connects a receiver that recomputes open cases' clocks (complaints/apps.py).
calendar_changed = Signal()
calendar_changed.connect(_current.forget, dispatch_uid="calendar-copy-changed")
