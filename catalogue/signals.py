"""Publishing, unpublishing, deleting and confirming an offer record it in the change feed after commit.

The handlers only schedule: ``catalogue.feeds.offer_feed_record`` reads the committed state of the offer,
so the order in which callbacks run, or running one twice, cannot put a wrong state in the feed.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import Signal

from wagtail.signals import page_published, page_unpublished

from .feeds import offer_feed_record
from .models import Area, OfferPage, areas_changed

# Sent with ``instance`` when an organisation confirms an offer is still correct: its content did not
# change, so no page_published is sent, but its "last confirmed" date did.
offer_confirmed = Signal()
# Sent with ``ids`` when many offers were published at once without a save each (``importing.bulk``):
# receivers schedule their work for the whole batch, once, after commit.
offers_published = Signal()


def schedule_feed_record(sender, instance, **kwargs) -> None:
    transaction.on_commit(partial(offer_feed_record, offer_id=instance.pk))


def schedule_feed_records(sender, ids, **kwargs) -> None:
    from .importing.tasks import record_in_feed

    transaction.on_commit(partial(record_in_feed.enqueue, list(ids)))


def schedule_areas_changed(sender, **kwargs) -> None:
    """An area saved or deleted: this process places points by it as soon as it is committed."""
    transaction.on_commit(areas_changed)


def uitdatabank_pull_after_migrate(sender, **kwargs) -> None:
    """A deploy migrates: from then on the worker holds the nightly UiTdatabank pull (``importing.tasks``)."""
    from .importing.tasks import schedule_uitdatabank_pull

    schedule_uitdatabank_pull()


def connect(app_config) -> None:
    post_migrate.connect(
        uitdatabank_pull_after_migrate, sender=app_config, dispatch_uid="catalogue-uitdatabank-pull-on-migrate"
    )
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(schedule_areas_changed, sender=Area, dispatch_uid=f"catalogue-areas-changed-{name}")
    offers_published.connect(schedule_feed_records, sender=OfferPage, dispatch_uid="catalogue-offers-feed-published")
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("deleted", post_delete),
        ("confirmed", offer_confirmed),
    ):
        signal.connect(schedule_feed_record, sender=OfferPage, dispatch_uid=f"catalogue-offer-feed-{name}")
