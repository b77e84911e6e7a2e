"""Factories for users, organisations and offers; organisations and offers go through the services."""

from .catalogue import OfferFactory, offer_values
from .organisations import OrganisationFactory, UserFactory

__all__ = ["OfferFactory", "OrganisationFactory", "UserFactory", "offer_values"]
