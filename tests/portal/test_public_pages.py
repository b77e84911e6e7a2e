"""Public pages render without JavaScript, in Dutch by default, and show every threshold group."""

from decimal import Decimal

from django.urls import reverse

import pytest

from catalogue.models import Language, OfferExtraCost, ReducedTariff
from search.indexer import index_offers
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(partner_a):
    offer = OfferFactory(
        organisation=partner_a,
        title="Zwemmen voor beginners",
        list_price=Decimal("60"),
        price_unit="season",
        reduced_tariff=ReducedTariff.UITPAS,
        reduced_price=Decimal("12"),
        reduced_price_who="UiTPAS met kansenstatuut",
        step_free=True,
        hearing_loop=True,
        companion_welcome=True,
        companion_free=True,
        welcome_contact_name="Fatima",
        dutch_level=0,
        public_transport_stop="tram 3, halte Kiel",
        first_visit="Fatima wacht je op aan de ingang.",
    )
    offer.languages.add(Language.objects.get(code="fr"))
    offer.extra_costs.add(OfferExtraCost(kind="clothing", amount=Decimal("15"), description="zwembroek"))
    offer.save_revision().publish()
    return offer


def test_home_page_shows_the_three_tracks(client):
    content = client.get("/").content.decode()
    assert "Vrije tijd voor iedereen in Antwerpen" in content
    assert 'lang="nl-be"' in content


def test_offer_page_shows_every_threshold_group_in_a_fixed_order(client, offer):
    content = client.get(offer.url).content.decode()
    headings = ["Wat", "Wanneer", "Waar", "Wat kost het", "Toegankelijkheid", "Wie contacteren"]
    positions = [content.index(f"</svg>\n {heading}</h2>") for heading in headings]
    assert positions == sorted(positions)
    for fact in [
        "€\xa060,00",
        "€\xa012,00",
        "UiTPAS met kansenstatuut",
        "zwembroek",
        "Kiel",
        "tram 3, halte Kiel",
        "Fatima",
        "Geen Nederlands nodig",
        "Frans",
        "Ringleiding",
        "Er mag een begeleider of buddy mee",
        "woensdag 14:00–16:00",
    ]:
        assert fact in content, fact


def test_offer_page_switches_to_english(client, offer):
    client.post(reverse("set_language"), {"language": "en", "next": offer.url})
    content = client.get(offer.url).content.decode()
    assert "What it costs" in content
    assert 'lang="en"' in content


def test_catalogue_lists_published_offers_and_filters_by_neighbourhood(client, offer, partner_a):
    elsewhere = OfferFactory(organisation=partner_a, title="Boksen in Deurne", latitude=51.2100, longitude=4.4700)
    index_offers([offer.pk, elsewhere.pk])
    assert elsewhere.neighbourhood.code != "ANT10"
    all_content = client.get(reverse("search:public")).content.decode()
    assert "Zwemmen voor beginners" in all_content and "Boksen in Deurne" in all_content
    filtered = client.get(reverse("search:public"), {"neighbourhoods": "ANT10"}).content.decode()
    assert "Zwemmen voor beginners" in filtered and "Boksen in Deurne" not in filtered
    by_text = client.get(reverse("search:public"), {"q": "boksen"}).content.decode()
    assert "Boksen in Deurne" in by_text and "Zwemmen voor beginners" not in by_text


def test_catalogue_refuses_an_unknown_neighbourhood_naming_the_field(client):
    """Error case: a made-up neighbourhood code answers 400 with the parameter's name and the problem."""
    response = client.get(reverse("search:public"), {"neighbourhoods": "ANT17"})
    assert response.status_code == 400
    assert "neighbourhoods" in response.content.decode()
    assert "ANT17" in response.content.decode()


def test_unpublished_offers_are_not_public(client, partner_a):
    draft = OfferFactory(organisation=partner_a, title="Nog geheim", publish=False)
    index_offers([draft.pk])
    assert client.get(reverse("search:public")).content.decode().count("Nog geheim") == 0
    assert client.get(f"/partners/{partner_a.slug}/{draft.slug}/").status_code == 404


def test_organisation_page_lists_its_offers(client, offer, partner_a):
    content = client.get(partner_a.page.url).content.decode()
    assert partner_a.name in content and offer.title in content


def test_unknown_page_answers_404_with_our_page(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
