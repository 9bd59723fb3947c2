"""A producer killed at any point leaves a batch that can always be completed, rejections included
(issue 19, row 5): every document ends terminal after `turnout submit --resume`, and the counts add up."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest

from producer.loaders import LoadedDocument, Rejection
from producer.local_stack import wait_until
from producer.submit import SubmitError, resumable, resume_submission, submit_batch
from tests.conftest import Stack
from tests.integration.producer_process import Producer, clean_env, run_printed_command
from worker.schema import JobStatus, SubmitOptions, TaskKind, TaskSpec
from worker.store import NewJob, Store

pytestmark = pytest.mark.integration

FILES = 2000


def assert_complete(stack: Stack, batch_id: str, jobs: int, rejected: int) -> None:
    """Every job terminal, exactly one result each, and the report's counts equal to the results'."""
    wait_until(lambda: stack.store.report(batch_id).done, 240, f"batch {batch_id} to finish")
    report = stack.store.report(batch_id)
    results = list(stack.store.iter_results(batch_id))
    statuses = Counter(result.status for result in results)
    assert report.jobs == jobs == len(results) == len({r.job_id for r in results})
    assert report.pending == 0 and report.sealed
    assert statuses[JobStatus.REJECTED] == report.rejected == rejected
    assert statuses[JobStatus.SUCCEEDED] == report.succeeded == jobs - rejected
    assert report.failed == 0
    assert list(stack.store.unfinished_jobs(batch_id)) == []


def test_a_producer_killed_mid_submission_leaves_a_batch_its_resume_completes(
    stack: Stack, tmp_path: Path
) -> None:
    """2,000 files, every other one empty; the real producer is SIGKILLed as soon as it starts recording
    the first chunk's rejections, then resumed with the command it printed when the batch was created."""
    run = uuid.uuid4().hex[:8]
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(FILES):
        (docs / f"d{i:04d}.txt").write_text("" if i % 2 else f"Weather note {run} {i}: light rain expected.")
    env = clean_env(stack.settings.broker_url)
    producer = Producer(["docs/"], tmp_path, env)
    try:
        batch_id, command = producer.announced()  # printed before any job is stored
        wait_until(lambda: stack.store.report(batch_id).rejected >= 1, 120, "the first rejection", 0.002)
    finally:
        producer.kill()
    stored, left = stack.store.submitted_count(batch_id), len(list(stack.store.unfinished_jobs(batch_id)))
    print(f"killed with {stored} jobs stored, {left} of them unfinished")  # where the kill landed
    assert 0 < stored < FILES and not stack.store.report(batch_id).sealed

    resumed = run_printed_command(command, tmp_path, env)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert_complete(stack, batch_id, FILES, FILES // 2)


def test_jobs_a_producer_stored_but_never_finished_are_finished_on_resume(stack: Stack) -> None:
    """The state a SIGKILL leaves right after a chunk's writes, made exactly: jobs stored (a rejection, a
    document done before, new documents) but no rejection recorded, nothing reused, no message sent."""
    run = uuid.uuid4().hex[:8]
    store: Store = stack.store
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    done_before = f"A short note {run}, already summarised once."
    earlier = submit_batch(store, stack.app, [LoadedDocument("earlier.txt", done_before)], task)
    wait_until(lambda: store.report(earlier.batch_id).done, 60, "the earlier batch")

    batch_id = f"b-stored-{run}"
    items: list[LoadedDocument | Rejection] = [
        Rejection("empty.txt", "empty file"),
        LoadedDocument("again.txt", done_before),
        LoadedDocument("new.txt", f"A new note {run}."),
        LoadedDocument("later.txt", f"A later note {run}."),  # never stored: the kill came first
    ]
    store.create_batch(batch_id, task, SubmitOptions())
    store.add_jobs(
        batch_id,
        [
            NewJob(f"{batch_id}.000001", "empty.txt", None, rejected="empty file"),
            NewJob(f"{batch_id}.000002", "again.txt", done_before),
            NewJob(f"{batch_id}.000003", "new.txt", f"A new note {run}."),
        ],
    )
    assert len(list(store.unfinished_jobs(batch_id))) == 3

    summary = resume_submission(store, stack.app, resumable(store, batch_id), items)
    assert (summary.jobs, summary.reused) == (4, 1)
    assert summary.rejected == [{"source": "empty.txt", "reason": "empty file"}]
    assert_complete(stack, batch_id, 4, 1)
    again = next(r for r in store.iter_results(batch_id) if r.source == "again.txt")
    assert again.reused_from is not None


@pytest.mark.parametrize(
    "now",
    [
        ["b.txt", "a.txt", "c.txt"],  # renamed or reordered since
        ["a.txt"],  # removed since
    ],
)
def test_a_resume_whose_paths_now_yield_other_documents_is_refused(stack: Stack, now: list[str]) -> None:
    """Resume skips what was stored by position: if the paths changed, it must say so, not seal a wrong batch."""
    run = uuid.uuid4().hex[:8]
    store = stack.store
    batch_id = f"b-changed-{run}"
    store.create_batch(batch_id, TaskSpec(kind=TaskKind.SUMMARIZE), SubmitOptions())
    store.add_jobs(batch_id, [NewJob(f"{batch_id}.000001", "a.txt", None, rejected="empty file")])
    store.add_jobs(batch_id, [NewJob(f"{batch_id}.000002", "b.txt", None, rejected="empty file")])
    documents = [LoadedDocument(name, f"{name} {run}") for name in now]
    with pytest.raises(SubmitError, match="no longer yield the documents"):
        resume_submission(store, stack.app, resumable(store, batch_id), documents)
    assert not store.report(batch_id).sealed


def test_a_producer_killed_after_its_last_job_but_before_the_seal_is_sealed_on_resume(stack: Stack) -> None:
    """Every document stored, the seal not written: resume stores nothing twice and seals the batch."""
    run = uuid.uuid4().hex[:8]
    store = stack.store
    batch_id = f"b-unsealed-{run}"
    items: list[LoadedDocument | Rejection] = [
        LoadedDocument("one.txt", f"One note {run}."),
        Rejection("two.txt", "empty file"),
    ]
    store.create_batch(batch_id, TaskSpec(kind=TaskKind.SUMMARIZE), SubmitOptions())
    store.add_jobs(
        batch_id,
        [
            NewJob(f"{batch_id}.000001", "one.txt", f"One note {run}."),
            NewJob(f"{batch_id}.000002", "two.txt", None, rejected="empty file"),
        ],
    )
    summary = resume_submission(store, stack.app, resumable(store, batch_id), items)
    assert summary.jobs == store.submitted_count(batch_id) == 2
    assert_complete(stack, batch_id, 2, 1)
