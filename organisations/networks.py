"""Which network a request is in: the one whose Wagtail site answered it."""

from collections.abc import Iterable

from django.http import HttpRequest

from wagtail.models import Site

from catalogue.models import Area, bordering_municipalities

from .models import Network


def network_for_site(site: Site | None) -> Network | None:
    if site is None:
        return None
    return Network.objects.filter(site=site).first()


def network_for_request(request: HttpRequest) -> Network | None:
    """The network of the site this request came in on, or None on a host no network owns (kept on the request)."""
    if not hasattr(request, "_network"):
        request._network = network_for_site(Site.find_for_request(request))
    return request._network


# The value of the search's ``network`` parameter that asks for every network: no restriction.
ALL_NETWORKS = "all"


def with_neighbours(slugs: Iterable[str]) -> tuple[str, ...]:
    """These networks and their neighbours: the networks with a municipality in or bordering theirs, by slug."""
    chosen = tuple(slugs)
    codes = set(Area.objects.filter(networks__slug__in=chosen).values_list("code", flat=True))
    reach = codes | bordering_municipalities(codes)
    found = set(Network.objects.filter(municipalities__code__in=reach).values_list("slug", flat=True))
    return tuple(sorted(found | set(chosen)))


def municipality_codes_of(slugs: Iterable[str]) -> list[str]:
    """The NIS codes of the municipalities of these networks together: their area."""
    return sorted(set(Area.objects.filter(networks__slug__in=list(slugs)).values_list("code", flat=True)))
