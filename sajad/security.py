"""Request identity for limits and lockouts: the client address and the typed login name."""
from django.contrib.auth import get_user_model

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field("username").max_length


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
