"""The official `ollama` client on KeepAliveTransport (worker/backends/keepalive_http.py), against the
Ollama simulator: same answers, one connection per thread, a stale connection retried, httpx's errors."""

from __future__ import annotations

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


def test_a_connection_the_server_closed_while_idle_is_retried_once_on_a_fresh_one(
    sim: OllamaSimulator,
) -> None:
    client = _client(sim.url, 5)
    chat(client)
    sim.close_connections()  # what a server's keep-alive timeout does
    before = sim.connections_accepted
    assert chat(client).message.content
    assert sim.connections_accepted == before + 1
    client.close()


def test_a_server_that_hangs_up_without_answering_is_an_httpx_error() -> None:
    """A fresh connection closed before any answer: not retried (the request may have been read)."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = 0

    def hang_up() -> None:
        nonlocal accepted
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            accepted += 1
            conn.recv(65536)
            conn.close()

    threading.Thread(target=hang_up, daemon=True).start()
    client = _client(f"http://127.0.0.1:{port}", 5)
    with pytest.raises(httpx.RemoteProtocolError):
        chat(client)
    assert accepted == 1
    server.close()


def test_failures_are_the_exceptions_httpx_raises(sim: OllamaSimulator) -> None:
    with pytest.raises(ConnectionError):  # the ollama client's translation of httpx.ConnectError
        chat(_client(f"http://127.0.0.1:{free_port()}", 5))
    sim.set_config(error_rate=1.0, error_kind="timeout", timeout_hang_s=5)
    with pytest.raises(httpx.ReadTimeout):
        chat(_client(sim.url, 0.3))
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
