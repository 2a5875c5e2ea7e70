"""Which cases this browser has proved (tracking number plus mobile or PIN): a signed cookie.

The list used to live in the database session, which cost every tracking proof a session INSERT
and commit and every case page a session SELECT, for a few tracking numbers the browser sends
anyway. A cookie signed with the project's secret carries the same list: the browser can read it
(its own tracking numbers) but not forge or extend it, it expires with the same age as a session,
and it is HttpOnly and, in production, Secure. Proving a case again refreshes it.

The filing confirmation works the same way: a short-lived signed cookie names the case just filed,
so a filing writes no session row. Only an anonymous case's PIN, a secret shown once, goes to the
database session (`services.FiledCase.pin`, kept by the filing view). Staff logins stay there too.
"""
from collections.abc import Collection

from django.conf import settings

COOKIE = "sajad_cases"
SALT = "complaints.tracking-proof"
MAX_CASES = 20  # a browser keeps the most recently proved cases
FILED_COOKIE = "sajad_filed"
FILED_SALT = "complaints.just-filed"
FILED_MAX_AGE = 3600  # the confirmation page is for right after filing


def proven_numbers(request) -> Collection[str]:
    """The tracking numbers this browser proved, newest last; empty when unsigned or expired."""
    value = request.get_signed_cookie(
        COOKIE, default="", salt=SALT, max_age=settings.SESSION_COOKIE_AGE
    )
    return [number for number in value.split(",") if number.isdigit()]


def remember(request, response, tracking_number: str) -> None:
    """Add `tracking_number` to the browser's proved cases (on the response that follows a proof)."""
    numbers = [n for n in proven_numbers(request) if n != tracking_number] + [tracking_number]
    response.set_signed_cookie(
        COOKIE, ",".join(numbers[-MAX_CASES:]), salt=SALT,
        max_age=None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )


def remember_filed(response, tracking_number: str) -> None:
    """Name the case just filed for this browser's confirmation page."""
    response.set_signed_cookie(
        FILED_COOKIE, tracking_number, salt=FILED_SALT, max_age=FILED_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )


def just_filed(request) -> str:
    """The case this browser filed within the hour, or ""."""
    number = request.get_signed_cookie(FILED_COOKIE, default="", salt=FILED_SALT,
                                       max_age=FILED_MAX_AGE)
    return number if number.isdigit() else ""
