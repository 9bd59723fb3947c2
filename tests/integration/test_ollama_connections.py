"""The official `ollama` client as the local route builds it (httpx's own transport, keep-alive limits),
against the Ollama simulator: calls reuse their connections, a connection the server closed is replaced
without sending a request twice, and proxies from the environment still apply."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import ollama
import pytest

from ops.simulators import OllamaSimulator
from producer.local_stack import free_port
from worker.backends.ollama import _client

pytestmark = pytest.mark.integration

MODEL = "llama3.2:3b"
MESSAGES = [{"role": "system", "content": "Summarize."}, {"role": "user", "content": "Lunch moved to noon."}]
SLOTS = 4
WIDE = 24  # slots of a wide host (vLLM-like): more than the 20 idle connections httpx keeps by default


@pytest.fixture
def sim() -> Iterator[OllamaSimulator]:
    with OllamaSimulator() as running:
        yield running


def chat(client: ollama.Client) -> ollama.ChatResponse:
    return client.chat(model=MODEL, messages=MESSAGES, stream=False)


def test_calls_one_after_another_share_one_connection(sim: OllamaSimulator) -> None:
    client = _client(sim.url, 5, SLOTS)
    before = sim.connections_accepted
    assert all(chat(client).message.content for _ in range(10))
    assert sim.connections_accepted == before + 1  # ten requests, one kept-alive connection
    client.close()


def test_a_full_host_keeps_one_connection_per_slot_between_rounds(sim: OllamaSimulator) -> None:
    """`slots` calls at once open at most `slots` connections, and the next rounds reuse them all
    (httpx's default keeps only 20 idle: this host would reconnect 4 calls every round)."""
    sim.set_config(latency_ms=200)  # long enough that every round's calls overlap
    client = _client(sim.url, 5, WIDE)
    before = sim.connections_accepted
    start = threading.Barrier(WIDE)

    def in_thread() -> None:
        for _ in range(3):
            start.wait(timeout=10)  # every round starts together: all slots busy at once
            assert chat(client).message.content

    threads = [threading.Thread(target=in_thread) for _ in range(WIDE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert len(sim.requests) >= 3 * WIDE
    assert sim.connections_accepted - before <= WIDE
    client.close()


def test_a_connection_the_server_closed_while_idle_is_replaced_and_nothing_is_sent_twice(
    sim: OllamaSimulator,
) -> None:
    client = _client(sim.url, 5, SLOTS)
    chat(client)
    sim.close_connections()  # what a server's keep-alive timeout does
    accepted, requests = sim.connections_accepted, len(sim.requests)
    assert chat(client).message.content
    assert sim.connections_accepted == accepted + 1
    assert len(sim.requests) == requests + 1  # sent once, on the new connection
    client.close()


def test_proxies_from_the_environment_still_apply(
    sim: OllamaSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy that is down fails the call, though the host itself is up: the client honours HTTP_PROXY."""
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(ConnectionError):
        chat(_client(sim.url, 5, SLOTS))
