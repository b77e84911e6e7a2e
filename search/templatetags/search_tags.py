"""Template helpers for the search page: links that change one parameter and keep the others."""

from django import template
from django.http import QueryDict

from catalogue import formatting

register = template.Library()


@register.simple_tag
def without_param(params: QueryDict, name: str, value: str | None = None) -> str:
    """The query string with one value of a parameter (or all its values) removed, back on page 1."""
    query = params.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [item for item in query.getlist(name) if item != str(value)])
    return query.urlencode()


@register.simple_tag
def with_page(params: QueryDict, page: int) -> str:
    query = params.copy()
    query["page"] = str(page)
    return query.urlencode()


@register.filter
def distance(km: float | None) -> str:
    return "" if km is None else formatting.distance(km)
