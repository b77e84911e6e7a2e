"""Reads for the site search: CMS pages through Wagtail's search, offers through the catalogue engine."""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator

from wagtail.models import Locale, Page

from catalogue.models import OfferPage
from search.engines import get_engine
from search.query import OfferQuery, SearchResult

PAGES_PER_PAGE = 10
OFFERS_SHOWN = 5
SUMMARY_ATTRIBUTES = ("summary", "intro")


@dataclass(frozen=True)
class PageHit:
    title: str
    url: str
    kind: str
    summary: str
    language: str  # of the page's text: a translated page is found in its own language


def _summary(page: Page) -> str:
    if page.search_description:
        return page.search_description
    for attribute in SUMMARY_ATTRIBUTES:
        value = getattr(page, attribute, "")
        if isinstance(value, str) and value:
            return value
    return ""


def search_pages(text: str, *, page_number: str | int | None = 1) -> tuple[PaginatorPage, list[PageHit]]:
    """Live, public CMS pages matching the text; offers are left to the catalogue search, and aliases (another
    page's text at a second address) are left out."""
    aliases = Page.objects.filter(alias_of__isnull=False).values_list("pk", flat=True)
    results = Page.objects.live().public().not_type(OfferPage).exclude(pk__in=aliases).specific().search(text)
    paginated = Paginator(results, PAGES_PER_PAGE).get_page(page_number)
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    hits = [
        PageHit(
            title=page.title,
            url=page.url,
            kind=str(page.specific_class._meta.verbose_name),
            summary=_summary(page),
            language=languages[page.locale_id],
        )
        for page in paginated.object_list
    ]
    return paginated, hits


def search_offers(text: str) -> SearchResult:
    """The best few offers for the text, with the total, from whichever catalogue engine answers."""
    return get_engine().search(OfferQuery(text=text, page_size=OFFERS_SHOWN))
