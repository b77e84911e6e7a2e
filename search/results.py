"""Turning an engine's raw facet counts into labelled facet values, the same for every engine."""

from django.core.cache import cache
from django.utils.translation import get_language

from . import filters as search_filters
from .query import FacetValue, OfferQuery

RawCounts = dict[str, dict[str, int]]


LABELS_CACHE_SECONDS = 60


def _labels(search_filter) -> dict[str, str]:
    """Labels of one facet's values; reference data changes rarely, so it is cached for a minute."""
    key = f"search:labels:{search_filter.name}:{get_language()}"
    labels = cache.get(key)
    if labels is None:
        labels = search_filter.labels()
        cache.set(key, labels, LABELS_CACHE_SECONDS)
    return labels


def facet_values(raw: RawCounts, query: OfferQuery) -> dict[str, list[FacetValue]]:
    """Every facet's values with counts; values with no hits are kept only while selected."""
    facets: dict[str, list[FacetValue]] = {}
    for search_filter in search_filters.FACET_FILTERS:
        counts = raw.get(search_filter.name, {})
        selected = search_filter.selected(query)
        labels = _labels(search_filter)
        if search_filter.fixed_order():
            order = list(labels)
        else:
            # Reference labels are cached; a value added since then shows under its code until it refreshes.
            values = set(labels) | set(counts) | selected
            order = sorted(values, key=lambda value: labels.get(value, value).lower())
        facets[search_filter.name] = [
            FacetValue(
                value=value, label=labels.get(value, value), count=counts.get(value, 0), selected=value in selected
            )
            for value in order
            if counts.get(value, 0) > 0 or value in selected
        ]
    return facets
