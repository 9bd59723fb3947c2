"""A full Redis never loses a job and never leaks a document.

A stage that can't find what it needs fails the job with the reason (never an exception Celery acks);
and, on its own redis-server at a small `maxmemory` with `noeviction` (as compose ships it) and real
worker processes with the shipped visibility timeout: a batch that overflows Redis stops the producer
with one line, the workers ride it out, and once the limit is raised and the submission resumed, every
job ends terminal, none stuck, and no document text is in any output or log.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from tests.conftest import Stack, config_dir_with, stack_settings, start_workers
from tests.integration.test_faults import CLOUD_BOUND  # cloud-bound work: the full Redis meets all pools
from worker.queues import CLASSIFY_TASK, LOCAL_TASK
from worker.schema import (
    Complexity,
    JobMessage,
    JobResult,
    JobStatus,
    Route,
    RouteTarget,
    Sensitivity,
    Tags,
    TaskKind,
    TaskSpec,
)
from worker.settings import Settings
from worker.store import NewJob, Store, keys

pytestmark = pytest.mark.integration

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


# --- a stage that can't find what it needs ----------------------------------------------------------


def _stored_job(store: Store, text: str) -> tuple[str, str, str]:
    """A batch of one stored job (sealed); its batch id, job id and document key."""
    batch_id = f"b-missing-{secrets.token_hex(3)}"
    job_id = f"{batch_id}.000001"
    store.create_batch(batch_id, SUMMARIZE)
    store.add_jobs(batch_id, [NewJob(job_id=job_id, source="pack.md", text=text)])
    store.seal_batch(batch_id, 1)
    return batch_id, job_id, Store.doc_key(text)


def _only_result(stack: Stack, batch_id: str) -> JobResult:
    wait_until(lambda: stack.store.report(batch_id).done, 60, f"batch {batch_id} to finish")
    (result,) = stack.store.iter_results(batch_id)
    return result


def test_a_job_whose_text_is_gone_fails_at_classify_with_the_reason(stack: Stack) -> None:
    """Its text was never stored (refused by a full Redis) or was evicted: nothing will store it later, so
    the job fails with `document_missing` instead of staying queued forever after Celery acked a KeyError."""
    batch_id, job_id, doc_key = _stored_job(stack.store, f"Board strategy pack {secrets.token_hex(4)}")
    stack.store.redis.delete(doc_key)
    message = JobMessage(job_id=job_id, batch_id=batch_id, doc=doc_key).model_dump(mode="json")
    stack.app.send_task(CLASSIFY_TASK, args=[message], task_id=f"classify:{job_id}")
    result = _only_result(stack, batch_id)
    assert result.status is JobStatus.FAILED and result.error is not None
    assert result.error.type == "document_missing" and "submit the file again" in result.error.message


def test_a_job_whose_text_is_gone_fails_on_its_backend_queue_without_a_fallback(stack: Stack) -> None:
    batch_id, job_id, doc_key = _stored_job(stack.store, f"Lunch moved to noon {secrets.token_hex(4)}")
    tags = Tags(
        sensitivity=Sensitivity.PUBLIC,
        complexity=Complexity.SIMPLE,
        complexity_score=0.1,
        classifier_version="test",
    )
    stack.store.set_routed(batch_id, job_id, tags, Route(target=RouteTarget.LOCAL, model="llama3.1:8b"))
    stack.store.redis.delete(doc_key)
    requests_before = len(stack.ollama.requests)
    message = JobMessage(job_id=job_id, batch_id=batch_id, doc=doc_key).model_dump(mode="json")
    stack.app.send_task(LOCAL_TASK, args=[message], task_id=f"local:{job_id}")
    result = _only_result(stack, batch_id)
    assert result.error is not None and result.error.type == "document_missing"
    assert result.route is RouteTarget.LOCAL and result.fallback_from is None
    assert len(stack.ollama.requests) == requests_before  # nothing was sent anywhere


def test_a_message_for_a_job_with_no_record_fails_it_so_the_batch_finishes(stack: Stack) -> None:
    """A job in the batch's order without its record (a partial write of an older producer): its message
    records a failure, so the batch can finish instead of waiting for it forever."""
    batch_id, job_id, doc_key = _stored_job(stack.store, f"Standup at nine {secrets.token_hex(4)}")
    stack.store.redis.delete(keys.job(batch_id, job_id))
    message = JobMessage(job_id=job_id, batch_id=batch_id, doc=doc_key).model_dump(mode="json")
    stack.app.send_task(CLASSIFY_TASK, args=[message], task_id=f"classify:{job_id}")
    result = _only_result(stack, batch_id)
    assert result.status is JobStatus.FAILED and result.error is not None
    assert result.error.type == "job_missing"


# --- the store's writes when Redis refuses some of them ---------------------------------------------


def test_a_chunk_of_jobs_is_stored_whole_or_not_at_all(own_redis: RedisServer) -> None:
    """A full Redis refuses commands one by one; a chunk's writes go in one MULTI/EXEC, so no job is kept
    without its text, or listed without its record (jobs no resume could ever complete). With room for
    about one text or less, a plain pipeline keeps jobs' records and order without their texts."""
    store = Store.from_url(own_redis.url)
    outcomes = []
    for headroom in [*range(0, 25_000, 2_500), 500_000]:
        batch_id = f"b-chunk-{secrets.token_hex(3)}"
        store.create_batch(batch_id, SUMMARIZE)
        jobs = [
            NewJob(job_id=f"{batch_id}.{n}", source="d", text=secrets.token_hex(4) + "x" * 10_000)
            for n in range(2)
        ]
        store.redis.config_set("maxmemory", int(store.redis.info("memory")["used_memory"]) + headroom)
        try:
            with contextlib.suppress(redis.exceptions.OutOfMemoryError):
                store.add_jobs(batch_id, jobs)
        finally:
            store.redis.config_set("maxmemory", 0)
        listed = store.redis.llen(keys.jobs(batch_id))
        records = sum(store.redis.exists(keys.job(batch_id, job.job_id)) for job in jobs)
        texts = sum(store.redis.exists(Store.doc_key(job.text or "")) for job in jobs)
        outcomes.append((listed, records, texts))
    assert set(outcomes) <= {(0, 0, 0), (2, 2, 2)}, outcomes  # never a part of the chunk
    assert outcomes[0] == (0, 0, 0) and outcomes[-1] == (2, 2, 2)  # refused whole, then stored whole
    store.redis.close()


# --- the fault test: Redis full, then raised --------------------------------------------------------

RUNNING = 900  # documents of a batch the workers are busy with when Redis fills up
OVERFLOW = 600  # documents of a batch submitted into a nearly full Redis: its first chunk does not fit
HEADROOM_BYTES = 1_000_000
UNDER_USE_BYTES = 2_000_000


@dataclass
class FullRedis:
    server: RedisServer
    settings: Settings
    client: redis.Redis
    workers: list[WorkerProcess]
    running: Path
    overflow: Path

    def turnout(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, **self.settings.worker_environment()}
        return subprocess.run(
            [sys.executable, "-m", "producer.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def worker_logs(self) -> str:
        return "".join(w.log_path.read_text(errors="replace") for w in self.workers)

    def limit_memory(self, headroom_bytes: int) -> None:
        """`maxmemory` this far above what Redis uses now (0 or less: full now); noeviction, as compose ships it."""
        self.client.config_set("maxmemory", int(self.client.info("memory")["used_memory"]) + headroom_bytes)


def _write_documents(folder: Path, count: int, filler: str) -> None:
    folder.mkdir()
    for n in range(count):
        # A third cloud-bound, so the full Redis meets all three pools.
        body = CLOUD_BOUND if n % 3 == 0 else filler
        (folder / f"pack-{n:04d}.md").write_text(f"# Board strategy pack no. {n}\n\n{body}")


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FullRedis]:
    base = tmp_path_factory.mktemp("redis-full")
    (base / "logs").mkdir()
    _write_documents(base / "running", RUNNING, "Quarterly targets, the Northwind deal and the plan. " * 30)
    _write_documents(base / "overflow", OVERFLOW, "The Northwind term sheet, clause by clause. " * 200)
    server = RedisServer().start()  # noeviction
    ollama, openai = OllamaSimulator().start(), OpenAISimulator().start()
    # The shipped visibility timeout (an hour) and delivery limits: nothing here waits for a re-delivery.
    settings = stack_settings(
        server.url, ollama, openai, config_dir=config_dir_with(base, cloud_min_complexity="moderate")
    )
    assert settings.visibility_timeout_s == Settings().visibility_timeout_s
    workers = start_workers(settings, base / "logs")
    client = redis.Redis.from_url(server.url, decode_responses=True)
    yield FullRedis(server, settings, client, workers, base / "running", base / "overflow")
    for worker in workers:
        worker.stop()
    ollama.stop()
    openai.stop()
    client.close()
    server.close()


def _quotes_a_document(output: str) -> bool:
    """Any document's first words (what redis-py quotes in a pipeline's error), or later ones."""
    return any(words in output for words in ("Board strategy", "Northwind", "comparative analysis"))


def _refusals(client: redis.Redis) -> int:
    """How many commands Redis has refused for want of memory."""
    return int(client.info("errorstats").get("errorstat_OOM", {}).get("count", 0))


def _all_done(store: Store, batch_id: str, jobs: int) -> list[JobResult]:
    wait_until(lambda: store.report(batch_id).done, 240, f"batch {batch_id} to finish")
    results = list(store.iter_results(batch_id))
    assert store.report(batch_id).jobs == len(results) == len({r.job_id for r in results}) == jobs
    return results


def test_a_full_redis_stops_the_producer_in_one_line_and_loses_nothing_once_raised(full: FullRedis) -> None:
    # A submission that does not fit stops with one line naming the limit and what to do: no traceback,
    # no document text.
    full.limit_memory(HEADROOM_BYTES)
    overflow = full.turnout("submit", str(full.overflow), "--task", "summarize")
    assert overflow.returncode != 0
    error = overflow.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: Redis is full") and "maxmemory" in error and "noeviction" in error
    assert overflow.stderr.count("Error") == 1 and "Traceback" not in overflow.stderr, overflow.stderr
    assert not _quotes_a_document(overflow.stderr + overflow.stdout)
    overflow_id = error.rsplit("--resume ", 1)[1].rstrip("`")

    # Redis fills up while the workers are busy with a batch: they meet refusals, and none exits.
    full.client.config_set("maxmemory", 0)
    running = full.turnout("submit", str(full.running), "--task", "summarize", "--json")
    assert running.returncode == 0, running.stderr[-2000:]
    running_id = json.loads(running.stdout)["batch_id"]
    # Well below what Redis uses now: every message a worker takes off a queue frees memory, and so does
    # every finished job's text (worker/store/lifecycle.py), so a limit right at the use has room again within
    # seconds and the batch just finishes. 2 MB under it, writes stay refused until the limit is raised.
    full.limit_memory(-UNDER_USE_BYTES)
    refused_before = _refusals(full.client)

    def met_it_or_died() -> bool:
        # Workers wait out refusals with backoff, so they are refused a few times a second, not hundreds.
        return _refusals(full.client) > refused_before + 50 or not all(w.alive() for w in full.workers)

    wait_until(met_it_or_died, 120, "the workers to meet the full Redis")
    assert [w.pool for w in full.workers if not w.alive()] == []

    # The limit raised: the workers carry on by themselves; the submission is finished as the line said.
    full.client.config_set("maxmemory", 0)
    resumed = full.turnout("submit", str(full.overflow), "--task", "summarize", "--resume", overflow_id)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert not _quotes_a_document(resumed.stderr + resumed.stdout)

    store = Store.from_url(full.server.url)
    results = _all_done(store, running_id, RUNNING) + _all_done(store, overflow_id, OVERFLOW)
    assert [r for r in results if r.status is not JobStatus.SUCCEEDED] == []  # none stuck, none failed
    assert {r.route for r in results} == {RouteTarget.LOCAL, RouteTarget.CLOUD}
    assert all(w.alive() for w in full.workers)
    logged = full.worker_logs()
    assert not _quotes_a_document(logged)
    assert "Unrecoverable" not in logged
    # A full Redis is expected: Turnout's own code says so in a line, never with a traceback.
    root = re.escape(str(Path(__file__).resolve().parents[2]))
    # (JSON lines: a traceback's quotes are escaped.)
    # The transport seam (worker/celery_transport.py) runs inside kombu's own ack and reconnect: a
    # refused ack is Celery's connection error, logged by Celery with its traceback through that frame
    # (Celery's logging, left alone; seen in CI under load). Frames of Turnout's own code paths count.
    turnout_frames = [
        frame
        for frame in re.findall(rf'File \\?"{root}/(?:worker|producer|ops)/[^"\\]*', logged)
        if not frame.endswith("worker/celery_transport.py")
    ]
    assert turnout_frames == [], turnout_frames[:5]
    store.redis.close()
