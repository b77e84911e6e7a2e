"""Reads of the public catalogue: published offers only, with what a list needs in one query."""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from wagtail.models import Locale

from .models import OfferPage

if TYPE_CHECKING:
    from organisations.models import Network


def catalogue_offers() -> QuerySet[OfferPage]:
    """Offers in the default locale. Offers are never translated (UntranslatablePageMixin); should a copy in
    another locale exist all the same, it stays out of the catalogue, its search and its feeds."""
    return OfferPage.objects.filter(locale=Locale.get_default())


def public_offers() -> QuerySet[OfferPage]:
    return (
        catalogue_offers()
        .live()
        .public()
        .select_related("neighbourhood__district", "organisation")
        .defer("neighbourhood__geometry")
        .prefetch_related("time_slots", "themes")
    )


def network_offer_ids(network: "Network") -> QuerySet[OfferPage]:
    """The ids of the network's offers: placed in one of its municipalities, or offered to it from outside."""
    return OfferPage.objects.filter(Q(municipality__networks=network) | Q(served_networks=network)).values("pk")


def recent_offers(*, limit: int, network: "Network | None" = None) -> list[OfferPage]:
    """The latest published offers; on a network's site, the network's own (see ``network_offer_ids``)."""
    offers = public_offers()
    if network is not None:
        offers = offers.filter(pk__in=network_offer_ids(network))
    return list(offers.order_by("-first_published_at")[:limit])
