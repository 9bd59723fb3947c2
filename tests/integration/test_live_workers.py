"""Which workers `turnout status` counts as alive, from each worker's one heartbeat (worker/liveness.py).

A real worker process (the cloud pool: threads, the quickest to start) on a Redis of this module's own,
with the shipped heartbeat: listed with its queues while it runs, gone at once when it stops, and gone
within the heartbeat's TTL when it is SIGKILLed (it never removes its own entry then).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from producer.stalls import queue_view
from tests.conftest import stack_settings, start_workers
from worker.celery_app import create_app
from worker.liveness import HEARTBEAT_TTL_S, live_consumers
from worker.queues import BATCH_QUEUE
from worker.settings import Settings
from worker.store import Store

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def settings(own_redis: RedisServer, sims: tuple[OllamaSimulator, OpenAISimulator]) -> Settings:
    return stack_settings(own_redis.url, *sims)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    store = Store.from_url(settings.broker_url)
    yield store
    store.redis.close()


def one_worker(settings: Settings, log_dir: Path) -> WorkerProcess:
    (worker,) = start_workers(settings, log_dir, pools=("cloud",))
    return worker


def test_a_running_worker_is_listed_with_its_queues_by_its_connection_heartbeat(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    worker = one_worker(settings, tmp_path)
    try:
        wait_until(lambda: worker.node_name in live_consumers(store), 10, "the worker's first beat")
        view = queue_view(create_app(settings), store)
        assert view.workers == 1
        assert view.consumers == {"cloud": (worker.node_name,), BATCH_QUEUE: (worker.node_name,)}
        # One beat: the entry names the connection whose heartbeat the liveness sweep reads.
        entry = json.loads(store.holds.worker_entries()[worker.node_name])
        assert store.holds.alive({entry["holder"]}) == {entry["holder"]}
        worker.stop()
        assert worker.node_name not in store.holds.worker_entries()  # it removed itself, heartbeat too
        assert store.holds.alive({entry["holder"]}) == set()
        assert queue_view(create_app(settings), store).workers == 0
    finally:
        worker.stop()


def test_a_sigkilled_worker_drops_out_within_the_heartbeat_ttl(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    worker = one_worker(settings, tmp_path)
    try:
        wait_until(lambda: worker.node_name in live_consumers(store), 10, "the worker's first beat")
        worker.kill()
        killed_at = time.monotonic()
        wait_until(
            lambda: worker.node_name not in live_consumers(store),
            HEARTBEAT_TTL_S + 5,
            "the killed worker's heartbeat to expire",
        )
        assert time.monotonic() - killed_at <= HEARTBEAT_TTL_S + 1
        # Its entry stays (for a day) for nobody to count: status says no worker is running.
        assert worker.node_name in store.holds.worker_entries()
        assert queue_view(create_app(settings), store).workers == 0
    finally:
        worker.stop()
