"""A cloud worker SIGKILLed while it holds a provider batch's next poll, with another cloud worker alive and
no restart: the poll message comes back only after the visibility timeout (an hour, shipped), so the
sweeper revives the batch's chain once it is 30 s overdue (worker/batch/revive.py). Real worker processes,
the OpenAI simulator's Batch API, shipped timings; the poll interval is the batch route's policy (40 s here,
so the poll waits out its countdown in one worker, which Celery's `inspect().scheduled()` names)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from producer.submit import submit_batch
from tests.conftest import stack_settings, start_workers
from tests.integration.test_batch_flow import CLOUD_BOUND, batch_config_dir
from worker.celery_app import create_app
from worker.queues import BATCH_POLL_TASK
from worker.schema import TaskKind, TaskSpec
from worker.store import Store
from worker.store.batch_route import BatchState

pytestmark = pytest.mark.integration

POLL_S = 40.0


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[Store, object, list[WorkerProcess], OpenAISimulator]]:
    redis = RedisServer().start()
    ollama, openai = OllamaSimulator().start(), OpenAISimulator().start()
    config_dir = batch_config_dir(
        tmp_path / "configs",
        flush_idle_s=0.3,
        flush_max_wait_s=5,
        poll_interval_s=POLL_S,
        poll_interval_max_s=POLL_S,
    )
    settings = stack_settings(redis.url, ollama, openai, config_dir=config_dir)
    workers: list[WorkerProcess] = []
    store = Store.from_url(redis.url)
    try:
        for pools in (("classify", "local", "cloud"), ("cloud",)):  # two cloud workers
            (log_dir := tmp_path / secrets.token_hex(2)).mkdir()
            workers += start_workers(settings, log_dir, pools=pools)
        yield store, create_app(settings), workers, openai
    finally:
        for worker in workers:
            worker.kill()
        store.redis.close()
        ollama.stop()
        openai.stop()
        redis.close()


def test_a_killed_cloud_worker_holding_a_poll_costs_a_minute_not_an_hour(stack: tuple) -> None:  # type: ignore[type-arg]
    store, app, workers, openai = stack
    openai.batches.configure(completion_s=5.0)
    docs = [
        LoadedDocument(source=f"review-{i}.md", text=CLOUD_BOUND + f"\nRevive {i}.", metadata={})
        for i in range(2)
    ]
    batch_id = submit_batch(
        store, app, docs, TaskSpec(kind=TaskKind.SUMMARIZE), force=True, deadline_s=86_400
    ).batch_id
    state = BatchState(store.redis)
    holder: list[str] = []

    def poll_scheduled() -> bool:  # the provider batch exists and its next poll waits out its countdown
        groups = state.groups_info(batch_id)
        if not groups or any(g.get("state") != "submitted" for g in groups):
            return False
        for node, entries in (app.control.inspect(timeout=1).scheduled() or {}).items():  # type: ignore[attr-defined]
            if any(e["request"]["name"] == BATCH_POLL_TASK for e in entries):
                holder.append(node)
                return True
        return False

    wait_until(
        poll_scheduled, 90, "the provider batch's next poll to be scheduled in a worker", interval_s=0.5
    )
    victim = next(w for w in workers if w.node_name == holder[0])
    victim.kill()  # SIGKILL: its scheduled poll returns only after the visibility timeout (an hour)
    wait_until(lambda: store.report(batch_id).done, 180, "the batch to finish without the killed worker")
    report = store.report(batch_id)
    assert report.succeeded == 2 and report.failed == 0
    assert "batch_chain_revived" in "".join(
        w.log_path.read_text(errors="replace") for w in workers if w is not victim
    )
    assert sorted(custom_id for _, custom_id in openai.batches.uploaded) == sorted(
        r.job_id for r in store.iter_results(batch_id)
    )
