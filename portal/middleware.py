"""The interface language: Dutch or English, whatever else the browser asks for or a cookie says."""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def interface_language_from_request(request: HttpRequest) -> str:
    """Django's choice (the language cookie, then Accept-Language in order of preference), limited to the
    interface languages; French and any other content-only language are passed over, never half-shown."""
    candidates = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""]
    candidates += [code for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
    interface_codes = {code for code, _name in settings.INTERFACE_LANGUAGES}
    for candidate in filter(None, candidates):
        try:
            language = translation.get_supported_language_variant(candidate)
        except LookupError:
            continue
        if language in interface_codes:
            return language
    return settings.LANGUAGE_CODE


class InterfaceLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, choosing among the interface languages only.

    The URL never sets the interface language: /en/ and /fr/ select a page's content language
    (portal.content_language), and the visitor's own choice keeps the interface they can read.
    """

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(interface_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
