"""Publishing, unpublishing and deleting an offer schedule its indexing after the transaction commits.

``migrate`` also queues the periodic reconciliation for the task worker, so every deploy starts it.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate

from wagtail.signals import page_published, page_unpublished

from catalogue.models import OfferPage
from catalogue.signals import offer_confirmed, offers_published


def _schedule(pks: list[int]) -> None:
    from .indexer import index_after_commit

    transaction.on_commit(lambda: index_after_commit(pks))


def offer_changed(sender, instance, **kwargs) -> None:
    if getattr(settings, "SEARCH_AUTO_INDEX", True):
        _schedule([instance.pk])


def offers_changed(sender, ids, **kwargs) -> None:
    if getattr(settings, "SEARCH_AUTO_INDEX", True):
        _schedule(list(ids))


def reconciliation_after_migrate(sender, **kwargs) -> None:
    from .tasks import schedule_reconciliation

    schedule_reconciliation()


def connect(app_config) -> None:
    post_migrate.connect(reconciliation_after_migrate, sender=app_config, dispatch_uid="search-reconcile-on-migrate")
    page_published.connect(offer_changed, sender=OfferPage, dispatch_uid="search-index-on-publish")
    page_unpublished.connect(offer_changed, sender=OfferPage, dispatch_uid="search-index-on-unpublish")
    post_delete.connect(offer_changed, sender=OfferPage, dispatch_uid="search-index-on-delete")
    offer_confirmed.connect(offer_changed, sender=OfferPage, dispatch_uid="search-index-on-confirm")
    offers_published.connect(offers_changed, sender=OfferPage, dispatch_uid="search-index-on-bulk-publish")
