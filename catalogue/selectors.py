"""Reads of the public catalogue: published offers only, with what a list needs in one query."""

from django.db.models import Q, QuerySet

from .models import Neighbourhood, OfferPage


def public_offers() -> QuerySet[OfferPage]:
    return (
        OfferPage.objects.live()
        .public()
        .select_related("neighbourhood__district", "organisation")
        .prefetch_related("time_slots", "themes")
    )


def recent_offers(*, limit: int) -> list[OfferPage]:
    return list(public_offers().order_by("-first_published_at")[:limit])


def catalogue_list(*, text: str = "", neighbourhood: Neighbourhood | None = None) -> QuerySet[OfferPage]:
    """The resident's catalogue list: a plain text match and a neighbourhood; the real search lives in search/."""
    offers = public_offers()
    if text:
        offers = offers.filter(
            Q(title__icontains=text) | Q(plain_summary__icontains=text) | Q(organisation__name__icontains=text)
        )
    if neighbourhood is not None:
        offers = offers.filter(neighbourhood=neighbourhood)
    return offers.order_by("title")
