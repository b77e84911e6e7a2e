"""Factories for offers, created through the catalogue service so validation always runs."""

from datetime import time
from decimal import Decimal

import factory

from catalogue.models import Domain, Neighbourhood, OfferPage, OfferTimeSlot
from catalogue.services import OfferInput, offer_create

from .organisations import OrganisationFactory


def offer_values(**overrides) -> dict:
    """Valid values for an offer in the Kiel neighbourhood (ANT10), overridable per test."""
    kiel = Neighbourhood.objects.get(code="ANT10")
    values = {
        "title": "Zwemmen voor beginners",
        "domain": Domain.SPORT,
        "plain_summary": "Je leert rustig zwemmen in een kleine groep.",
        "list_price": Decimal("5.00"),
        "street_address": "Sint-Bernardsesteenweg 1",
        "postal_code": "2020",
        "latitude": kiel.centroid_latitude,
        "longitude": kiel.centroid_longitude,
        "referral_contact_name": "Els",
        "referral_contact_email": "els@example.test",
    }
    values.update(overrides)
    return values


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferPage

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Aanbod {n}")

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        organisation,
        publish: bool = True,
        themes=(),
        extra_costs=(),
        served_networks=(),
        **kwargs,
    ) -> OfferPage:
        data = OfferInput(
            values=offer_values(**kwargs),
            themes=list(themes),
            time_slots=[OfferTimeSlot(weekday=2, start_time=time(14), end_time=time(16))],
            extra_costs=list(extra_costs),
            served_networks=list(served_networks),
        )
        return offer_create(parent=organisation.page, data=data, publish=publish)
