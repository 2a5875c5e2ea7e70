"""Working-time arithmetic: the one place that knows what "N working hours later" means.

Pure Python on purpose (no ORM, no settings): the SLA clocks, the sweep and the tests all call these
functions with a `WorkingCalendar` built elsewhere (`sajad.calendar_store.load_calendar` reads it from
the database). Everything here takes and returns timezone-aware datetimes; a naive one is a bug in the
caller and raises ValueError rather than being guessed at.

Conventions, all of them tested in `tests/unit/test_calendar.py`:

* Working time is the union of the half-open periods ``[day + start, day + end)`` of every working day
  in the calendar's zone (Asia/Tehran). A day is a working day when its weekday has periods and it is
  not a holiday. 14:30 on a 07:30–14:30 day is therefore *not* working time.
* ``add_working_minutes(t, n)`` for ``n >= 1`` is the earliest instant ``r`` such that exactly ``n``
  working minutes lie between ``t`` and ``r``. So a start outside working time first moves to the next
  working start, and a deadline that fills a period exactly stays at the period's end (Wednesday
  14:30) instead of jumping to the next morning. This definition is what makes the arithmetic
  additive: ``add(add(t, a), b) == add(t, a + b)``. ``n == 0`` returns ``t`` unchanged.
* ``add_working_days(t, n)`` for ``n >= 1`` is the end of the last period of the n-th *whole* working
  day at or after ``t``: a working day counts only if its first period starts at or after ``t``. A case
  filed on Saturday at 06:00 gets Saturday as its first day; filed at 09:00 it gets Sunday. This is
  additive too, and ``n == 0`` returns ``t``.
* ``working_minutes_between(a, b)`` is the working time in ``[a, b]`` in whole minutes (rounded
  down), minus the working time inside any pauses; pauses may overlap, stick out of ``[a, b]`` or be
  still open (end ``None``, meaning "until b").

Internally every instant is handled in UTC, so the arithmetic stays right even on historical dates
when Iran still observed daylight saving time (it stopped in 2022; all current offsets are +03:30).
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = dt.timezone.utc

# Python's numbering (date.weekday()): Monday is 0 and Sunday 6. The Iranian week starts on Saturday.
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
IRANIAN_WEEK_ORDER = (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY)

DEFAULT_START = dt.time(7, 30)
DEFAULT_END = dt.time(14, 30)
DEFAULT_WEEK: dict[int, list[tuple[dt.time, dt.time]]] = {
    day: [(DEFAULT_START, DEFAULT_END)] for day in (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY)
}

Period = tuple[dt.time, dt.time]
_ZERO = dt.timedelta(0)
_DAY = dt.timedelta(days=1)
_WEEK = dt.timedelta(days=7)


def _require_aware(value: dt.datetime, name: str) -> None:
    if not isinstance(value, dt.datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} is a naive datetime; working time needs a timezone-aware instant")


def _clean_periods(weekday: int, periods: Sequence[Period]) -> list[Period]:
    """Sort one weekday's periods and refuse empty, reversed or overlapping ones."""
    if weekday not in range(7):
        raise ValueError(f"weekday {weekday!r} is not 0 (Monday) … 6 (Sunday)")
    cleaned = sorted(periods)
    for start, end in cleaned:
        if not start < end:
            raise ValueError(f"working period {start}–{end} on weekday {weekday} is empty or reversed")
    for (_, end), (next_start, _) in zip(cleaned, cleaned[1:]):
        if next_start < end:
            raise ValueError(f"working periods overlap on weekday {weekday}")
    return cleaned


def _wall_length(period: Period) -> dt.timedelta:
    start, end = period
    return dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)


class WorkingCalendar:
    """Weekly working hours plus holidays in one time zone; immutable once built."""

    def __init__(
        self,
        week: Mapping[int, Sequence[Period]] | None = None,
        holidays: Iterable[dt.date] = (),
        tz: dt.tzinfo = TEHRAN,
    ) -> None:
        week = DEFAULT_WEEK if week is None else week
        self.tz = tz
        self.week: dict[int, tuple[Period, ...]] = {
            day: tuple(_clean_periods(day, week.get(day, ()))) for day in range(7)
        }
        self.holidays: frozenset[dt.date] = frozenset(holidays)
        # Sorted copy for range counts (how many holidays fall between two dates) by bisection.
        self._holidays_sorted = sorted(self.holidays)
        # Length of each weekday's working time. Periods never straddle Iran's old DST switches,
        # which happened at midnight, so the wall-clock length is the real length.
        self._day_length = [sum((_wall_length(p) for p in self.week[d]), _ZERO) for d in range(7)]
        self._week_length = sum(self._day_length, _ZERO)
        if self._week_length <= _ZERO:
            raise ValueError("a working calendar needs at least one working period in the week")

    def typical_day_minutes(self) -> int:
        """The usual length of a working day in minutes (the most common among working weekdays).

        What "one working day" means when a duration is described or a budget is given in days;
        it follows the working week set in admin (420 with the default 07:30–14:30).
        """
        lengths = [int(d.total_seconds() // 60) for d in self._day_length if d > _ZERO]
        return max(sorted(set(lengths)), key=lengths.count)

    def __repr__(self) -> str:
        return f"WorkingCalendar(week={self.week!r}, holidays={len(self.holidays)} dates, tz={self.tz})"

    # --- days -----------------------------------------------------------------------------------

    def is_holiday(self, day: dt.date) -> bool:
        return day in self.holidays

    def is_working_day(self, day: dt.date) -> bool:
        """True when the weekday has working hours and the date is not a holiday."""
        if isinstance(day, dt.datetime):
            _require_aware(day, "day")
            day = day.astimezone(self.tz).date()
        return bool(self.week[day.weekday()]) and day not in self.holidays

    def _day_total(self, day: dt.date) -> dt.timedelta:
        return _ZERO if day in self.holidays else self._day_length[day.weekday()]

    def _periods(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's working periods as UTC instants; empty on holidays and days off."""
        if day in self.holidays:
            return []
        return [
            (
                dt.datetime.combine(day, start, self.tz).astimezone(UTC),
                dt.datetime.combine(day, end, self.tz).astimezone(UTC),
            )
            for start, end in self.week[day.weekday()]
        ]

    def _has_holiday_between(self, first: dt.date, last_exclusive: dt.date) -> bool:
        i = bisect.bisect_left(self._holidays_sorted, first)
        return i < len(self._holidays_sorted) and self._holidays_sorted[i] < last_exclusive

    def _local_date(self, instant_utc: dt.datetime) -> dt.date:
        return instant_utc.astimezone(self.tz).date()

    # --- instants -------------------------------------------------------------------------------

    def is_working_time(self, instant: dt.datetime) -> bool:
        """True inside a working period (its start included, its end excluded)."""
        _require_aware(instant, "instant")
        t = instant.astimezone(UTC)
        return any(start <= t < end for start, end in self._periods(self._local_date(t)))

    def next_working_instant(self, instant: dt.datetime) -> dt.datetime:
        """The instant itself when it is working time, else the start of the next working period."""
        _require_aware(instant, "instant")
        t = instant.astimezone(UTC)
        day = self._local_date(t)
        for start, end in self._periods(day):
            if t < end:
                return max(start, t).astimezone(self.tz)
        day += _DAY
        while not self.is_working_day(day):
            day += _DAY
        return self._periods(day)[0][0].astimezone(self.tz)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The earliest instant with exactly `minutes` working minutes after `start`.

        Whole weeks without a holiday are skipped in one step and other days one at a time, so the
        cost follows the number of days crossed (and holidays met), never the number of minutes.
        """
        _require_aware(start, "start")
        if minutes < 0:
            raise ValueError("cannot add a negative number of working minutes")
        if minutes == 0:
            return start.astimezone(self.tz)
        remaining = dt.timedelta(minutes=minutes)
        t = start.astimezone(UTC)
        day = self._local_date(t)

        # The start's own day: only what is left of it after `t` counts.
        for period_start, period_end in self._periods(day):
            if period_end <= t:
                continue
            begin = max(period_start, t)
            available = period_end - begin
            if remaining <= available:
                return (begin + remaining).astimezone(self.tz)
            remaining -= available
        day += _DAY

        while True:
            # Strictly greater: a deadline that ends exactly with a week's last day must land there.
            while remaining > self._week_length and not self._has_holiday_between(day, day + _WEEK):
                remaining -= self._week_length
                day += _WEEK
            total = self._day_total(day)
            if remaining > total:
                remaining -= total
                day += _DAY
                continue
            for period_start, period_end in self._periods(day):
                available = period_end - period_start
                if remaining <= available:
                    return (period_start + remaining).astimezone(self.tz)
                remaining -= available
            raise AssertionError("unreachable: the day's periods add up to its total")  # pragma: no cover

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The close of business of the `days`-th whole working day at or after `start`.

        A working day counts only when its first period starts at or after `start`; the deadline is
        the end of that day's last period. Days off and holidays are skipped by set look-ups.
        """
        _require_aware(start, "start")
        if days < 0:
            raise ValueError("cannot add a negative number of working days")
        if days == 0:
            return start.astimezone(self.tz)
        t = start.astimezone(UTC)
        day = self._local_date(t)
        periods = self._periods(day)
        if not periods or periods[0][0] < t:
            day += _DAY  # today is already under way (or not a working day): it does not count
        working_per_week = sum(1 for d in range(7) if self.week[d])
        counted = 0
        while True:
            # Jump whole holiday-free weeks while more than a week's worth of days remains.
            while days - counted > working_per_week and not self._has_holiday_between(
                day, day + _WEEK
            ):
                counted += working_per_week
                day += _WEEK
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    return self._periods(day)[-1][1].astimezone(self.tz)
            day += _DAY

    def working_minutes_between(
        self,
        start: dt.datetime,
        end: dt.datetime,
        pauses: Iterable[tuple[dt.datetime, dt.datetime | None]] = (),
    ) -> int:
        """Whole working minutes in [start, end], not counting working time inside any pause.

        A pause whose end is None is still running and counts as paused until `end`. Overlapping
        pauses are merged first, so a minute is never subtracted twice.
        """
        _require_aware(start, "start")
        _require_aware(end, "end")
        a, b = start.astimezone(UTC), end.astimezone(UTC)
        if b < a:
            raise ValueError("end is before start")
        elapsed = self._working_time(a, b)
        for pause_start, pause_end in self._merge_pauses(pauses, a, b):
            elapsed -= self._working_time(pause_start, pause_end)
        return int(elapsed.total_seconds() // 60)

    @staticmethod
    def _merge_pauses(
        pauses: Iterable[tuple[dt.datetime, dt.datetime | None]], a: dt.datetime, b: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        clipped = []
        for pause_start, pause_end in pauses:
            _require_aware(pause_start, "pause start")
            p1 = pause_start.astimezone(UTC)
            if pause_end is None:
                p2 = b
            else:
                _require_aware(pause_end, "pause end")
                p2 = pause_end.astimezone(UTC)
            if p2 < p1:
                raise ValueError("a pause ends before it starts")
            p1, p2 = max(p1, a), min(p2, b)
            if p1 < p2:
                clipped.append((p1, p2))
        clipped.sort()
        merged: list[tuple[dt.datetime, dt.datetime]] = []
        for p1, p2 in clipped:
            if merged and p1 <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], p2))
            else:
                merged.append((p1, p2))
        return merged

    def _working_time(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Exact working time in [a, b] (UTC instants, a <= b), in O(weeks + holidays) steps."""
        first, last = self._local_date(a), self._local_date(b)
        if first == last:
            return self._overlap(first, a, b)
        total = self._overlap(first, a, b) + self._overlap(last, a, b)
        # Whole days strictly between: complete weeks at the weekly length, the rest day by day,
        # then take back the holidays that fell on working weekdays.
        day = first + _DAY
        weeks, rest = divmod((last - day).days, 7)
        total += self._week_length * weeks
        day += _WEEK * weeks
        for _ in range(rest):
            total += self._day_length[day.weekday()]
            day += _DAY
        lo = bisect.bisect_left(self._holidays_sorted, first + _DAY)
        hi = bisect.bisect_left(self._holidays_sorted, last)
        for holiday in self._holidays_sorted[lo:hi]:
            total -= self._day_length[holiday.weekday()]
        return total

    def _overlap(self, day: dt.date, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        total = _ZERO
        for period_start, period_end in self._periods(day):
            lo, hi = max(period_start, a), min(period_end, b)
            if lo < hi:
                total += hi - lo
        return total


def default_calendar(holidays: Iterable[dt.date] = ()) -> WorkingCalendar:
    """Saturday–Wednesday 07:30–14:30 in Asia/Tehran, the organisation's default working week."""
    return WorkingCalendar(DEFAULT_WEEK, holidays, TEHRAN)
