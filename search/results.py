"""Turning an engine's raw facet counts into labelled facet values, the same for every engine."""

from django.utils.translation import get_language

from . import filters as search_filters
from . import local_cache
from .query import FacetValue, OfferQuery

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
