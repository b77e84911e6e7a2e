"""Reads of the public catalogue: published offers only, with what a list needs in one query."""

from django.db.models import QuerySet

from wagtail.models import Locale

from .models import OfferPage


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


def recent_offers(*, limit: int) -> list[OfferPage]:
    return list(public_offers().order_by("-first_published_at")[:limit])
