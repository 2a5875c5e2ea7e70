"""Site-wide views: health and the rate-limit page (home is the catalogue's)."""
from django.shortcuts import redirect, render
from django.http import JsonResponse
from django.utils.translation import gettext as _


def rate_limited(request, exception=None):
    return render(
        request, "rate_limited.html",
        {"message": _("Too many attempts from your connection. Please wait a few minutes and try again.")},
        status=429,
    )


def healthz(request):
    from .health import health_report

    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


def favicon(request):
    """Browsers that ask for /favicon.ico despite the page's icon link get the SVG, not a 404."""
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)
