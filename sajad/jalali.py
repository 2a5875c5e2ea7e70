"""Jalali (Solar Hijri) display of the instants we store as plain timezone-aware datetimes.

Models keep Django's DateTimeField (timestamptz); Jalali exists only at the edges: templates,
admin, forms. Every date a person reads is formatted here.
"""
import datetime as dt

import jdatetime
from django.utils import timezone

from .persian import to_persian_digits

JALALI_DATE = "%Y/%m/%d"
JALALI_DATETIME = "%Y/%m/%d – %H:%M"
JALALI_LONG_DATE = "%A %d %B %Y"


def to_jalali(value: dt.datetime | dt.date) -> jdatetime.date | jdatetime.datetime:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value, locale=jdatetime.FA_LOCALE)
    return jdatetime.date.fromgregorian(date=value, locale=jdatetime.FA_LOCALE)


def format_jalali(value, fmt: str = JALALI_DATETIME, persian_digits: bool = True) -> str:
    """Format a date or datetime as Jalali; dates with a time-only format fall back to the date."""
    if value in (None, ""):
        return ""
    if not isinstance(value, (dt.date, dt.datetime)):
        return str(value)
    if not isinstance(value, dt.datetime) and "%H" in fmt:
        fmt = JALALI_DATE
    text = to_jalali(value).strftime(fmt)
    return to_persian_digits(text) if persian_digits else text


def parse_jalali_date(text: str) -> dt.date:
    """Parse «۱۴۰۵/۰۹/۰۱» (any digits, / or -) into a Gregorian date; ValueError if impossible."""
    from .persian import to_ascii_digits

    parts = to_ascii_digits(text).strip().replace("-", "/").split("/")
    if len(parts) != 3:
        raise ValueError(text)
    year, month, day = (int(p) for p in parts)
    return jdatetime.date(year, month, day).togregorian()
