"""The domain's refusal: raised by services, shown by views and admin as a Persian message."""


class DomainError(Exception):
    """A rule of the domain refused the request; `message` is safe to show to the person."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))
