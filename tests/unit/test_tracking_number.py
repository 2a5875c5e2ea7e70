"""Tracking numbers: random, fixed length, and a check digit that catches typing mistakes."""
from hypothesis import given, settings, strategies as st

from complaints import tracking

bodies = st.text(alphabet="0123456789", min_size=tracking.BODY_LENGTH, max_size=tracking.BODY_LENGTH).filter(
    lambda b: b[0] != "0"
)


@given(bodies)
def test_a_number_with_its_check_digit_is_well_formed(body):
    assert tracking.is_well_formed(tracking.with_check_digit(body))


@settings(max_examples=300)
@given(bodies, st.integers(0, tracking.LENGTH - 1), st.integers(1, 9))
def test_every_single_digit_error_is_rejected(body, position, shift):
    number = tracking.with_check_digit(body)
    wrong = str((int(number[position]) + shift) % 10)
    mistyped = number[:position] + wrong + number[position + 1:]
    assert not tracking.is_well_formed(mistyped)


@settings(max_examples=300)
@given(bodies, st.integers(0, tracking.LENGTH - 2))
def test_every_adjacent_transposition_is_rejected(body, position):
    number = tracking.with_check_digit(body)
    a, b = number[position], number[position + 1]
    if a == b:
        return  # swapping equal digits changes nothing
    swapped = number[:position] + b + a + number[position + 2:]
    assert not tracking.is_well_formed(swapped)


def test_new_numbers_have_nine_digits_and_never_start_with_zero():
    numbers = {tracking.new_tracking_number() for _ in range(2000)}
    assert all(len(n) == 9 and n[0] != "0" and tracking.is_well_formed(n) for n in numbers)
    assert len(numbers) > 1990  # random, not sequential or repeating


def test_numbers_are_not_sequential():
    numbers = [int(tracking.new_tracking_number()) for _ in range(50)]
    gaps = {b - a for a, b in zip(numbers, numbers[1:])}
    assert len(gaps) > 40


def test_typed_numbers_in_persian_or_arabic_digits_with_dashes_are_cleaned():
    number = tracking.new_tracking_number()
    persian = number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    arabic = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert tracking.clean(f"{persian[:3]}-{persian[3:6]}-{persian[6:]}") == number
    assert tracking.clean(f" {arabic} ") == number


def test_a_pin_is_eight_random_digits():
    pins = {tracking.new_pin() for _ in range(200)}
    assert all(len(p) == 8 and p.isdigit() for p in pins)
    assert len(pins) > 190
