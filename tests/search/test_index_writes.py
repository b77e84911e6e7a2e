"""Index writes after commit: the database index at once, a cluster only through the worker, and reconciliation."""

from unittest import mock

from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from search.engines.base import EngineUnavailable, SearchEngine
from search.engines.database import DatabaseEngine
from search.engines.fallback import breaker_for
from search.indexer import index_after_commit, index_offers, reconcile
from search.models import OfferDocument
from search.query import OfferQuery
from search.tasks import index_remote, reconcile_indexes, schedule_reconciliation
from tests.factories.catalogue import OfferFactory

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Cluster(SearchEngine):
    """A remote engine that keeps documents in memory, or refuses every request while ``down``."""

    name = "elasticsearch"
    remote = True

    def __init__(self):
        self.documents: dict[int, dict] = {}
        self.down = False
        self.requests = 0

    def _ask(self):
        self.requests += 1
        if self.down:
            raise EngineUnavailable("connection refused")

    def search(self, query):
        raise NotImplementedError

    def index_documents(self, documents):
        self._ask()
        documents = list(documents)
        self.documents.update({document["id"]: document for document in documents})
        return len(documents)

    def remove_documents(self, ids):
        self._ask()
        for pk in ids:
            self.documents.pop(pk, None)

    def indexed_versions(self):
        self._ask()
        return {pk: (document["revision"], document["last_confirmed"]) for pk, document in self.documents.items()}

    def rebuild(self, documents, expected, *, changed_since=None):
        raise NotImplementedError


@pytest.fixture
def cluster():
    cluster = Cluster()

    def engines(*, remote=None):
        return [engine for engine in (DatabaseEngine(), cluster) if remote is None or engine.remote == remote]

    with mock.patch("search.indexer.indexing_engines", engines):
        yield cluster


def indexed_ids() -> set[int]:
    return set(OfferDocument.objects.values_list("offer_id", flat=True))


def test_a_committed_write_indexes_the_database_now_and_queues_the_cluster(settings, cluster, partner_a):
    """A publish writes the database index in the request and only queues the cluster's write for the worker."""
    settings.TASKS = DATABASE_QUEUE
    offer = OfferFactory(organisation=partner_a)
    cluster.requests = 0
    index_after_commit([offer.pk])
    assert offer.pk in indexed_ids()
    assert cluster.requests == 0 and offer.pk not in cluster.documents
    [queued] = DBTaskResult.objects.filter(task_path="search.tasks.index_remote")
    assert queued.args_kwargs["args"] == [[offer.pk]]


def test_the_worker_writes_the_cluster(cluster, partner_a):
    offer = OfferFactory(organisation=partner_a)
    assert index_remote.call([offer.pk]) == []
    assert cluster.documents[offer.pk]["title"] == offer.title


def test_an_unreachable_cluster_is_tried_again_later(settings, cluster, partner_a):
    """Error case: the cluster refuses; the worker queues the same write again after the first delay."""
    settings.TASKS = DATABASE_QUEUE
    settings.SEARCH_INDEX_RETRY_DELAYS = [30]
    offer = OfferFactory(organisation=partner_a)
    DBTaskResult.objects.all().delete()
    cluster.down = True
    assert index_remote.call([offer.pk]) == ["elasticsearch"]
    [retry] = DBTaskResult.objects.filter(task_path="search.tasks.index_remote")
    assert retry.args_kwargs == {"args": [[offer.pk]], "kwargs": {"attempt": 2}}
    assert retry.run_after > timezone.now() + timezone.timedelta(seconds=20)


def test_after_the_last_attempt_the_reconciliation_is_queued(settings, cluster, partner_a):
    """Error case: when the retries are used up the offer waits for the reconciliation, which is queued."""
    settings.TASKS = DATABASE_QUEUE
    settings.SEARCH_INDEX_RETRY_DELAYS = []
    offer = OfferFactory(organisation=partner_a)
    DBTaskResult.objects.all().delete()
    cluster.down = True
    index_remote.call([offer.pk])
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == ["search.tasks.reconcile_indexes"]


def test_an_open_breaker_spares_the_cluster(settings, cluster, partner_a):
    """A cluster that failed the threshold's times is not asked again until the cooldown is over."""
    settings.SEARCH_BREAKER_THRESHOLD = 2
    settings.SEARCH_BREAKER_COOLDOWN = 60
    offer = OfferFactory(organisation=partner_a)
    cluster.down, cluster.requests = True, 0
    for _ in range(5):
        assert index_offers([offer.pk], remote=True) == ["elasticsearch"]
    assert cluster.requests == 2 and breaker_for("elasticsearch").is_open()


def test_after_the_cooldown_one_probe_asks_for_the_whole_site(settings):
    """Once the cooldown is over one caller probes the cluster; the others keep away until it answers."""
    settings.SEARCH_BREAKER_THRESHOLD = 1
    settings.SEARCH_BREAKER_COOLDOWN = 0
    breaker = breaker_for("elasticsearch")
    breaker.record_failure()
    assert [breaker.is_open() for _ in range(3)] == [False, True, True]
    breaker.record_success()
    assert not breaker.is_open()


def test_reconciliation_repairs_missing_stale_and_extra_documents(cluster, partner_a):
    """A document removed behind the portal's back, one of an older version and one of a draft are all repaired."""
    removed, stale, kept = (OfferFactory(organisation=partner_a, title=title) for title in ("Weg", "Oud", "Goed"))
    draft = OfferFactory(organisation=partner_a, title="Ontwerp", publish=False)
    index_offers([removed.pk, stale.pk, kept.pk])
    OfferDocument.objects.filter(offer_id=removed.pk).delete()
    cluster.documents.pop(removed.pk)
    older = OfferDocument.objects.get(offer_id=stale.pk).document
    OfferDocument.objects.filter(offer_id=stale.pk).update(document={**older, "revision": -1})
    cluster.documents[stale.pk]["revision"] = -1
    DatabaseEngine().index_documents([{**cluster.documents[kept.pk], "id": draft.pk}])
    cluster.documents[draft.pk] = {**cluster.documents[kept.pk], "id": draft.pk}

    reports = reconcile()

    assert [(r.engine, r.missing, r.stale, r.extra) for r in reports] == [
        ("database", 1, 1, 1),
        ("elasticsearch", 1, 1, 1),
    ]
    assert indexed_ids() == set(cluster.documents) == {removed.pk, stale.pk, kept.pk}
    assert cluster.documents[stale.pk]["revision"] == stale.live_revision_id
    assert removed.pk in {hit.id for hit in DatabaseEngine().search(OfferQuery(text="Weg")).hits}
    assert [(r.missing, r.stale, r.extra) for r in reconcile()] == [(0, 0, 0), (0, 0, 0)]


def test_reconciliation_of_an_unreachable_cluster_still_repairs_the_database(cluster, partner_a):
    """Error case: the cluster is down; the database index is repaired and the cluster is reported unreachable."""
    offer = OfferFactory(organisation=partner_a)
    OfferDocument.objects.filter(offer_id=offer.pk).delete()
    cluster.down = True
    reports = reconcile()
    assert [(r.engine, r.unreachable) for r in reports] == [("database", False), ("elasticsearch", True)]
    assert offer.pk in indexed_ids()


def test_the_reconciliation_queues_its_next_run_once(settings):
    """The periodic reconciliation keeps one run waiting in the queue, never two; inline tasks queue none."""
    assert schedule_reconciliation() is False
    settings.TASKS = DATABASE_QUEUE
    settings.SEARCH_RECONCILE_INTERVAL = 600
    DBTaskResult.objects.all().delete()
    assert schedule_reconciliation() is True and schedule_reconciliation() is False
    [waiting] = DBTaskResult.objects.all()
    assert waiting.task_path == "search.tasks.reconcile_indexes"
    assert waiting.run_after > timezone.now() + timezone.timedelta(seconds=590)
    waiting.delete()
    reconcile_indexes.call()
    assert DBTaskResult.objects.filter(task_path="search.tasks.reconcile_indexes").count() == 1
