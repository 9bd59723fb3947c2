"""The local pool keeps a job opened and waiting for each slot that frees up (Settings.local_concurrency).

A real classify and local worker on a Redis of this module's own, one Ollama host with one slot whose calls
the test holds (a gate): while the first call is held, the pool's spare threads have opened the next jobs
and wait on the slot, yet the host never sees a second request; once the gate opens every job finishes on
the one slot, none refused, none retried. With one thread per slot the next job would be opened only after
the first one's result is written and acknowledged, while the freed slot idles.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ops.simulators import SimConfig
from ops.simulators.answers import GenRequest
from ops.simulators.http import Handler
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, wait_until
from producer.submit import submit_batch
from tests.bench.slot_sim import CountingOllama
from tests.conftest import start_workers
from worker.celery_app import create_app
from worker.schema import TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store

pytestmark = pytest.mark.integration

GATE_TIMEOUT_S = 60.0  # a safety net: the test opens the gate long before


class GatedOllama(CountingOllama):
    """Holds every call until `gate` is set; `arrived` counts the calls that reached it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()
        self.arrived = 0

    def _generate(self, h: Handler, req: GenRequest, config: SimConfig) -> None:
        with self._lock:
            self.arrived += 1
        self.gate.wait(GATE_TIMEOUT_S)
        super()._generate(h, req, config)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return dict(self._stats)


@pytest.fixture
def host() -> Iterator[GatedOllama]:
    sim = GatedOllama(config=SimConfig(max_parallel=1)).start()
    yield sim
    sim.gate.set()
    sim.stop()


def test_spare_threads_wait_on_the_slot_with_their_jobs_opened_and_never_overfill_it(
    own_redis: RedisServer, host: GatedOllama, tmp_path: Path
) -> None:
    settings = Settings(
        broker_url=own_redis.url,
        ollama_hosts=(host.url,),
        ollama_parallel=1,
        classify_concurrency=1,
        log_format="json",
    )  # no cloud configured: every job routes to the local host
    spares = settings.local_concurrency - settings.local_slot_count
    assert spares >= 2
    jobs = 1 + spares
    store = Store.from_url(own_redis.url)
    workers = start_workers(settings, tmp_path, pools=("classify", "local"))
    try:
        docs = [
            LoadedDocument(source=f"memo-{i}.txt", text=f"Quarterly memo {i}: sales rose.")
            for i in range(jobs)
        ]
        batch_id = submit_batch(store, create_app(settings), docs, TaskSpec(kind=TaskKind.SUMMARIZE)).batch_id
        job_ids = [job_id for chunk in store.job_ids(batch_id) for job_id in chunk]
        assert len(job_ids) == jobs

        def opened() -> int:
            return sum(store.job(batch_id, job_id).status == "running" for job_id in job_ids)

        # The first call is held at the host; every other job is opened and waits for the slot.
        wait_until(lambda: host.arrived == 1 and opened() == jobs, 60, "the spares to open their jobs")
        assert host.arrived == 1 and host.in_flight == 1  # the slot, not the threads, decides who calls

        host.gate.set()
        wait_until(lambda: store.manifest(batch_id).finished_at is not None, 60, "the batch to finish")
        results = list(store.iter_results(batch_id))
        assert [r.status for r in results] == ["succeeded"] * jobs
        assert all(r.attempts == 1 for r in results)
        assert host.stats() == {"calls": jobs, "refused_503": 0, "peak_in_flight": 1}
    finally:
        for worker in workers:
            worker.stop()
        store.redis.close()
