"""Who is asking: the client address behind trusted proxies, and the typed login name.

Rate limits (django-ratelimit), login lockouts (django-axes) and the FAQ's per-address bounds
all ask `client_ip`. Behind a reverse proxy every request comes from the proxy's address, so all
citizens would share one bucket; but `X-Forwarded-For` is written by whoever sends the request,
so it is believed only hop by hop, from the right, through at most `TRUSTED_PROXY_COUNT` proxies
whose own addresses are in `TRUSTED_PROXY_NETWORKS`. With no proxies configured (the default) the
header is ignored entirely.
"""
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field("username").max_length


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client: REMOTE_ADDR, or the first hop left of our trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    trusted = _networks(tuple(settings.TRUSTED_PROXY_NETWORKS))
    forwarded = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    chain = [remote, *reversed(forwarded)]  # nearest hop first
    client = remote
    for index, hop in enumerate(chain):
        address = _parse(hop)
        if address is None:
            return client  # garbage in the header: stop at the last address we could read
        client = str(address)
        if index >= count or not any(address in net for net in trusted):
            return client  # not one of our proxies (or past as many as we have): the client
    return client


def login_username(request, credentials) -> str | None:
    """The username django-axes records for a login attempt, cut to what an account can have.

    A scanner's 5,000-character name is still counted as a failure (under its first 150
    characters), instead of overflowing axes' column and turning the login page into a 500.
    """
    credentials = credentials or {}
    username = credentials.get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return None if username is None else str(username)[:USERNAME_MAX_LENGTH]


# --- password spraying ------------------------------------------------------------------------
# django-axes locks a username+address pair; one address trying a few passwords on each of many
# usernames never trips that. These two count failed staff logins per address, whatever the
# username, and refuse further attempts from it for the rest of the window.

LOGIN_URL_NAMES = {"desk:login", "admin:login"}


def _login_failures(request, *, increment: bool):
    from django_ratelimit.core import get_usage

    return get_usage(request, group="login-failures-address", rate=settings.RATE_LOGIN_FAILURES,
                     key=lambda group, req: client_ip(req), increment=increment)


def login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """`user_login_failed` receiver (connected in SajadConfig.ready)."""
    if request is not None:
        _login_failures(request, increment=True)


class LoginSprayGuardMiddleware:
    """Refuse a login POST from an address that already failed RATE_LOGIN_FAILURES times."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and _is_login(request):
            usage = _login_failures(request, increment=False)
            if usage and usage["count"] >= usage["limit"]:
                from django.shortcuts import render
                from django.utils.translation import gettext as _

                return render(request, "rate_limited.html", {"message": _(
                    "Too many failed sign-ins from your connection. Please wait an hour and try "
                    "again, or ask the portal's administrator to unlock your account."
                )}, status=429)
        return self.get_response(request)


def _is_login(request) -> bool:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in LOGIN_URL_NAMES
