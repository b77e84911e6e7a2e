"""Template context shared by every public page: the main navigation and the interface languages."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from organisations.models import OrganisationIndexPage
from search import local_cache

from .templatetags.portal_tags import NAVIGATION_CACHE_SECONDS


def site_navigation(request: HttpRequest) -> dict:
    """The main navigation's links; the partner directory's address is kept like the statement's link."""
    return {
        "nav_catalogue_url": reverse("search:public"),
        "nav_partners_url": local_cache.get_or_set("portal:partners-url", _partners_url, NAVIGATION_CACHE_SECONDS)
        or None,
    }


def _partners_url() -> str:
    partners = OrganisationIndexPage.objects.live().first()
    return partners.url if partners else ""


def interface_languages(request: HttpRequest) -> dict:
    """The languages the header's switch offers: the interface's, not every content language."""
    return {"interface_languages": settings.INTERFACE_LANGUAGES}
