"""Publishing, unpublishing and deleting an offer schedule its indexing after the transaction commits."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.signals import page_published, page_unpublished

from catalogue.models import OfferPage


def _schedule(pk: int) -> None:
    from .indexer import index_offers

    transaction.on_commit(lambda: index_offers([pk]))


def offer_changed(sender, instance, **kwargs) -> None:
    if getattr(settings, "SEARCH_AUTO_INDEX", True):
        _schedule(instance.pk)


def connect() -> None:
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(
            offer_changed, sender=OfferPage, dispatch_uid=f"search-index-{signal.__class__.__name__}-{id(signal)}"
        )
