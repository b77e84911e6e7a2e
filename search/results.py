"""Turning an engine's raw facet counts into labelled facet values, the same for every engine."""

from django.core.cache import cache
from django.utils.translation import get_language

from catalogue.models import District, Language, Neighbourhood, Theme
from organisations.models import Organisation

from .facets import COST_BANDS, FACET_GROUPS, static_labels
from .query import FacetValue, OfferQuery

RawCounts = dict[str, dict[str, int]]


LABELS_CACHE_SECONDS = 60


def _reference_labels(group: str) -> dict[str, str]:
    """Labels of one group's values; reference data changes rarely, so it is cached for a minute."""
    key = f"search:labels:{group}:{get_language()}"
    labels = cache.get(key)
    if labels is None:
        labels = _load_labels(group)
        cache.set(key, labels, LABELS_CACHE_SECONDS)
    return labels


def _load_labels(group: str) -> dict[str, str]:
    if group == "themes":
        return dict(Theme.objects.values_list("slug", "name"))
    if group == "districts":
        return dict(District.objects.values_list("code", "name"))
    if group == "neighbourhoods":
        return {
            code: f"{name} ({district})"
            for code, name, district in Neighbourhood.objects.values_list("code", "name", "district__name")
        }
    if group == "languages":
        return dict(Language.objects.values_list("code", "name"))
    if group == "organisations":
        return dict(Organisation.objects.values_list("slug", "name"))
    return static_labels(group)


def selected_values(query: OfferQuery, group: str) -> set[str]:
    if group == "max_cost":
        return {str(int(query.max_cost))} if query.max_cost is not None else set()
    if group == "dutch_level":
        return {str(query.dutch_level)} if query.dutch_level is not None else set()
    return {str(value) for value in getattr(query, group)}


def cost_band_label(band: int) -> str:
    from django.utils.translation import gettext

    return gettext("Free") if band == 0 else gettext("At most € %(amount)s") % {"amount": band}


def facet_values(raw: RawCounts, query: OfferQuery) -> dict[str, list[FacetValue]]:
    """Every filter group's values with counts; values with no hits are kept only while selected."""
    facets: dict[str, list[FacetValue]] = {}
    for group in FACET_GROUPS:
        counts = raw.get(group.name, {})
        selected = selected_values(query, group.name)
        if group.name == "max_cost":
            labels = {str(band): cost_band_label(band) for band in COST_BANDS}
            order = [str(band) for band in COST_BANDS]
        elif group.kind in ("flags", "levels") or group.name in ("weekdays", "parts_of_day"):
            labels = _reference_labels(group.name)
            order = list(labels)
        else:
            # Reference labels are cached; a value added since then shows under its code until it refreshes.
            labels = _reference_labels(group.name)
            values = set(labels) | set(counts) | selected
            order = sorted(values, key=lambda value: labels.get(value, value).lower())
        facets[group.name] = [
            FacetValue(
                value=value, label=labels.get(value, value), count=counts.get(value, 0), selected=value in selected
            )
            for value in order
            if counts.get(value, 0) > 0 or value in selected
        ]
    return facets
