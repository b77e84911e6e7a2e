"""The search pages: one for mediators matching a client, one for residents; the same engine answers both."""

from collections.abc import Callable
from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from catalogue.models import DutchLevel
from catalogue.network_areas import with_neighbours
from organisations.models import Network
from organisations.networks import ALL_NETWORKS, network_for_request
from organisations.permissions import can_use_mediator_tools

from . import local_cache
from .engines import get_engine
from .filters import FILTERS, Chip
from .params import parse_search
from .query import BudgetPer, OfferQuery, SearchResult, Sort
from .results import hits_addressed_for

WITHIN_KM_CHOICES = (1, 2, 3, 5, 10)


def parameter_label(name: str) -> str:
    """What the search form calls a parameter, for messages; an unknown parameter keeps the name it was given as."""
    labels = {
        **{key: label for search_filter in FILTERS for key, label in search_filter.parameter_labels().items()},
        "sort": _("Sort by"),
        "page": _("Page"),
        "page_size": _("Offers per page"),
    }
    return str(labels.get(name, name))


def _chips(request: HttpRequest, query: OfferQuery, result: SearchResult) -> list[Chip]:
    """Every filter in use, each with the link that removes just that one: ticked values first, then the rest."""
    ticked = [chip for f in FILTERS if f.listed for chip in f.chips(query, request.GET, result.facets[f.name])]
    return ticked + [chip for f in FILTERS for chip in f.parameter_chips(query, request.GET)]


def _suggestions(chips: list[Chip]) -> list[dict]:
    """When nothing matches: which single filter to drop, and how many offers that would give."""
    engine = get_engine()
    suggestions = []
    for chip in chips:
        if chip.relaxed is None:
            continue
        total = engine.search(replace(chip.relaxed, page=1, page_size=1)).total
        if total:
            suggestions.append({"name": chip.name, "value": chip.value, "label": chip.label, "total": total})
    return sorted(suggestions, key=lambda suggestion: -suggestion["total"])[:3]


def _network_scope(request: HttpRequest, query: OfferQuery | None, site_network: Network | None) -> dict | None:
    """What the form says of the networks searched; None on an installation without networks."""
    if query is None or (site_network is None and not Network.objects.exists()):
        return None
    asked = [slug for slug in request.GET.getlist("network") if slug]
    return {
        "all": not query.networks,
        "names": list(Network.objects.filter(slug__in=query.networks).values_list("name", flat=True)),
        "chosen": [slug for slug in asked if slug != ALL_NETWORKS],
        "all_asked": ALL_NETWORKS in asked,
        "neighbours": _neighbour_names(site_network) if site_network else [],
    }


NEIGHBOURS_CACHE_SECONDS = 60


def _neighbour_names(network: Network) -> list[str]:
    """The names of the networks next to this one, for the label of the box that adds them; kept a minute."""
    return local_cache.get_or_set(
        f"search:neighbour-names:{network.pk}",
        lambda: list(
            Network.objects.filter(slug__in=with_neighbours([network.slug]))
            .exclude(pk=network.pk)
            .values_list("name", flat=True)
        ),
        NEIGHBOURS_CACHE_SECONDS,
    )


def _search_page(request: HttpRequest, *, variant: str, extra: dict | None = None) -> HttpResponse:
    site_network = network_for_request(request)
    query, errors = parse_search(request.GET, network=site_network.slug if site_network else None)
    result = get_engine().search(query) if query else None
    if result is not None and site_network is not None:
        result = hits_addressed_for(result, request)
    chips = _chips(request, query, result) if result else []
    active = [{"name": chip.name, "value": chip.value, "label": chip.label} for chip in chips]
    context = {
        "variant": variant,
        "errors": [(name, parameter_label(name), messages) for name, messages in errors.items()],
        "result": result,
        "active_filters": active,
        "suggestions": _suggestions(chips) if result and result.total == 0 else [],
        "listed_facets": [f.name for f in FILTERS if f.listed],
        "params": request.GET,
        "sorts": [
            (Sort.RELEVANCE, _("Best match")),
            (Sort.DISTANCE, _("Nearest")),
            (Sort.COST, _("Cheapest")),
            (Sort.NEWEST, _("Newest")),
        ],
        "within_km_choices": WITHIN_KM_CHOICES,
        "budget_pers": BudgetPer.choices,
        "dutch_levels": DutchLevel.choices,
        "site_network": site_network,
        "network_scope": _network_scope(request, query, site_network),
        **(extra or {}),
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


# What the workspace adds to the mediator search (the open cases a result can go to), registered by it at start:
# search knows nothing of cases.
mediator_context_providers: list[Callable[[HttpRequest], dict]] = []


@gzip_page
@login_required
def mediator_search(request: HttpRequest) -> HttpResponse:
    if not can_use_mediator_tools(request.user):
        raise PermissionDenied
    extra = {}
    for provide in mediator_context_providers:
        extra.update(provide(request))
    return _search_page(request, variant="mediator", extra=extra)
