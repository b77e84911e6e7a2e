"""Keeping the search indexes in step with the published catalogue, separate from the models."""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from wagtail.models import Site

from catalogue.models import OfferPage
from catalogue.selectors import catalogue_offers

from .documents import offer_documents
from .engines import indexing_engines
from .engines.base import EngineUnavailable, RebuildReport
from .engines.fallback import breaker_for

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


def index_offers(ids: Iterable[int], *, remote: bool | None = None) -> list[str]:
    """Index the published ones of these offers and remove the others, on every engine that keeps an index.

    ``remote`` limits it to the remote engines (True, the task worker's part) or the local one (False).
    A remote engine whose circuit breaker is open is not asked. Returns the names of the engines that
    could not be reached: their writes wait for a retry or the reconciliation.
    """
    ids = set(ids)
    live = published_offers().filter(pk__in=ids)
    live_ids = set(live.values_list("pk", flat=True))
    unreachable = []
    for engine in indexing_engines(remote=remote):
        breaker = breaker_for(engine.name) if engine.remote else None
        if breaker is not None and breaker.is_open():
            unreachable.append(engine.name)
            continue
        try:
            engine.index_documents(iter_documents(live))
            engine.remove_documents(ids - live_ids)
        except EngineUnavailable as error:
            logger.warning("Search engine %s is unreachable (%s); offers %s wait.", engine.name, error, sorted(ids))
            if breaker is not None:
                breaker.record_failure()
            unreachable.append(engine.name)
        else:
            if breaker is not None:
                breaker.record_success()
    return unreachable


def index_after_commit(ids: Iterable[int]) -> None:
    """What a committed write does: the local index now, the remote ones through the task worker.

    The database index is written in the same process, as reliable as the commit itself; a cluster
    is never asked inside a request, so a publish answers as fast when it is down or hanging. It also
    makes sure a reconciliation is waiting, in case a worker killed in the middle of one broke the chain.
    """
    from .tasks import index_remote, schedule_reconciliation

    ids = sorted(set(ids))
    index_offers(ids, remote=False)
    if indexing_engines(remote=True):
        index_remote.enqueue(ids)
    schedule_reconciliation()


@dataclass
class ReconcileReport:
    engine: str
    missing: int = 0
    stale: int = 0
    extra: int = 0
    unreachable: bool = False


def _chunks(ids: set[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK_SIZE):
        yield ordered[start : start + CHUNK_SIZE]


def reconcile() -> list[ReconcileReport]:
    """Compare what each index holds with the published catalogue and repair the difference.

    Missing and stale documents (another live revision or confirmation date) are indexed again,
    extra ones removed. The index is read before the database, so an offer published meanwhile is
    at worst indexed twice, and one that looks extra is checked again before it is removed.
    """
    reports = []
    for engine in indexing_engines():
        report = ReconcileReport(engine=engine.name)
        reports.append(report)
        breaker = breaker_for(engine.name) if engine.remote else None
        if breaker is not None and breaker.is_open():
            report.unreachable = True
            continue
        try:
            held = engine.indexed_versions()
            versions = published_offers().values_list("pk", "live_revision_id", "last_confirmed")
            expected = {pk: (revision, confirmed) for pk, revision, confirmed in versions}
            missing = expected.keys() - held.keys()
            stale = {pk for pk in expected.keys() & held.keys() if held[pk] != expected[pk]}
            extra = held.keys() - expected.keys()
            for chunk in _chunks(missing | stale):
                engine.index_documents(iter_documents(published_offers().filter(pk__in=chunk)))
            for chunk in _chunks(extra):
                still_live = set(published_offers().filter(pk__in=chunk).values_list("pk", flat=True))
                engine.remove_documents(set(chunk) - still_live)
        except EngineUnavailable as error:
            logger.warning("Search engine %s is unreachable (%s); reconciled next time.", engine.name, error)
            if breaker is not None:
                breaker.record_failure()
            report.unreachable = True
            continue
        if breaker is not None:
            breaker.record_success()
        report.missing, report.stale, report.extra = len(missing), len(stale), len(extra)
        if missing or stale or extra:
            logger.warning(
                "Search engine %s repaired: %s missing, %s stale, %s extra documents.",
                engine.name,
                report.missing,
                report.stale,
                report.extra,
            )
    return reports


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
