"""Content languages of the network pages: the language a page's text is in, and the page's translations."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page


def default_content_language() -> str:
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def prefixed_content_languages() -> list[str]:
    """Every content language but the default one has a URL prefix of its own: "en/", "fr/"."""
    default = default_content_language()
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != default]


def page_language(page: Page) -> str:
    """The language a page's text is in; an alias shows the text of the page it mirrors."""
    while page.alias_of_id:
        page = page.alias_of
    return page.locale.language_code


@dataclass(frozen=True)
class PageTranslation:
    language: str
    name: str  # in the language itself: Nederlands, English, Français
    url: str
    absolute_url: str
    current: bool


def page_translations(page: Page, request: HttpRequest) -> list[PageTranslation]:
    """The page in each language it is published in, itself included, in the order of the content languages.

    Aliases are left out: they show another language's text.
    """
    order = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    pages = page.get_translations(inclusive=True).live().filter(alias_of__isnull=True).select_related("locale")
    translations = []
    for translation in sorted(pages, key=lambda item: order.index(item.locale.language_code)):
        url = translation.get_url(request)
        if url:
            translations.append(
                PageTranslation(
                    language=translation.locale.language_code,
                    name=translation.locale.get_display_name(),
                    url=url,
                    absolute_url=request.build_absolute_uri(url),
                    current=translation.pk == page.pk,
                )
            )
    return translations
