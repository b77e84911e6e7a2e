"""Template tags for what every page carries: the accessibility statement link, and the page's languages."""

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from wagtail.models import Page, Site

from search import local_cache

from ..content_language import PageTranslation, page_language, page_translations
from ..models import AccessibilityStatementPage

register = template.Library()

# Every page links the statement; finding it costs more than the rest of a small page, and it rarely moves.
NAVIGATION_CACHE_SECONDS = 60


@register.simple_tag(takes_context=True)
def accessibility_statement_url(context: template.Context) -> str:
    """The statement's URL, or "" when it is missing or the page renders without a request (the 500 page)."""
    request = context.get("request")
    if request is None:
        return ""
    site = Site.find_for_request(request)
    return local_cache.get_or_set(
        f"portal:accessibility-statement-url:{site.pk if site else ''}",
        lambda: _statement_url(request, site),
        NAVIGATION_CACHE_SECONDS,
    )


def _statement_url(request, site: Site | None) -> str:
    """The statement of the request's site (each network publishes its own), else the installation's first."""
    statements = AccessibilityStatementPage.objects.live().public().order_by("path")
    statement = (statements.descendant_of(site.root_page).first() if site else None) or statements.first()
    return statement.get_url(request) if statement else ""


@dataclass(frozen=True)
class PageLanguages:
    content: str
    interface: str
    translations: list[PageTranslation]  # empty unless the page is published in more than one language

    @property
    def differ(self) -> bool:
        return self.content.split("-")[0] != self.interface.split("-")[0]


@register.simple_tag(takes_context=True)
def page_languages(context: template.Context) -> PageLanguages:
    """The language of the page's text, the interface language, and the page's translations."""
    interface = get_language()
    page, request = context.get("page"), context.get("request")
    if not isinstance(page, Page) or request is None:
        return PageLanguages(content=interface, interface=interface, translations=[])
    translations = page_translations(page, request)
    return PageLanguages(
        content=page_language(page), interface=interface, translations=translations if len(translations) > 1 else []
    )


@register.simple_tag(takes_context=True)
def interface_lang(context: template.Context) -> SafeString:
    """` lang="…"` for interface text inside a page whose text is in another language (WCAG 3.1.2)."""
    languages = context.get("page_languages")
    if languages is None or not languages.differ:
        return SafeString("")
    return format_html(' lang="{}"', languages.interface)
