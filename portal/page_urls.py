"""Page URLs: Dutch pages keep their paths, the English and French trees live under /en/ and /fr/.

The content language comes from the URL, the interface language from the visitor's choice
(portal.middleware); Django's i18n_patterns would tie the two together, so it is not used.
"""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import get_language

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from .content_language import default_content_language, prefixed_content_languages

# Wagtail's page path (WAGTAIL_APPEND_SLASH, the default), with the group named.
PAGE_PATH = r"^(?P<path>(?:[\w\-]+/)*)$"


class ContentLanguagePrefix:
    """The URL prefix of a page's content language: none for Dutch, "en/" or "fr/" for the others.

    Resolving a URL reads the content language from it and hands it to the view. Reversing takes the
    prefix from the active language, which is how Wagtail's Page.get_url_parts() asks for a page's URL
    (under translation.override(<the page's language>)): so page.url, {% pageurl %} and routable page
    URLs carry the prefix for any page, specific or not, alias or not. Unlike Django's
    LocalePrefixPattern, matching a URL never activates a language.
    """

    def __init__(self) -> None:
        self.converters: dict = {}

    @property
    def regex(self) -> re.Pattern[str]:
        # Only reverse() reads this, and caches its result per active language, as for LocalePrefixPattern.
        language = get_language()
        return re.compile(re.escape(f"{language}/" if language in prefixed_content_languages() else ""))

    def match(self, path: str) -> tuple[str, tuple, dict[str, str]]:
        # The language is always passed, also for Dutch: with a keyword the path cannot reverse to,
        # Django's translate_url() (in set_language) leaves the page alone when the interface changes.
        for language in prefixed_content_languages():
            if path.startswith(f"{language}/"):
                return path.removeprefix(f"{language}/"), (), {"content_language": language}
        return path, (), {"content_language": default_content_language()}

    def check(self) -> list:
        return []

    def describe(self) -> str:
        return f"'{self}'"

    def __str__(self) -> str:
        return "<content language>/"


def serve(request: HttpRequest, path: str, content_language: str) -> HttpResponse:
    """Wagtail's page view, routed within the site root's translation in the URL's content language.

    Wagtail routes within the translation in the active language (``site.root_page.localized``), here
    the interface language. Page.route_for_request() keeps its answer on the request, so routing
    first and storing the route there (``remember_route``) leaves the rest of Wagtail's view (hooks,
    serve) unchanged.
    """
    site = Site.find_for_request(request)
    roots = site.root_page.get_translations(inclusive=True) if site else Page.objects.none()
    root = roots.filter(locale__language_code=content_language).first()
    try:
        route = root.specific.route(request, [part for part in path.split("/") if part]) if root else None
    except Http404:
        route = None
    remember_route(request, route)
    return wagtail_views.serve(request, path)


def remember_route(request: HttpRequest, route) -> None:
    """Give Wagtail's ``Page.route_for_request`` this route as its answer for the request.

    Wagtail has no public way to route a request itself and then hand it to its page view; it keeps
    the route in a private request attribute (documented in ``route_for_request``'s docstring). This
    is the one place that writes it; ``tests/portal/test_wagtail_internals.py`` fails if Wagtail stops
    reading it.
    """
    request._wagtail_route_for_request = route


def page_urlpatterns() -> list[URLPattern | URLResolver]:
    """Wagtail's front-end views (password-protected pages, login), and its page view behind the prefix."""
    return [
        *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
        URLResolver(ContentLanguagePrefix(), [re_path(PAGE_PATH, serve, name="wagtail_serve")]),
    ]
