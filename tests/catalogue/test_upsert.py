"""Writing an offer by its external id: the same data twice changes nothing and makes no revision."""

from datetime import time
from decimal import Decimal

import pytest

from catalogue.models import Language, OfferExtraCost, OfferPage, OfferTimeSlot, Source, Theme
from catalogue.services import OfferInput, UpsertAction, offer_unpublish, offer_upsert
from tests.factories import offer_values

pytestmark = pytest.mark.django_db


def feed_item(**overrides) -> OfferInput:
    return OfferInput(
        values=offer_values(source=Source.FEED, external_id="club-42", **overrides),
        themes=[Theme.objects.get(slug="zwemmen")],
        languages=[Language.objects.get(code="fr")],
        time_slots=[OfferTimeSlot(weekday=2, start_time=time(14), end_time=time(16))],
        extra_costs=[OfferExtraCost(kind="material", amount=Decimal("5.00"), description="", required=True)],
    )


def test_first_upsert_creates_and_publishes(partner_a):
    offer, action = offer_upsert(organisation=partner_a, data=feed_item())
    assert action == UpsertAction.CREATED
    assert offer.live and offer.organisation == partner_a
    assert [theme.slug for theme in offer.themes.all()] == ["zwemmen"]


def test_the_same_data_twice_changes_nothing(partner_a):
    offer, _ = offer_upsert(organisation=partner_a, data=feed_item())
    revisions = offer.revisions.count()
    again, action = offer_upsert(organisation=partner_a, data=feed_item())
    assert action == UpsertAction.UNCHANGED
    assert again.pk == offer.pk
    assert again.revisions.count() == revisions
    assert OfferPage.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"values": {"list_price": Decimal("6.00")}},
        {"values": {"step_free": True}},
        {"themes": []},
        {"time_slots": [OfferTimeSlot(weekday=3, start_time=time(14), end_time=time(16))]},
        {"extra_costs": []},
    ],
)
def test_one_changed_fact_makes_one_revision(partner_a, change):
    offer, _ = offer_upsert(organisation=partner_a, data=feed_item())
    revisions = offer.revisions.count()
    data = feed_item(**change.get("values", {}))
    for relation in ("themes", "time_slots", "extra_costs"):
        if relation in change:
            setattr(data, relation, change[relation])
    updated, action = offer_upsert(organisation=partner_a, data=data)
    assert action == UpsertAction.UPDATED
    assert updated.revisions.count() == revisions + 1


def test_an_unpublished_offer_comes_back_when_the_feed_sends_it_again(partner_a):
    offer, _ = offer_upsert(organisation=partner_a, data=feed_item())
    assert offer_unpublish(offer=offer)
    assert not offer_unpublish(offer=OfferPage.objects.get(pk=offer.pk))
    back, action = offer_upsert(organisation=partner_a, data=feed_item())
    assert action == UpsertAction.UPDATED and back.live


def test_the_same_external_id_of_another_organisation_is_another_offer(partner_a, partner_b):
    """Error case: partner B sending A's external id creates B's own offer and leaves A's alone."""
    offer_a, _ = offer_upsert(organisation=partner_a, data=feed_item(title="Van A"))
    offer_b, action = offer_upsert(organisation=partner_b, data=feed_item(title="Van B"))
    assert action == UpsertAction.CREATED
    assert offer_b.pk != offer_a.pk
    assert OfferPage.objects.get(pk=offer_a.pk).title == "Van A"
