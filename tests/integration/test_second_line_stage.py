"""The second line's own stage, on real parts: redis-server, the three Celery pools, both simulators.

The check is a local model call (hundreds of milliseconds to seconds): it runs on the local pool
(turnout.second_line), so classify goes on routing other documents meanwhile, and a local worker killed
mid-check leaves a held job that the liveness sweeper re-issues, with the shipped visibility timeout.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from producer.submission import job_id_of
from producer.submit import submit_batch
from tests.conftest import stack_settings, start_workers
from tests.integration.test_batch_flow import batch_config_dir
from worker.celery_app import create_app
from worker.queues import SECOND_LINE_TASK
from worker.schema import JobStatus, RouteTarget, TaskKind, TaskSpec
from worker.second_line import check_pending
from worker.settings import Settings
from worker.store import Store, keys

pytestmark = pytest.mark.integration

PLAIN = "Garden club notes STAGE-{n}: we meet on Saturday to plan the spring planting. Bring seeds."
SLOW_CHECK_MS = 8000  # far longer than classifying a handful of short documents, even on a busy machine


@dataclass
class Stage:
    settings: Settings
    ollama: OllamaSimulator
    openai: OpenAISimulator
    store: Store
    workers: list[WorkerProcess]
    log_dir: Path

    def submit(self, docs: dict[str, str]) -> str:
        items = [LoadedDocument(source=s, text=t, metadata={}) for s, t in docs.items()]
        app = create_app(self.settings)
        return submit_batch(self.store, app, items, TaskSpec(kind=TaskKind.SUMMARIZE), force=True).batch_id

    def route_of(self, batch_id: str, n: int):  # type: ignore[no-untyped-def]
        return self.store.job(batch_id, job_id_of(batch_id, n)).route

    def checks_in_flight(self) -> int:
        return self.ollama.in_flight

    def replace_local_worker(self) -> None:
        old = next(w for w in self.workers if w.pool == "local")
        self.workers.remove(old)
        old.kill()
        (log_dir := self.log_dir / secrets.token_hex(2)).mkdir()
        (new,) = start_workers(self.settings, log_dir, pools=("local",))
        self.workers.append(new)


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    base = tmp_path_factory.mktemp("second-line-stage")
    (base / "logs").mkdir()
    redis = RedisServer().start()
    ollama, openai = OllamaSimulator(config=SimConfig()).start(), OpenAISimulator().start()
    # Every document is cloud-bound by rule: the second line decides each one.
    routes = {"cloud_min_complexity": "simple", "local_only_sensitivity": []}
    config_dir = batch_config_dir(base / "configs", routes=routes, second_line={"enabled": "auto"})
    settings = stack_settings(
        redis.url,
        ollama,
        openai,
        config_dir=config_dir,
        ollama_slot_lease_s=2.0,  # a killed worker's slot comes back within 2 s
    )
    workers = start_workers(settings, base / "logs")
    state = Stage(settings, ollama, openai, Store.from_url(redis.url), workers, base / "logs")
    yield state
    for worker in state.workers:
        worker.stop()
    state.store.redis.close()
    ollama.stop()
    openai.stop()
    redis.close()


@pytest.fixture(autouse=True)
def fast_again(stage: Stage) -> Iterator[None]:
    yield
    stage.ollama.set_config(latency_ms=0)


def test_classify_routes_other_documents_while_a_slow_check_runs(stage: Stage) -> None:
    stage.ollama.set_config(latency_ms=SLOW_CHECK_MS)
    first = stage.submit({"first.txt": PLAIN.format(n=0)})
    wait_until(lambda: stage.checks_in_flight() >= 1, 30, "the first document's check to be in flight")
    others = stage.submit({f"other-{n}.txt": PLAIN.format(n=n) for n in range(1, 4)})
    # With classify_concurrency=1, a check made inside classify would hold these for SLOW_CHECK_MS each.
    wait_until(
        lambda: all(stage.route_of(others, n) is not None for n in range(1, 4)),
        SLOW_CHECK_MS / 1000 - 1,
        "the other documents to be classified while the first one's check runs",
    )
    still = stage.route_of(first, 1)
    assert still is not None and still.target is RouteTarget.CLOUD and check_pending(still)
    assert stage.openai.requests == []  # nothing left before its check
    stage.ollama.set_config(latency_ms=0)
    wait_until(lambda: all(stage.store.report(b).done for b in (first, others)), 90, "both batches to finish")
    for batch_id in (first, others):
        for result in stage.store.iter_results(batch_id):
            assert result.status is JobStatus.SUCCEEDED and result.route is RouteTarget.CLOUD
            assert "second_line: clear" in result.route_reasons
            assert "second_line: pending" not in result.route_reasons


def test_a_local_worker_killed_mid_check_is_reissued_and_the_job_finishes_once(stage: Stage) -> None:
    stage.ollama.set_config(latency_ms=SLOW_CHECK_MS)
    stage.openai.requests.clear()
    batch_id = stage.submit({"killed.txt": PLAIN.format(n=9)})
    job_key = keys.job(batch_id, job_id_of(batch_id, 1))
    wait_until(
        lambda: (
            stage.checks_in_flight() >= 1 and stage.store.redis.hget(job_key, "stage") == SECOND_LINE_TASK
        ),
        30,
        "the check to be in flight, held by the local worker",
    )
    generation = int(stage.store.redis.hget(job_key, "gen") or 0)
    stage.replace_local_worker()  # SIGKILL mid-check
    stage.ollama.set_config(latency_ms=0)
    # The shipped visibility timeout is an hour: only the liveness sweeper brings the job back this soon.
    assert stage.settings.visibility_timeout_s == 3600
    wait_until(lambda: stage.store.report(batch_id).done, 90, "the re-issued job to finish")
    report = stage.store.report(batch_id)
    (result,) = list(stage.store.iter_results(batch_id))
    assert report.succeeded == 1 and result.status is JobStatus.SUCCEEDED
    assert result.route is RouteTarget.CLOUD and "second_line: clear" in result.route_reasons
    assert int(stage.store.redis.hget(job_key, "gen") or 0) > generation  # re-issued by the sweeper
    # Finished once: one cloud call for it, one recorded verdict.
    assert sum("STAGE-9" in json.dumps(r) for r in stage.openai.requests) == 1
    assert report.second_line.checked == 1
