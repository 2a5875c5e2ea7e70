"""A phone's first visit (home, then the filing form) stays under 100 KB as transferred.

Everything the browser fetches is counted once: both HTML pages, then every stylesheet, script,
preloaded font and icon they name, and every file a stylesheet names with url(). Static files
count as WhiteNoise serves them after collectstatic: the brotli copy of text files, the file itself
for already-compressed formats (woff2, png…). The static files are the built ones
(`scripts/build-assets.mjs`, run by `make test`'s install step), found as Django finds them.
"""
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from whitenoise.compress import Compressor

from tests import factories

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 100 * 1000
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class Fetches(HTMLParser):
    """The URLs a browser fetches for a page: stylesheets, scripts, preloads and icons."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = set((attrs.get("rel") or "").split())
        if tag == "link" and rel & {"stylesheet", "preload", "icon", "modulepreload"}:
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def static_file(url: str) -> Path:
    path = urlparse(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not a static file"
    found = finders.find(unquote(path[len(settings.STATIC_URL):]))
    assert found, f"{url} is not found by the static files finders"
    return Path(found)


def transferred(path: Path) -> int:
    data = path.read_bytes()
    if Compressor.should_compress(Compressor(), str(path)):
        return min(len(data), len(brotli.compress(data)))
    return len(data)


def first_visit(client, paths: list[str]) -> dict[str, int]:
    """Bytes per URL for a browser with an empty cache visiting `paths` in order."""
    sizes: dict[str, int] = {}
    for page in paths:
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        sizes[page] = len(response.content)
        parser = Fetches()
        parser.feed(html)
        queue = list(parser.urls)
        while queue:
            url = queue.pop(0)
            if url in sizes or url.startswith("data:"):
                continue
            path = static_file(url)
            sizes[url] = transferred(path)
            if path.suffix == ".css":
                for ref in CSS_URL.findall(path.read_text()):
                    if not ref.startswith("data:"):
                        queue.append(urljoin(url, ref))
    return sizes


def test_a_phones_first_visit_to_home_and_the_filing_form_is_under_100_kb(client):
    factories.service(name="وام شهریه دانشجویی")

    sizes = first_visit(client, [reverse("home"), reverse("complaints:file")])

    total = sum(sizes.values())
    report = "\n".join(f"{size:>8,} {url}" for url, size in sizes.items())
    assert total < BUDGET_BYTES, f"{total:,} bytes:\n{report}"
    # The built assets are the ones served: Bootstrap purged, the Persian-only font.
    assert any("Vazirmatn-NL" in url for url in sizes), report
    bootstrap = next(url for url in sizes if "bootstrap" in url)
    assert "var/build" in str(static_file(bootstrap)) and sizes[bootstrap] < 15_000, report


def test_render_blocking_css_is_small_and_minified(client):
    response = client.get(reverse("complaints:file"))
    parser = Fetches()
    parser.feed(response.content.decode())
    stylesheets = [url for url in parser.urls if url.endswith(".css")]

    blocking = sum(transferred(static_file(url)) for url in stylesheets)

    assert blocking < 14_000, stylesheets
    for url in stylesheets:
        # Only licence comments (/*! … */) may stay; no other comment, no indented lines.
        text = re.sub(r"/\*!.*?\*/", "", static_file(url).read_text(), flags=re.S)
        assert "/*" not in text and text.count("\n") < 5, f"{url} is not minified"
