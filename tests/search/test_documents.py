"""A published offer becomes one search document, with what a result list and every filter need."""

from datetime import time
from decimal import Decimal

import pytest

from catalogue.models import Language, OfferPage, OfferTimeSlot, ReducedTariff, Registration, Theme
from catalogue.services import OfferInput, offer_create
from search.indexer import iter_documents, published_offers
from tests.factories.catalogue import OfferFactory, offer_values

from .cases import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(partner_a):
    data = OfferInput(
        values=offer_values(
            title="Zwemmen voor gezinnen",
            description="<p>Met <b>redders</b> aan de rand.</p>",
            list_price=Decimal("8.00"),
            reduced_tariff=ReducedTariff.UITPAS,
            reduced_price=Decimal("2.00"),
            registration=Registration.WALK_IN,
            step_free=True,
            childcare=True,
            welcome_contact_name="Els",
            age_min=6,
        ),
        themes=[Theme.objects.create(name="Water", slug="water"), Theme.objects.create(name="Gezin", slug="gezin")],
        languages=[Language.objects.get_or_create(code="fr", defaults={"name": "Frans"})[0]],
        time_slots=[
            OfferTimeSlot(weekday=5, start_time=time(19), end_time=time(20)),
            OfferTimeSlot(weekday=2, start_time=time(10), end_time=time(11)),
        ],
    )
    return offer_create(parent=partner_a.page, data=data, publish=True)


def test_a_document_has_the_shape_every_engine_and_the_shared_cases_use(offer):
    (document,) = iter_documents(published_offers())
    assert set(document) == set(make_document(1))


def test_a_document_holds_what_filters_and_results_need(offer):
    (document,) = iter_documents(published_offers())
    assert document["url"] == offer.get_url()
    assert document["organisation_name"] == "Zwemclub A"
    assert (document["district"], document["neighbourhood"]) == ("ANT", "ANT10")
    assert (document["cost_regular"], document["cost_uitpas"], document["cost_social"]) == (8, 2, 8)
    assert document["themes"] == ["gezin", "water"] and document["theme_names"] == ["Gezin", "Water"]
    assert document["languages"] == ["fr"]
    assert "step_free" in document["accessibility"]
    assert {"walk_in", "childcare", "welcome_contact"} <= set(document["facts"])
    assert (document["weekdays"], document["parts_of_day"]) == ([2, 5], ["evening", "morning"])
    assert document["slots"] == ["2-morning", "5-evening"]
    assert (document["age_min"], document["age_max"]) == (6, 120)
    assert document["availability"] == ""  # not stated
    assert document["description"] == "Met redders aan de rand."
    assert "zwem" in document["title_text"].split() and "gezin" in document["text"].split()


def test_only_published_offers_become_documents(partner_a, offer):
    OfferFactory(organisation=partner_a, publish=False)
    assert [document["id"] for document in iter_documents(published_offers())] == [offer.pk]


def test_reserved_places_are_a_fact_until_requests_hold_them_all(partner_a):
    """Kept places left: the document has 'reserved_places'; once requests hold them all, not any more."""
    data = OfferInput(
        values=offer_values(
            title="Kamp met kansenplaatsen", capacity=10, reserved_places=1, reserved_price=Decimal("0")
        )
    )
    offer = offer_create(parent=partner_a.page, data=data, publish=True)
    (document,) = iter_documents(published_offers())
    assert {"places_left", "reserved_places"} <= set(document["facts"]) and not document["full"]
    OfferPage.objects.filter(pk=offer.pk).update(reserved_places_held=1, places_confirmed=10)
    (document,) = iter_documents(published_offers())
    assert not {"places_left", "reserved_places"} & set(document["facts"]) and document["full"]
