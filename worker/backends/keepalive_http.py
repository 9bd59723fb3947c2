"""A lean HTTP/1.1 transport for the official `ollama` client, on plain-HTTP hosts.

The `ollama` client is an `httpx.Client`; its default transport (httpcore + h11) costs about 0.4 ms of
CPU per request on our 2-core reference machine, a third of the whole call, and sends the headers and
the body in separate writes. Ollama's API is plain request/response JSON over HTTP/1.1, which the
standard library's `http.client` speaks with one write per request. This transport keeps one
keep-alive connection per thread and host (a local-pool thread holds one Ollama slot at a time, so
connections never exceed threads x hosts) and hands httpx a complete response; everything above the
transport (the client's headers, redirects, proxies from the environment, status handling, the
`ollama` client's parsing) is unchanged.

Only `http://` hosts use it: `https://` keeps httpx's transport and its TLS configuration. A reused
connection that the server closed while idle is retried once on a fresh one; every other failure is
raised as the httpx exception the default transport would raise (ConnectError, ConnectTimeout,
ReadTimeout, ...), so callers' error handling is the same.
"""

from __future__ import annotations

import http.client
import socket
import threading
from typing import Any

import httpx

# Raised when a kept-alive connection turns out to be closed by the server before it answered.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class _Connection(http.client.HTTPConnection):
    """Connects within the connect timeout, then reads within the read timeout."""

    def __init__(self, host: str, port: int, connect_s: float | None, read_s: float | None):
        super().__init__(host, port, timeout=connect_s)
        self.read_s = read_s

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(self.read_s)


class KeepAliveTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[_Connection] = []
        self._all_lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme != "http":
            raise httpx.UnsupportedProtocol(f"{type(self).__name__} speaks plain HTTP only", request=request)
        body = request.read()
        timeouts = request.extensions.get("timeout", {})
        while True:
            connection, reused = self._connection(request.url, timeouts)
            try:
                return self._exchange(connection, request, body)
            except _STALE:
                self._drop(request.url)
                if not reused:  # a fresh connection: the server may have read the request, don't resend
                    raise httpx.RemoteProtocolError(
                        "server disconnected without answering", request=request
                    ) from None
                # The server closed the idle connection we reused before reading our request: once more,
                # on a fresh one.
            except BaseException:
                self._drop(request.url)
                raise

    def _exchange(self, connection: _Connection, request: httpx.Request, body: bytes) -> httpx.Response:
        try:
            if connection.sock is None:
                try:
                    connection.connect()
                except TimeoutError as exc:
                    raise httpx.ConnectTimeout(str(exc), request=request) from None
                except OSError as exc:
                    raise httpx.ConnectError(str(exc), request=request) from None
            # httpx has already built every header (Host, Content-Length, the client's own).
            connection.putrequest(
                request.method,
                request.url.raw_path.decode("ascii"),
                skip_host=True,
                skip_accept_encoding=True,
            )
            for name, value in request.headers.raw:
                connection.putheader(name, value)
            connection.endheaders(body or None)  # headers and body in one write
            response = connection.getresponse()
            content = response.read()
        except _STALE:
            raise
        except TimeoutError as exc:
            raise httpx.ReadTimeout(str(exc), request=request) from None
        except (OSError, http.client.HTTPException) as exc:
            raise httpx.ReadError(f"{type(exc).__name__}: {exc}", request=request) from None
        if response.will_close:
            connection.close()  # reconnects on the next request
        return httpx.Response(
            response.status,
            headers=response.getheaders(),
            stream=httpx.ByteStream(content),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": response.reason.encode("latin-1")},
        )

    def _connection(self, url: httpx.URL, timeouts: dict[str, Any]) -> tuple[_Connection, bool]:
        """This thread's connection to the URL's host, and whether it was used before."""
        connections: dict[tuple[str, int], _Connection] = self._local.__dict__.setdefault("connections", {})
        key = (url.host, url.port or 80)
        connection = connections.get(key)
        if connection is not None:
            return connection, connection.sock is not None
        connection = _Connection(url.host, key[1], timeouts.get("connect"), timeouts.get("read"))
        connections[key] = connection
        with self._all_lock:
            self._all.append(connection)
        return connection, False

    def _drop(self, url: httpx.URL) -> None:
        connections = self._local.__dict__.get("connections", {})
        connection = connections.pop((url.host, url.port or 80), None)
        if connection is not None:
            connection.close()
            with self._all_lock:
                self._all.remove(connection)

    def close(self) -> None:
        with self._all_lock:
            connections, self._all = self._all, []
        for connection in connections:
            connection.close()
