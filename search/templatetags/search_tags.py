"""Template helpers for the search page: links that change one parameter and keep the others."""

from django import template
from django.http import QueryDict

from catalogue import formatting

register = template.Library()


# Parameters that measure from a centre (a point or a neighbourhood); without one they are an error.
CENTRES = ("near", "near_neighbourhood")


@register.simple_tag
def without_param(params: QueryDict, name: str, value: str | None = None) -> str:
    """The query string with one value of a parameter (or all its values) removed, back on page 1.

    Removing the last centre also removes what needs it (the distance, a sort by distance), so the
    link never leads to a search that is refused.
    """
    query = params.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [item for item in query.getlist(name) if item != str(value)])
    if not any(query.get(centre) for centre in CENTRES):
        query.pop("within_km", None)
        if query.get("sort") == "distance":
            query.pop("sort")
    return query.urlencode()


@register.simple_tag
def with_page(params: QueryDict, page: int) -> str:
    query = params.copy()
    query["page"] = str(page)
    return query.urlencode()


@register.filter
def distance(km: float | None) -> str:
    return "" if km is None else formatting.distance(km)
