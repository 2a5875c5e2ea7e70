"""Validators for Iranian identifiers. They accept Persian, Arabic and ASCII digits."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .persian import normalize_digits

_MOBILE = re.compile(r"^09\d{9}$")


def is_valid_national_code(value: str) -> bool:
    """The national code (کد ملی) checksum: ten digits, the last one a weighted mod-11 check."""
    code = normalize_digits(value)
    if not re.fullmatch(r"\d{10}", code) or len(set(code)) == 1:
        return False
    total = sum(int(code[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    check = int(code[9])
    return check == remainder if remainder < 2 else check == 11 - remainder


def normalize_mobile(value: str) -> str:
    """Canonical 09xxxxxxxxx form; also accepts +98 / 0098 / 98 prefixes and a missing zero."""
    number = normalize_digits(value).lstrip("+")
    for prefix in ("0098", "98"):
        if number.startswith(prefix) and len(number) == len(prefix) + 10:
            number = "0" + number[len(prefix):]
    if len(number) == 10 and number.startswith("9"):
        number = "0" + number
    return number


def is_valid_mobile(value: str) -> bool:
    return bool(_MOBILE.match(normalize_mobile(value)))


def validate_national_code(value: str) -> None:
    if not is_valid_national_code(value):
        raise ValidationError(
            _("The national code is not valid. Please check its ten digits."), code="national_code"
        )


def validate_mobile(value: str) -> None:
    if not is_valid_mobile(value):
        raise ValidationError(
            _("Enter a mobile number like 09121234567."), code="mobile"
        )
