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


def indexing_engines() -> list[SearchEngine]:
    """Every engine that keeps an index; the database index is always kept, as the fallback."""
    engines: list[SearchEngine] = [DatabaseEngine()]
    if elasticsearch_configured():
        from .elasticsearch import ElasticsearchEngine

        engines.append(ElasticsearchEngine())
    return engines
