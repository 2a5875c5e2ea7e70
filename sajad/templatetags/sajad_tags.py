"""Template filters: the single way templates show Jalali dates and Persian digits."""
import re

from django import template
from django.utils.safestring import SafeData, mark_safe

from sajad.jalali import JALALI_DATE, JALALI_DATETIME, JALALI_LONG_DATE, format_jalali
from django.utils.translation import get_language

from sajad.persian import display_digits, to_persian_digits

register = template.Library()


@register.filter
def jdatetime(value, fmt: str = ""):
    """{{ case.created_at|jdatetime }} → «۱۴۰۵/۰۹/۰۱ – ۱۰:۲۴»."""
    return format_jalali(value, fmt or JALALI_DATETIME)


@register.filter
def jdate(value, style: str = ""):
    """{{ value|jdate }} → «۱۴۰۵/۰۹/۰۱»; {{ value|jdate:"long" }} → «شنبه ۰۱ آذر ۱۴۰۵»."""
    return format_jalali(value, JALALI_LONG_DATE if style == "long" else JALALI_DATE)


# In HTML that is already safe, only text between tags and entities gets Persian digits: an
# href's case id or an entity's code point must stay as they are.
_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


@register.filter
def fa_digits(value):
    """Show numbers with Persian digits (messages and errors too: «حداکثر ۵ فایل»)."""
    if value is None:
        return ""
    if isinstance(value, SafeData):
        parts = _MARKUP.split(str(value))
        return mark_safe("".join(
            part if index % 2 else to_persian_digits(part) for index, part in enumerate(parts)
        ))
    return to_persian_digits(value)


@register.filter
def user_text(value):
    """Text people wrote (subjects, descriptions, answers, notes), as shown on a page.

    Persian mode: digits in Persian (stored text keeps ASCII), links and Latin words untouched.
    Other languages: unchanged; templates put such text in a `dir="auto"` element (or `<bdi>`) so
    Persian stays right-to-left inside an English page.
    """
    if value is None:
        return ""
    if (get_language() or "fa").startswith("fa"):
        return display_digits(value)
    return value


# Unicode "left-to-right isolate" marks: the grouped number reads left to right even inside
# right-to-left text (titles, breadcrumbs, SMS), where the bidi algorithm would swap its groups.
_LRI, _PDI = "\u2066", "\u2069"


@register.filter
def tracking_display(value):
    """A tracking number grouped for reading aloud: ۱۲۳-۴۵۶-۷۸۹, always shown left to right."""
    text = str(value or "")
    if not text:
        return ""
    groups = [text[i:i + 3] for i in range(0, len(text), 3)]
    return _LRI + to_persian_digits("-".join(groups)) + _PDI


@register.filter
def iso_datetime(value):
    """A machine-readable time for `<time datetime>`: local time to the second with its offset.

    Django's `date:'c'` writes microseconds, which HTML's date-time syntax does not allow.
    """
    import datetime as dt

    from django.utils import timezone

    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return value.isoformat()  # a date
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")


@register.filter
def working_time(minutes):
    """«۲ روز و ۳ ساعت کاری»: working minutes in words (the calendar's usual working day)."""
    from sajad.calendar_display import describe_working_minutes

    if minutes in (None, ""):
        return ""
    return describe_working_minutes(round(float(minutes)))


@register.filter
def get_item(mapping, key):
    """{{ answers|get_item:case.pk }}: a dict entry in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
