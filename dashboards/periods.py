"""Jalali reporting periods: a month, a quarter (three months) or a year of the Solar Hijri calendar.

Reports are counted by the Tehran date of each event, so a period is a range of Gregorian dates
(`first_day` … `last_day`, inclusive) computed from Jalali boundaries.
"""
import datetime as dt
from dataclasses import dataclass

import jdatetime
from django.utils import timezone
from django.utils.translation import gettext as _

from sajad.calendar import TEHRAN
from sajad.persian import to_persian_digits

KINDS = ("month", "quarter", "year")
MONTH_NAMES = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
               "دی", "بهمن", "اسفند")


@dataclass(frozen=True, order=True)
class Period:
    kind: str  # "month", "quarter" or "year"
    year: int  # Jalali year
    index: int  # month 1–12, quarter 1–4, or 1 for a year

    def __post_init__(self):
        limit = {"month": 12, "quarter": 4, "year": 1}.get(self.kind)
        if limit is None or not 1 <= self.index <= limit or not 1300 <= self.year <= 1500:
            raise ValueError(f"not a period: {self.kind} {self.year} {self.index}")

    # --- boundaries -------------------------------------------------------------------------

    def _first_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index - 2, "year": 1}[self.kind]

    def _months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def first_day(self) -> dt.date:
        return jdatetime.date(self.year, self._first_month(), 1).togregorian()

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        """The first instant of the period in Tehran."""
        return dt.datetime.combine(self.first_day, dt.time(0), TEHRAN)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period."""
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(0), TEHRAN)

    # --- neighbours -------------------------------------------------------------------------

    def next(self) -> "Period":
        limit = {"month": 12, "quarter": 4, "year": 1}[self.kind]
        if self.index < limit:
            return Period(self.kind, self.year, self.index + 1)
        return Period(self.kind, self.year + 1, 1)

    def previous(self) -> "Period":
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1)
        return Period(self.kind, self.year - 1, {"month": 12, "quarter": 4, "year": 1}[self.kind])

    def months(self) -> list["Period"]:
        first = Period("month", self.year, self._first_month())
        out = [first]
        while len(out) < self._months():
            out.append(out[-1].next())
        return out

    # --- words ------------------------------------------------------------------------------

    @property
    def label(self) -> str:
        if self.kind == "month":
            text = f"{MONTH_NAMES[self.index - 1]} {self.year}"
        elif self.kind == "quarter":
            text = _("quarter %(index)s of %(year)s") % {"index": self.index, "year": self.year}
        else:
            text = _("year %(year)s") % {"year": self.year}
        return to_persian_digits(text)

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.year}-{self.index}"

    def __str__(self) -> str:
        return self.label


def period_containing(day: dt.date, kind: str = "month") -> Period:
    j = jdatetime.date.fromgregorian(date=day)
    index = {"month": j.month, "quarter": (j.month - 1) // 3 + 1, "year": 1}[kind]
    return Period(kind, j.year, index)


def current_period(kind: str = "month", *, now=None) -> Period:
    return period_containing(timezone.localtime(now or timezone.now(), TEHRAN).date(), kind)


def period_from_params(params, *, default_kind: str = "month", now=None) -> Period:
    """The period named by `?period=month-1405-8` (or the current one when absent or invalid)."""
    value = (params.get("period") or "").strip()
    try:
        kind, year, index = value.split("-")
        return Period(kind, int(year), int(index))
    except (ValueError, TypeError):
        return current_period(default_kind, now=now)


def recent_periods(kind: str, count: int, *, now=None) -> list[Period]:
    """The last `count` periods of a kind, oldest first, ending with the current one."""
    periods = [current_period(kind, now=now)]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods
