"""Keeping the search indexes in step with the published catalogue, separate from the models."""

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet

from wagtail.models import Site

from catalogue.models import OfferPage
from catalogue.selectors import catalogue_offers

from .documents import offer_documents
from .engines import indexing_engines
from .engines.base import EngineUnavailable, RebuildReport

logger = logging.getLogger(__name__)
CHUNK_SIZE = 1000


def published_offers() -> QuerySet[OfferPage]:
    return catalogue_offers().live().public()


def iter_documents(offers: QuerySet[OfferPage]) -> Iterator[dict]:
    """Documents in primary-key chunks, so 100k offers never sit in memory at once."""
    site_roots = sorted(
        (site.root_page.url_path for site in Site.objects.select_related("root_page")), key=len, reverse=True
    )
    last_pk = 0
    while True:
        ids = list(offers.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:CHUNK_SIZE])
        if not ids:
            return
        yield from offer_documents(OfferPage.objects.filter(pk__in=ids).order_by("pk"), site_roots=site_roots)
        last_pk = ids[-1]


def index_offers(ids: Iterable[int]) -> None:
    """Index the published ones of these offers and remove the others, on every engine that keeps an index."""
    ids = set(ids)
    live = published_offers().filter(pk__in=ids)
    live_ids = set(live.values_list("pk", flat=True))
    for engine in indexing_engines():
        try:
            engine.index_documents(iter_documents(live))
            engine.remove_documents(ids - live_ids)
        except EngineUnavailable:
            logger.warning(
                "Search engine %s is unreachable; offers %s wait for the next reindex.", engine.name, sorted(ids)
            )


def changed_since(moment: datetime) -> Iterator[dict]:
    """Documents of offers changed after a moment, for catching up after a rebuild."""
    return iter_documents(published_offers().filter(last_published_at__gte=moment))


def reindex_all() -> list[RebuildReport]:
    """Rebuild every engine's index; offers unpublished while an engine was building are removed after."""
    reports = []
    for engine in indexing_engines():
        ids_before = set(published_offers().values_list("pk", flat=True))
        reports.append(engine.rebuild(iter_documents(published_offers()), len(ids_before), changed_since=changed_since))
        gone = ids_before - set(published_offers().values_list("pk", flat=True))
        if gone:
            engine.remove_documents(gone)
    return reports
