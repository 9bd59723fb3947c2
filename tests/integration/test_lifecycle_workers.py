"""Back-pressure, retention and purge with real worker processes and slow backends.

A submission larger than its window stores at most the window's worth of texts while the workers work;
after the batch plus its retention nothing of it is left; `turnout purge` removes a batch at once. The
workers run with the shipped timeouts; only the retention (a user-facing policy, TURNOUT_RETENTION_S)
is short, so the test can wait it out.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, wait_until
from producer.submit import submit_batch
from tests.conftest import stack_settings, start_workers
from tests.integration.producer_process import clean_env
from worker.celery_app import create_app
from worker.schema import TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store
from worker.store.lifecycle import Retention

pytestmark = pytest.mark.integration

TASK = TaskSpec(kind=TaskKind.SUMMARIZE)
RETENTION_S = 8.0
DOCUMENTS = 150
WINDOW = 20
# docs/performance.md, "Memory per in-flight job": measured 7.5 KiB per in-flight job of a 4.5 KB
# document (tests/bench/bench_memory.py) and 3.7 KiB per finished job with the simulators' short outputs
# (this test); the documented bound rounds both up (a finished job's output adds its own length).
IN_FLIGHT_BOUND_BYTES = 10 * 1024
FINISHED_BOUND_BYTES = 6 * 1024


def documents(count: int) -> Iterator[LoadedDocument]:
    filler = "The quarterly review covers logistics, staffing and the new warehouse layout. "
    body = (filler * 60)[:4470]
    for n in range(count):
        yield LoadedDocument(source=f"memo-{n:04d}.txt", text=f"Memo {n:04d}. {body}")


@dataclass
class Deployment:
    settings: Settings
    store: Store
    client: redis.Redis


@contextmanager
def deployed(log_dir: Path, **settings_overrides: float) -> Iterator[Deployment]:
    server = RedisServer().start()
    slow = SimConfig(latency_ms=150)
    ollama, openai = OllamaSimulator(config=slow).start(), OpenAISimulator(config=slow).start()
    settings = stack_settings(server.url, ollama, openai, **settings_overrides)
    workers = start_workers(settings, log_dir)
    store = Store.from_url(server.url, retention=Retention.of(settings))  # the producer's, like the workers'
    client = redis.Redis.from_url(server.url, decode_responses=True)
    try:
        yield Deployment(settings, store, client)
    finally:
        for worker in workers:
            worker.stop()
        client.close()
        store.redis.close()
        ollama.stop()
        openai.stop()
        server.close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Workers whose records expire RETENTION_S after their batch ends, so a test can wait it out."""
    with deployed(tmp_path_factory.mktemp("lifecycle-workers"), retention_s=RETENTION_S) as deployment:
        yield deployment


@pytest.fixture(scope="module")
def shipped_deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Workers with the shipped retention (7 days): a finished batch stays until it is purged. (With the
    short one, a loaded machine let the batch expire before `purge` ran, and the test proved nothing.)"""
    with deployed(tmp_path_factory.mktemp("lifecycle-shipped")) as deployment:
        yield deployment


def texts(client: redis.Redis) -> int:
    return sum(1 for _ in client.scan_iter(match="tn:doc:*", count=1000))


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


@dataclass
class Streamed:
    batch_id: str
    most_texts: int
    waits: int
    peak_memory_bytes: int
    baseline_bytes: int
    final_bytes: int  # when the batch was done: only its records are left


@pytest.fixture(scope="module")
def streamed(deployment: Deployment) -> Streamed:
    """A submission of 150 documents of 4.5 KB through a window of 20, watched with SCAN all along."""
    client, store = deployment.client, deployment.store
    assert texts(client) == 0
    baseline = used_memory(client)
    most, peak, waits = [0], [baseline], [0]
    stop = threading.Event()

    def watch() -> None:
        probe = redis.Redis.from_url(str(deployment.settings.broker_url), decode_responses=True)
        while not stop.is_set():
            most[0] = max(most[0], texts(probe))
            peak[0] = max(peak[0], used_memory(probe))
            stop.wait(0.01)
        probe.close()

    def waited(*_: object) -> None:
        waits[0] += 1

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        summary = submit_batch(
            store,
            create_app(deployment.settings),
            documents(DOCUMENTS),
            TASK,
            max_in_flight=WINDOW,
            on_wait=waited,
        )
        wait_until(lambda: store.report(summary.batch_id).done, timeout_s=240, what="the batch to finish")
    finally:
        stop.set()
        watcher.join()
    report = store.report(summary.batch_id)
    assert report.succeeded == DOCUMENTS, report
    return Streamed(summary.batch_id, most[0], waits[0], peak[0], baseline, used_memory(client))


def test_a_large_submission_holds_at_most_a_window_of_texts(streamed: Streamed) -> None:
    assert streamed.waits > 0, "the producer never had to wait: the test proves nothing"
    assert 0 < streamed.most_texts <= WINDOW


def test_a_large_submission_stays_under_the_documented_memory_bound(streamed: Streamed) -> None:
    grown = streamed.peak_memory_bytes - streamed.baseline_bytes
    finished_per_job = (streamed.final_bytes - streamed.baseline_bytes) / DOCUMENTS
    bound = WINDOW * IN_FLIGHT_BOUND_BYTES + DOCUMENTS * FINISHED_BOUND_BYTES
    assert grown <= bound, f"peak growth {grown} B, {finished_per_job:.0f} B per finished job"


def test_after_the_retention_nothing_of_the_batch_is_left(deployment: Deployment, streamed: Streamed) -> None:
    client = deployment.client
    assert texts(client) == 0, "each text goes when its last job ends"

    def gone() -> bool:
        return not any(streamed.batch_id in key for key in client.scan_iter(count=1000))

    wait_until(gone, timeout_s=RETENTION_S + 30, what="the batch's records to expire")
    assert texts(client) == 0 and not list(client.scan_iter(match="tn:done:*"))


def test_purge_removes_a_finished_batch_at_once(shipped_deployment: Deployment, tmp_path: Path) -> None:
    deployment = shipped_deployment
    store, client = deployment.store, deployment.client
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(5):
        (folder / f"note{n}.txt").write_text(f"Note {n}: the canteen opens at eight. " * 20)
    env = clean_env(deployment.settings.broker_url)
    submitted = subprocess.run(
        [sys.executable, "-m", "producer.cli", "submit", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert submitted.returncode == 0, submitted.stderr
    batch_id = submitted.stdout.strip()
    wait_until(lambda: store.report(batch_id).done, timeout_s=120, what="the batch to finish")
    assert any(batch_id in key for key in client.scan_iter(count=1000))

    purged = subprocess.run(
        [sys.executable, "-m", "producer.cli", "purge", batch_id, "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert purged.returncode == 0, purged.stderr
    assert "purged 1 batch(es): 5 jobs, 5 results" in purged.stderr
    assert not any(batch_id in key for key in client.scan_iter(count=1000))
    assert texts(client) == 0 and not list(client.scan_iter(match="tn:done:*"))
