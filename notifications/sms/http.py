"""SMS through an HTTP gateway: POST JSON {to, text} with an API key; configured by URL and key.

A 5xx answer or a timeout is worth retrying; a 4xx means the request itself is wrong.
"""
import json
import urllib.error
import urllib.request

from django.conf import settings

from . import SmsError


class HttpGatewayBackend:
    def __init__(self, *, url: str | None = None, key: str | None = None, timeout: float | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.key = key or settings.SMS_GATEWAY_KEY
        self.timeout = timeout if timeout is not None else settings.SMS_GATEWAY_TIMEOUT
        if not self.url:
            raise SmsError("SMS_GATEWAY_URL is not set", retryable=False)

    def send(self, *, to: str, text: str) -> str:
        request = urllib.request.Request(
            self.url, method="POST", data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered {exc.code}", retryable=exc.code >= 500) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        except ValueError as exc:
            raise SmsError("gateway answered with invalid JSON") from exc
        return str(payload.get("id", ""))
