"""Reads of the public catalogue: published offers only, with what a list needs in one query."""

from django.db.models import QuerySet

from .models import OfferPage


def public_offers() -> QuerySet[OfferPage]:
    return (
        OfferPage.objects.live()
        .public()
        .select_related("neighbourhood__district", "organisation")
        .defer("neighbourhood__geometry")
        .prefetch_related("time_slots", "themes")
    )


def recent_offers(*, limit: int) -> list[OfferPage]:
    return list(public_offers().order_by("-first_published_at")[:limit])
