"""The Elasticsearch engine: the offer search on an Elasticsearch 8 cluster, behind the one engine interface.

It answers within ``ELASTICSEARCH_TIMEOUT`` seconds or not at all: the client never retries, and
every connection failure, timeout or server error becomes ``EngineUnavailable``, so the fallback
engine answers instead. A missing index (nothing built yet) counts as unavailable too. It is a
remote engine: its documents are written by the task worker (``search.tasks``), each request
within ``ELASTICSEARCH_WRITE_TIMEOUT`` seconds; only a full rebuild (a command) waits longer.
"""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, UnsupportedProductError, helpers
from elasticsearch.helpers import BulkIndexError

from ..es.index import alias_name
from ..es.index_manager import IndexManager, index_actions
from ..es.query_builder import build_search, over_budget, raw_counts
from ..query import OfferQuery, SearchResult, Sort
from ..results import facet_values
from ..text import search_words
from .base import ChangedSince, EngineUnavailable, IndexedVersion, RebuildReport, SearchEngine, build_hit

# Seconds a full rebuild's requests may take: creating an index and loading it in bulk.
REBUILD_TIMEOUT = 60.0


def client_from_settings() -> Elasticsearch:
    """A client that gives up after one attempt of ``ELASTICSEARCH_TIMEOUT`` seconds."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        raise ImproperlyConfigured("ELASTICSEARCH_URL is not set; the Elasticsearch engine needs it.")
    return Elasticsearch(
        url,
        request_timeout=getattr(settings, "ELASTICSEARCH_TIMEOUT", 0.5),
        max_retries=0,
        retry_on_timeout=False,
    )


@contextmanager
def unavailable_on_failure() -> Iterator[None]:
    """Turn "the cluster cannot answer" into ``EngineUnavailable``; a bad request stays an error."""
    try:
        yield
    except TransportError as error:  # connection refused or reset, timeout, TLS, unreadable answer
        raise EngineUnavailable(f"Elasticsearch did not answer: {error}") from error
    except ApiError as error:
        if isinstance(error, NotFoundError | UnsupportedProductError) or error.meta.status >= 500:
            raise EngineUnavailable(f"Elasticsearch cannot answer: {error}") from error
        raise


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"
    remote = True

    def __init__(self, client: Elasticsearch | None = None, *, alias: str | None = None) -> None:
        self.client = client if client is not None else client_from_settings()
        self.alias = alias or alias_name()

    @property
    def writer(self) -> Elasticsearch:
        """The same client with a little more room for a worker's bulk writes of a few offers."""
        return self.client.options(request_timeout=getattr(settings, "ELASTICSEARCH_WRITE_TIMEOUT", 5.0))

    def search(self, query: OfferQuery) -> SearchResult:
        started = time.perf_counter()
        today = timezone.localdate()
        search = build_search(query, today).using(self.client).index(self.alias)
        with unavailable_on_failure():
            response = search.execute()
        # Like the embedded engine, a score only means something for a text search ranked by relevance.
        scored = query.sort == Sort.RELEVANCE and bool(search_words(query.text))
        hits = [
            build_hit(hit.to_dict(), query, score=hit.meta.score if scored else None, today=today) for hit in response
        ]
        return SearchResult(
            hits=hits,
            total=response.hits.total.value,
            facets=facet_values(raw_counts(response), query),
            engine=self.name,
            took_ms=(time.perf_counter() - started) * 1000,
            query=query,
            over_budget=over_budget(response),
        )

    def index_documents(self, documents: Iterable[dict]) -> int:
        """Add or replace documents through the alias.

        ``require_alias`` keeps Elasticsearch from creating a stray index with a guessed mapping
        when no index has been built yet; that case is reported as unavailable instead.
        """
        with unavailable_on_failure():
            try:
                written, _errors = helpers.bulk(self.writer, index_actions(documents, self.alias), require_alias=True)
            except BulkIndexError as error:
                if all(result.get("status") == 404 for item in error.errors for result in item.values()):
                    raise EngineUnavailable(f"No index behind {self.alias} yet; run a rebuild.") from error
                raise
        return written

    def indexed_versions(self) -> dict[int, IndexedVersion]:
        """The ids and versions behind the alias, read with a scroll (no index yet: unavailable).

        ``scan`` sets its own request timeout on the client, none unless given: it is given the writer's.
        """
        with unavailable_on_failure():
            hits = helpers.scan(
                self.client,
                index=self.alias,
                query={"_source": ["revision", "last_confirmed"]},
                size=5000,
                request_timeout=getattr(settings, "ELASTICSEARCH_WRITE_TIMEOUT", 5.0),
            )
            return {
                int(hit["_id"]): (
                    hit["_source"].get("revision"),
                    date.fromisoformat(hit["_source"]["last_confirmed"][:10]),
                )
                for hit in hits
            }

    def remove_documents(self, ids: Iterable[int]) -> None:
        """Delete documents by offer id; ones already gone (or no index at all) are no error."""
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in ids]
        if not actions:
            return
        with unavailable_on_failure():
            helpers.bulk(self.writer, actions, ignore_status=404)

    def rebuild(
        self, documents: Iterable[dict], expected: int, *, changed_since: ChangedSince | None = None
    ) -> RebuildReport:
        """Build a new index beside the live one and switch over when complete (see ``search.es.index_manager``)."""
        with unavailable_on_failure():
            builder = self.client.options(request_timeout=REBUILD_TIMEOUT)
            return IndexManager(builder, self.alias).rebuild(documents, expected, changed_since=changed_since)
