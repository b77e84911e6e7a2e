"""A local stand-in for UiTdatabank's Search API v3 (``/events/``, ``/places/``), over real HTTP, for the tests.

It answers in the API's documented paged shape (cultuurnet/search-docs, getting_started/pagination.md): a
hydra ``PagedCollection`` with ``@context``, ``itemsPerPage``, ``totalItems`` and ``member``, paged with
``start`` and ``limit``, at most ``max_limit`` per page however many are asked (as the real API may, which
is why ``itemsPerPage`` says what it gave). ``member`` holds only ``@id`` and ``@type`` unless
``embed=true`` (embedding-full-result-bodies.md). It filters as the real API does on ``organizerId`` (the
document's ``organizer``), ``labels[]`` (``labels`` or ``hiddenLabels``) and ``modifiedFrom`` (the document's
``modified``, else ``created``), and refuses a request without the right ``X-Api-Key`` with 401.

The documents are the tests' own: publiq's public test documents, placed and renumbered by the test
that serves them.
"""

import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.local_http import send_json, serve_in_thread

API_KEY = "00000000-test-4000-8000-uitdatabank0"
ENDPOINTS = {"/events/": "Event", "/places/": "Place"}


def _matches(document: dict, params: dict[str, list[str]]) -> bool:
    organizer = (params.get("organizerId") or [""])[0]
    if organizer:
        held = document.get("organizer") or {}
        if not isinstance(held, dict) or not str(held.get("@id", "")).endswith(f"/{organizer}"):
            return False
    labels = params.get("labels[]") or []
    if labels and not set(labels) & {*document.get("labels", []), *document.get("hiddenLabels", [])}:
        return False
    since = (params.get("modifiedFrom") or [""])[0]
    if since:
        modified = document.get("modified") or document.get("created")
        if not modified or datetime.fromisoformat(modified) < datetime.fromisoformat(since):
            return False
    return True


def answer(kind: str, documents: list[dict], params: dict[str, list[str]], max_limit: int) -> tuple[int, dict]:
    """(HTTP status, body) for one search."""
    try:
        start = int((params.get("start") or ["0"])[0])
        limit = min(int((params.get("limit") or ["30"])[0]), max_limit)
        if (params.get("modifiedFrom") or [""])[0]:
            datetime.fromisoformat(params["modifiedFrom"][0])
    except ValueError as error:
        return 400, {"title": "Bad request", "status": 400, "detail": str(error)}
    found = [document for document in documents if _matches(document, params)]
    page = found[start : start + limit]
    embed = (params.get("embed") or ["false"])[0] == "true"
    return 200, {
        "@context": "http://www.w3.org/ns/hydra/context.jsonld",
        "@type": "PagedCollection",
        "itemsPerPage": limit,
        "totalItems": len(found),
        "member": [document if embed else {"@id": document["@id"], "@type": kind} for document in page],
    }


class SearchApiServer(ThreadingHTTPServer):
    """The server; tests put documents in ``events`` and ``places``. ``delay`` (seconds) makes every answer
    late; ``status_override`` answers with that status every request after the first ``failing_from`` (0: all);
    ``requests`` records each (path, query) asked and ``api_keys`` the X-Api-Key each carried."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.events: list[dict] = []
        self.places: list[dict] = []
        self.max_limit = 3
        self.delay = 0.0
        self.status_override: int | None = None
        self.failing_from = 0
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.api_keys: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: SearchApiServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        params = parse_qs(parts.query)
        self.server.requests.append((parts.path, params))
        key = self.headers.get("X-Api-Key", "")
        self.server.api_keys.append(key)
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.status_override and len(self.server.requests) > self.server.failing_from:
            status = self.server.status_override
            body = {"title": "Internal Server Error", "status": status}
        elif key != API_KEY:
            status, body = 401, {"title": "Unauthorized", "status": 401, "detail": "No valid API key."}
        elif parts.path not in ENDPOINTS:
            status, body = 404, {"title": "Not Found", "status": 404}
        else:
            kind = ENDPOINTS[parts.path]
            documents = self.server.events if kind == "Event" else self.server.places
            status, body = answer(kind, documents, params, self.server.max_limit)
        send_json(self, status, body, "application/ld+json")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        """Quiet: the tests read ``requests`` instead."""


def serve() -> Iterator[SearchApiServer]:
    """Start the API on a free port in a thread; stop it when the generator closes."""
    yield from serve_in_thread(SearchApiServer())
