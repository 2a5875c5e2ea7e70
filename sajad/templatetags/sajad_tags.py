"""Template filters: the single way templates show Jalali dates and Persian digits."""
from django import template

from sajad.jalali import JALALI_DATE, JALALI_DATETIME, JALALI_LONG_DATE, format_jalali
from sajad.persian import to_persian_digits

register = template.Library()


@register.filter
def jdatetime(value, fmt: str = ""):
    """{{ case.created_at|jdatetime }} → «۱۴۰۵/۰۹/۰۱ – ۱۰:۲۴»."""
    return format_jalali(value, fmt or JALALI_DATETIME)


@register.filter
def jdate(value, style: str = ""):
    """{{ value|jdate }} → «۱۴۰۵/۰۹/۰۱»; {{ value|jdate:"long" }} → «شنبه ۰۱ آذر ۱۴۰۵»."""
    return format_jalali(value, JALALI_LONG_DATE if style == "long" else JALALI_DATE)


@register.filter
def fa_digits(value):
    """Show numbers with Persian digits."""
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter
def tracking_display(value):
    """A tracking number grouped for reading aloud: ۱۲۳-۴۵۶-۷۸۹ (displayed left to right)."""
    text = str(value or "")
    groups = [text[i:i + 3] for i in range(0, len(text), 3)]
    return to_persian_digits("-".join(groups))
