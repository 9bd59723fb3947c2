"""The simulators' HTTP/1.1 layer, standard library only: a threading server that counts and can drop
its connections, and a handler that answers in one write (no Nagle stalls) or in chunks.

Nothing here logs: request bodies carry document text, and a traceback could quote one.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import socket
import socketserver
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit


class Served(Protocol):
    """What the server needs of the simulator it serves (ops/simulators/common.py's BaseSimulator)."""

    internal_errors: list[str]

    def handle(self, h: Handler, path: str) -> None: ...

    def common_headers(self) -> dict[str, str]: ...


class Abort(Exception):
    """The simulator is stopping: drop the connection without answering."""


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sim: Served) -> None:
        self.sim = sim
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        self.accepted = 0  # client connections ever opened (keep-alive reuse shows as fewer)
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the FQDN of the host, which can stall for seconds without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._conns_lock:
            (self._conns.add if add else self._conns.discard)(conn)
            self.accepted += add

    def close_connections(self) -> None:
        with self._conns_lock:
            conns, self._conns = list(self._conns), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a traceback could quote a document; the handler records failures in sim.internal_errors


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: SimServer
    body: bytes = b""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        pass

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def do_GET(self) -> None:
        self.sent = False
        try:
            self.body = self._read_body()
            self.server.sim.handle(self, urlsplit(self.path).path)
        except (Abort, OSError):
            self.close_connection = True
        except Exception as exc:  # a simulator bug: answer 500, keep the type name for tests, log nothing
            self.server.sim.internal_errors.append(type(exc).__name__)
            if not self.sent:
                self.send_json(500, {"error": "simulator internal error"})
            self.close_connection = True

    do_POST = do_PUT = do_DELETE = do_HEAD = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(parts)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _head(self, status: int, headers: dict[str, str]) -> bytes:
        lines = [
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
            f"Date: {email.utils.formatdate(usegmt=True)}",
        ]
        lines += [f"{k}: {v}" for k, v in {**self.server.sim.common_headers(), **headers}.items()]
        if self.close_connection:
            lines.append("Connection: close")
        self.sent = True
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def send_bytes(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        head = self._head(
            status, {"Content-Type": content_type, "Content-Length": str(len(body)), **(headers or {})}
        )
        self.wfile.write(head if self.command == "HEAD" else head + body)  # one write: no Nagle stalls

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self.send_bytes(status, dumps(obj), "application/json; charset=utf-8", headers)

    def send_chunked(
        self, status: int, content_type: str, headers: dict[str, str], chunks: Iterable[bytes]
    ) -> None:
        """Stream `chunks` with chunked transfer encoding, so the connection stays reusable."""
        self.wfile.write(
            self._head(status, {"Content-Type": content_type, "Transfer-Encoding": "chunked", **headers})
        )
        for chunk in chunks:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
