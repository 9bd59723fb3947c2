"""One run of the producer over a batch: documents stored chunk by chunk (never more than the
back-pressure window lets in), then each chunk finished: rejections recorded, earlier results reused,
one classify message per job sent with its `enqueued` mark. producer/submit.py starts or resumes one."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import structlog
from celery import Celery

from producer.loaders import LoadedDocument, Rejection
from producer.names import escape_name
from producer.sensitivity_floor import document_floor
from worker.budget.gate import to_pico
from worker.errors import TurnoutError
from worker.flow.priority import Priority
from worker.flow.publish import BulkPublisher
from worker.joining import Runnable, lead_or_join
from worker.queues import CLASSIFY_TASK
from worker.schema import (
    JobError,
    JobMessage,
    JobResult,
    JobStatus,
    Sensitivity,
    SubmitOptions,
    TaskSpec,
    Usage,
)
from worker.store import CostedResult, NewJob, Store, StoredJob

log = structlog.get_logger("turnout.submit")

CHUNK = 500
WINDOW_POLL_S = 0.5  # how often a submission waiting for room in its window looks again

# Told, while a submission waits for room: the summary so far, the batch's unfinished jobs, the window.
WaitProgress = Callable[["SubmitSummary", int, int], None]


@dataclass
class SubmitSummary:
    batch_id: str
    jobs: int = 0  # documents of the batch so far, rejected ones included (a resume counts the earlier ones)
    reused: int = 0
    joined: int = 0  # jobs waiting for an identical job in flight in another batch (worker/joining.py)
    rejected: list[dict[str, str]] = field(default_factory=list)  # names and reasons escaped (names.py)
    accepted: int = 0  # documents enqueued or reused by this run

    def as_json(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id,
            "jobs": self.jobs,
            "reused": self.reused,
            "joined": self.joined,
            "rejected": self.rejected,
        }


class SubmitError(TurnoutError):
    """A submission cannot start (e.g. nothing to resume); the message says why."""


class NothingAccepted(SubmitError):
    """Every input was rejected: nothing will run. `summary` holds the rejections."""

    def __init__(self, message: str, summary: SubmitSummary, *, batch_created: bool) -> None:
        super().__init__(message)
        self.summary = summary
        self.batch_created = batch_created  # True: the batch exists, holding the rejections


class Submission:
    """One run of the producer over a batch: stores jobs chunk by chunk, then finishes each chunk."""

    def __init__(
        self,
        store: Store,
        app: Celery,
        batch_id: str,
        task: TaskSpec,
        options: SubmitOptions,
        on_progress: Callable[[SubmitSummary], None] | None,
        max_in_flight: int | None = None,
        on_wait: WaitProgress | None = None,
    ) -> None:
        self.store = store
        # Messages go out in one pipelined round trip per chunk, not one send_task (~1 ms) each.
        self.publisher = BulkPublisher(app, CLASSIFY_TASK)
        self.task = task
        self.options = options
        self.priority = Priority.parse(options.priority)
        self.summary = SubmitSummary(batch_id=batch_id)
        self.on_progress = on_progress
        self.created = False
        self.max_in_flight = max_in_flight
        self.on_wait = on_wait
        # A chunk never exceeds the window, so the window alone bounds what is stored.
        self.chunk_size = min(CHUNK, max_in_flight) if max_in_flight is not None else CHUNK

    def stream(
        self,
        documents: Iterable[LoadedDocument | Rejection],
        *,
        skip: int = 0,
        last_skipped: str | None = None,
        on_created: Callable[[str], None] | None = None,
    ) -> SubmitSummary:
        """Store and send `documents`, the first `skip` of them excepted (a resume: they are stored, the
        last under the name `last_skipped`, which checks that the paths still yield the same documents)."""
        summary = self.summary
        chunk: list[LoadedDocument | Rejection] = []
        for item in documents:
            if summary.jobs < skip:
                summary.jobs += 1  # submitted before the interruption
                if summary.jobs == skip and _storable(item).source != last_skipped:
                    raise SubmitError(_changed(summary.batch_id, skip))
                continue
            chunk.append(_storable(item))
            # Created with the first document that will run (or once a chunk of rejections is waiting,
            # to bound what is held here): a submission that accepts nothing leaves no batch behind.
            if not self.created and (isinstance(item, LoadedDocument) or len(chunk) >= self.chunk_size):
                self._create(on_created)
            if len(chunk) >= self.chunk_size:
                self._flush(chunk)
                chunk = []
                if self.on_progress:
                    self.on_progress(summary)
        if summary.jobs < skip:
            raise SubmitError(_changed(summary.batch_id, skip))
        if not self.created:
            summary.jobs += len(chunk)
            summary.rejected.extend(
                {"source": item.source, "reason": item.reason}
                for item in chunk
                if isinstance(item, Rejection)
            )
            what = all_rejected(len(chunk)) if chunk else "the paths hold no documents"
            raise NothingAccepted(f"nothing submitted: {what}", summary, batch_created=False)
        self._flush(chunk)
        self.store.seal_batch(summary.batch_id, summary.jobs)
        log.info(
            "batch_submitted",
            batch_id=summary.batch_id,
            jobs=summary.jobs,
            rejected=len(summary.rejected),
            reused=summary.reused,
            resumed_after=skip,
        )
        return summary

    def _create(self, on_created: Callable[[str], None] | None) -> None:
        batch_id, options = self.summary.batch_id, self.options
        if options.max_cost_usd is not None:
            # Before the manifest: a batch that exists has its cap (workers read it on its first cloud call).
            self.store.budget_ledger.set_batch_cap(batch_id, to_pico(Decimal(options.max_cost_usd)))
        self.store.create_batch(batch_id, self.task, options)
        self.created = True
        if on_created is not None:
            on_created(batch_id)

    def _flush(self, chunk: list[LoadedDocument | Rejection]) -> None:
        """Store a chunk's jobs, then finish them. A producer killed in between leaves jobs that
        `Store.unfinished_jobs` finds: each carries its document or its rejection's reason."""
        batch_id = self.summary.batch_id
        self._wait_for_room(sum(isinstance(item, LoadedDocument) for item in chunk))
        jobs: list[NewJob] = []
        for item in chunk:
            self.summary.jobs += 1
            job_id = job_id_of(batch_id, self.summary.jobs)
            if isinstance(item, Rejection):
                jobs.append(NewJob(job_id=job_id, source=item.source, text=None, rejected=item.reason))
            else:
                doc_floor = document_floor(item, self.options.floor)
                jobs.append(NewJob(job_id=job_id, source=item.source, text=item.text, floor=doc_floor))
        # One round trip writes the whole chunk; the job list keeps submission order, rejected ones included.
        self.store.add_jobs(batch_id, jobs)
        self.finish(
            [
                StoredJob(
                    job_id=job.job_id,
                    source=job.source,
                    doc_key=Store.doc_key(job.text) if job.text is not None else None,
                    rejected=job.rejected,
                    floor=job.floor,
                )
                for job in jobs
            ]
        )

    def _wait_for_room(self, documents: int) -> None:
        """Back-pressure: return once the batch's unfinished jobs plus `documents` fit the window."""
        if self.max_in_flight is None or documents == 0:
            return
        batch_id = self.summary.batch_id
        while True:
            in_flight = self.store.submitted_count(batch_id) - self.store.terminal_count(batch_id)
            if in_flight + documents <= self.max_in_flight:
                return
            if self.on_wait is not None:
                self.on_wait(self.summary, in_flight, self.max_in_flight)
            time.sleep(WINDOW_POLL_S)

    def finish(self, jobs: list[StoredJob]) -> None:
        """Record the rejections, reuse earlier results, enqueue the rest: each stored job ends here
        terminal or with its one message out."""
        store, summary, batch_id = self.store, self.summary, self.summary.batch_id
        for job in jobs:
            if job.doc_key is None:
                reason = job.rejected or "rejected at submission"
                summary.rejected.append({"source": job.source, "reason": reason})
                store.record_result(CostedResult(_rejected(job, batch_id, reason), 0, 0))
        runnable = [job for job in jobs if job.doc_key is not None]
        doc_keys = [job.doc_key or "" for job in runnable]
        earlier = [None] * len(runnable) if self.options.force else store.find_done(self.task, doc_keys)
        to_enqueue: list[tuple[str, str]] = []
        to_run: list[Runnable] = []
        for job, doc_key, previous in zip(runnable, doc_keys, earlier, strict=True):
            if previous is not None and _reusable(previous, job.floor):
                summary.reused += 1
                # `remember`: the reused job lets go of its text (the index keeps naming the original).
                reused = CostedResult(_reused(job, batch_id, previous), 0, 0)
                store.record_result(reused, remember=(self.task, doc_key))
            else:
                to_enqueue.append((job.job_id, doc_key))
                to_run.append(Runnable(job.job_id, doc_key, job.floor))
        summary.accepted += len(runnable)
        joins = lead_or_join(store, self.task, batch_id, to_run, force=self.options.force)
        summary.joined += len(joins)
        self._enqueue(to_enqueue, joins)

    def _enqueue(self, jobs: list[tuple[str, str]], joins: dict[str, str]) -> None:
        """One classify message per (job id, document key), in one round trip (the broker is the store's
        Redis), each with its job's `enqueued` mark in the same MULTI: a resume re-sends exactly the
        messages that never went out. The key lets each stage read the text in the trip that opens it.
        A job in `joins` is sent too, marked with the job it waits for: it keeps a live message."""
        if not jobs:
            return
        batch_id = self.summary.batch_id

        def writes(pipe: Any) -> None:
            for job_id, doc_key in jobs:
                message = JobMessage(job_id=job_id, batch_id=batch_id, doc=doc_key).model_dump(mode="json")
                self.publisher.publish(pipe, f"classify:{job_id}", [message], priority=self.priority)
                self.store.mark_enqueued(pipe, batch_id, job_id)
                if job_id in joins:
                    self.store.mark_joined(pipe, batch_id, job_id, joins[job_id])

        self.store.one_trip(writes, transaction=True)


def job_id_of(batch_id: str, number: int) -> str:
    """The id of a batch's `number`th document (1-based), rejected ones counted."""
    return f"{batch_id}.{number:06d}"


def _changed(batch_id: str, stored: int) -> str:
    return (
        f"the paths no longer yield the documents batch {batch_id} was submitted with (its document "
        f"{stored} differs or is gone): it cannot be resumed; submit them as a new batch"
    )


def all_rejected(count: int) -> str:
    return "the only input was rejected" if count == 1 else f"all {count} inputs were rejected"


def _storable(item: LoadedDocument | Rejection) -> LoadedDocument | Rejection:
    """The item with its name (and a rejection's reason) escaped: storable in Redis and JSON, and one
    harmless line on a console, whatever bytes the file system gave (producer/names.py)."""
    if isinstance(item, Rejection):
        return Rejection(escape_name(item.source), escape_name(item.reason))
    source = escape_name(item.source)
    return item if source == item.source else replace(item, source=source)


def _reusable(previous: JobResult, floor: Sensitivity | None) -> bool:
    """An earlier result stands for this job only if it was tagged at least the job's floor: a result
    made under a lower level (say, in the cloud) is not this restricted batch's result."""
    return floor is None or (previous.sensitivity is not None and previous.sensitivity.at_least(floor))


def _rejected(job: StoredJob, batch_id: str, reason: str) -> JobResult:
    return JobResult(
        job_id=job.job_id,
        batch_id=batch_id,
        source=job.source,
        status=JobStatus.REJECTED,
        error=JobError(type="rejected", message=reason, retryable=False),
    )


def _reused(job: StoredJob, batch_id: str, previous: JobResult) -> JobResult:
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
