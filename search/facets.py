"""Filter groups and their facets as data, shared by both engines, the search form and the API.

A "terms" group is disjunctive (a client may pick sport OR culture) and its counts ignore its own
selection; a "flags" group is conjunctive (step-free AND hearing loop) and counts within the
current results.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalogue import facts
from catalogue.models import Domain, DutchLevel, Weekday

from .query import PartOfDay

ACCESSIBILITY_NAMES: tuple[str, ...] = tuple(fact.search_name for fact in facts.ACCESSIBILITY_FACTS)
# Threshold facts a search can require, beyond physical accessibility; each is a document flag.
THRESHOLD_NAMES: tuple[str, ...] = tuple(fact.search_name for fact in facts.SEARCH_FACTS)
PART_OF_DAY_LABELS = {
    PartOfDay.MORNING: _("Morning (before 12:00)"),
    PartOfDay.AFTERNOON: _("Afternoon (12:00–17:00)"),
    PartOfDay.EVENING: _("Evening (from 17:00)"),
}
# Cost bands for the "what does it cost this client" facet, in euro; 0 means free.
COST_BANDS: tuple[int, ...] = (0, 5, 10, 25, 50)


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the query parameter and the facet's key in a result
    label: Promise
    kind: str  # "terms" or "flags"
    document_field: str


FACET_GROUPS: tuple[FacetGroup, ...] = (
    FacetGroup("domains", _("Domain"), "terms", "domain"),
    FacetGroup("themes", _("Theme"), "terms", "themes"),
    FacetGroup("districts", _("District"), "terms", "district"),
    FacetGroup("neighbourhoods", _("Neighbourhood"), "terms", "neighbourhood"),
    FacetGroup("weekdays", _("Day"), "terms", "weekdays"),
    FacetGroup("parts_of_day", _("Part of the day"), "terms", "parts_of_day"),
    FacetGroup("languages", _("Also spoken"), "terms", "languages"),
    FacetGroup("organisations", _("Organiser"), "terms", "organisation"),
    FacetGroup("dutch_level", _("Dutch the client has"), "levels", "dutch_level"),
    FacetGroup("max_cost", _("Cost for this client"), "bands", "cost"),
    FacetGroup("accessibility", _("Accessibility"), "flags", "accessibility"),
    FacetGroup("facts", _("Thresholds removed"), "flags", "facts"),
)
FACET_GROUPS_BY_NAME = {group.name: group for group in FACET_GROUPS}


def static_labels(group: str) -> dict[str, str]:
    """Labels for facet values that are fixed in code; reference data (themes, places) is looked up."""
    if group == "domains":
        return {value: str(label) for value, label in Domain.choices}
    if group == "weekdays":
        return {str(value): str(label) for value, label in Weekday.choices}
    if group == "parts_of_day":
        return {str(value): str(label) for value, label in PART_OF_DAY_LABELS.items()}
    if group == "dutch_level":
        return {str(value): str(label) for value, label in DutchLevel.choices}
    if group == "accessibility":
        return {fact.search_name: str(fact.label) for fact in facts.ACCESSIBILITY_FACTS}
    if group == "facts":
        return {fact.search_name: str(fact.label) for fact in facts.SEARCH_FACTS}
    return {}
