"""`turnout purge` of a batch whose work is still in flight, with real worker processes and simulators.

A purge removes the batch's keys at once, but a worker may be in the middle of one of its jobs: a slow
local call, a retry waiting for its countdown, a provider batch still being polled. What that worker
writes later (its result, the job's record, counters, checkpoints, the batch route's answers) must not
bring the batch back: once the work in flight has ended, SCAN finds no key of the batch and no text.
The workers run with the shipped timeouts; only the simulators are slow or failing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from producer.purge import purge_batch
from producer.submit import submit_batch
from tests.conftest import stack_settings, start_workers
from tests.integration.test_batch_flow import CLOUD_BOUND, batch_config_dir
from worker.celery_app import create_app
from worker.schema import TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store
from worker.store.batch_route import BatchState

pytestmark = pytest.mark.integration

TASK = TaskSpec(kind=TaskKind.SUMMARIZE)
DAY_S = 86_400.0


@dataclass
class Stack:
    settings: Settings
    store: Store
    client: redis.Redis
    ollama: OllamaSimulator
    openai: OpenAISimulator
    workers: list[WorkerProcess]

    def submit(self, docs: dict[str, str], deadline_s: float | None = None) -> str:
        items = [LoadedDocument(source=s, text=t, metadata={}) for s, t in docs.items()]
        app = create_app(self.settings)
        return submit_batch(self.store, app, items, TASK, force=True, deadline_s=deadline_s).batch_id

    def idle(self) -> bool:
        """No task running, reserved or waiting for its countdown in any worker, and no call open."""
        if self.ollama.in_flight or self.openai.in_flight or self.client.hlen("unacked"):
            return False
        for key in self.client.scan_iter(count=1000, _type="list"):  # the queues (kombu's names)
            if not key.startswith("tn:") and self.client.llen(key):
                return False
        inspect = create_app(self.settings).control.inspect(timeout=1.0)
        for answer in (inspect.active(), inspect.reserved(), inspect.scheduled()):
            if answer is None or len(answer) < len(self.workers) or any(answer.values()):
                return False
        return True

    def held_of(self, batch_id: str) -> list[str]:
        members = [str(m) for m in self.client.zrange("tn:held", 0, -1)]
        return [m for m in members if m.startswith(f"{batch_id} ")]

    def left_of(self, batch_id: str, texts: list[str]) -> list[str]:
        """Every key that names the batch, or holds one of its texts, or is left without a TTL by it."""
        found = [key for key in self.client.scan_iter(count=1000) if batch_id in key]
        found += [key for key in (Store.doc_key(text) for text in texts) if self.client.exists(key)]
        found += [f"tn:held {member}" for member in self.held_of(batch_id)]
        for key in self.client.scan_iter(match="tn:done:*", count=1000):
            if str(self.client.get(key) or "").startswith(f"{batch_id} "):
                found.append(key)
        return found


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    base = tmp_path_factory.mktemp("purge-in-flight")
    (base / "logs").mkdir()
    server = RedisServer().start()
    ollama, openai = OllamaSimulator().start(), OpenAISimulator().start()
    config_dir = batch_config_dir(
        base / "configs", flush_idle_s=0.3, flush_max_wait_s=5, poll_interval_s=0.3, poll_interval_max_s=1
    )
    settings = stack_settings(server.url, ollama, openai, config_dir=config_dir)
    workers = start_workers(settings, base / "logs")
    client = redis.Redis.from_url(server.url, decode_responses=True)
    stack = Stack(settings, Store.from_url(server.url), client, ollama, openai, workers)
    yield stack
    for worker in workers:
        worker.stop()
    client.close()
    stack.store.redis.close()
    ollama.stop()
    openai.stop()
    server.close()


@pytest.fixture(autouse=True)
def calm(stack: Stack) -> Iterator[None]:
    stack.ollama.set_config(latency_ms=0.0, error_rate=0.0)
    stack.openai.set_config(latency_ms=0.0, error_rate=0.0)
    stack.openai.batches.reset()
    yield
    stack.ollama.set_config(latency_ms=0.0, error_rate=0.0)
    stack.openai.set_config(latency_ms=0.0, error_rate=0.0)
    wait_until(stack.idle, 120, "the workers to be idle")


def local_docs(tag: str, n: int = 2) -> dict[str, str]:
    return {f"{tag}-{i}.txt": f"Shift rota {tag} {i}: warehouse B count moves to Thursday." for i in range(n)}


def test_a_result_written_after_the_purge_brings_nothing_back(stack: Stack) -> None:
    """The job is in the middle of a slow local call when the batch is purged."""
    stack.ollama.set_config(latency_ms=3000.0)
    docs = local_docs("slow")
    batch_id = stack.submit(docs)
    wait_until(lambda: stack.ollama.in_flight > 0, 60, "a local call to be in flight")

    purge_batch(stack.store, batch_id)
    at_once = stack.left_of(batch_id, list(docs.values()))

    wait_until(stack.idle, 120, "the calls in flight to end")
    assert (at_once, stack.left_of(batch_id, list(docs.values()))) == ([], [])


def test_a_retry_after_the_purge_brings_nothing_back(stack: Stack) -> None:
    """The job's calls fail and it waits for its next attempt when the batch is purged."""
    stack.ollama.set_config(error_rate=1.0)
    docs = local_docs("retry")
    batch_id = stack.submit(docs)
    wait_until(lambda: stack.client.hlen(f"tn:{{{batch_id}}}:retrying") > 0, 60, "a retry to be scheduled")

    purge_batch(stack.store, batch_id)
    stack.ollama.set_config(error_rate=0.0)

    wait_until(stack.idle, 120, "the retries to end")
    assert stack.left_of(batch_id, list(docs.values())) == []


def test_a_provider_batch_answered_after_the_purge_brings_nothing_back(stack: Stack) -> None:
    """The job is in a provider batch (the cloud-batch route) still in progress when the batch is purged;
    the poller then downloads its answers."""
    stack.openai.batches.configure(completion_s=3.0)
    docs = {f"review-{i}.md": CLOUD_BOUND + f"\nEdition purge {i}." for i in range(2)}
    batch_id = stack.submit(docs, deadline_s=DAY_S)
    state = BatchState(stack.store.redis)

    def provider_batch_running() -> bool:
        groups = state.groups_info(batch_id)
        return bool(groups) and all(g.get("state") == "submitted" for g in groups)

    wait_until(provider_batch_running, 60, "the provider batch to be in progress")
    purge_batch(stack.store, batch_id)

    wait_until(stack.idle, 120, "the polling to end")
    assert stack.left_of(batch_id, list(docs.values())) == []


def test_every_key_a_finished_batch_leaves_expires(stack: Stack) -> None:
    """A finished batch (local jobs, provider-batch jobs, a retried call) keeps nothing for good: each key
    that names it has a TTL (the retention), no text is left, and nothing outside it names it but the
    index of batches (`turnout status`'s, pruned as its records expire)."""
    stack.openai.batches.configure(completion_s=0.5)
    stack.ollama.set_config(error_rate=0.3, seed=7)
    docs = local_docs("ttl", 4) | {f"ttl-{i}.md": CLOUD_BOUND + f"\nEdition ttl {i}." for i in range(2)}
    batch_id = stack.submit(docs, deadline_s=DAY_S)
    wait_until(lambda: stack.store.report(batch_id).done, 120, "the batch to finish")
    wait_until(stack.idle, 120, "the workers to be idle")

    named = [key for key in stack.client.scan_iter(count=1000) if batch_id in key]
    assert named, "the batch's records are kept for the retention"
    retention_ms = stack.settings.retention_s * 1000
    assert [key for key in named if not 0 < stack.client.pttl(key) <= retention_ms] == []
    assert [key for key in (Store.doc_key(text) for text in docs.values()) if stack.client.exists(key)] == []
    assert stack.client.zscore("tn:batches", batch_id) is not None
    assert not stack.client.sismember("tn:cb:batches", batch_id)
    # The work list names jobs (ids only) until the sweep (every 5 s, worker/liveness.py) forgets ended ones.
    wait_until(lambda: not stack.held_of(batch_id), 60, "the sweep to forget the ended jobs")
