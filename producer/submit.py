"""Submission: stream documents from the loaders into the store and the classify queue, in chunks."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import structlog
from celery import Celery

from producer.loaders import LoadedDocument, Rejection
from worker.celery_app import CLASSIFY_TASK
from worker.schema import JobError, JobMessage, JobResult, JobStatus, Sensitivity, TaskSpec
from worker.store import CostedResult, NewJob, Store

log = structlog.get_logger("turnout.submit")

CHUNK = 500


@dataclass
class SubmitSummary:
    batch_id: str
    jobs: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"batch_id": self.batch_id, "jobs": self.jobs, "rejected": self.rejected}


def document_floor(document: LoadedDocument, floor: Sensitivity | None) -> Sensitivity | None:
    """The level a document is at least: the higher of the --sensitivity floor and its own label, if any."""
    label = document.metadata.get("sensitivity")
    if label is None:
        return floor
    return Sensitivity.max(floor, Sensitivity(str(label)))


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
    on_progress: Callable[[SubmitSummary], None] | None = None,
) -> SubmitSummary:
    """Create a batch and enqueue one classify message per document; rejections become results at once.

    `jobs` counts every document including rejected ones: each ends in exactly one terminal state.
    """
    summary = SubmitSummary(batch_id=batch_id or new_batch_id())
    store.create_batch(summary.batch_id, task)
    chunk: list[LoadedDocument | Rejection] = []
    with app.producer_or_acquire() as producer:
        for item in documents:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                _flush(store, app, producer, summary, chunk, floor)
                chunk = []
                if on_progress:
                    on_progress(summary)
        _flush(store, app, producer, summary, chunk, floor)
    store.seal_batch(summary.batch_id, summary.jobs)
    log.info("batch_submitted", batch_id=summary.batch_id, jobs=summary.jobs, rejected=len(summary.rejected))
    return summary


def _flush(
    store: Store,
    app: Celery,
    producer: object,
    summary: SubmitSummary,
    chunk: list[LoadedDocument | Rejection],
    floor: Sensitivity | None,
) -> None:
    batch_id = summary.batch_id
    jobs: list[NewJob] = []
    rejections: list[tuple[str, Rejection]] = []
    for item in chunk:
        summary.jobs += 1
        job_id = f"{batch_id}.{summary.jobs:06d}"
        if isinstance(item, Rejection):
            rejections.append((job_id, item))
            jobs.append(NewJob(job_id=job_id, source=item.source, text=None))
            continue
        jobs.append(
            NewJob(job_id=job_id, source=item.source, text=item.text, floor=document_floor(item, floor))
        )
    # One round trip writes the whole chunk; the job list keeps submission order, rejected ones included.
    pipe = store.redis.pipeline(transaction=False)
    store.add_jobs(pipe, batch_id, jobs)
    pipe.execute()
    for job_id, rejection in rejections:
        summary.rejected.append({"source": rejection.source, "reason": rejection.reason})
        result = JobResult(
            job_id=job_id,
            batch_id=batch_id,
            source=rejection.source,
            status=JobStatus.REJECTED,
            error=JobError(type="rejected", message=rejection.reason, retryable=False),
        )
        store.record_result(CostedResult(result, 0, 0))
    for job in jobs:
        if job.text is None:
            continue
        message = JobMessage(job_id=job.job_id, batch_id=batch_id).model_dump(mode="json")
        app.send_task(CLASSIFY_TASK, args=[message], task_id=f"classify:{job.job_id}", producer=producer)
