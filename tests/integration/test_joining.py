"""An identical job in flight is joined, not run again (worker/joining.py): on a real Redis, then with two
real concurrent `turnout submit` processes, real workers and the simulators counting the model calls."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery

from ops.simulators import OllamaSimulator, OpenAISimulator
from ops.simulators.common import SimConfig
from producer.loaders import LoadedDocument, iter_documents
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from producer.purge import purge_batch
from producer.submit import submit_batch
from tests.conftest import config_dir_with, stack_settings, start_workers
from tests.integration.subprocesses import clean_env
from worker import joining
from worker.celery_app import create_app
from worker.schema import JobResult, JobStatus, Sensitivity, TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import CostedResult, NewJob, Store

pytestmark = pytest.mark.integration

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


@pytest.fixture(scope="module")
def quiet_redis() -> Iterator[RedisServer]:
    """A Redis no worker consumes: the jobs submitted to it stay in flight (the module's workers use another)."""
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def store(quiet_redis: RedisServer) -> Iterator[Store]:
    store = Store.from_url(quiet_redis.url)
    yield store
    store.close()


@pytest.fixture
def app(quiet_redis: RedisServer) -> Celery:
    return create_app(Settings(broker_url=quiet_redis.url))


def docs(*texts: str, floor: str | None = None) -> list[LoadedDocument]:
    meta = {"sensitivity": floor} if floor else {}
    return [LoadedDocument(source=f"d{i}.txt", text=t, metadata=meta) for i, t in enumerate(texts)]


def fresh(n: int) -> list[str]:
    run = uuid.uuid4().hex[:8]
    return [f"Note {run}-{i}: the team lunch moved to Thursday at noon." for i in range(n)]


def job_ids(store: Store, batch_id: str) -> list[str]:
    return [job_id for chunk in store.job_ids(batch_id) for job_id in chunk]


def finish(store: Store, batch_id: str, job_id: str, status: JobStatus) -> JobResult:
    """Record a leader's terminal result as a worker would."""
    result = JobResult(
        job_id=job_id,
        batch_id=batch_id,
        source="d0.txt",
        status=status,
        sensitivity=Sensitivity.PUBLIC,
        output="the answer" if status is JobStatus.SUCCEEDED else None,
        cost_usd=0.25,
    )
    store.record_result(CostedResult(result, 250_000_000_000, 500_000_000_000))
    return result


def test_a_submission_joins_the_unfinished_identical_jobs_of_another_batch(store: Store, app: Celery) -> None:
    texts = fresh(3)
    first = submit_batch(store, app, docs(*texts), SUMMARIZE)
    second = submit_batch(
        store, app, docs(*texts, "A document nobody submitted before " + texts[0]), SUMMARIZE
    )
    assert (first.joined, second.joined) == (0, 3)
    leaders = job_ids(store, first.batch_id)
    joins = [store.job(second.batch_id, j).joins for j in job_ids(store, second.batch_id)]
    assert joins == [f"{first.batch_id} {leader}" for leader in leaders] + [None]
    forced = submit_batch(store, app, docs(*texts), SUMMARIZE, force=True)
    assert forced.joined == 0 and all(
        store.job(forced.batch_id, j).joins is None for j in job_ids(store, forced.batch_id)
    )
    other_task = submit_batch(store, app, docs(*texts), TaskSpec(kind=TaskKind.CLASSIFY, labels=("a", "b")))
    assert other_task.joined == 0
    twice = fresh(1) * 2  # the same text twice in one batch: both run, as they always did
    assert submit_batch(store, app, docs(*twice), SUMMARIZE).joined == 0


def test_a_job_joins_only_a_leader_run_at_least_at_its_floor(store: Store, app: Celery) -> None:
    texts = fresh(2)
    submit_batch(store, app, docs(*texts), SUMMARIZE)
    assert submit_batch(store, app, docs(*texts), SUMMARIZE, floor=Sensitivity.CONFIDENTIAL).joined == 0
    restricted = fresh(2)
    submit_batch(store, app, docs(*restricted), SUMMARIZE, floor=Sensitivity.RESTRICTED)
    assert submit_batch(store, app, docs(*restricted), SUMMARIZE, floor=Sensitivity.CONFIDENTIAL).joined == 2


def test_a_joiner_waits_then_takes_a_success_or_runs_alone(store: Store, app: Celery) -> None:
    texts = fresh(3)
    leader = submit_batch(store, app, docs(*texts), SUMMARIZE)
    joiner = submit_batch(store, app, docs(*texts), SUMMARIZE)
    leaders, joiners = job_ids(store, leader.batch_id), job_ids(store, joiner.batch_id)
    looks = [joining.look(store, store.job(joiner.batch_id, j), retries=0) for j in joiners]
    assert all(look.wait_s is not None and look.result is None for look in looks)  # all three still run

    ran = finish(store, leader.batch_id, leaders[0], JobStatus.SUCCEEDED)
    took = joining.look(store, store.job(joiner.batch_id, joiners[0]), retries=3)
    assert took.result == ran
    copy = joining.joined_result(store.job(joiner.batch_id, joiners[0]), ran)
    assert copy.joined and copy.reused_from == leaders[0] and copy.output == "the answer"
    assert copy.cost_usd == 0 and copy.usage.input_tokens == 0 and copy.batch_id == joiner.batch_id

    finish(store, leader.batch_id, leaders[1], JobStatus.FAILED)
    assert joining.look(store, store.job(joiner.batch_id, joiners[1]), retries=3).why == "leader_failed"

    purge_batch(store, leader.batch_id)  # the leaders go: the one still running too
    assert joining.look(store, store.job(joiner.batch_id, joiners[2]), retries=3).why == "leader_gone"
    # Running alone, it leads its document now: the next submission joins it, not the failed leader.
    alone = store.job(joiner.batch_id, joiners[1])
    joining.run_alone(store, alone)
    assert store.job(joiner.batch_id, joiners[1]).joins is None
    third = submit_batch(store, app, docs(*texts), SUMMARIZE)
    assert (
        store.job(third.batch_id, job_ids(store, third.batch_id)[1]).joins
        == f"{joiner.batch_id} {joiners[1]}"
    )


def test_a_leader_stored_but_never_sent_is_waited_for_a_minute_only(store: Store) -> None:
    """Its submitter died between storing and sending it: the joiner runs itself after UNSENT_WAIT_S."""
    text = fresh(1)[0]
    for batch_id in ("b-dead", "b-join"):
        store.create_batch(batch_id, SUMMARIZE)
        store.add_jobs(batch_id, [NewJob(job_id=f"{batch_id}.000001", source="d0.txt", text=text)])
    doc = Store.doc_key(text)
    dead = [joining.Runnable("b-dead.000001", doc, None)]
    assert joining.lead_or_join(store, SUMMARIZE, "b-dead", dead, force=False) == {}
    joiner = [joining.Runnable("b-join.000001", doc, None)]
    joined = joining.lead_or_join(store, SUMMARIZE, "b-join", joiner, force=False)
    assert joined == {"b-join.000001": "b-dead b-dead.000001"}
    store.one_trip(lambda pipe: store.mark_joined(pipe, "b-join", "b-join.000001", joined["b-join.000001"]))
    job = store.job("b-join", "b-join.000001")
    assert joining.look(store, job, retries=0).wait_s is not None  # the first look starts the clock
    a_minute_on = time.time() + joining.UNSENT_WAIT_S + 1
    assert joining.look(store, job, retries=5, now=a_minute_on).why == "leader_never_sent"


def test_a_finished_leader_is_taken_over_by_the_next_submission(store: Store, app: Celery) -> None:
    texts = fresh(1)
    first = submit_batch(store, app, docs(*texts), SUMMARIZE)
    finish(store, first.batch_id, job_ids(store, first.batch_id)[0], JobStatus.FAILED)  # not reusable
    second = submit_batch(store, app, docs(*texts), SUMMARIZE)
    assert second.joined == 0 and second.reused == 0
    third = submit_batch(store, app, docs(*texts), SUMMARIZE)
    assert third.joined == 1
    assert store.job(third.batch_id, job_ids(store, third.batch_id)[0]).joins == (
        f"{second.batch_id} {job_ids(store, second.batch_id)[0]}"
    )


# ---- real workers, real submissions -----------------------------------------------------------------------
LATENCY_MS = 2500  # each model call takes this long: the first batch is still running when the second comes


@pytest.fixture(scope="module")
def slow_stack(
    own_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, OllamaSimulator, OpenAISimulator, list[WorkerProcess]]]:
    ollama = OllamaSimulator(config=SimConfig(latency_ms=LATENCY_MS)).start()
    openai = OpenAISimulator(config=SimConfig(latency_ms=LATENCY_MS)).start()
    config_dir = config_dir_with(tmp_path_factory.mktemp("join"), cloud_min_complexity="moderate")
    settings = stack_settings(own_redis.url, ollama, openai, config_dir=config_dir)
    workers = start_workers(settings, tmp_path_factory.mktemp("join-workers"))
    yield settings, ollama, openai, workers
    for worker in workers:
        worker.stop()
    ollama.stop()
    openai.stop()
    assert ollama.internal_errors == [] and openai.internal_errors == []


def write_docs(folder: Path, count: int) -> None:
    """Short documents (one model call each): some personal (local), some analyses (cloud-bound)."""
    run = uuid.uuid4().hex[:8]
    folder.mkdir()
    for i in range(count):
        if i % 2:
            text = f"Ticket {run}-{i}: please call Olivia Harrington back on +1 (415) 555-01{i:02d} today."
        else:
            text = (
                f"# Review {run}-{i}\n\nCompare the three options and evaluate the trade-offs between capital "
                "required, margin impact and service risk; analyse how results change under a 15% volume "
                "swing and reason about which option dominates.\n\n| Option | Capex |\n|---|---|\n| Own | 12 |\n"
            )
        (folder / f"doc{i}.md").write_text(text)


def turnout(settings: Settings, *args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "producer.cli", *args],
        cwd=cwd,
        env=clean_env(settings.worker_environment()),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def settled(process: subprocess.Popen[str]) -> tuple[str, str]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-3000:]
    return out, err


def test_two_concurrent_submissions_run_each_document_once_and_bill_it_once(
    slow_stack: tuple[Settings, OllamaSimulator, OpenAISimulator, list[WorkerProcess]], tmp_path: Path
) -> None:
    settings, ollama, openai, _ = slow_stack
    write_docs(tmp_path / "docs", 8)
    ollama.answered.clear()
    openai.answered.clear()
    both = [turnout(settings, "submit", "docs", "--json", cwd=tmp_path) for _ in range(2)]
    summaries = [json.loads(settled(p)[0]) for p in both]
    store = Store.from_url(str(settings.broker_url))
    try:
        batches = [s["batch_id"] for s in summaries]
        for batch_id in batches:
            wait_until(lambda b=batch_id: store.report(b).done, 120, f"batch {batch_id} to finish")
        reports = [store.report(b) for b in batches]
        results = [list(store.iter_results(b)) for b in batches]
    finally:
        store.close()
    assert sum(s["joined"] for s in summaries) >= 1, summaries  # they overlapped
    assert sum(s["joined"] + s["reused"] for s in summaries) == 8, summaries
    # The model was asked once per distinct document, whichever batch asked it.
    assert len(ollama.answered) + len(openai.answered) == 8
    for report, own in zip(reports, results, strict=True):
        assert report.succeeded == report.jobs == 8
        joined = [r for r in own if r.joined]
        assert report.joined == len(joined) and report.reused == len(
            [r for r in own if r.reused_from and not r.joined]
        )
        assert all(r.cost_usd == 0 and r.usage.input_tokens == 0 and r.attempts == 0 for r in joined)
        assert report.cost_usd == pytest.approx(sum(r.cost_usd for r in own), abs=1e-9)
    by_source = [{r.source: r for r in own} for own in results]
    for source, result in by_source[1].items():
        assert result.output == by_source[0][source].output
        if result.joined:  # names the job of the other batch that ran it
            assert result.reused_from == by_source[0][source].job_id
    # The bill counts each call once: the tokens billed over both batches are what the servers reported.
    served = sum(a["prompt_tokens"] for a in ollama.answered + openai.answered)
    assert sum(r.usage.input_tokens for own in results for r in own) == served > 0
    shown = subprocess.run(
        [sys.executable, "-m", "producer.cli", "report", batches[1]],
        cwd=tmp_path,
        env=clean_env(settings.worker_environment()),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if reports[1].joined:
        assert f"joined {reports[1].joined}" in shown.stdout + shown.stderr


def test_a_joiner_whose_leader_is_purged_runs_itself(
    slow_stack: tuple[Settings, OllamaSimulator, OpenAISimulator, list[WorkerProcess]], tmp_path: Path
) -> None:
    """The leaders go (purged mid-run): the joiners do not wait for nothing, they run and bill themselves."""
    settings, ollama, openai, _ = slow_stack
    for sim in (ollama, openai):  # long enough that the first batch still runs when it is purged
        sim.set_config(latency_ms=4 * LATENCY_MS)
    write_docs(tmp_path / "docs", 4)
    store = Store.from_url(str(settings.broker_url))
    try:
        first = submit_batch(store, create_app(settings), iter_documents([str(tmp_path / "docs")]), SUMMARIZE)
        batch_id, said = (part.strip() for part in settled(turnout(settings, "submit", "docs", cwd=tmp_path)))
        assert "joined 4 in flight (use --force to run again)" in said
        assert not store.report(first.batch_id).succeeded  # still running: the purge takes it mid-flight
        purge_batch(store, first.batch_id)
        for sim in (ollama, openai):
            sim.set_config(latency_ms=LATENCY_MS)
        wait_until(lambda: store.report(batch_id).done, 90, "the joining batch to finish on its own")
        report = store.report(batch_id)
        results = list(store.iter_results(batch_id))
    finally:
        store.close()
    assert report.succeeded == 4 and report.joined == 0
    assert all(r.reused_from is None and r.cost_usd > 0 for r in results)
