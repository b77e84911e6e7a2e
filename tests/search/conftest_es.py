"""Elasticsearch test support: a client that speaks plain JSON, an osmem-server to talk to, canned answers.

Test modules load the fixtures with ``pytest_plugins = ["tests.search.conftest_es"]``; the
documents come from the cases every engine shares (``tests.search.cases``).
"""

from collections.abc import Iterator

import pytest
from elastic_transport import HttpHeaders, NodeApiResponse, Urllib3HttpNode
from elasticsearch import Elasticsearch

from search.es.index import to_source
from search.facets import FACET_GROUPS


class PlainJsonNode(Urllib3HttpNode):
    """Sends plain ``application/json`` instead of the 8.x client's versioned media type.

    osmem-server answers the versioned type with 406; Elasticsearch 8 accepts both, so this node
    exists for tests only.
    """

    def perform_request(
        self, method: str, target: str, body: bytes | None = None, headers: HttpHeaders | None = None, **kwargs
    ) -> NodeApiResponse:
        if headers is not None:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = "application/json"
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def plain_json_client(url: str) -> Elasticsearch:
    """A client for an osmem-server, with the production client's no-retry policy."""
    return Elasticsearch(url, node_class=PlainJsonNode, request_timeout=10, max_retries=0, retry_on_timeout=False)


@pytest.fixture(scope="session")
def es_server() -> Iterator:
    """An osmem-server on a free local port for the whole session; skips only if it cannot be started."""
    osmem_server = pytest.importorskip("osmem_server", reason="the osmem-server package is not installed")
    try:
        server = osmem_server.OsmemServer.start(addr="127.0.0.1:0", japanese=False)
    except (osmem_server.OsmemError, OSError) as error:
        pytest.skip(f"osmem-server could not be started: {error}")
    yield server
    server.close()


@pytest.fixture
def es_cluster(es_server) -> Iterator[Elasticsearch]:
    """A client on an empty cluster of its own for one test: a copy-on-write clone of the session server."""
    clone = es_server.clone()
    yield plain_json_client(clone.url)
    clone.close()


def search_response_body(documents: list[dict], counts: dict[str, dict[str, int]] | None = None) -> dict:
    """What Elasticsearch answers to ``build_search``: these documents as hits, these facet counts."""
    aggregations = {}
    for group in FACET_GROUPS:
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
