"""Elasticsearch test fixtures: an osmem-server, clusters cloned from it, and a client that speaks plain JSON.

Test modules load them with ``pytest_plugins = ["tests.search.conftest_es"]`` and import nothing
from here (pytest warns about a plugin module that was imported before it registered it); the
documents come from the cases every engine shares (``tests.search.cases``).
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch


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


@contextmanager
def cloned_cluster(server) -> Iterator[Elasticsearch]:
    """A client on an empty cluster of its own: a copy-on-write clone of the session server."""
    clone = server.clone()
    try:
        yield plain_json_client(clone.url)
    finally:
        clone.close()


@pytest.fixture
def es_cluster(es_server) -> Iterator[Elasticsearch]:
    """An empty cluster for one test."""
    with cloned_cluster(es_server) as client:
        yield client


@pytest.fixture(scope="module")
def es_module_cluster(es_server) -> Iterator[Elasticsearch]:
    """An empty cluster shared by the tests of one module, for data they only read."""
    with cloned_cluster(es_server) as client:
        yield client
