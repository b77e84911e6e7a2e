"""The Elasticsearch engine with a fake client or a fake server: it gives up fast, with EngineUnavailable."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig, ObjectApiResponse
from elasticsearch import (
    ApiError,
    BadRequestError,
    ConnectionError,
    ConnectionTimeout,
    Elasticsearch,
    NotFoundError,
)
from elasticsearch.dsl import Search
from elasticsearch.dsl.response import Response

from search.engines.base import EngineUnavailable
from search.engines.elasticsearch import ElasticsearchEngine
from search.es.index import to_source
from search.es.query_builder import raw_counts
from search.filters import FACET_FILTERS
from search.query import OfferQuery

from .cases import CENTRAAL, DOCUMENTS


def meta(status: int) -> ApiResponseMeta:
    headers = HttpHeaders({"content-type": "application/json", "x-elastic-product": "Elasticsearch"})
    return ApiResponseMeta(status, "1.1", headers, 0.01, NodeConfig("http", "localhost", 9200))


def search_response_body(documents: list[dict], counts: dict[str, dict[str, int]] | None = None) -> dict:
    """What Elasticsearch answers to ``build_search``: these documents as hits, these facet counts."""
    aggregations = {}
    for group in FACET_FILTERS:
        values = (counts or {}).get(group.name, {})
        if group.kind == "terms":  # a terms aggregation; numeric fields come back with numeric keys
            buckets = [{"key": int(value) if value.isdigit() else value, "doc_count": n} for value, n in values.items()]
        else:  # a filters aggregation, keyed by name
            buckets = {value: {"doc_count": n} for value, n in values.items()}
        aggregations[group.name] = {"doc_count": sum(values.values()), "counts": {"buckets": buckets}}
    hits = [
        {"_index": "test_offers_1", "_id": str(document["id"]), "_score": 1.5, "_source": to_source(document)}
        for document in documents
    ]
    return {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": 1.5, "hits": hits},
        "aggregations": aggregations,
    }


def fake_client() -> mock.Mock:
    client = mock.create_autospec(Elasticsearch, instance=True)
    client.options.return_value = client
    return client


# A fake client


@pytest.mark.parametrize(
    "error",
    [
        ConnectionError("Connection refused"),
        ConnectionTimeout("Read timed out"),
        ApiError("service_unavailable", meta=meta(503), body={"status": 503}),
        ApiError("internal_server_error", meta=meta(500), body={"status": 500}),
        NotFoundError("index_not_found_exception", meta=meta(404), body={"status": 404}),
    ],
    ids=["connection refused", "timeout", "HTTP 503", "HTTP 500", "no index yet"],
)
def test_search_failures_are_unavailable_after_one_attempt(error):
    """Error case: whatever keeps the cluster from answering becomes EngineUnavailable, tried once."""
    client = fake_client()
    client.search.side_effect = error
    with pytest.raises(EngineUnavailable):
        ElasticsearchEngine(client, alias="test_offers").search(OfferQuery())
    assert client.search.call_count == 1


def test_a_bad_request_is_a_bug_not_an_outage():
    """Error case: a query the cluster refuses (400) is raised as is, not hidden behind the fallback."""
    client = fake_client()
    client.search.side_effect = BadRequestError("parsing_exception", meta=meta(400), body={"status": 400})
    with pytest.raises(BadRequestError):
        ElasticsearchEngine(client, alias="test_offers").search(OfferQuery())


def test_raw_counts_read_terms_and_filters_buckets():
    counts = {"domains": {"sport": 3}, "weekdays": {"2": 4}, "max_cost": {"0": 1, "5": 3}}
    raw = raw_counts(Response(Search(), search_response_body([], counts)))
    assert raw["domains"] == {"sport": 3}
    assert raw["weekdays"] == {"2": 4}
    assert raw["max_cost"] == {"0": 1, "5": 3}
    assert raw["accessibility"] == {}


@pytest.mark.django_db
def test_search_builds_the_result_from_the_response():
    """Hits come from the stored documents with the client's cost and the distance; facets are labelled."""
    client = fake_client()
    counts = {"domains": {"sport": 2, "culture": 1}, "max_cost": {"5": 1, "10": 2}}
    client.search.return_value = ObjectApiResponse(search_response_body(DOCUMENTS[:2], counts), meta(200))
    query = OfferQuery(text="voetbal", has_uitpas=True, near=CENTRAAL, domains=("sport",))

    result = ElasticsearchEngine(client, alias="test_offers").search(query)

    assert client.search.call_args.kwargs["index"] == ["test_offers"]
    assert (result.engine, result.total, [hit.id for hit in result.hits]) == ("elasticsearch", 2, [1, 2])
    assert result.hits[0].cost_for_client == Decimal("12")
    assert result.hits[0].score == 1.5
    assert 3 < result.hits[0].distance_km < 4
    assert [(value.value, value.count, value.selected) for value in result.facets["domains"]] == [
        ("culture", 1, False),
        ("sport", 2, True),
    ]
    assert [value.value for value in result.facets["max_cost"]] == ["5", "10"]
    assert result.took_ms >= 0


def test_removing_nothing_sends_nothing():
    client = fake_client()
    ElasticsearchEngine(client, alias="test_offers").remove_documents([])
    client.bulk.assert_not_called()


def test_the_url_setting_is_required():
    """Error case: without ELASTICSEARCH_URL the engine refuses to start rather than failing on every search."""
    with override_settings(ELASTICSEARCH_URL=""), pytest.raises(ImproperlyConfigured):
        ElasticsearchEngine()


# A real client from the settings, against fake servers on this machine


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        super().__init__(("127.0.0.1", 0), handler)
        self.requests = 0
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Answers503(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the name http.server calls)
        self.server.requests += 1
        body = b'{"error": {"type": "unavailable"}, "status": 503}'
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Quiet."""


class NeverAnswers(Answers503):
    def do_POST(self):  # noqa: N802
        self.server.requests += 1
        self.server.release.wait(timeout=10)


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[RecordingServer]:
    server = RecordingServer(handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join()


def free_port() -> int:
    """A local port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def engine_for(url: str) -> ElasticsearchEngine:
    with override_settings(ELASTICSEARCH_URL=url, ELASTICSEARCH_TIMEOUT=0.2):
        return ElasticsearchEngine(alias="test_offers")


def test_connection_refused_is_unavailable():
    """Error case: nothing listens at the configured address."""
    with pytest.raises(EngineUnavailable):
        engine_for(f"http://127.0.0.1:{free_port()}").search(OfferQuery())


def test_writes_to_an_unreachable_cluster_are_unavailable():
    """Error case: the indexer can tell "try again at the next reindex" from a bug."""
    engine = engine_for(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(EngineUnavailable):
        engine.index_documents(DOCUMENTS[:1])
    with pytest.raises(EngineUnavailable):
        engine.remove_documents([1])


def test_a_silent_server_times_out_once():
    """Error case: the cluster accepts but does not answer; the client waits ELASTICSEARCH_TIMEOUT once, no retry."""
    with serving(NeverAnswers) as server:
        with pytest.raises(EngineUnavailable, match="timed out"):
            engine_for(server.url).search(OfferQuery())
        assert server.requests == 1


def test_http_503_is_unavailable_without_retry():
    """Error case: 503 is one of the transport's retry statuses; with max_retries=0 it is asked once."""
    with serving(Answers503) as server:
        with pytest.raises(EngineUnavailable):
            engine_for(server.url).search(OfferQuery())
        assert server.requests == 1


def test_the_client_follows_the_settings():
    with override_settings(ELASTICSEARCH_URL="http://elasticsearch:9200", ELASTICSEARCH_TIMEOUT=0.3):
        client = ElasticsearchEngine().client
    assert [node.config.host for node in client.transport.node_pool.all()] == ["elasticsearch"]
    assert (client._request_timeout, client._max_retries, client._retry_on_timeout) == (0.3, 0, False)
