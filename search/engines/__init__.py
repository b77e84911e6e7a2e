"""Choosing the engine from settings: Elasticsearch with the database as fallback, or the database alone."""

from django.conf import settings

from .base import SearchEngine
from .database import DatabaseEngine
from .fallback import FallbackEngine


def elasticsearch_configured() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def get_engine() -> SearchEngine:
    """The engine that answers searches; views and the API never ask which one it is."""
    if elasticsearch_configured():
        from .elasticsearch import ElasticsearchEngine

        return FallbackEngine(primary=ElasticsearchEngine(), fallback=DatabaseEngine())
    return DatabaseEngine()


def indexing_engines(*, remote: bool | None = None) -> list[SearchEngine]:
    """Every engine that keeps an index; the database index is always kept, as the fallback.

    ``remote`` picks only the engines written by the task worker (True) or only the local one (False).
    """
    engines: list[SearchEngine] = [DatabaseEngine()]
    if elasticsearch_configured():
        from .elasticsearch import ElasticsearchEngine

        engines.append(ElasticsearchEngine())
    return [engine for engine in engines if remote is None or engine.remote == remote]
