"""A recording pass-through in front of the real model server: what Turnout sent, and what it was told.

The real tier's judge of what went over the wire: request bodies (caps, formats, and that no sensitive
document reached the cloud side) and the usage the server reported in each answer.
"""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    request: dict[str, Any]
    status: int
    response: dict[str, Any]

    @property
    def answered_chat(self) -> bool:
        return self.path.endswith("/chat/completions") and self.status == 200


class RecordingProxy:
    """Forwards every request to `target` (scheme://host:port) and records it, on a free local port."""

    def __init__(self, target: str):
        parts = urlsplit(target)
        self._target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> RecordingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def chats(self) -> list[Exchange]:
        with self._lock:
            return [e for e in self.exchanges if e.path.endswith("/chat/completions")]

    def clear(self) -> None:
        with self._lock:
            self.exchanges.clear()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._forward()

            def do_POST(self) -> None:
                self._forward()

            def _forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                upstream = http.client.HTTPConnection(*proxy._target, timeout=300)
                headers = {"content-type": self.headers.get("content-type") or "application/json"}
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                upstream.close()
                with proxy._lock:
                    proxy.exchanges.append(
                        Exchange(self.command, self.path, _json(body), answer.status, _json(data))
                    )
                self.send_response(answer.status)
                self.send_header("content-type", answer.getheader("content-type") or "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data) if data else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
