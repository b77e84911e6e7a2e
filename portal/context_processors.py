"""Template context shared by every public page: the main navigation."""

from django.http import HttpRequest
from django.urls import reverse

from organisations.models import OrganisationIndexPage


def site_navigation(request: HttpRequest) -> dict:
    partners = OrganisationIndexPage.objects.live().first()
    return {
        "nav_catalogue_url": reverse("search:public"),
        "nav_partners_url": partners.url if partners else None,
    }
