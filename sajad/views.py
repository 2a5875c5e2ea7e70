"""Site-wide views: health, the rate-limit and login-lockout pages (home is the catalogue's)."""
import math

from django.shortcuts import redirect, render
from django.http import JsonResponse
from django.utils.translation import gettext as _

from .rate_limits import wait_phrase, with_retry_after


def rate_limited(request, exception=None, *, wait_minutes: int | None = None):
    """The 429 page, saying how long until the limit that refused lets the citizen try again.

    The wait comes from the refusal (`sajad.rate_limits.RateLimited`, raised by `limit`) or from
    the caller; only when it is unknown (the cache could not be asked) does the page say "a few
    minutes".
    """
    if wait_minutes is None:
        wait_minutes = getattr(exception, "wait_minutes", None)
    return with_retry_after(render(request, "rate_limited.html", {"message": _(
        "Too many attempts from your connection. Please try again in %(wait)s."
    ) % {"wait": wait_phrase(wait_minutes)}}, status=429), wait_minutes)


def login_locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE), desk or admin.

    Axes' own answer is bare text: no language, title or landmarks for a screen reader. This is
    the site's 429 page with the cool-off as the wait.
    """
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return with_retry_after(render(request, "rate_limited.html", {"message": _(
        "Too many failed sign-ins with this user name from your connection. Please try again "
        "in %(wait)s."
    ) % {"wait": wait_phrase(minutes)}}, status=429), minutes)


def healthz(request):
    from .health import health_report

    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


def favicon(request):
    """Browsers that ask for /favicon.ico despite the page's icon link get the SVG, not a 404."""
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)


def csrf_failure(request, reason=""):
    """The site's own page for a refused form (expired page, blocked cookies), never Django's.

    Django's stock page speaks English and talks about DEBUG; a citizen only needs to know what
    to do next. The reason is logged for us, not shown.
    """
    import logging

    logging.getLogger("sajad.csrf").warning("csrf refused path=%s reason=%s", request.path, reason)
    return render(request, "403_csrf.html", status=403)
