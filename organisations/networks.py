"""Which network a request is in: the one whose Wagtail site answered it."""

from django.http import HttpRequest

from wagtail.models import Site

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
