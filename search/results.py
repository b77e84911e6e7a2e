"""Turning an engine's raw facet counts into labelled facet values, the same for every engine; hit addresses."""

from dataclasses import replace

from django.http import HttpRequest
from django.utils.translation import get_language

from wagtail.models import Site

from catalogue.models import OfferPage

from . import filters as search_filters
from . import local_cache
from .query import FacetValue, OfferQuery, SearchResult

RawCounts = dict[str, dict[str, int]]


LABELS_CACHE_SECONDS = 60


def _all_labels() -> dict[str, dict[str, str]]:
    """Each facet's value labels; reference data changes rarely, so each process keeps them for a minute."""
    return local_cache.get_or_set(f"search:labels:{get_language()}", _load_labels, LABELS_CACHE_SECONDS)


def _load_labels() -> dict[str, dict[str, str]]:
    return {search_filter.name: search_filter.labels() for search_filter in search_filters.FACET_FILTERS}


def facet_values(raw: RawCounts, query: OfferQuery) -> dict[str, list[FacetValue]]:
    """Every facet's values with counts; values with no hits are kept only while selected."""
    facets: dict[str, list[FacetValue]] = {}
    all_labels = _all_labels()
    for search_filter in search_filters.FACET_FILTERS:
        counts = raw.get(search_filter.name, {})
        selected = search_filter.selected(query)
        labels = all_labels[search_filter.name]
        if search_filter.fixed_order():
            order = list(labels)
        else:
            # Only the values shown (the areas alone have some 1,500 labels); a municipality and its
            # deelgemeente of the same name in the order of their codes.
            # Reference labels are cached; a value added since then shows under its code until it refreshes.
            values = {value for value, count in counts.items() if count > 0} | selected
            order = sorted(values, key=lambda value: (labels.get(value, value).lower(), value))
        facets[search_filter.name] = [
            FacetValue(
                value=value, label=labels.get(value, value), count=counts.get(value, 0), selected=value in selected
            )
            for value in order
            if counts.get(value, 0) > 0 or value in selected
        ]
    return facets


def hits_addressed_for(result: SearchResult, request: HttpRequest) -> SearchResult:
    """The result with each hit's address as seen from the request's site.

    A hit's ``url`` is the offer's path on its own site. An offer of a partner shared by two networks lies in
    one network but has its page in the other's directory: on the first network's site it needs its full
    address on the other's. One query for the page's hits, and a URL lookup only for those elsewhere.
    """
    site = Site.find_for_request(request)
    if site is None or not result.hits:
        return result
    elsewhere = OfferPage.objects.filter(pk__in=[hit.id for hit in result.hits]).exclude(
        path__startswith=site.root_page.path
    )
    urls = {offer.pk: offer.get_url(request) for offer in elsewhere}
    if not urls:
        return result
    return replace(result, hits=[replace(hit, url=urls.get(hit.id) or hit.url) for hit in result.hits])
