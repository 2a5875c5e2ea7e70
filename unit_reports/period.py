"""The Jalali period a call covers (a month, a quarter or a year).

A stand-in with the shape of the dashboards' `Period` (kind, year, index, start, end, label) until
that module is on main; `call.period` is the one place that builds it.
"""
import datetime as dt
from dataclasses import dataclass

import jdatetime
from django.utils.translation import gettext as _

from sajad.calendar import TEHRAN
from sajad.persian import to_persian_digits

LIMITS = {"month": 12, "quarter": 4, "year": 1}
MONTH_NAMES = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
               "دی", "بهمن", "اسفند")


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    index: int

    def __post_init__(self):
        if self.kind not in LIMITS or not 1 <= self.index <= LIMITS[self.kind]:
            raise ValueError(f"not a period: {self.kind} {self.year} {self.index}")

    def _first_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index - 2, "year": 1}[self.kind]

    def _next_first(self) -> jdatetime.date:
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        month = self._first_month() + months
        return jdatetime.date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def start(self) -> dt.datetime:
        day = jdatetime.date(self.year, self._first_month(), 1).togregorian()
        return dt.datetime.combine(day, dt.time(0), TEHRAN)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period."""
        return dt.datetime.combine(self._next_first().togregorian(), dt.time(0), TEHRAN)

    @property
    def label(self) -> str:
        if self.kind == "month":
            text = f"{MONTH_NAMES[self.index - 1]} {self.year}"
        elif self.kind == "quarter":
            text = _("quarter %(index)s of %(year)s") % {"index": self.index, "year": self.year}
        else:
            text = _("year %(year)s") % {"year": self.year}
        return to_persian_digits(text)

    def __str__(self) -> str:
        return self.label
