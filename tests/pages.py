"""What a person reads on a rendered page: shared checks for the integration tests."""
import re
from html.parser import HTMLParser

from sajad.persian import to_ascii_digits

# Elements whose content nobody reads as text: code, styles, templates for scripts, form values.
_NOT_TEXT = {"script", "style", "template", "textarea", "noscript"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _NOT_TEXT:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in _NOT_TEXT and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    """The page's text nodes as a reader sees them: no tags, attributes, scripts or styles."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector.parts


# What may keep ASCII digits in Persian text: links, e-mail addresses and Latin words or codes
# (the same exceptions as `sajad.persian.display_digits`).
_ASCII_TOKEN = re.compile(r"\S*(?:://|@|[A-Za-z])\S*")


def latin_digits_shown(html: str) -> list[str]:
    """Text nodes that show an ASCII digit to a Persian reader (outside links and Latin words)."""
    return [part for part in visible_text(html) if re.search(r"[0-9]", _ASCII_TOKEN.sub("", part))]


_WAIT = re.compile(r"لطفاً حدود (?:([۰-۹]+) دقیقه|(یک) دقیقه|(یک) ساعت) دیگر دوباره تلاش کنید")


def stated_wait_minutes(response) -> int:
    """The wait a 429 page states in Persian, in minutes; asserts it matches its Retry-After."""
    body = response.content.decode()
    found = _WAIT.search(body)
    assert found, "the page does not state the wait in Persian"
    assert "چند دقیقه" not in body
    number, one_minute, _one_hour = found.groups()
    retry_after = int(response["Retry-After"])
    if number or one_minute:
        minutes = int(to_ascii_digits(number)) if number else 1
        assert retry_after == minutes * 60
        return minutes
    assert 60 * 60 <= retry_after < 90 * 60  # «حدود یک ساعت»
    return retry_after // 60
