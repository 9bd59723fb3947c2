"""Nothing lost, nothing leaked, nothing billed twice: the pipeline under injected faults.

One module-scoped deployment with its own persistent redis-server, two Ollama simulators, one OpenAI
simulator and real worker processes, all with the shipped settings (tests/conftest.py `shipped_settings`:
every timeout, backoff and lease as users run it, the visibility timeout an hour): a killed worker's jobs
come back through worker liveness.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, StackError, WorkerProcess, wait_until
from producer.submit import submit_batch
from producer.verify import verify_batch
from tests.conftest import config_dir_with, shipped_settings, start_workers
from worker.celery_app import create_app
from worker.flow.priority import PRIORITY_TRANSPORT_OPTIONS, queue_lists
from worker.liveness import ABSENT_FOR_S
from worker.schema import BatchReport, JobResult, TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store, keys

pytestmark = pytest.mark.integration

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
CLOUD_BOUND = "# Quarterly review: comparative analysis\n\n" + "".join(
    f"## Part {n}\n\nCompare the options and evaluate the trade-offs; analyse the risk and reason about "
    f"why one dominates.\n\n| a | b |\n|---|---|\n| {n} | {n + 1} |\n\n"
    for n in range(1, 10)
)


@dataclass
class FaultStack:
    redis: RedisServer
    settings: Settings
    ollama: list[OllamaSimulator]
    openai: OpenAISimulator
    store: Store
    workers: list[WorkerProcess]
    log_dir: Path

    @property
    def app(self):  # type: ignore[no-untyped-def]
        return create_app(self.settings)

    def replace_worker(self, pool: str) -> None:
        old = next(w for w in self.workers if w.pool == pool)
        self.workers.remove(old)
        old.kill()
        log_dir = self.log_dir / secrets.token_hex(2)
        log_dir.mkdir()
        (new,) = start_workers(self.settings, log_dir, pools=(pool,))
        self.workers.append(new)

    def submit(self, docs: dict[str, str], task: TaskSpec = SUMMARIZE) -> str:
        items = [LoadedDocument(source=s, text=t, metadata={}) for s, t in docs.items()]
        return submit_batch(self.store, self.app, items, task, force=True).batch_id

    def unfinished(self, batch_id: str) -> str:
        """Where each unfinished job is: its hash's bookkeeping fields, and its messages in Redis."""
        redis = self.store.redis
        ids = redis.lrange(keys.jobs(batch_id), 0, -1)
        unacked = [m for m in redis.hvals("unacked") if batch_id in m]
        lists = [k for k in redis.keys("*") if redis.type(k) == "list"]
        lines = []
        for job_id in ids:
            if self.store.has_result(batch_id, job_id):
                continue
            fields = redis.hmget(keys.job(batch_id, job_id), "status", "holder", "gen", "stage", "deliveries")
            queued = {k: sum(job_id in m for m in redis.lrange(k, 0, -1)) for k in lists}
            lines.append(
                f"unfinished {job_id}: status/holder/gen/stage/deliveries {fields}, "
                f"unacked {sum(job_id in m for m in unacked)}, queued {queued}, "
                f"alive {[k for k in redis.keys('tn:alive:*')]}"
            )
        return "\n".join(lines)

    def finish(self, batch_id: str, timeout_s: float = 90) -> tuple[BatchReport, list[JobResult]]:
        try:
            wait_until(lambda: self.store.report(batch_id).done, timeout_s, f"batch {batch_id} to finish")
        except StackError as exc:  # say where the missing jobs are, from the workers' (id-only) logs
            tails = "\n".join(
                f"--- {w.pool} (alive={w.alive()})\n" + w.log_path.read_text(errors="replace")[-4000:]
                for w in self.workers
            )
            raise StackError(
                f"{exc}; report {self.store.report(batch_id)}\n{self.unfinished(batch_id)}\n{tails}"
            ) from None
        return self.store.report(batch_id), list(self.store.iter_results(batch_id))


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultStack]:
    base = tmp_path_factory.mktemp("faults")
    (base / "logs").mkdir()
    redis = RedisServer(appendonly=True, data_dir=base).start()
    ollama = [OllamaSimulator().start(), OllamaSimulator().start()]
    openai = OpenAISimulator().start()
    settings = shipped_settings(  # every timeout, backoff and lease as shipped
        redis.url,
        ollama[0],
        openai,
        ollama_hosts=(ollama[0].url, ollama[1].url),
        config_dir=config_dir_with(base, cloud_min_complexity="moderate"),
        ollama_parallel=2,
        cloud_concurrency=2,
    )
    workers = start_workers(settings, base / "logs")
    stack = FaultStack(redis, settings, ollama, openai, Store.from_url(redis.url), workers, base / "logs")
    yield stack
    for worker in stack.workers:
        worker.stop()
    for sim in (*ollama, openai):
        sim.stop()
    stack.store.redis.close()
    redis.close()


@pytest.fixture(autouse=True)
def healthy_backends(faults: FaultStack) -> Iterator[None]:
    for sim in (*faults.ollama, faults.openai):
        sim.set_config(error_rate=0.0, latency_ms=0.0)
        sim.requests.clear()
        sim.answered.clear()
    yield


def assert_accounted_once(report: BatchReport, results: list[JobResult]) -> None:
    """Every job terminal exactly once, and the batch's counters equal the sum of its results."""
    assert len({r.job_id for r in results}) == len(results) == report.jobs
    assert report.succeeded + report.failed + report.rejected == report.jobs
    assert report.cost_usd == pytest.approx(sum(r.cost_usd for r in results), abs=1e-9)
    for route, totals in report.by_route.items():
        on_route = [r for r in results if r.route == route and r.status == "succeeded"]
        assert totals.input_tokens == sum(r.usage.input_tokens for r in on_route)


def local_docs(n: int, tag: str) -> dict[str, str]:
    return {
        f"{tag}-{i}.txt": f"Shift rota update {tag} {i}: warehouse B count moves to Thursday."
        for i in range(n)
    }


def test_a_busy_ollama_host_is_skipped_and_the_other_host_does_the_work(faults: FaultStack) -> None:
    busy, healthy = faults.ollama
    busy.set_config(error_rate=1.0, error_kind="busy")
    report, results = faults.finish(faults.submit(local_docs(8, "busy")))
    assert report.succeeded == 8
    assert {r.backend for r in results} == {f"ollama:{healthy.url}"}
    assert_accounted_once(report, results)


def test_a_429_storm_is_ridden_out_with_backoff_and_the_sdk_never_retries(faults: FaultStack) -> None:
    faults.openai.set_config(error_rate=1.0, error_kind="429", retry_after_s=0.2)
    batch_id = faults.submit({f"review-{i}.md": CLOUD_BOUND + f"\nEdition {i}." for i in range(3)})
    wait_until(lambda: len(faults.openai.requests) >= 4, 30, "the storm to hit a few requests")
    faults.openai.set_config(error_rate=0.0)
    report, results = faults.finish(batch_id)
    assert report.succeeded == 3 and all(r.route == "cloud" for r in results)
    assert sum(r.attempts for r in results) == len(faults.openai.requests)  # one layer retries: ours
    assert any(r.attempts > 1 for r in results)
    assert_accounted_once(report, results)


def test_malformed_cloud_answers_fall_back_to_local_and_the_result_says_so(faults: FaultStack) -> None:
    faults.openai.set_config(error_rate=1.0, error_kind="malformed")
    report, results = faults.finish(faults.submit({"review.md": CLOUD_BOUND}))
    (result,) = results
    assert result.status == "succeeded"
    assert result.route == "local" and result.fallback_from == "cloud"
    assert result.fallback_reason == "malformed_response: malformed response from the OpenAI API"
    assert len(faults.openai.requests) == faults.settings.max_attempts
    assert_accounted_once(report, results)


def test_a_local_call_that_hangs_is_cut_at_the_shipped_timeout_and_another_host_answers(
    faults: FaultStack,
) -> None:
    """A host that takes the request and never answers costs the shipped request timeout (not the hang),
    and the job then runs on a host that answers. Slow by design: the shipped timeout is what users get."""
    timeout_s = faults.settings.request_timeout_s
    for sim in faults.ollama:
        sim.set_config(error_rate=1.0, error_kind="timeout", timeout_hang_s=timeout_s + 60)
    started = time.monotonic()
    batch_id = faults.submit(local_docs(1, "timeout"))
    wait_until(lambda: sum(len(s.requests) for s in faults.ollama) >= 1, 60, "the first request")
    for sim in faults.ollama:
        sim.set_config(error_rate=0.0)  # the request already taken hangs on; the next ones are answered
    hung = next(sim for sim in faults.ollama if sim.requests)
    report, results = faults.finish(batch_id, timeout_s=timeout_s + 90)
    assert report.succeeded == 1
    assert timeout_s <= time.monotonic() - started < timeout_s + 60  # cut at the timeout, not the hang
    assert sum(len(s.answered) for s in faults.ollama) == 1 and len(hung.requests) >= 1
    assert_accounted_once(report, results)


def test_sensitive_jobs_fail_with_a_reason_when_no_local_host_is_up_and_never_reach_the_cloud(
    faults: FaultStack,
) -> None:
    for sim in faults.ollama:
        sim.set_config(error_rate=1.0, error_kind="500")
    sensitive = {
        "card.txt": "Refund card 4539 1488 0343 6467 now. " + CLOUD_BOUND,
        "mail.txt": "Write to dana.whitfield@example-corp.com about it. " + CLOUD_BOUND,
    }
    report, results = faults.finish(faults.submit(sensitive))
    assert report.failed == 2
    for result in results:
        assert result.status == "failed" and result.route == "local"
        assert result.error is not None and result.error.type in ("server_error", "no_local_host")
        assert 1 <= result.attempts <= faults.settings.max_attempts
        assert result.error.message
    cloud_traffic = json.dumps(faults.openai.requests)
    assert "4539 1488 0343 6467" not in cloud_traffic and "dana.whitfield" not in cloud_traffic
    assert_accounted_once(report, results)


def test_a_finished_job_delivered_again_is_not_run_or_billed_again(faults: FaultStack) -> None:
    batch_id = faults.submit(local_docs(1, "again"))
    before, (result,) = faults.finish(batch_id)
    calls = sum(len(s.requests) for s in faults.ollama)
    message = {"v": 1, "job_id": result.job_id, "batch_id": batch_id}
    faults.app.send_task("turnout.run_local", args=[message], task_id="duplicate-local")
    faults.app.send_task("turnout.classify", args=[message], task_id="duplicate-classify")
    marker = faults.submit(local_docs(1, "marker"))  # queued behind the duplicates on the same pools
    faults.finish(marker)
    after, (same,) = faults.finish(batch_id)
    assert same == result and after.cost_usd == before.cost_usd and after.succeeded == 1
    assert sum(len(s.requests) for s in faults.ollama) == calls + 1  # only the marker's call


def test_a_worker_killed_mid_job_loses_nothing(faults: FaultStack) -> None:
    for sim in faults.ollama:
        sim.set_config(latency_ms=1500)
    batch_id = faults.submit(local_docs(6, "kill"))
    wait_until(lambda: sum(s.in_flight for s in faults.ollama) >= 2, 30, "jobs to be mid-flight")
    faults.replace_worker("local")  # SIGKILL the worker and its threads mid-call; start a fresh one
    report, results = faults.finish(batch_id, timeout_s=120)
    assert report.succeeded == 6
    assert any(r.attempts >= 2 for r in results)  # the killed ones ran again
    assert_accounted_once(report, results)


def requests_per_job(faults: FaultStack, docs: dict[str, str]) -> dict[str, int]:
    """How many calls the Ollama hosts received for each document (its text is in the prompt)."""
    sent = [json.dumps(body) for sim in faults.ollama for body in list(sim.requests)]
    return {
        source: sum(1 for body in sent if json.dumps(text)[1:-1] in body) for source, text in docs.items()
    }


def test_sigkilled_workers_cost_seconds_not_the_visibility_timeout_and_run_nothing_twice(
    faults: FaultStack,
) -> None:
    """With the shipped visibility timeout (an hour), the jobs a SIGKILLed classify parent and a SIGKILLed
    local worker held run again within a minute, and no job is run twice."""
    assert faults.settings.visibility_timeout_s == 3600
    for sim in faults.ollama:
        sim.set_config(latency_ms=1500)
    docs = {s: t + f" Unique sigkill {i}." for i, (s, t) in enumerate(local_docs(40, "sigkill").items())}
    batch_id = faults.submit(docs)
    # The classify pool's parent dies with messages received (its children are orphaned, not killed).
    classify = next(w for w in faults.workers if w.pool == "classify")
    assert classify.process is not None
    os.kill(classify.process.pid, signal.SIGKILL)
    classify.process.wait()
    faults.workers.remove(classify)
    (log_dir := faults.log_dir / secrets.token_hex(2)).mkdir()
    (fresh,) = start_workers(faults.settings, log_dir, pools=("classify",))
    faults.workers.append(fresh)
    wait_until(lambda: sum(s.in_flight for s in faults.ollama) >= 4, 60, "local jobs to be mid-call")
    before = requests_per_job(faults, docs)
    faults.replace_worker("local")  # SIGKILL the local worker's process group mid-call
    killed_at = time.monotonic()
    report, results = faults.finish(batch_id, timeout_s=90)
    assert time.monotonic() - killed_at < 90  # an hour if recovery waited for the visibility timeout
    assert report.succeeded == 40
    assert_accounted_once(report, results)
    after = requests_per_job(faults, docs)
    # A job mid-call at the kill is called once more; every other job once in all.
    twice = [s for s in docs if after[s] > max(1, before[s] + 1) or after[s] > 2]
    assert not twice, f"run twice: {twice}"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(classify.process.pid, signal.SIGKILL)  # any orphaned pool child left over


def test_a_superseded_message_runs_nothing(faults: FaultStack) -> None:
    """A copy older than its job's generation (a dead worker's message, restored an hour later) is dropped,
    while the current one runs the job."""
    for sim in faults.ollama:
        sim.set_config(latency_ms=0)
    batch_id = faults.submit(local_docs(1, "stale"))
    _, (result,) = faults.finish(batch_id)
    job_key = keys.job(batch_id, result.job_id)
    faults.store.redis.hdel(keys.results(batch_id), result.job_id)  # as if not finished yet
    faults.store.redis.hset(job_key, "gen", 2)
    calls = sum(len(s.requests) for s in faults.ollama)
    stale = {"v": 1, "job_id": result.job_id, "batch_id": batch_id, "generation": 1}
    faults.app.send_task("turnout.run_local", args=[stale], task_id="stale-local")
    marker = faults.submit(local_docs(1, "stale-marker"))  # behind the stale copy on the same pool
    faults.finish(marker)
    assert not faults.store.has_result(batch_id, result.job_id)
    assert sum(len(s.requests) for s in faults.ollama) == calls + 1  # only the marker's call
    current = dict(stale, generation=2)
    faults.app.send_task("turnout.run_local", args=[current], task_id="current-local")
    wait_until(lambda: faults.store.has_result(batch_id, result.job_id), 30, "the current message to run")


def test_verify_reenqueues_a_job_whose_message_vanished(faults: FaultStack) -> None:
    """`status --verify`: a job with no message anywhere (its message lost from the queue) is found and
    re-enqueued, and finishes; the jobs with a message are left alone."""
    local = next(w for w in faults.workers if w.pool == "local")
    faults.workers.remove(local)
    local.stop()  # the local jobs wait in their queue
    batch_id = faults.submit(local_docs(3, "vanish"))
    lists = ("local", "local:3", "local:6")
    wait_until(
        lambda: sum(faults.store.redis.llen(k) for k in lists) == 3, 60, "the jobs to wait in the local queue"
    )
    faults.store.redis.rpop(next(k for k in lists if faults.store.redis.llen(k)))  # one message lost
    verified = verify_batch(faults.store, faults.app, batch_id)
    assert len(verified.reissued) == 1 and verified.live == 2 and verified.terminal == 0
    assert sum(faults.store.redis.llen(k) for k in lists) == 3
    (log_dir := faults.log_dir / secrets.token_hex(2)).mkdir()
    faults.workers.extend(start_workers(faults.settings, log_dir, pools=("local",)))
    report, results = faults.finish(batch_id, timeout_s=60)
    assert report.succeeded == 3
    assert_accounted_once(report, results)
    again = verify_batch(faults.store, faults.app, batch_id)
    assert again.terminal == 3 and not again.reissued


def test_a_message_lost_between_redis_and_a_consumer_is_reissued_by_the_sweeper(faults: FaultStack) -> None:
    """The stranded-job mechanism: a job handed on to its next queue whose message then vanishes (BRPOP hands
    it to a consumer that dies or reconnects before recording it as unacknowledged) is found by the workers'
    sweeper — in no queue, taken by nobody — and re-issued, with no `status --verify` needed."""
    local = next(w for w in faults.workers if w.pool == "local")
    faults.workers.remove(local)
    local.stop()
    batch_id = faults.submit(local_docs(3, "lost"))
    lists = ("local", "local:3", "local:6")
    wait_until(
        lambda: sum(faults.store.redis.llen(k) for k in lists) == 3, 60, "the jobs to wait in the local queue"
    )
    faults.store.redis.rpop(next(k for k in lists if faults.store.redis.llen(k)))  # taken, never recorded
    (log_dir := faults.log_dir / secrets.token_hex(2)).mkdir()
    faults.workers.extend(start_workers(faults.settings, log_dir, pools=("local",)))
    report, results = faults.finish(batch_id, timeout_s=90)
    assert report.succeeded == 3
    assert_accounted_once(report, results)


def test_a_queued_job_whose_message_vanished_before_any_worker_received_it_is_reissued(
    faults: FaultStack,
) -> None:
    """A job still `queued` (no worker ever received its message) whose message is lost — taken by a
    consumer that dies before recording it, or the last writes of an append-only Redis lost in a restart —
    is re-issued by the sweeper: the job is on its work list from submission, not from first receipt."""
    classify = next(w for w in faults.workers if w.pool == "classify")
    faults.workers.remove(classify)
    classify.stop()  # the classify messages wait in their queue; the other workers still sweep
    batch_id = faults.submit(local_docs(3, "queued-lost"))
    lists = queue_lists("classify", PRIORITY_TRANSPORT_OPTIONS)
    wait_until(lambda: sum(faults.store.redis.llen(k) for k in lists) == 3, 60, "3 classify messages")
    faults.store.redis.rpop(next(k for k in lists if faults.store.redis.llen(k)))  # taken, never recorded
    (log_dir := faults.log_dir / secrets.token_hex(2)).mkdir()
    faults.workers.extend(start_workers(faults.settings, log_dir, pools=("classify",)))
    report, results = faults.finish(batch_id, timeout_s=90)
    assert report.succeeded == 3
    assert_accounted_once(report, results)


def test_the_sweeper_leaves_alone_queued_jobs_whose_messages_wait_in_a_long_queue(faults: FaultStack) -> None:
    """Waiting is not lost: with no classify worker, jobs sit `queued` with their messages in the queue for
    many sweeps; none is re-issued (a second message would be harmless, but a window of 10,000 re-issued
    every few seconds would flood the queue)."""
    classify = next(w for w in faults.workers if w.pool == "classify")
    faults.workers.remove(classify)
    classify.stop()
    batch_id = faults.submit(local_docs(40, "queued-waiting"))
    lists = queue_lists("classify", PRIORITY_TRANSPORT_OPTIONS)
    wait_until(lambda: sum(faults.store.redis.llen(k) for k in lists) == 40, 60, "40 classify messages")
    members = {f"{batch_id} {job_id}" for job_id in faults.store.redis.lrange(keys.jobs(batch_id), 0, -1)}
    assert members <= set(faults.store.redis.zrange(keys.HELD, 0, -1))  # on the work list from submission
    deadline = time.monotonic() + 3 * ABSENT_FOR_S  # several sweeps, each past the absence bound
    while time.monotonic() < deadline:
        assert sum(faults.store.redis.llen(k) for k in lists) == 40
        time.sleep(1.0)
    gens = [faults.store.redis.hget(keys.job(batch_id, m.split(" ")[1]), "gen") for m in members]
    assert gens == [None] * 40  # never re-issued
    (log_dir := faults.log_dir / secrets.token_hex(2)).mkdir()
    faults.workers.extend(start_workers(faults.settings, log_dir, pools=("classify",)))
    report, results = faults.finish(batch_id, timeout_s=90)
    assert report.succeeded == 40
    assert_accounted_once(report, results)


# Last: starting a worker process after the restart fails its first ping from this process (a stale
# connection in the test's own client), so the tests that start workers run before it.
def test_a_redis_restart_mid_batch_loses_nothing_and_workers_keep_consuming(faults: FaultStack) -> None:
    for sim in faults.ollama:
        sim.set_config(latency_ms=300)
    batch_id = faults.submit(local_docs(16, "restart"))
    wait_until(lambda: faults.store.report(batch_id).succeeded >= 3, 60, "some jobs to finish")
    faults.redis.stop()  # append-only with fsync always: the restart keeps every acknowledged write
    faults.redis.start()
    report, results = faults.finish(batch_id, timeout_s=150)
    assert report.succeeded == 16
    assert_accounted_once(report, results)
    # The same workers (not replacements) finished the batch: they reconnected instead of going deaf.
    assert all(w.alive() for w in faults.workers)
    after = faults.submit(local_docs(2, "after-restart"))
    assert faults.finish(after, timeout_s=60)[0].succeeded == 2
