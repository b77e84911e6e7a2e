"""The search pages: one for mediators matching a client, one for residents; the same engine answers both."""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from catalogue import facts
from catalogue.models import DutchLevel, Neighbourhood
from organisations.permissions import can_use_mediator_tools

from .engines import get_engine
from .facets import FACET_GROUPS_BY_NAME
from .params import parse_search
from .query import OfferQuery, SearchResult, Sort

WITHIN_KM_CHOICES = (1, 2, 3, 5, 10)
# Scalar parameters shown as removable "active filters", with how to describe them.
BOOLEAN_FILTERS = ("uitpas", "social_tariff", "free", "fresh")
SCALAR_FILTERS = (
    "q",
    "max_cost",
    "uitpas",
    "social_tariff",
    "free",
    "age",
    "near_neighbourhood",
    "within_km",
    "dutch_level",
    "fresh",
)


def scalar_labels() -> dict[str, str]:
    """The human label of each scalar search parameter, as the search form names it."""
    return {
        "q": _("Words"),
        "max_cost": _("At most (euro)"),
        "uitpas": _("UiTPAS opportunity tariff"),
        "social_tariff": _("Social tariff"),
        "free": _("Free only"),
        "age": _("Age"),
        "near_neighbourhood": _("Near"),
        "within_km": _("Within (km)"),
        "dutch_level": _("Dutch the client has"),
        "fresh": _("Recently confirmed"),
    }


def parameter_label(name: str) -> str:
    """What the search form calls a parameter, for messages; an unknown parameter keeps the name it was given as."""
    labels = {
        **scalar_labels(),
        **{group.name: str(group.label) for group in FACET_GROUPS_BY_NAME.values()},
        "near": _("Near a point"),
        "sort": _("Sort by"),
        "page": _("Page"),
        "page_size": _("Offers per page"),
    }
    return str(labels.get(name, name))


def _active_filters(request: HttpRequest, result: SearchResult) -> list[dict]:
    """Every filter in use, each with the link that removes just that one."""
    active = []
    labels = {str(fact.field): str(fact.label) for fact in facts.ACCESSIBILITY_FACTS}
    for name, values in result.facets.items():
        if name in ("max_cost", "dutch_level"):
            continue
        for value in values:
            if value.selected:
                active.append(
                    {
                        "name": name,
                        "value": value.value,
                        "label": f"{FACET_GROUPS_BY_NAME[name].label}: {labels.get(value.value, value.label)}",
                    }
                )
    for name in SCALAR_FILTERS:
        value = request.GET.get(name, "")
        if not value or (name in BOOLEAN_FILTERS and value.lower() not in ("true", "on", "1")):
            continue
        if name == "dutch_level":
            value = DutchLevel(int(value)).label
        elif name in BOOLEAN_FILTERS:
            value = _("yes")
        elif name == "near_neighbourhood":
            value = Neighbourhood.objects.filter(code=value).values_list("name", flat=True).first() or value
        active.append({"name": name, "value": None, "label": f"{scalar_labels()[name]}: {value}"})
    return active


def _suggestions(query: OfferQuery, active: list[dict]) -> list[dict]:
    """When nothing matches: which single filter to drop, and how many offers that would give."""
    engine = get_engine()
    suggestions = []
    for item in active:
        name, value = item["name"], item["value"]
        if name in ("q",):
            relaxed = replace(query, text="")
        elif name == "within_km":
            relaxed = replace(query, within_km=None)
        elif name == "near_neighbourhood":
            # Its link drops the distance and a distance sort too (search_tags.without_param).
            relaxed = replace(query, near=None, within_km=None, sort=Sort.RELEVANCE)
        elif name in ("uitpas", "social_tariff"):
            continue
        elif name == "free":
            relaxed = replace(query, free_only=False)
        elif name == "fresh":
            relaxed = replace(query, confirmed_since=None)
        elif name == "max_cost":
            relaxed = replace(query, max_cost=None)
        elif name == "age":
            relaxed = replace(query, age=None)
        elif name == "dutch_level":
            relaxed = replace(query, dutch_level=None)
        else:
            current = getattr(query, name)
            relaxed = replace(query, **{name: tuple(v for v in current if str(v) != value)})
        total = engine.search(replace(relaxed, page=1, page_size=1)).total
        if total:
            suggestions.append({**item, "total": total})
    return sorted(suggestions, key=lambda suggestion: -suggestion["total"])[:3]


def _search_page(request: HttpRequest, *, variant: str) -> HttpResponse:
    query, errors = parse_search(request.GET)
    result = get_engine().search(query) if query else None
    active = _active_filters(request, result) if result else []
    context = {
        "variant": variant,
        "errors": [(name, parameter_label(name), messages) for name, messages in errors.items()],
        "result": result,
        "active_filters": active,
        "suggestions": _suggestions(query, active) if result and result.total == 0 and active else [],
        "params": request.GET,
        "sorts": [
            (Sort.RELEVANCE, _("Best match")),
            (Sort.DISTANCE, _("Nearest")),
            (Sort.COST, _("Cheapest")),
            (Sort.NEWEST, _("Newest")),
        ],
        "within_km_choices": WITHIN_KM_CHOICES,
        "dutch_levels": DutchLevel.choices,
    }
    return render(request, "search/offer_search.html", context, status=400 if errors else 200)


# The search pages are compressed (a result page is ~55 KB of markup, ~8 KB gzipped). They hold no secret
# an attacker could recover by reflecting guesses into the query (BREACH): the CSRF token of the language
# switch is masked anew on every response and Django pads compressed responses with random bytes
# (https://docs.djangoproject.com/en/5.2/ref/middleware/#module-django.middleware.gzip). Pages with case
# data are not compressed.
@gzip_page
def public_search(request: HttpRequest) -> HttpResponse:
    return _search_page(request, variant="public")


@gzip_page
@login_required
def mediator_search(request: HttpRequest) -> HttpResponse:
    if not can_use_mediator_tools(request.user):
        raise PermissionDenied
    return _search_page(request, variant="mediator")
