"""The HTTP SMS backend against a small gateway served by the test itself on loopback."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications import delivery
from notifications.models import Message
from notifications.sms import SmsError
from notifications.sms.http import HttpGatewayBackend
from tests import factories


class FakeGateway:
    """Answers from a script of (status, delay) pairs and records what it received."""

    def __init__(self, script):
        self.script, self.received = list(script), []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.received.append(
                    (self.headers["Authorization"], json.loads(self.rfile.read(length)))
                )
                status, delay = gateway.script.pop(0) if gateway.script else (200, 0)
                time.sleep(delay)
                body = json.dumps({"id": f"m{len(gateway.received)}"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout case)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(request):
    made = []

    def make(*script):
        made.append(FakeGateway(script))
        return made[-1]

    yield make
    for g in made:
        g.close()


def test_a_message_is_posted_with_the_key_and_the_gateway_id_returned(gateway):
    g = gateway((200, 0))
    message_id = HttpGatewayBackend(url=g.url, key="secret", timeout=2).send(to="09121234567", text="سلام")
    assert message_id == "m1"
    assert g.received == [("Bearer secret", {"to": "09121234567", "text": "سلام"})]


def test_a_server_error_is_retryable_and_a_client_error_is_not(gateway):
    g = gateway((500, 0), (400, 0))
    backend = HttpGatewayBackend(url=g.url, key="k", timeout=2)
    with pytest.raises(SmsError) as server_error:
        backend.send(to="09121234567", text="x")
    with pytest.raises(SmsError) as client_error:
        backend.send(to="09121234567", text="x")
    assert server_error.value.retryable and not client_error.value.retryable


def test_a_gateway_that_does_not_answer_in_time_is_a_retryable_failure(gateway):
    g = gateway((200, 2))
    with pytest.raises(SmsError) as timed_out:
        HttpGatewayBackend(url=g.url, key="k", timeout=0.3).send(to="09121234567", text="x")
    assert timed_out.value.retryable


@pytest.mark.django_db
def test_the_outbox_retries_after_a_500_and_records_the_success(gateway, settings, service):
    g = gateway((500, 0), (200, 0))
    settings.SMS_BACKEND = "notifications.sms.http.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY = g.url, "k"
    case = factories.filed_case(service_=service).case
    row = Message.objects.about(case).get(channel="sms")

    assert delivery.message_deliver(message_id=row.pk) == "pending"
    row.refresh_from_db()
    assert row.attempts == 1 and "500" in row.last_error
    assert delivery.message_deliver(message_id=row.pk, now=row.next_attempt_at) == "sent"
    row.refresh_from_db()
    assert row.attempts == 2 and row.sent_at is not None and row.last_error == ""
    assert len(g.received) == 2


@pytest.mark.django_db
def test_a_refused_request_fails_at_once_without_retrying(gateway, settings, service):
    g = gateway((400, 0))
    settings.SMS_BACKEND = "notifications.sms.http.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = g.url
    case = factories.filed_case(service_=service).case
    row = Message.objects.about(case).get(channel="sms")
    assert delivery.message_deliver(message_id=row.pk) == "failed"
