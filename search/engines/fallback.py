"""Elasticsearch first, the database when it fails: a short timeout and a circuit breaker.

The breaker's state lives in Django's cache (Redis in production), so all web workers learn
together that the cluster is down, and a dead cluster costs one short timeout, not one per request.
"""

import logging
import time
from collections.abc import Iterable
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext

from ..query import OfferQuery, SearchResult
from .base import ChangedSince, EngineUnavailable, RebuildReport, SearchEngine

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Opens after ``threshold`` failures in a row and stays open for ``cooldown`` seconds.

    Once the cooldown is over, one caller of the whole site (the first to take the probe) asks the
    engine again; the others keep to the fallback until that probe succeeds or fails, so a dead
    cluster costs one timeout per cooldown, not one per web worker.
    """

    def __init__(self, name: str, *, threshold: int, cooldown: float):
        self.key = f"search:breaker:{name}"
        self.threshold, self.cooldown = threshold, cooldown

    def is_open(self) -> bool:
        """Whether callers must not ask the engine now; taking the probe after a cooldown counts as closed."""
        if cache.get(f"{self.key}:open_until", 0) > time.time():
            return True
        if cache.get(f"{self.key}:failures", 0) < self.threshold:
            return False
        return not cache.add(f"{self.key}:probe", 1, timeout=max(int(self.cooldown), 1))

    def record_failure(self) -> None:
        cache.add(f"{self.key}:failures", 0, timeout=None)
        failures = cache.incr(f"{self.key}:failures")
        if failures >= self.threshold:
            cache.set(f"{self.key}:open_until", time.time() + self.cooldown, timeout=int(self.cooldown) + 1)
            cache.delete(f"{self.key}:probe")

    def record_success(self) -> None:
        cache.delete_many([f"{self.key}:failures", f"{self.key}:open_until", f"{self.key}:probe"])


def breaker_for(engine_name: str) -> CircuitBreaker:
    """The one breaker of an engine, shared by searches in every web worker and index writes in the task worker."""
    return CircuitBreaker(
        engine_name,
        threshold=getattr(settings, "SEARCH_BREAKER_THRESHOLD", 3),
        cooldown=getattr(settings, "SEARCH_BREAKER_COOLDOWN", 30.0),
    )


class FallbackEngine(SearchEngine):
    def __init__(self, *, primary: SearchEngine, fallback: SearchEngine):
        self.primary, self.fallback = primary, fallback
        self.name = primary.name
        self.breaker = breaker_for(primary.name)

    def search(self, query: OfferQuery) -> SearchResult:
        if not self.breaker.is_open():
            try:
                result = self.primary.search(query)
            except EngineUnavailable as error:
                logger.warning("Search falls back to the database: %s", error)
                self.breaker.record_failure()
            else:
                self.breaker.record_success()
                return result
        result = self.fallback.search(query)
        note = gettext("The main search engine is unreachable; these results come from the backup search.")
        return replace(result, degraded=True, notes=[*result.notes, note])

    def index_documents(self, documents: Iterable[dict]) -> int:
        return self.primary.index_documents(documents)

    def remove_documents(self, ids: Iterable[int]) -> None:
        self.primary.remove_documents(ids)

    def indexed_versions(self):
        return self.primary.indexed_versions()

    def rebuild(
        self, documents: Iterable[dict], expected: int, *, changed_since: ChangedSince | None = None
    ) -> RebuildReport:
        return self.primary.rebuild(documents, expected, changed_since=changed_since)
