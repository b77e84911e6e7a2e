"""What the suite's local stand-ins for outside services share: a JSON answer, and a server run in a thread."""

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

Server = TypeVar("Server", bound=ThreadingHTTPServer)


def send_json(handler: BaseHTTPRequestHandler, status: int, body: dict, content_type: str) -> None:
    """Answer with ``body`` as JSON; errors go out as problem+json, as the real services send them."""
    content = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", content_type if status == 200 else "application/problem+json")
    handler.send_header("Content-Length", str(len(content)))
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
        handler.wfile.write(content)


def serve_in_thread(server: Server) -> Iterator[Server]:
    """Run ``server`` on its port in a thread; stop it when the generator closes."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
