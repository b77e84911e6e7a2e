"""Absolute links to offers use the configured public host (PUBLIC_BASE_URL), never the Site's hostname."""

from wagtail.models import Site

import pytest

from catalogue.feeds import csv_lines
from catalogue.jsonld import offer_jsonld
from catalogue.public_urls import public_url
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db
PUBLIC = "https://vrijetijd.example.be"


@pytest.fixture
def public_host(settings):
    settings.PUBLIC_BASE_URL = f"{PUBLIC}/"  # a trailing slash is tolerated


def test_public_url_is_the_public_host_and_the_pages_path(partner_a, public_host):
    """Case: the development Site says localhost; the offer's address is on the configured host."""
    offer = OfferFactory(organisation=partner_a)
    assert Site.objects.get(is_default_site=True).hostname == "localhost"
    assert offer.get_full_url().startswith("http://localhost/")
    assert public_url(offer) == f"{PUBLIC}{offer.url}"
    assert public_url(partner_a.page) == f"{PUBLIC}{partner_a.page.url}"


def test_json_ld_csv_and_api_link_offers_on_the_public_host(client, partner_a, public_host):
    """Case: the JSON-LD (url, @id, organiser), the open data CSV and the API all carry the public address."""
    offer = OfferFactory(organisation=partner_a)
    data = offer_jsonld(offer)
    assert data["url"] == f"{PUBLIC}{offer.url}" and data["@id"] == f"{PUBLIC}{offer.url}#offer"
    assert data["provider"]["url"] == f"{PUBLIC}{partner_a.page.url}"  # a permanent offer: a Service
    assert f"{PUBLIC}{offer.url}" in "".join(csv_lines())
    api = client.get(f"/api/v1/offers/{offer.pk}/").json()
    assert api["url"] == f"{PUBLIC}{offer.url}"
    assert "localhost" not in str(data) + api["url"]


def test_a_page_outside_every_site_has_no_public_url(partner_a):
    """Case: a page that no site routes to has no public address (None), as Wagtail's own URL."""
    offer = OfferFactory(organisation=partner_a)
    Site.objects.all().delete()
    offer = type(offer).objects.get(pk=offer.pk)
    assert public_url(offer) is None
