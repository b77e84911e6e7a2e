"""Reading a search from query parameters: one parser for the search pages and the API.

Unknown parameters are refused rather than ignored, so a typo never silently widens a search.
"""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from .filters import FILTERS
from .query import OfferQuery, Sort

MAX_PAGE = 500


class BaseSearchParams(serializers.Serializer):
    """Sorting and paging; every filter adds its own parameters (``OfferSearchParams``)."""

    sort = serializers.ChoiceField(required=False, choices=[sort.value for sort in Sort], default=Sort.RELEVANCE)
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)

    def validate(self, attrs: dict) -> dict:
        for search_filter in FILTERS:
            search_filter.validate(attrs)
        return attrs

    def to_query(self) -> OfferQuery:
        data = self.validated_data
        values: dict = {}
        for search_filter in FILTERS:
            values.update(search_filter.query_values(data))
        return OfferQuery(**values, sort=Sort(data["sort"]), page=data["page"], page_size=data["page_size"])


# The parameters of every filter, in the registry's order, then sorting and paging.
OfferSearchParams = type(
    "OfferSearchParams",
    (BaseSearchParams,),
    {
        "__module__": __name__,
        "__doc__": "The search's query parameters.",
        **{name: field for search_filter in FILTERS for name, field in search_filter.fields().items()},
    },
)


def _messages(detail) -> list[str]:
    """One flat list of messages per parameter; a repeated parameter's errors come keyed by position."""
    if isinstance(detail, dict):
        return [message for key in sorted(detail, key=str) for message in _messages(detail[key])]
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item)]
    return [str(detail)]


def parse_search(
    params: QueryDict, *, allowed_extra: frozenset[str] = frozenset(), network: str | None = None
) -> tuple[OfferQuery | None, dict]:
    """The query, or the errors per parameter (unknown parameters included); never both.

    ``network`` is the slug of the network the search is asked in (its site's): the search runs within
    it unless the parameters name networks themselves (or ``network=all``).
    """
    known = set(OfferSearchParams._declared_fields) | allowed_extra  # the class's fields, without building them
    cleaned = params.copy()
    for name in list(cleaned):
        # An empty value from a GET form means "not given", not "invalid".
        if all(value == "" for value in cleaned.getlist(name)):
            del cleaned[name]
    if network and "network" not in cleaned:
        cleaned.setlist("network", [network])
    unknown = sorted(set(cleaned) - known)
    # PostgreSQL cannot compare text holding NUL (a code lookup would fail the query): refuse it by name.
    with_nul = sorted(name for name in cleaned if any("\x00" in value for value in cleaned.getlist(name)))
    if with_nul:
        return None, {name: [str(_("The text may not contain NUL characters."))] for name in with_nul}
    serializer = OfferSearchParams(data=cleaned)
    errors: dict[str, list[str]] = {}
    if not serializer.is_valid():
        errors.update({name: _messages(detail) for name, detail in serializer.errors.items()})
    for name in unknown:
        errors[name] = [str(_("Unknown parameter."))]
    if errors:
        return None, errors
    return serializer.to_query(), {}
