"""A lean HTTP/1.1 transport for the official `ollama` client, on plain-HTTP hosts.

The `ollama` client is an `httpx.Client`; its default transport (httpcore + h11) costs about 0.4 ms of
CPU per request on our 2-core reference machine, a third of the whole call, and writes the headers and
the body separately. Ollama's API is plain request/response JSON over HTTP/1.1: this transport writes
each request in one `sendall` on a kept-alive socket (one per thread and host: a local-pool thread holds
one Ollama slot at a time, so connections never exceed threads x hosts) and reads the answer with the
standard library's `http.client.HTTPResponse`. Everything above the transport (the client's headers,
redirects, status handling, the `ollama` client's parsing) is httpx's and ollama's, unchanged.

It behaves as httpx's own transport does where it matters:
- a request is never sent twice: a kept-alive socket the server has closed while idle is noticed before
  it is reused (it polls readable), and any failure once the request is on the wire is raised;
- failures are the httpx exceptions callers already handle (ConnectError, ConnectTimeout, WriteTimeout,
  ReadTimeout, RemoteProtocolError, ReadError), and the socket is dropped after any of them;
- each request's own timeouts apply (connect, write, read);
- anything that is not plain HTTP (a redirect to https) goes through httpx's default transport.
Hosts behind a proxy from the environment keep httpx's transport altogether (worker/backends/ollama.py).
"""

from __future__ import annotations

import http.client
import select
import socket
import threading
from typing import Any

import httpx

_SKIPPED_HEADERS = {b"transfer-encoding", b"content-length"}  # the body is sent whole, with its length


class _Socket:
    """One kept-alive connection to a host, used by one thread at a time."""

    def __init__(self, host: str, port: int):
        self.address = (host, port)
        self.sock: socket.socket | None = None

    def open(self, connect_s: float | None) -> socket.socket:
        self.sock = socket.create_connection(self.address, timeout=connect_s)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.sock

    def closed_by_server(self) -> bool:
        """An idle kept-alive socket that polls readable holds EOF (or junk): it cannot be reused."""
        assert self.sock is not None
        readable, _, _ = select.select([self.sock], [], [], 0)
        return bool(readable)

    def close(self) -> None:
        sock, self.sock = self.sock, None
        if sock is not None:
            sock.close()


class KeepAliveTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self._local = threading.local()
        self._sockets: list[_Socket] = []
        self._sockets_lock = threading.Lock()
        self._fallback: httpx.HTTPTransport | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme != "http":
            return self._other(request)
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        wire = _serialize(request)
        conn = self._socket(request.url)
        try:
            sock = self._ready(conn, request, timeouts.get("connect"))
            sock.settimeout(timeouts.get("write"))
            try:
                sock.sendall(wire)
            except TimeoutError:
                raise httpx.WriteTimeout("timed out sending the request", request=request) from None
            except OSError as exc:
                raise httpx.WriteError(f"{type(exc).__name__} sending the request", request=request) from None
            sock.settimeout(timeouts.get("read"))
            response = http.client.HTTPResponse(sock, method=request.method)
            try:
                response.begin()
                content = response.read()
            except TimeoutError:
                raise httpx.ReadTimeout("timed out waiting for the answer", request=request) from None
            except http.client.RemoteDisconnected:
                raise httpx.RemoteProtocolError(
                    "server disconnected without answering", request=request
                ) from None
            except (OSError, http.client.HTTPException) as exc:
                raise httpx.ReadError(f"{type(exc).__name__} reading the answer", request=request) from None
            finally:
                response.close()  # the response's file object, not the socket
        except BaseException:
            conn.close()
            raise
        if response.will_close:
            conn.close()  # the server said so (Connection: close, HTTP/1.0): the next request reconnects
        return httpx.Response(
            response.status,
            # Raw header bytes: http.client decoded them as latin-1, httpx would re-encode them as ASCII.
            headers=[
                (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.getheaders()
            ],
            stream=httpx.ByteStream(content),  # raw: httpx decodes any Content-Encoding itself
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": response.reason.encode("latin-1")},
        )

    def _ready(self, conn: _Socket, request: httpx.Request, connect_s: float | None) -> socket.socket:
        """The connection's socket, reconnected if it is new or the server closed it while idle."""
        if conn.sock is not None and not conn.closed_by_server():
            return conn.sock
        conn.close()
        try:
            return conn.open(connect_s)
        except TimeoutError:
            raise httpx.ConnectTimeout("timed out connecting", request=request) from None
        except OSError as exc:
            raise httpx.ConnectError(f"{type(exc).__name__} connecting", request=request) from None

    def _socket(self, url: httpx.URL) -> _Socket:
        """This thread's connection to the URL's host."""
        sockets: dict[tuple[str, int], _Socket] = self._local.__dict__.setdefault("sockets", {})
        key = (url.host, url.port or 80)
        conn = sockets.get(key)
        if conn is None:
            conn = sockets[key] = _Socket(*key)
            with self._sockets_lock:
                self._sockets.append(conn)  # kept until close(): pool threads live as long as the worker
        return conn

    def _other(self, request: httpx.Request) -> httpx.Response:
        if self._fallback is None:
            self._fallback = httpx.HTTPTransport()
        return self._fallback.handle_request(request)

    def close(self) -> None:
        with self._sockets_lock:
            sockets = list(self._sockets)
        for conn in sockets:
            conn.close()  # reopened on its thread's next request
        if self._fallback is not None:
            self._fallback.close()


def _serialize(request: httpx.Request) -> bytes:
    """The request line, httpx's headers and the whole body, as one write."""
    body = request.read()  # a streamed body is read whole, and sent with its length instead of chunked
    lines = [b"%s %s HTTP/1.1" % (request.method.encode("ascii"), request.url.raw_path)]
    lines += [
        name + b": " + value for name, value in request.headers.raw if name.lower() not in _SKIPPED_HEADERS
    ]
    if body or request.method in ("POST", "PUT", "PATCH"):
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body
