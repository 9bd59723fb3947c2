"""The official `ollama` client on KeepAliveTransport (worker/backends/keepalive_http.py), against the
Ollama simulator and a scripted raw server: same answers, one connection per thread, nothing sent twice,
httpx's errors."""

from __future__ import annotations

import gzip
import json
import socket
import threading
from collections.abc import Iterator

import httpx
import ollama
import pytest

from ops.simulators import OllamaSimulator
from producer.local_stack import free_port
from worker.backends.keepalive_http import KeepAliveTransport
from worker.backends.ollama import _client

pytestmark = pytest.mark.integration

MODEL = "llama3.2:3b"
MESSAGES = [{"role": "system", "content": "Summarize."}, {"role": "user", "content": "Lunch moved to noon."}]


@pytest.fixture
def sim() -> Iterator[OllamaSimulator]:
    with OllamaSimulator() as running:
        yield running


def chat(client: ollama.Client) -> ollama.ChatResponse:
    return client.chat(model=MODEL, messages=MESSAGES, stream=False)


def test_plain_http_hosts_use_it_and_https_hosts_keep_httpx(sim: OllamaSimulator) -> None:
    assert isinstance(_client(sim.url, 5)._client._transport, KeepAliveTransport)
    assert isinstance(_client("https://ollama.example:443", 5)._client._transport, httpx.HTTPTransport)


def test_it_answers_what_httpx_answers_on_one_connection_per_thread(sim: OllamaSimulator) -> None:
    lean, stock = _client(sim.url, 5), ollama.Client(host=sim.url, timeout=5)
    expected = chat(stock)
    stock._client.close()
    before = sim.connections_accepted
    answers = [chat(lean) for _ in range(10)]
    # The same answer and usage (timings and timestamps differ from call to call).
    same = ("model", "message", "done", "prompt_eval_count", "eval_count")
    assert all(a.model_dump(include=set(same)) == expected.model_dump(include=set(same)) for a in answers)
    assert sim.connections_accepted == before + 1  # ten requests, one kept-alive connection

    def in_thread() -> None:
        chat(lean)
        chat(lean)

    threads = [threading.Thread(target=in_thread) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sim.connections_accepted == before + 4  # and one per thread, each used twice
    lean.close()


def test_a_connection_the_server_closed_while_idle_is_replaced_before_it_is_used(
    sim: OllamaSimulator,
) -> None:
    client = _client(sim.url, 5)
    chat(client)
    sim.close_connections()  # what a server's keep-alive timeout does
    accepted, requests = sim.connections_accepted, len(sim.requests)
    assert chat(client).message.content
    assert sim.connections_accepted == accepted + 1
    assert len(sim.requests) == requests + 1  # sent once, on the new connection
    client.close()


class ScriptedServer:
    """A raw HTTP/1.1 server: request n (0-based, across connections) gets `replies[n]`, bytes to send
    back (None: read the request, then hang up). Records each request's head and body."""

    def __init__(self, replies: list[bytes | None]):
        self.replies = replies
        self.requests: list[tuple[bytes, bytes]] = []
        self.connections = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        data = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, data = data.split(b"\r\n\r\n", 1)
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                while len(data) < length:
                    data += conn.recv(65536)
                body, data = data[:length], data[length:]
                self.requests.append((head, body))
                reply = self.replies[len(self.requests) - 1]
                if reply is None:
                    return
                conn.sendall(reply)

    def close(self) -> None:
        self._server.close()


def ok(body: bytes, *headers: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
    return head + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body


ANSWER = json.dumps(
    {"model": MODEL, "message": {"role": "assistant", "content": "Noon."}, "done": True}
).encode()


def test_a_request_the_server_read_and_hung_up_on_is_never_sent_again() -> None:
    """On a reused connection too: once a request is on the wire, a failure is raised, not retried (the
    server may have run it: an Ollama killed mid-generation, a proxy dropping a long call)."""
    server = ScriptedServer([ok(ANSWER), None])
    client = _client(server.url, 5)
    assert chat(client).message.content == "Noon."
    with pytest.raises(httpx.RemoteProtocolError):
        chat(client)
    assert len(server.requests) == 2 and server.connections == 1
    server.close()


def test_connection_close_gzip_and_a_streamed_body() -> None:
    """A `Connection: close` answer is honoured (the next request reconnects); a gzip answer is decoded by
    httpx; a streamed request body goes out whole, with its length instead of chunked framing."""
    server = ScriptedServer(
        [ok(ANSWER, b"Connection: close"), ok(gzip.compress(ANSWER), b"Content-Encoding: gzip")]
    )
    http = httpx.Client(transport=KeepAliveTransport(), base_url=server.url)
    assert http.post("/api/chat", json={"n": 1}).json()["message"]["content"] == "Noon."
    streamed = http.post("/api/blobs/x", content=iter([b"first part, ", b"second part"]))
    assert streamed.json()["message"]["content"] == "Noon."
    assert server.connections == 2
    head, body = server.requests[1]
    assert body == b"first part, second part"
    assert b"content-length: 23" in head.lower() and b"transfer-encoding" not in head.lower()
    http.close()
    server.close()


def test_failures_are_the_exceptions_httpx_raises(sim: OllamaSimulator) -> None:
    with pytest.raises(ConnectionError):  # the ollama client's translation of httpx.ConnectError
        chat(_client(f"http://127.0.0.1:{free_port()}", 5))
    with pytest.raises(httpx.ConnectError):  # https (a redirect, say) goes through httpx's own transport
        KeepAliveTransport().handle_request(httpx.Request("GET", f"https://127.0.0.1:{free_port()}/"))
    sim.set_config(error_rate=1.0, error_kind="timeout", timeout_hang_s=5)
    slow = _client(sim.url, 0.3)
    with pytest.raises(httpx.ReadTimeout):
        chat(slow)
    sim.set_config(error_rate=0.0)
    accepted = sim.connections_accepted
    assert chat(slow).message.content  # the timed-out connection was dropped: a fresh one answers
    assert sim.connections_accepted == accepted + 1
    sim.set_config(error_rate=0.0, models=(MODEL,))
    with pytest.raises(ollama.ResponseError) as refused:
        _client(sim.url, 5).chat(model="no-such-model:1b", messages=MESSAGES)
    assert refused.value.status_code == 404


def test_proxies_from_the_environment_still_apply(
    sim: OllamaSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx mounts environment proxies above the transport: a proxy that is down fails the call, though
    the host itself is up."""
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(ConnectionError):
        chat(_client(sim.url, 5))
