"""Rebuilding the offer index without downtime: build a new timestamped index, check it, swap the alias.

Searches and updates always go through the alias. A rebuild loads every document into a fresh
``<alias>_<UTC timestamp>`` index, refuses to switch when the count is not what the catalogue
holds, moves the alias in one atomic ``update_aliases`` call, keeps the index it replaced for a
rollback, deletes older ones, and finally re-indexes the offers that changed while it was loading.
"""

import re
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, NotFoundError, helpers

from ..engines.base import ChangedSince, RebuildReport
from .index import concrete_index_name, offers_index, to_source

ENGINE_NAME = "elasticsearch"
# Documents per bulk request: a few hundred kilobytes of offers.
CHUNK_SIZE = 500


class RebuildRefused(RuntimeError):
    """The new index was not complete: it has been deleted and the alias still points where it did."""


def index_actions(documents: Iterable[dict], index: str) -> Iterator[dict]:
    """Bulk actions that add or replace each document under its offer id."""
    for document in documents:
        yield {"_op_type": "index", "_index": index, "_id": document["id"], "_source": to_source(document)}


class IndexManager:
    """Builds, checks and swaps the concrete indices behind one alias.

    The client should allow long requests: bulk loads take far longer than a search.
    """

    def __init__(self, client: Elasticsearch, alias: str) -> None:
        self.client = client
        self.alias = alias
        self._timestamped = re.compile(rf"^{re.escape(alias)}_\d{{20}}$")

    def rebuild(
        self, documents: Iterable[dict], expected: int, *, changed_since: ChangedSince | None = None
    ) -> RebuildReport:
        """Build a complete new index and switch the alias to it, only if it holds ``expected`` documents.

        ``changed_since(moment)`` yields the documents of offers changed since ``moment``; they are
        indexed again after the switch, since updates during the build went to the old index.
        """
        clock = time.perf_counter()
        started = datetime.now(UTC)
        index = concrete_index_name(self.alias, started)
        offers_index(index).create(using=self.client)
        try:
            self.load(documents, index)
            count = self.client.count(index=index)["count"]
            if count != expected:
                raise RebuildRefused(
                    f"Index {index} holds {count} documents where {expected} were expected; "
                    f"the alias {self.alias} was not moved."
                )
        except Exception:
            self.client.options(ignore_status=404).indices.delete(index=index)
            raise
        previous = self.aliased_indices()
        self.client.indices.update_aliases(
            actions=[{"remove": {"index": old, "alias": self.alias}} for old in previous]
            + [{"add": {"index": index, "alias": self.alias}}]
        )
        kept = previous[-1] if previous else None
        self.prune(keep={index, kept} if kept else {index})
        if changed_since is not None:
            self.load(changed_since(started), index)
        return RebuildReport(
            engine=ENGINE_NAME,
            index=index,
            documents=count,
            seconds=time.perf_counter() - clock,
            previous_index=kept,
        )

    def load(self, documents: Iterable[dict], index: str) -> int:
        """Bulk-index documents into one concrete index and make them searchable; returns how many."""
        written, _errors = helpers.bulk(self.client, index_actions(documents, index), chunk_size=CHUNK_SIZE)
        self.client.indices.refresh(index=index)
        return written

    def aliased_indices(self) -> list[str]:
        """The concrete indices the alias points at now, oldest first (normally one, none before the first build)."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def timestamped_indices(self) -> list[str]:
        """Every concrete index built for this alias, oldest first."""
        try:
            names = self.client.indices.get_alias(index=f"{self.alias}_*")
        except NotFoundError:
            return []
        return sorted(name for name in names if self._timestamped.match(name))

    def prune(self, *, keep: set[str]) -> None:
        """Delete the indices built for this alias other than ``keep``: older ones and failed builds."""
        for name in self.timestamped_indices():
            if name not in keep:
                self.client.options(ignore_status=404).indices.delete(index=name)
