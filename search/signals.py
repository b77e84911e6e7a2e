"""Publishing, unpublishing and deleting an offer schedule its indexing after the transaction commits."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.signals import page_published, page_unpublished

from catalogue.models import OfferPage
from catalogue.signals import offer_confirmed, offers_published


def _schedule(pks: list[int]) -> None:
    from .indexer import index_offers

    transaction.on_commit(lambda: index_offers(pks))


def offer_changed(sender, instance, **kwargs) -> None:
    if getattr(settings, "SEARCH_AUTO_INDEX", True):
        _schedule([instance.pk])


def offers_changed(sender, ids, **kwargs) -> None:
    if getattr(settings, "SEARCH_AUTO_INDEX", True):
        _schedule(list(ids))


def connect() -> None:
    page_published.connect(offer_changed, sender=OfferPage, dispatch_uid="search-index-on-publish")
    page_unpublished.connect(offer_changed, sender=OfferPage, dispatch_uid="search-index-on-unpublish")
    post_delete.connect(offer_changed, sender=OfferPage, dispatch_uid="search-index-on-delete")
    offer_confirmed.connect(offer_changed, sender=OfferPage, dispatch_uid="search-index-on-confirm")
    offers_published.connect(offers_changed, sender=OfferPage, dispatch_uid="search-index-on-bulk-publish")
