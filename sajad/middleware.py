"""Persian first: the site speaks Persian unless the visitor picked another language on purpose."""
from django.conf import settings
from django.utils import translation


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
