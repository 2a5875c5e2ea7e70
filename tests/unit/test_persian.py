"""Normalisation of text as people type it, and the Jalali display of stored instants."""
import datetime as dt
from zoneinfo import ZoneInfo

from sajad.jalali import format_jalali, parse_jalali_date
from sajad.persian import (
    ZWNJ, normalize_digits, normalize_text, search_key, search_keys, to_ascii_digits,
    to_persian_digits,
)


def test_arabic_yeh_and_kaf_become_persian():
    assert normalize_text("كتاب علي") == "کتاب علی"


def test_digits_of_every_script_are_stored_as_ascii():
    assert to_ascii_digits("۱۲۳٤٥٦") == "123456"
    assert normalize_text("شماره ۱۲۳ و ٤٥٦") == "شماره 123 و 456"


def test_display_digits_are_persian():
    assert to_persian_digits("1405/09/01") == "۱۴۰۵/۰۹/۰۱"
    assert to_persian_digits(42) == "۴۲"


def test_spaces_and_zwnj_are_tidied_but_line_breaks_kept():
    text = f"  می{ZWNJ}{ZWNJ}خواهم   بروم \n\n خط  دوم {ZWNJ}"
    assert normalize_text(text) == f"می{ZWNJ}خواهم بروم\n\nخط دوم"


def test_zwnj_beside_a_space_collapses_to_the_space():
    assert normalize_text(f"می {ZWNJ}خواهم") == "می خواهم"


def test_invisible_direction_marks_are_dropped():
    assert normalize_text("سلام\u200f دنیا\u200e") == "سلام دنیا"
    assert normalize_digits("\u200f۰۹۱۲-۱۲۳ ۴۵۶۷") == "09121234567"


def test_search_key_reads_zwnj_as_space():
    assert search_key(f"می{ZWNJ}خواهم") == search_key("مي خواهم") == "می خواهم"


def test_search_keys_fold_hamza_forms_and_diacritics():
    assert search_key("تأخیر") == search_key("تاخیر") == "تاخیر"
    assert search_key("مسئول") == search_key("مسیول")
    assert search_key("لطفاً") == "لطفا"


def test_search_keys_compact_form_joins_half_spaced_spaced_and_joined_words():
    assert search_keys(f"نوبت{ZWNJ}دهی")[1] == search_keys("نوبت دهی")[1] == "نوبتدهی"


def test_stored_text_keeps_the_tanwin():
    assert normalize_text("لطفاً صبر کنید") == "لطفاً صبر کنید"


def test_jalali_display_uses_tehran_time_and_persian_digits():
    instant = dt.datetime(2026, 11, 22, 20, 45, tzinfo=dt.timezone.utc)  # 00:15 next day in Tehran
    assert format_jalali(instant) == "۱۴۰۵/۰۹/۰۲ – ۰۰:۱۵"


def test_jalali_date_parses_in_any_digit_script():
    assert parse_jalali_date("۱۴۰۵/۰۱/۰۱") == dt.date(2026, 3, 21)
    assert parse_jalali_date("1405-9-1") == dt.date(2026, 11, 22)


def test_nowruz_in_tehran_is_the_first_of_farvardin():
    instant = dt.datetime(2026, 3, 21, 9, 0, tzinfo=ZoneInfo("Asia/Tehran"))
    assert format_jalali(instant, "%Y/%m/%d", persian_digits=False) == "1405/01/01"
