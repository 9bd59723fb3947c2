"""Submission: stream documents from the loaders into the store and the classify queue, in chunks."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import structlog
from celery import Celery

from producer.loaders import LoadedDocument, Rejection
from producer.sensitivity_floor import document_floor
from worker.budget.gate import to_pico
from worker.budget.ledger import BudgetLedger
from worker.errors import TurnoutError
from worker.flow.priority import Priority
from worker.flow.publish import BulkPublisher
from worker.queues import CLASSIFY_TASK
from worker.schema import JobError, JobMessage, JobResult, JobStatus, Sensitivity, TaskSpec, Usage
from worker.store import CostedResult, NewJob, Store

if TYPE_CHECKING:
    from producer.calibrate import Calibration

log = structlog.get_logger("turnout.submit")

CHUNK = 500


@dataclass
class SubmitSummary:
    batch_id: str
    jobs: int = 0
    reused: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id,
            "jobs": self.jobs,
            "reused": self.reused,
            "rejected": self.rejected,
        }


class SubmitError(TurnoutError):
    """A submission cannot start (e.g. nothing to resume); the message says why."""


def new_batch_id() -> str:
    return time.strftime("b%Y%m%d-%H%M%S-", time.gmtime()) + secrets.token_hex(3)


def submit_batch(
    store: Store,
    app: Celery,
    documents: Iterable[LoadedDocument | Rejection],
    task: TaskSpec,
    *,
    floor: Sensitivity | None = None,
    batch_id: str | None = None,
    resume: bool = False,
    force: bool = False,
    priority: Priority = Priority.NORMAL,
    on_progress: Callable[[SubmitSummary], None] | None = None,
    deadline_s: float | None = None,
    cloud_share: Calibration | None = None,
    max_cost_usd: Decimal | None = None,
) -> SubmitSummary:
    """Create a batch and enqueue one classify message per document; rejections become results at once.

    `jobs` counts every document including rejected ones: each ends in exactly one terminal state.
    A document already processed successfully for the same task is not run (nor billed) again: its
    earlier result is reused, unless `force`. With `resume`, an interrupted submission of `batch_id`
    continues where it stopped (the loaders yield documents in a deterministic order). `deadline_s`
    (`--deadline`) goes on the manifest: a long one lets cloud-bound jobs use the Batch API.
    `max_cost_usd` (`--max-cost-usd`) caps the batch's cloud spend (docs/budgets.md); a resumed batch
    keeps the cap it was created with.
    """
    summary = SubmitSummary(batch_id=batch_id or new_batch_id())
    already = 0
    if resume:
        already = _check_resumable(store, summary.batch_id, task)
    else:
        store.create_batch(summary.batch_id, task)
        if deadline_s is not None:  # before any job is enqueued: routing reads it (cloud-batch route)
            store.set_deadline(summary.batch_id, deadline_s)
        if cloud_share is not None:  # likewise: the batch's own complexity threshold
            store.set_cloud_share(summary.batch_id, cloud_share.target_share, cloud_share.threshold)
        if max_cost_usd is not None:  # likewise: workers read a batch's cap once, on its first cloud call
            BudgetLedger(store.redis).set_batch_cap(summary.batch_id, to_pico(max_cost_usd))
    chunk: list[LoadedDocument | Rejection] = []
    # Messages go out in one pipelined round trip per chunk, not one send_task (~1 ms) each.
    publisher = BulkPublisher(app, CLASSIFY_TASK)
    if resume:
        # The interrupted chunk may have been stored but only partly enqueued: enqueue what is still
        # waiting. A job enqueued twice is harmless (its result is recorded once).
        queued = store.still_queued(summary.batch_id, CHUNK)
        _enqueue(store, publisher, summary.batch_id, queued, priority)
    for item in documents:
        if summary.jobs < already:
            summary.jobs += 1  # submitted before the interruption
            continue
        chunk.append(item)
        if len(chunk) >= CHUNK:
            _flush(store, publisher, summary, chunk, floor, task, force, priority)
            chunk = []
            if on_progress:
                on_progress(summary)
    _flush(store, publisher, summary, chunk, floor, task, force, priority)
    store.seal_batch(summary.batch_id, summary.jobs)
    log.info(
        "batch_submitted",
        batch_id=summary.batch_id,
        jobs=summary.jobs,
        rejected=len(summary.rejected),
        reused=summary.reused,
        resumed_after=already,
    )
    return summary


def _check_resumable(store: Store, batch_id: str, task: TaskSpec) -> int:
    try:
        manifest = store.manifest(batch_id)
    except KeyError:
        raise SubmitError(f"no batch {batch_id!r} to resume") from None
    if manifest.task != task:
        raise SubmitError(
            f"batch {batch_id} was submitted with a different task; resume it with the same one"
        )
    if manifest.jobs_expected is not None:
        raise SubmitError(f"batch {batch_id} was submitted completely; nothing to resume")
    return store.submitted_count(batch_id)


def _flush(
    store: Store,
    publisher: BulkPublisher,
    summary: SubmitSummary,
    chunk: list[LoadedDocument | Rejection],
    floor: Sensitivity | None,
    task: TaskSpec,
    force: bool,
    priority: Priority,
) -> None:
    batch_id = summary.batch_id
    jobs: list[NewJob] = []
    for item in chunk:
        summary.jobs += 1
        job_id = f"{batch_id}.{summary.jobs:06d}"
        if isinstance(item, Rejection):
            jobs.append(NewJob(job_id=job_id, source=item.source, text=None))
        else:
            jobs.append(
                NewJob(job_id=job_id, source=item.source, text=item.text, floor=document_floor(item, floor))
            )
    # One round trip writes the whole chunk; the job list keeps submission order, rejected ones included.
    pipe = store.redis.pipeline(transaction=False)
    store.add_jobs(pipe, batch_id, jobs)
    pipe.execute()
    runnable = [job for job in jobs if job.text is not None]
    doc_keys = [Store.doc_key(job.text or "") for job in runnable]
    earlier = [None] * len(runnable) if force else store.find_done(task, doc_keys)
    for item, job in zip(chunk, jobs, strict=True):
        if isinstance(item, Rejection):
            summary.rejected.append({"source": item.source, "reason": item.reason})
            store.record_result(CostedResult(_rejected(job, batch_id, item.reason), 0, 0))
    to_enqueue: list[tuple[str, str]] = []
    for job, doc_key, previous in zip(runnable, doc_keys, earlier, strict=True):
        if previous is not None:
            summary.reused += 1
            store.record_result(CostedResult(_reused(job, batch_id, previous), 0, 0))
            continue
        to_enqueue.append((job.job_id, doc_key))
    _enqueue(store, publisher, batch_id, to_enqueue, priority)


def _enqueue(
    store: Store, publisher: BulkPublisher, batch_id: str, jobs: list[tuple[str, str]], priority: Priority
) -> None:
    """One classify message per (job id, document key), all in one pipelined round trip (the broker is
    the store's Redis). The key lets each stage read the text in the trip that opens its delivery."""
    pipe = store.redis.pipeline(transaction=False)
    for job_id, doc_key in jobs:
        message = JobMessage(job_id=job_id, batch_id=batch_id, doc=doc_key).model_dump(mode="json")
        publisher.publish(pipe, f"classify:{job_id}", [message], priority=priority)
    pipe.execute()


def _rejected(job: NewJob, batch_id: str, reason: str) -> JobResult:
    return JobResult(
        job_id=job.job_id,
        batch_id=batch_id,
        source=job.source,
        status=JobStatus.REJECTED,
        error=JobError(type="rejected", message=reason, retryable=False),
    )


def _reused(job: NewJob, batch_id: str, previous: JobResult) -> JobResult:
    """The earlier result under this job's identity: same output, nothing run, nothing billed again."""
    return previous.model_copy(
        update={
            "job_id": job.job_id,
            "batch_id": batch_id,
            "source": job.source,
            "reused_from": previous.job_id,
            "usage": Usage(input_tokens=0, output_tokens=0),
            "cost_usd": 0.0,
            "baseline_cost_usd": 0.0,
            "latency_ms": 0.0,
            "gpu_ms": None,  # no GPU time used this time either (docs/tco.md)
            "attempts": 0,
        }
    )
