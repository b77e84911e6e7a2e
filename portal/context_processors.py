"""Template context shared by every public page: the main navigation and the interface languages."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from organisations.models import OrganisationIndexPage


def site_navigation(request: HttpRequest) -> dict:
    partners = OrganisationIndexPage.objects.live().first()
    return {
        "nav_catalogue_url": reverse("search:public"),
        "nav_partners_url": partners.url if partners else None,
    }


def interface_languages(request: HttpRequest) -> dict:
    """The languages the header's switch offers: the interface's, not every content language."""
    return {"interface_languages": settings.INTERFACE_LANGUAGES}
