"""When the main engine fails, the embedded engine answers, says so, and the breaker stops retrying."""

import pytest

from search.engines import fallback
from search.engines.base import EngineUnavailable, SearchEngine
from search.engines.database import DatabaseEngine
from search.engines.fallback import FallbackEngine
from search.query import OfferQuery

from .cases import DOCUMENTS

pytestmark = pytest.mark.django_db


class BrokenEngine(SearchEngine):
    """A primary engine that fails every search, counting how often it was asked."""

    name = "elasticsearch"

    def __init__(self):
        self.calls = 0

    def search(self, query):
        self.calls += 1
        raise EngineUnavailable("connection refused")

    def index_documents(self, documents):
        raise EngineUnavailable("connection refused")

    def remove_documents(self, ids):
        raise EngineUnavailable("connection refused")

    def rebuild(self, documents, expected):
        raise EngineUnavailable("connection refused")


@pytest.fixture
def database() -> DatabaseEngine:
    engine = DatabaseEngine()
    engine.index_documents(DOCUMENTS)
    return engine


def test_a_failing_primary_is_answered_by_the_database_in_degraded_mode(database, settings):
    settings.SEARCH_BREAKER_THRESHOLD = 3
    engine = FallbackEngine(primary=BrokenEngine(), fallback=database)
    result = engine.search(OfferQuery(domains=("sport",)))
    assert result.engine == "database"
    assert result.degraded
    assert result.notes
    assert {hit.id for hit in result.hits} == {1, 2, 4}


def test_the_breaker_opens_after_the_threshold_and_spares_the_dead_cluster(database, settings):
    settings.SEARCH_BREAKER_THRESHOLD = 3
    primary = BrokenEngine()
    engine = FallbackEngine(primary=primary, fallback=database)
    for _ in range(10):
        assert engine.search(OfferQuery()).degraded
    assert primary.calls == 3


def test_the_breaker_closes_again_after_its_cooldown(database, settings, monkeypatch):
    """Open, the breaker spares the cluster for its whole cooldown; after it, the cluster is asked again."""
    settings.SEARCH_BREAKER_THRESHOLD = 1
    settings.SEARCH_BREAKER_COOLDOWN = 30.0
    now = [1_000_000.0]
    monkeypatch.setattr(fallback.time, "time", lambda: now[0])
    primary = BrokenEngine()
    engine = FallbackEngine(primary=primary, fallback=database)
    engine.search(OfferQuery())
    now[0] += 29
    engine.search(OfferQuery())
    assert primary.calls == 1
    now[0] += 2
    engine.search(OfferQuery())
    assert primary.calls == 2


def test_a_healthy_primary_answers_itself(database):
    engine = FallbackEngine(primary=database, fallback=BrokenEngine())
    result = engine.search(OfferQuery())
    assert not result.degraded and result.engine == "database"


@pytest.mark.parametrize("failure", ["closed port", "no answer", "HTTP 503"])
def test_the_search_page_answers_from_the_database_when_elasticsearch_fails(client, database, settings, failure):
    """Error case: Elasticsearch is unreachable, silent or overloaded; the page still answers, in degraded mode."""
    from django.urls import reverse

    from .test_es_engine import Answers503, NeverAnswers, free_port, serving

    settings.ELASTICSEARCH_TIMEOUT = 0.2
    params = {"domains": "sport"}
    if failure == "closed port":
        settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{free_port()}"
        response = client.get(reverse("search:public"), params)
    else:
        with serving(NeverAnswers if failure == "no answer" else Answers503) as server:
            settings.ELASTICSEARCH_URL = server.url
            response = client.get(reverse("search:public"), params)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="notice"' in content
    for pk in (1, 2, 4):
        assert f"/partners/test/aanbod-{pk}/" in content
