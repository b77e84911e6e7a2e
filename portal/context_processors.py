"""Template context shared by every public page: the main navigation and the interface languages."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from wagtail.models import Site

from organisations.models import OrganisationIndexPage, SubAreaLevel
from organisations.networks import network_for_request
from search import local_cache

from .templatetags.portal_tags import NAVIGATION_CACHE_SECONDS


def site_navigation(request: HttpRequest) -> dict:
    """The main navigation's links and the name of the site's network, for the header.

    The partner directory's address is kept per site, like the statement's link.
    """
    site = Site.find_for_request(request)
    partners_url = local_cache.get_or_set(
        f"portal:partners-url:{site.pk if site else ''}", lambda: _partners_url(request, site), NAVIGATION_CACHE_SECONDS
    )
    network = network_for_request(request)
    return {
        "nav_catalogue_url": reverse("search:public"),
        "nav_partners_url": partners_url or None,
        "brand_network": network.name if network else None,
        # Antwerp's site shows the city's own neighbourhoods; every other network's places come from Statbel's.
        "places_from_antwerp": network is None or network.sub_area_level == SubAreaLevel.DISTRICT,
    }


def _partners_url(request: HttpRequest, site: Site | None) -> str:
    """The directory of the request's site, or the installation's first when that site has none."""
    directories = OrganisationIndexPage.objects.live().order_by("path")
    partners = (directories.descendant_of(site.root_page).first() if site else None) or directories.first()
    return partners.get_url(request) if partners else ""


def interface_languages(request: HttpRequest) -> dict:
    """The languages the header's switch offers: the interface's, not every content language."""
    return {"interface_languages": settings.INTERFACE_LANGUAGES}
