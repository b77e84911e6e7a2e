"""Reads for the site search: CMS pages through Wagtail's search, offers through the catalogue engine."""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from wagtail.models import Locale, Page, Site

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


def _in_site(site: Site) -> QuerySet[Page]:
    """The site's pages in every language: under its home page or under one of the home's translations."""
    within = Q()
    for home in site.root_page.get_translations(inclusive=True):
        within |= Q(path__startswith=home.path)
    return Page.objects.filter(within)


def search_pages(
    text: str, *, page_number: str | int | None = 1, site: Site | None = None, request: HttpRequest | None = None
) -> tuple[PaginatorPage, list[PageHit]]:
    """Live, public CMS pages matching the text, on the site asked (each network's site has its own pages);
    offers are left to the catalogue search, and aliases (another page's text at a second address) are left out."""
    aliases = Page.objects.filter(alias_of__isnull=False).values_list("pk", flat=True)
    pages = Page.objects.live().public().not_type(OfferPage).exclude(pk__in=aliases)
    if site is not None:
        pages = pages.filter(pk__in=list(_in_site(site).values_list("pk", flat=True)))
    results = pages.specific().search(text)
    paginated = Paginator(results, PAGES_PER_PAGE).get_page(page_number)
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    hits = [
        PageHit(
            title=page.title,
            url=page.get_url(request),
            kind=str(page.specific_class._meta.verbose_name),
            summary=_summary(page),
            language=languages[page.locale_id],
        )
        for page in paginated.object_list
    ]
    return paginated, hits


def search_offers(text: str, *, network: str | None = None) -> SearchResult:
    """The best few offers for the text, in the network (slug) when one is given, from whichever engine answers."""
    networks = (network,) if network else ()
    return get_engine().search(OfferQuery(text=text, page_size=OFFERS_SHOWN, networks=networks))
