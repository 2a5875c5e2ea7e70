"""The small markup of FAQ answers and static pages: a deliberately tiny language rendered to safe HTML.

Rules: a blank line separates paragraphs; a block whose lines all start with "- " is a list;
**text** is bold; [text](https://…) is a link (http and https only). Everything is HTML-escaped
*before* any rule applies, so no input can produce a tag or attribute we did not write ourselves.
A link whose target is not http(s) is left as its escaped text. Digits are shown in Persian
(stored text has ASCII digits after sajad.persian.normalize_text), except in link targets.
"""
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sajad.persian import to_persian_digits

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
# Applied to escaped text: the target may not contain spaces, quotes (escaped to &quot;) or ')'.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()<>*\"']+)\)", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*-\s+")
_MARKS = re.compile(r"\*\*|^\s*-\s+", re.MULTILINE)
_LINK_SOURCE = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]*)\)")
_LINK_TARGET = re.compile(r"(\]\([^()\s]*\))")


def _display_digits(raw: str) -> str:
    """Persian digits for reading, except inside link targets (a URL must keep ASCII digits)."""
    parts = _LINK_TARGET.split(raw)
    return "".join(part if i % 2 else to_persian_digits(part) for i, part in enumerate(parts))


def _inline(escaped: str) -> str:
    """Bold and links on text that is already escaped."""

    def link(m: re.Match) -> str:
        text, url = m.group(1), m.group(2)
        if "&quot;" in url or "&#x27;" in url:
            return m.group(0)
        return f'<a href="{url}" rel="nofollow noopener">{text}</a>'

    escaped = _LINK.sub(link, escaped)
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def render(source: str) -> SafeString:
    """Render answer markup to HTML that is safe to put in a page as is (digits shown Persian)."""
    source = _display_digits(source or "")
    blocks = re.split(r"\n\s*\n", source.replace("\r\n", "\n").replace("\r", "\n").strip())
    html = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_LIST_ITEM.match(line) for line in lines):
            items = "".join(
                f"<li>{_inline(escape(_LIST_ITEM.sub('', line).strip()))}</li>" for line in lines
            )
            html.append(f"<ul>{items}</ul>")
        else:
            text = "<br>".join(_inline(escape(line.strip())) for line in lines)
            html.append(f"<p>{text}</p>")
    return mark_safe("\n".join(html))


def plain_text(source: str) -> str:
    """The words a reader sees, without markup or link targets (what search indexes)."""
    text = _LINK_SOURCE.sub(r"\1", source or "")
    return _MARKS.sub("", text)
