"""The cloud-batch route's steps on real Redis and the OpenAI simulator, driven in this process.

Each test builds a worker Runtime, classifies real jobs, and runs the collector, the flush and the poller
directly (no Celery), with a dispatcher that records what would be sent. The end-to-end test with real
worker processes and a restart is tests/integration/test_batch_e2e.py.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.local_stack import RedisServer, wait_until
from producer.verify import verify_batch
from tests.conftest import REPO_ROOT, SECOND_LINE_OFF, stack_settings
from worker import pipeline
from worker.batch import flush, poller
from worker.batch.collector import advance_job
from worker.batch.progress import batch_progress
from worker.batch.provider import BatchProvider, StagedRequest
from worker.batch.revive import STALLED_AFTER_S, Reviver
from worker.celery_app import create_app
from worker.errors import SensitiveDataBlocked
from worker.liveness import ABSENT_FOR_S, SWEEP_EVERY_S, Liveness
from worker.queues import BATCH_FLUSH_TASK, BATCH_QUEUE
from worker.recovery import revive, sweep
from worker.runtime import Runtime, build_runtime
from worker.schema import (
    JobMessage,
    JobResult,
    RouteTarget,
    Sensitivity,
    SubmitOptions,
    TaskKind,
    TaskSpec,
    Usage,
)
from worker.store import NewJob, Store
from worker.store.batch_route import BatchState

pytestmark = pytest.mark.integration

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
CLOUD_BOUND = "# Quarterly review: comparative analysis\n\n" + "".join(
    f"## Part {n}\n\nCompare the options and evaluate the trade-offs; analyse the risk and reason about "
    f"why one dominates.\n\n| a | b |\n|---|---|\n| {n} | {n + 1} |\n\n"
    for n in range(1, 10)
)
FAST_BATCH = {
    "flush_idle_s": 0.2,
    "flush_max_wait_s": 2,
    "poll_interval_s": 0.1,
    "poll_interval_max_s": 0.5,
}


def batch_config_dir(
    target: Path,
    routes: dict[str, Any] | None = None,
    second_line: dict[str, Any] = SECOND_LINE_OFF,
    **batch: Any,
) -> Path:
    """A copy of the shipped configs/ with some `routes:` and `batch:` rules changed (the second line
    off unless asked for, as in tests.conftest.config_dir_with)."""
    shutil.copytree(REPO_ROOT / "configs", target)
    routing = yaml.safe_load((target / "routing.yaml").read_text())
    routing["routes"].update({"cloud_min_complexity": "moderate", **(routes or {})})
    routing["batch"].update(batch)
    routing["second_line"] = second_line
    (target / "routing.yaml").write_text(yaml.safe_dump(routing))
    return target


def cloud_docs(n: int, tag: str) -> dict[str, str]:
    return {f"{tag}-{i}.md": CLOUD_BOUND + f"\nEdition {tag} {i}." for i in range(n)}


@dataclass
class Recorder:
    """A Dispatch that records instead of sending Celery messages."""

    advanced: list[str] = field(default_factory=list)
    rerouted: list[tuple[RouteTarget, str]] = field(default_factory=list)

    def advance(self, batch_id: str, job_ids: list[str]) -> None:
        self.advanced.extend(job_ids)

    def reroute(self, target: RouteTarget, batch_id: str, job_id: str) -> None:
        self.rerouted.append((target, job_id))


@dataclass
class Flow:
    rt: Runtime
    state: BatchState
    provider: BatchProvider
    openai: OpenAISimulator
    dispatch: Recorder

    @property
    def store(self) -> Store:
        return self.rt.store

    def submit(self, docs: dict[str, str], task: TaskSpec = SUMMARIZE, deadline_s: float = 86_400) -> str:
        """A sealed batch whose jobs are classified and routed (as the classify pool would)."""
        batch_id = f"bt{time.time_ns()}"
        self.store.create_batch(batch_id, task, SubmitOptions(deadline_s=deadline_s))
        jobs = [
            NewJob(f"{batch_id}.{n:06d}", source, text) for n, (source, text) in enumerate(docs.items(), 1)
        ]
        self.store.add_jobs(batch_id, jobs)
        self.store.seal_batch(batch_id, len(jobs))
        for job in jobs:
            target = pipeline.classify_job(self.rt, JobMessage(job_id=job.job_id, batch_id=batch_id))
            if target is RouteTarget.CLOUD_BATCH:
                self.dispatch.advance(batch_id, [job.job_id])
        return batch_id

    def advance_all(self, batch_id: str) -> None:
        todo, self.dispatch.advanced = self.dispatch.advanced, []
        for job_id in todo:
            advance_job(self.rt, self.state, JobMessage(job_id=job_id, batch_id=batch_id))

    def run_groups(self, batch_id: str, timeout_s: float = 20) -> list[str]:
        """Flush whatever is staged and poll every unfinished group until it is done."""
        made = flush.flush(self.state, self.store, batch_id, self.rt.policies.routing.batch, force=True)
        deadline = time.monotonic() + timeout_s
        for gid in self.state.groups(batch_id):
            while (
                wait_s := poller.step_group(self.rt, self.state, self.provider, self.dispatch, batch_id, gid)
            ) is not None:
                assert time.monotonic() < deadline, f"group {gid} did not finish"
                time.sleep(min(wait_s, 0.1))
        return made.groups

    def run(self, batch_id: str, rounds: int = 5) -> list[JobResult]:
        """Advance, flush and poll until nothing is left to advance."""
        for _ in range(rounds):
            self.advance_all(batch_id)
            self.run_groups(batch_id)
            if not self.dispatch.advanced:
                break
        return list(self.store.iter_results(batch_id))


@pytest.fixture
def make_flow(
    own_redis: RedisServer, sims: tuple[OllamaSimulator, OpenAISimulator], tmp_path: Path
) -> Iterator[Any]:
    made: list[Flow] = []
    ollama, openai = sims

    def make(routes: dict[str, Any] | None = None, **batch: Any) -> Flow:
        config_dir = batch_config_dir(tmp_path / f"configs{len(made)}", routes, **{**FAST_BATCH, **batch})
        settings = stack_settings(own_redis.url, ollama, openai, config_dir=config_dir)
        rt = build_runtime(settings)
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        provider = BatchProvider(base_url=settings.openai_base_url, api_key=key, timeout_s=10)
        flow = Flow(rt, BatchState(rt.store.redis), provider, openai, Recorder())
        made.append(flow)
        return flow

    openai.batches.reset()
    openai.batches.configure(completion_s=0.3)
    openai.set_config(invalid_answers=0)
    openai.requests.clear()
    openai.answered.clear()
    yield make
    for flow in made:
        flow.provider.close()
        flow.rt.close()
    assert openai.internal_errors == []


def by_job(results: list[JobResult]) -> dict[str, JobResult]:
    return {r.job_id: r for r in results}


def sent_ids(openai: OpenAISimulator) -> list[str]:
    return [custom_id for _, custom_id in openai.batches.uploaded]


# ---- the happy path ----------------------------------------------------------------------------------
def test_a_deadline_batch_runs_through_the_batch_api_at_batch_prices(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = flow.submit(cloud_docs(3, "happy"))
    results = flow.run(batch_id)
    assert len(results) == 3 and all(r.status == "succeeded" for r in results)
    prices = flow.rt.policies.prices
    for result in results:
        assert result.route == "cloud-batch" and result.backend and result.backend.startswith("openai-batch:")
        assert result.output and result.attempts == 1
        assert result.cost_usd == pytest.approx(prices.batch_cost_pico("gpt-4o-mini", result.usage) / 1e12)
        assert result.cost_usd == pytest.approx(result.baseline_cost_usd / 2)
    assert sorted(sent_ids(flow.openai)) == sorted(r.job_id for r in results)  # each request sent once
    assert len(flow.openai.batches.created()) == 1
    # Usage is what the provider reported for each request, joined back on custom_id.
    reported = {a["custom_id"]: a for a in flow.openai.answered}
    for result in results:
        assert result.usage == Usage(
            input_tokens=reported[result.job_id]["prompt_tokens"],
            output_tokens=reported[result.job_id]["completion_tokens"],
        )
    report = flow.store.report(batch_id)
    batch_route = report.by_route["cloud-batch"]
    assert batch_route.jobs == 3 and batch_route.savings_usd == pytest.approx(batch_route.cost_usd)
    assert report.cost_usd == pytest.approx(sum(r.cost_usd for r in results))


def test_provider_files_are_deleted_once_joined(make_flow: Any) -> None:
    flow = make_flow()
    flow.run(flow.submit(cloud_docs(2, "tidy")))
    assert flow.openai.batches.files == {}  # input, output: nothing of the documents stays at the provider


def test_status_progress_counts_provider_requests(make_flow: Any) -> None:
    flow = make_flow()
    flow.openai.batches.configure(fail_custom_ids=())
    batch_id = flow.submit(cloud_docs(3, "progress"))
    flow.advance_all(batch_id)
    staged = batch_progress(flow.store, batch_id)
    assert staged is not None and staged.staged == 3 and staged.provider_batches == 0
    flow.run_groups(batch_id)
    done = batch_progress(flow.store, batch_id)
    assert done is not None
    assert (done.provider_batches, done.in_progress, done.requests, done.completed, done.failed) == (
        1,
        0,
        3,
        3,
        0,
    )
    assert "requests completed 3/3, failed 0" in done.line()


def test_a_batch_without_a_long_deadline_stays_real_time(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = flow.submit(cloud_docs(1, "rt"), deadline_s=3600)
    assert flow.dispatch.advanced == []
    job = flow.store.job(batch_id, f"{batch_id}.000001")
    assert job.route is not None and job.route.target is RouteTarget.CLOUD


# ---- splitting -----------------------------------------------------------------------------------------
def test_requests_over_the_file_limits_are_split_into_several_provider_batches(make_flow: Any) -> None:
    flow = make_flow(max_requests_per_file=2)
    flow.openai.batches.configure(max_requests=2)
    batch_id = flow.submit(cloud_docs(5, "split"))
    results = flow.run(batch_id)
    assert len(results) == 5 and all(r.status == "succeeded" and r.route == "cloud-batch" for r in results)
    created = flow.openai.batches.created()
    assert sorted(len(b.lines) for b in created) == [1, 2, 2]
    assert sorted(sent_ids(flow.openai)) == sorted(r.job_id for r in results)


def test_a_byte_limit_splits_files_too(make_flow: Any) -> None:
    line_bytes = len(json.dumps({"body": CLOUD_BOUND})) + 400
    flow = make_flow(max_bytes_per_file=int(line_bytes * 2.5))
    flow.openai.batches.configure(max_bytes=int(line_bytes * 2.5))
    batch_id = flow.submit(cloud_docs(4, "bytes"))
    results = flow.run(batch_id)
    assert all(r.status == "succeeded" for r in results) and len(results) == 4
    assert len(flow.openai.batches.created()) == 2


def test_a_request_too_big_for_any_file_falls_back_by_policy(make_flow: Any) -> None:
    flow = make_flow(max_bytes_per_file=1_000)
    batch_id = flow.submit(cloud_docs(1, "huge"))
    flow.run(batch_id)
    (job_id,) = [j for _, j in flow.dispatch.rerouted]
    job = flow.store.job(batch_id, job_id)
    assert job.route is not None and job.route.target is RouteTarget.CLOUD
    assert job.route.fallback_from is RouteTarget.CLOUD_BATCH
    assert sent_ids(flow.openai) == []


# ---- failures, expiry ----------------------------------------------------------------------------------
def test_failed_requests_fall_back_to_the_real_time_route_and_the_others_succeed(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = flow.submit(cloud_docs(3, "partial"))
    failing = f"{batch_id}.000002"
    flow.openai.batches.configure(fail_custom_ids={failing})
    results = by_job(flow.run(batch_id))
    assert set(results) == {f"{batch_id}.000001", f"{batch_id}.000003"}
    assert flow.dispatch.rerouted == [(RouteTarget.CLOUD, failing)]
    job = flow.store.job(batch_id, failing)
    assert job.route is not None and job.route.target is RouteTarget.CLOUD
    assert job.route.fallback_from is RouteTarget.CLOUD_BATCH
    assert "fallback: batch request not answered" in job.route.reasons
    # The fallen-back job then runs on the real-time route like any cloud job, with the result saying so.
    pipeline.execute_job(flow.rt, JobMessage(job_id=failing, batch_id=batch_id), RouteTarget.CLOUD)
    fell_back = flow.store.job(batch_id, failing)
    (result,) = [r for r in flow.store.iter_results(batch_id) if r.job_id == failing]
    assert (
        fell_back.status == "succeeded" and result.route == "cloud" and result.fallback_from == "cloud-batch"
    )


def test_failed_requests_fail_with_a_reason_when_the_policy_says_so(make_flow: Any) -> None:
    flow = make_flow(on_failure="fail")
    batch_id = flow.submit(cloud_docs(2, "fail"))
    failing = f"{batch_id}.000001"
    flow.openai.batches.configure(fail_custom_ids={failing})
    results = by_job(flow.run(batch_id))
    assert results[failing].status == "failed" and results[failing].error is not None
    assert results[failing].error.type == "batch_request_failed" and "500" in results[failing].error.message
    assert results[f"{batch_id}.000002"].status == "succeeded"
    assert flow.dispatch.rerouted == []


def test_an_expired_batch_keeps_its_answers_and_the_rest_fall_back(make_flow: Any) -> None:
    flow = make_flow(on_failure="local")
    flow.openai.batches.configure(expire=True, expire_answered=1)
    batch_id = flow.submit(cloud_docs(3, "expire"))
    results = flow.run(batch_id)
    assert len(results) == 1 and results[0].status == "succeeded" and results[0].route == "cloud-batch"
    assert sorted(t for t, _ in flow.dispatch.rerouted) == [RouteTarget.LOCAL, RouteTarget.LOCAL]
    for _, job_id in flow.dispatch.rerouted:
        job = flow.store.job(batch_id, job_id)
        assert job.route is not None and job.route.fallback_from is RouteTarget.CLOUD_BATCH


def test_a_job_whose_later_call_fails_is_rebatched_not_billed_twice(make_flow: Any) -> None:
    """An extraction answer that needs a repair takes a second round; if that round fails, it is re-batched."""
    flow = make_flow(routes={"cloud_min_complexity": "simple"})
    extract = TaskSpec(kind=TaskKind.EXTRACT, fields=("title", "amount"))
    flow.openai.set_config(invalid_answers=1)  # the first answer fails the schema: one repair call follows
    batch_id = flow.submit(cloud_docs(1, "repair"), task=extract)
    job_id = f"{batch_id}.000001"
    flow.advance_all(batch_id)
    flow.run_groups(batch_id)  # round 1: answered, invalid
    flow.advance_all(batch_id)  # the repair is staged
    flow.openai.batches.configure(fail_custom_ids={job_id})
    flow.run_groups(batch_id)  # round 2 fails: re-batched (its first call was answered and billed)
    assert flow.dispatch.rerouted == [] and flow.dispatch.advanced == [job_id]
    flow.openai.batches.configure(fail_custom_ids=())
    (result,) = flow.run(batch_id)
    assert result.status == "succeeded" and result.route == "cloud-batch" and result.attempts == 3
    answered = [a for a in flow.openai.answered if a.get("custom_id") == job_id]
    assert len(answered) == 2  # the invalid first answer and the repair: both billed, once each
    usage = Usage(
        input_tokens=sum(a["prompt_tokens"] for a in answered),
        output_tokens=sum(a["completion_tokens"] for a in answered),
    )
    assert result.usage == usage
    assert result.cost_usd == pytest.approx(
        flow.rt.policies.prices.batch_cost_pico("gpt-4o-mini", usage) / 1e12
    )


# ---- never twice: crashes between the provider's answer and our record --------------------------------
def test_an_upload_whose_answer_was_lost_is_found_not_repeated(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = flow.submit(cloud_docs(2, "lostfile"))
    flow.advance_all(batch_id)
    (gid,) = flush.flush(flow.state, flow.store, batch_id, flow.rt.policies.routing.batch, force=True).groups
    members = flow.state.group_members(batch_id, gid)
    requests = [
        StagedRequest(job_id, Sensitivity.PUBLIC, entry["line"]["body"])
        for job_id, entry in zip(
            members, flow.state.staged_lines(batch_id, list(members.values())), strict=True
        )
        if entry
    ]
    # A worker recorded its intent, uploaded, and died before recording the file id.
    flow.state.update_group(batch_id, gid, state="uploading", upload_intent_at=repr(time.time()))
    flow.provider.upload(f"turnout-{batch_id}-{gid}.jsonl", requests)
    results = flow.run(batch_id)
    assert len(results) == 2 and all(r.status == "succeeded" for r in results)
    assert len(flow.openai.batches.created()) == 1
    assert sorted(sent_ids(flow.openai)) == sorted(r.job_id for r in results)  # uploaded once


def test_a_create_whose_answer_was_lost_is_found_not_repeated(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = flow.submit(cloud_docs(2, "lostbatch"))
    flow.advance_all(batch_id)
    (gid,) = flush.flush(flow.state, flow.store, batch_id, flow.rt.policies.routing.batch, force=True).groups
    poller._upload(flow.rt, flow.state, flow.provider, batch_id, gid, flow.state.group(batch_id, gid))
    file_id = flow.state.group(batch_id, gid)["file_id"]
    # A worker recorded its intent, created the provider batch, and died before recording its id.
    flow.state.update_group(batch_id, gid, state="creating", create_intent_at=repr(time.time()))
    flow.provider.create(file_id, {"turnout_batch": batch_id, "turnout_group": gid})
    flow.run_groups(batch_id)  # nothing staged; polls nothing new
    while poller.step_group(flow.rt, flow.state, flow.provider, flow.dispatch, batch_id, gid) is not None:
        time.sleep(0.05)
    results = flow.run(batch_id)
    assert len(results) == 2 and all(r.status == "succeeded" for r in results)
    assert len(flow.openai.batches.created()) == 1  # adopted, never created twice


def test_a_re_delivered_job_is_staged_once(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = flow.submit(cloud_docs(1, "twice"))
    flow.dispatch.advanced *= 3
    flow.advance_all(batch_id)
    assert flow.state.pending_count(batch_id) == 1
    assert flow.store.job(batch_id, f"{batch_id}.000001").attempts == 1


# ---- the sensitivity guard -------------------------------------------------------------------------------
SECRET = "Refund card 4539 1488 0343 6467 now."


def test_a_sensitive_job_on_the_batch_route_is_never_staged(make_flow: Any) -> None:
    """Defence in depth: if a restricted job reached cloud-batch (a bug), the collector refuses it."""
    flow = make_flow()
    batch_id = flow.submit(cloud_docs(1, "guard1"))
    job_id = f"{batch_id}.000001"
    job = flow.store.job(batch_id, job_id)
    assert job.tags is not None and job.route is not None
    restricted = job.tags.model_copy(update={"sensitivity": Sensitivity.RESTRICTED})
    flow.store.set_routed(batch_id, job_id, restricted, job.route)
    with pytest.raises(SensitiveDataBlocked):
        advance_job(flow.rt, flow.state, JobMessage(job_id=job_id, batch_id=batch_id))
    assert flow.state.pending_count(batch_id) == 0


def test_a_job_that_became_sensitive_after_staging_is_not_uploaded(make_flow: Any) -> None:
    """The store is checked again right before the upload: the job fails and its text never leaves."""
    flow = make_flow()
    batch_id = flow.submit({"a.md": CLOUD_BOUND + "\nmarker-zebra-42", "b.md": CLOUD_BOUND + "\nplain"})
    flow.advance_all(batch_id)  # both staged while (wrongly) tagged public
    job_id = f"{batch_id}.000001"
    job = flow.store.job(batch_id, job_id)
    assert job.tags is not None and job.route is not None
    flow.store.set_routed(
        batch_id, job_id, job.tags.model_copy(update={"sensitivity": Sensitivity.CONFIDENTIAL}), job.route
    )
    results = by_job(flow.run(batch_id))
    assert results[job_id].status == "failed" and results[job_id].error is not None
    assert results[job_id].error.type == "sensitive_blocked"
    assert results[f"{batch_id}.000002"].status == "succeeded"
    assert "marker-zebra-42" not in json.dumps(flow.openai.requests)
    assert job_id not in sent_ids(flow.openai)


def test_the_provider_refuses_a_sensitive_request_before_any_byte_leaves(make_flow: Any) -> None:
    flow = make_flow()
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": SECRET}]}
    requests = [
        StagedRequest("ok", Sensitivity.PUBLIC, {"model": "gpt-4o-mini", "messages": []}),
        StagedRequest("bad", Sensitivity.RESTRICTED, body),
    ]
    with pytest.raises(SensitiveDataBlocked):
        flow.provider.upload("turnout-guard.jsonl", requests)
    assert flow.openai.batches.files == {} and flow.openai.requests == []


def test_sensitive_documents_are_routed_local_even_with_a_deadline(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = flow.submit(
        {"card.md": SECRET + CLOUD_BOUND, "mail.md": "Mail dana.whitfield@example-corp.com. " + CLOUD_BOUND}
    )
    assert flow.dispatch.advanced == []
    for n in (1, 2):
        job = flow.store.job(batch_id, f"{batch_id}.00000{n}")
        assert job.route is not None and job.route.target is RouteTarget.LOCAL


def test_a_step_lock_held_by_a_dead_worker_is_taken_over_at_once(store: Store) -> None:
    """A worker killed inside a poll or flush step leaves the step's lock behind, with a TTL covering the
    step's slowest calls (3 * request_timeout_s + 30: 390 s shipped). Its owner's heartbeat expires within
    seconds: then the lock is taken over, not waited out. A live owner's lock, and one that names no owner,
    are not."""
    state, holds = BatchState(store.redis), store.holds
    batch_id = f"b-lock-{time.time_ns()}"
    with state.lock(batch_id, "g:g0001", 390, owner="dead-worker") as taken:
        assert taken
        with state.lock(batch_id, "g:g0001", 390, owner="live-worker") as second:
            assert second  # the first owner has no heartbeat: it is dead
    holds.beat("live-worker", 15_000, "lock-test-node", "{}")
    try:
        with state.lock(batch_id, "g:g0001", 390, owner="live-worker") as taken:
            assert taken
            with state.lock(batch_id, "g:g0001", 390, owner="other-worker") as second:
                assert not second  # its owner beats: a step is in progress
        with state.lock(batch_id, "g:g0001", 390) as taken:
            assert taken
            with state.lock(batch_id, "g:g0001", 390, owner="other-worker") as second:
                assert not second  # no owner named: only its TTL frees it
    finally:
        holds.leave("live-worker", "lock-test-node")


# ---- the sweeper and jobs waiting at the provider -------------------------------------------------------
def test_the_sweeper_leaves_jobs_at_the_provider_alone_and_reissues_a_lost_collect(make_flow: Any) -> None:
    """A cloud-batch job whose request waits in a provider batch has no message and no holder: the group's
    poll chain brings it back, for up to the provider's 24 h window. The sweeper (shipped ABSENT_FOR_S) must
    not re-issue its collect every few seconds (a storm at 10,000 jobs). But a collect message lost before
    its job was staged, or after the job's answer came back, is re-issued."""
    flow = make_flow()
    flow.openai.batches.configure(completion_s=3600)
    waiting = flow.submit(cloud_docs(3, "at-provider"))
    staged, never = [f"{waiting}.{n:06d}" for n in (1, 2)], f"{waiting}.000003"
    flow.dispatch.advanced = list(staged)  # job 3's collect message was lost before any worker ran it
    flow.advance_all(waiting)
    flush.flush(flow.state, flow.store, waiting, flow.rt.policies.routing.batch, force=True)
    for gid in flow.state.groups(waiting):
        assert poller.step_group(flow.rt, flow.state, flow.provider, flow.dispatch, waiting, gid) is not None
    flow.openai.batches.configure(completion_s=0.3)
    answered = flow.submit(cloud_docs(1, "answered"))
    flow.advance_all(answered)
    flow.run_groups(answered)  # joined: its next collect is "sent" to the recorder, i.e. lost
    came_back = f"{answered}.000001"
    assert flow.dispatch.advanced == [came_back]
    every = [(waiting, j) for j in (*staged, never)] + [(answered, came_back)]
    with flow.store.redis.pipeline() as pipe:  # on the sweeper's work list, as the producer puts them
        for batch_id, job_id in every:
            flow.store.mark_enqueued(pipe, batch_id, job_id)
        pipe.execute()

    app, liveness = create_app(flow.rt.settings), Liveness(flow.store)
    started = time.monotonic()

    def collects() -> set[str]:
        sweep(app, liveness, "test-sweeper")
        queued = liveness.waiting_messages(taken=False) or {}
        return {job_id for _, job_id, _ in queued}

    wait_until(lambda: {never, came_back} <= collects(), 60, "the lost collects re-issued", interval_s=1)
    while time.monotonic() - started < ABSENT_FOR_S + 3 * SWEEP_EVERY_S:
        assert not collects() & set(staged), "a job waiting at the provider was re-issued"
        time.sleep(SWEEP_EVERY_S)
    for job_id in staged:
        assert flow.store.job(waiting, job_id).generation == 0
    verified = verify_batch(flow.store, app, waiting)  # `turnout status --verify` agrees, and repairs nothing
    assert (verified.batch_api, verified.live, verified.reissued) == (2, 1, [])


def test_a_batch_api_chain_a_dead_worker_left_overdue_is_revived_once(make_flow: Any) -> None:
    """A worker killed while it holds a group's poll (waiting out its countdown) or the flush tick returns
    the message only after the visibility timeout (an hour, shipped). The sweeper sends the batch a resume
    tick once the chain is STALLED_AFTER_S overdue, and not again while the tick has time to run; a chain
    whose next step is not due yet is left alone."""
    flow = make_flow()
    flow.openai.batches.configure(completion_s=3600)
    polled = flow.submit(cloud_docs(1, "poll-stalled"))
    flow.advance_all(polled)
    (gid,) = flush.flush(flow.state, flow.store, polled, flow.rt.policies.routing.batch, force=True).groups
    app, reviver = create_app(flow.rt.settings), Reviver()
    flow.state.record_poll(polled, gid, 3, time.time() + 60)  # a live chain: its next poll is a minute away
    assert polled not in revive(app, flow.state, reviver)
    dead_since = time.time() - STALLED_AFTER_S - 1  # its message died with a worker
    flow.state.record_poll(polled, gid, 3, dead_since)
    assert polled in revive(app, flow.state, reviver)
    assert polled not in revive(app, flow.state, reviver)  # sent already: the tick needs time to run
    flushing = flow.submit(cloud_docs(1, "flush-stalled"))
    flow.advance_all(flushing)  # staged: its flush chain is armed (tick 1), and here no tick will ever run
    flow.state.record_flush_tick(flushing, 1, dead_since)
    assert flushing in revive(app, flow.state, reviver)
    ticks = [tick for tick in resume_ticks(flow.store) if tick[0] in (polled, flushing)]
    assert ticks == [[polled, 1, True], [flushing, 1, True]]


def resume_ticks(store: Store) -> list[list[Any]]:
    """The flush ticks waiting in the cloud-batch queue, oldest first, as their arguments."""
    ticks = []
    for raw in reversed(store.redis.lrange(BATCH_QUEUE, 0, -1)):  # kombu pushes on the left
        envelope = json.loads(raw)
        if envelope["headers"]["task"] == BATCH_FLUSH_TASK:
            ticks.append(json.loads(base64.b64decode(envelope["body"]))[0])
    return ticks
