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
    """Opens after ``threshold`` failures in a row and stays open for ``cooldown`` seconds."""

    def __init__(self, name: str, *, threshold: int, cooldown: float):
        self.key = f"search:breaker:{name}"
        self.threshold, self.cooldown = threshold, cooldown

    def is_open(self) -> bool:
        return cache.get(f"{self.key}:open_until", 0) > time.time()

    def record_failure(self) -> None:
        failures = cache.get(f"{self.key}:failures", 0) + 1
        cache.set(f"{self.key}:failures", failures, timeout=None)
        if failures >= self.threshold:
            cache.set(f"{self.key}:open_until", time.time() + self.cooldown, timeout=int(self.cooldown) + 1)

    def record_success(self) -> None:
        cache.delete_many([f"{self.key}:failures", f"{self.key}:open_until"])


class FallbackEngine(SearchEngine):
    def __init__(self, *, primary: SearchEngine, fallback: SearchEngine):
        self.primary, self.fallback = primary, fallback
        self.name = primary.name
        self.breaker = CircuitBreaker(
            primary.name,
            threshold=getattr(settings, "SEARCH_BREAKER_THRESHOLD", 3),
            cooldown=getattr(settings, "SEARCH_BREAKER_COOLDOWN", 30.0),
        )

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

    def rebuild(
        self, documents: Iterable[dict], expected: int, *, changed_since: ChangedSince | None = None
    ) -> RebuildReport:
        return self.primary.rebuild(documents, expected, changed_since=changed_since)
