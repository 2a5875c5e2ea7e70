"""Persian first: the site speaks Persian unless the visitor picked another language on purpose."""
import re

from django.conf import settings
from django.utils import translation

from .persian import display_digits


class PersianFirstLocaleMiddleware:
    """Activate the language from the language cookie (set by Django's set_language view), else fa.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a citizen or an expert
    with an English phone would get an English government portal; the organisation wants Persian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


# Text between tags, and the elements whose content is not text for a reader.
_TEXT_NODE = re.compile(r">([^<]+)<")
_RAW_ELEMENT = re.compile(r"<(script|style|textarea)\b.*?</\1>", re.S | re.I)


def persian_text_nodes(html: str) -> str:
    """Persian digits in every text node of an HTML page; attributes, scripts and inputs untouched."""
    def convert(chunk: str) -> str:
        return _TEXT_NODE.sub(lambda m: ">" + display_digits(m.group(1)) + "<", chunk)

    out, last = [], 0
    for raw in _RAW_ELEMENT.finditer(html):
        out.append(convert(html[last:raw.start()]))
        out.append(raw.group(0))
        last = raw.end()
    out.append(convert(html[last:]))
    return "".join(out)


class AdminPersianDigitsMiddleware:
    """The admin's own text (result counts, pager, sizes, "0 of 3") in Persian digits, in Persian.

    Django's admin templates print numbers with ASCII digits and are not ours to rewrite one by
    one; our templates use the `user_text`/`fa_digits` filters instead. Only text nodes change, so
    form values, links and ids keep ASCII digits; links and e-mails inside text keep theirs too
    (`display_digits`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(self.prefix)
            and (translation.get_language() or "").startswith("fa")
            and response.get("Content-Type", "").startswith("text/html")
            and not response.streaming
        ):
            response.content = persian_text_nodes(response.content.decode(response.charset))
        return response


class RefuseNulBytesMiddleware:
    """Answer 400 to a request with a NUL byte in its path, query or form fields.

    PostgreSQL text cannot hold U+0000, so such a value reaching a query is a server error (psycopg
    refuses the literal) rather than "not found". No legitimate form or link ever sends one, so the
    whole request is refused up front with the site's own Persian page, before any view, filter or
    authentication backend sees it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            from django.shortcuts import render

            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    for query in (request.GET, request.POST if request.method == "POST" else None):
        if query is None:
            continue
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False
