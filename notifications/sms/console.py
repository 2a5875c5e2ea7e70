"""The default SMS backend: writes each message to the log instead of sending it."""
import logging
import uuid

log = logging.getLogger("notifications.sms")


class ConsoleBackend:
    def send(self, *, to: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        log.info("sms to=%s id=%s text=%r", to, message_id, text)
        return message_id
