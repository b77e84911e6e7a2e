"""An offer carries every threshold group as structured facts, and refuses inconsistent ones."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

import pytest

from catalogue.models import OfferPage, ReducedTariff, Source
from catalogue.services import OfferInput, offer_create
from tests.factories import OfferFactory, offer_values

pytestmark = pytest.mark.django_db


def _errors(partner, language: str, **overrides) -> dict[str, list[str]]:
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            offer_create(parent=partner.page, data=OfferInput(values=offer_values(**overrides)))
        return caught.value.message_dict


def test_the_neighbourhood_comes_from_the_point_not_from_a_name(partner_a):
    """A point near Antwerpen-Centraal lands in 'Centraal station' whatever the address says."""
    offer = OfferFactory(organisation=partner_a, latitude=51.2172, longitude=4.4211)
    assert offer.neighbourhood.code == "ANT03"
    assert offer.neighbourhood.district.name == "Antwerpen"


def test_the_owner_comes_from_the_page_tree(partner_a):
    """An offer added under partner A's page belongs to A: nobody gives the owner, the tree does."""
    offer = OfferPage(**offer_values(title="Onder A"))
    assert offer.organisation_id is None
    partner_a.page.add_child(instance=offer)
    offer.refresh_from_db()
    assert offer.organisation == partner_a


def test_an_offer_is_published_with_a_revision(partner_a):
    offer = OfferFactory(organisation=partner_a)
    assert offer.live
    assert offer.revisions.count() == 1


def test_a_free_offer_is_free(partner_a):
    assert OfferFactory(organisation=partner_a, list_price=Decimal("0")).is_free


@pytest.mark.parametrize(
    ("language", "overrides", "field", "message"),
    [
        (
            "en",
            {"list_price": Decimal("5"), "reduced_tariff": ReducedTariff.UITPAS, "reduced_price": Decimal("7")},
            "reduced_price",
            "The reduced price cannot be above the regular price.",
        ),
        (
            "nl",
            {"list_price": Decimal("5"), "reduced_tariff": ReducedTariff.UITPAS, "reduced_price": Decimal("7")},
            "reduced_price",
            "De verlaagde prijs kan niet hoger zijn dan de gewone prijs.",
        ),
        ("en", {"age_min": 12, "age_max": 8}, "age_min", "The minimum age cannot be above the maximum age."),
        (
            "nl",
            {"age_min": 12, "age_max": 8},
            "age_min",
            "De minimumleeftijd kan niet hoger zijn dan de maximumleeftijd.",
        ),
        (
            "en",
            {"latitude": 50.8467, "longitude": 4.3525},
            "latitude",
            "This point lies outside the network's area: check latitude and longitude.",
        ),
        (
            "nl",
            {"latitude": 50.8467, "longitude": 4.3525},
            "latitude",
            "Dit punt ligt buiten het gebied van het netwerk: controleer breedtegraad en lengtegraad.",
        ),
        (
            "en",
            {"reduced_tariff": ReducedTariff.SOCIAL},
            "reduced_price",
            "Give the reduced price for the reduced tariff you chose.",
        ),
        ("en", {"reduced_price": Decimal("1")}, "reduced_tariff", "Say which reduced tariff this reduced price is."),
        ("en", {"postal_code": "20A0"}, "postal_code", "A Belgian postal code has four digits."),
        (
            "en",
            {"companion_free": True},
            "companion_free",
            "A free companion means a companion is welcome: tick that too.",
        ),
        ("en", {"list_price": Decimal("-1")}, "list_price", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_inconsistent_facts_are_refused_with_a_message_per_field(partner_a, language, overrides, field, message):
    """Error case: each rule names its field, in the language asked for, and nothing is written."""
    errors = _errors(partner_a, language, **overrides)
    assert message in errors[field]
    assert not OfferPage.objects.exists()


def test_dates_must_be_in_order(partner_a):
    from datetime import date

    errors = _errors(partner_a, "en", start_date=date(2026, 5, 1), end_date=date(2026, 4, 1))
    assert errors["end_date"] == ["The end date cannot be before the start date."]


def test_external_id_is_unique_per_organisation(partner_a, partner_b):
    """Two organisations may use the same external id; one organisation cannot use it twice."""
    OfferFactory(organisation=partner_a, source=Source.UITDATABANK, external_id="udb-1")
    OfferFactory(organisation=partner_b, source=Source.UITDATABANK, external_id="udb-1")
    errors = _errors(partner_a, "en", title="Kopie", source=Source.UITDATABANK, external_id="udb-1")
    assert errors["__all__"] == ["This organisation already has an offer with this external id."]


def test_the_database_itself_refuses_a_duplicate_external_id(partner_a):
    """The constraint holds below validation too, for concurrent imports."""
    first = OfferFactory(organisation=partner_a, source=Source.UITDATABANK, external_id="udb-1")
    second = OfferFactory(organisation=partner_a, source=Source.UITDATABANK, external_id="udb-2")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferPage.objects.filter(pk=second.pk).update(external_id=first.external_id)
