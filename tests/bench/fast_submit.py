"""The proposed producer path: `producer.submit.submit_batch` with its messages on the store's pipeline.

Kept here, beside the benchmark, until `producer/submit.py` publishes through `worker.flow.publish`
itself; it differs from `submit_batch` only in how `_flush` enqueues (see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import Celery

from producer.loaders import LoadedDocument, Rejection
from producer.submit import CHUNK, SubmitSummary, document_floor, new_batch_id
from worker.celery_app import CLASSIFY_TASK
from worker.flow.priority import Priority
from worker.flow.publish import BulkPublisher
from worker.schema import JobError, JobMessage, JobResult, JobStatus, TaskSpec
from worker.store import CostedResult, NewJob, Store


def submit_batch_pipelined(
    store: Store,
    app: Celery,
    documents: Iterable[LoadedDocument | Rejection],
    task: TaskSpec,
    *,
    priority: Priority = Priority.NORMAL,
    batch_id: str | None = None,
) -> SubmitSummary:
    summary = SubmitSummary(batch_id=batch_id or new_batch_id())
    store.create_batch(summary.batch_id, task)
    publisher = BulkPublisher(app, CLASSIFY_TASK)
    chunk: list[LoadedDocument | Rejection] = []
    for item in documents:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            _flush(store, publisher, summary, chunk, priority)
            chunk = []
    _flush(store, publisher, summary, chunk, priority)
    store.seal_batch(summary.batch_id, summary.jobs)
    return summary


def _flush(
    store: Store,
    publisher: BulkPublisher,
    summary: SubmitSummary,
    chunk: list[LoadedDocument | Rejection],
    priority: Priority,
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
            NewJob(job_id=job_id, source=item.source, text=item.text, floor=document_floor(item, None))
        )
    # One round trip for the chunk: the store writes first, then the messages that point at them.
    pipe = store.redis.pipeline(transaction=False)
    store.add_jobs(pipe, batch_id, jobs)
    for job in jobs:
        if job.text is not None:
            message = JobMessage(job_id=job.job_id, batch_id=batch_id).model_dump(mode="json")
            publisher.publish(pipe, f"classify:{job.job_id}", [message], priority=priority)
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
