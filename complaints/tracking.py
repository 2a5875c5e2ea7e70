"""Tracking numbers and PINs.

A tracking number is nine digits: eight random digits (the first never zero, so it keeps its length
when read aloud) and a Damm check digit. Damm's quasigroup catches every single-digit error and every
swap of two adjacent digits, so a mistyped number is rejected instead of matching someone else's case.
Numbers come from `secrets`, so they are neither sequential nor guessable; uniqueness is the
database's job (a unique constraint, with a retry in `complaints.services`).

PINs of anonymous cases are stored as a keyed hash: HMAC-SHA256 under `settings.PIN_HMAC_KEY` (a
server-side secret kept out of the database) over a random per-case salt and the PIN. A copy of the
table alone lets nobody test PINs, and checking one costs microseconds, so the tracking proof can do
exactly the same work on every path without a password-strength hash (which made each lookup cost
about 0.2 s of CPU and tracking the cheapest way to flood the server). Hashes written before this
scheme (Django password hashes) still verify and are replaced on their first successful use.
"""
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password

from sajad.persian import normalize_digits

# Damm's totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

BODY_LENGTH = 8
LENGTH = BODY_LENGTH + 1
PIN_LENGTH = 8


def damm_digit(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return interim


def with_check_digit(body: str) -> str:
    return body + str(damm_digit(body))


def is_well_formed(number: str) -> bool:
    """True when `number` (already ASCII) has the right length and its check digit agrees."""
    return (
        len(number) == LENGTH and number.isdigit() and number[0] != "0" and damm_digit(number) == 0
    )


def clean(raw: str) -> str:
    """The canonical form of what a citizen typed: ASCII digits, separators removed."""
    return normalize_digits(raw)


def random_body() -> str:
    return str(secrets.randbelow(9) + 1) + "".join(
        str(secrets.randbelow(10)) for _ in range(BODY_LENGTH - 1)
    )


def new_tracking_number() -> str:
    return with_check_digit(random_body())


def new_pin() -> str:
    """A numeric PIN for anonymous cases: easy to type on a phone, shown to the citizen once."""
    return "".join(str(secrets.randbelow(10)) for _ in range(PIN_LENGTH))


PIN_HASH_PREFIX = "hmac-sha256$"
# Compared against on every path that has no stored PIN hash, so each path does the same work.
_NO_PIN = PIN_HASH_PREFIX + "0" * 32 + "$" + "0" * 64


def _pin_mac(salt: str, pin: str) -> str:
    key = settings.PIN_HMAC_KEY.encode()
    return hmac.new(key, f"{salt}:{pin}".encode(), hashlib.sha256).hexdigest()


def pin_hash(pin: str) -> str:
    """What a case stores for its PIN: `hmac-sha256$<salt>$<hex digest>`."""
    salt = secrets.token_hex(16)
    return f"{PIN_HASH_PREFIX}{salt}${_pin_mac(salt, clean(pin))}"


def pin_hash_is_current(stored: str) -> bool:
    return stored.startswith(PIN_HASH_PREFIX)


def pin_matches(pin: str, stored: str) -> bool:
    """Whether `pin` is the one behind `stored`; one HMAC and a constant-time compare.

    Pass `stored=""` when there is nothing to compare with (not an anonymous case, unknown number):
    the same HMAC and compare run against a hash no PIN has, so every path costs the same. A hash
    from before this scheme is checked with Django's hasher (slow; see `pin_hash_is_current`).
    """
    stored = stored or _NO_PIN
    if not pin_hash_is_current(stored):
        return check_password(clean(pin), stored)
    salt, _sep, digest = stored[len(PIN_HASH_PREFIX):].partition("$")
    return hmac.compare_digest(_pin_mac(salt, clean(pin)), digest) and stored is not _NO_PIN
