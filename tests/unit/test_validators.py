"""National code and mobile validators, in every digit script people type."""
import pytest
from django.core.exceptions import ValidationError

from sajad.validators import (
    is_valid_mobile, is_valid_national_code, normalize_mobile, validate_mobile,
    validate_national_code,
)

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

VALID_CODES = ["0013542419", "0084575948", "1234567891", "0499370899", "2110990147"]
INVALID_CODES = ["0013542418", "1234567890", "1111111111", "0000000000", "123456789", "12345678901",
                 "12345abcde", ""]


@pytest.mark.parametrize("code", VALID_CODES)
@pytest.mark.parametrize("script", [None, FA, AR], ids=["ascii", "persian", "arabic"])
def test_valid_national_codes_pass_in_any_digit_script(code, script):
    typed = code.translate(script) if script else code
    assert is_valid_national_code(typed)
    validate_national_code(typed)


@pytest.mark.parametrize("code", INVALID_CODES)
@pytest.mark.parametrize("script", [None, FA, AR], ids=["ascii", "persian", "arabic"])
def test_invalid_national_codes_fail_in_any_digit_script(code, script):
    typed = code.translate(script) if script else code
    assert not is_valid_national_code(typed)
    with pytest.raises(ValidationError):
        validate_national_code(typed)


@pytest.mark.parametrize(
    "typed",
    ["09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "+989121234567", "00989121234567",
     "9121234567", "0912 123 4567", "0912-123-4567"],
)
def test_mobile_numbers_in_any_script_or_prefix_normalise_to_one_form(typed):
    assert is_valid_mobile(typed)
    assert normalize_mobile(typed) == "09121234567"


@pytest.mark.parametrize("typed", ["0912123456", "091212345678", "08121234567", "02188776655",
                                   "۰۸۱۲۱۲۳۴۵۶۷", "abc", ""])
def test_not_mobile_numbers_are_refused(typed):
    assert not is_valid_mobile(typed)
    with pytest.raises(ValidationError):
        validate_mobile(typed)
