"""Pluggable SMS delivery, chosen by the SMS_BACKEND setting (a dotted path), like EMAIL_BACKEND."""
from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """Delivery failed; `retryable` says whether trying again later may help."""

    def __init__(self, message: str, *, retryable: bool = True):
        self.retryable = retryable
        super().__init__(message)


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, to: str, text: str) -> str:
    """Send one message; returns the gateway's message id (or a local one). Raises SmsError."""
    return get_backend().send(to=to, text=text)
