"""What the store hands out and takes in: small frozen values, never tuples read by index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from worker.schema import JobResult, JobStatus, Route, Sensitivity, SubmitOptions, Tags, TaskSpec
from worker.tco import JobFootprint


class MissingRecord(KeyError):
    """Something a stage needs is not in Redis: never stored (Redis refused the write), evicted, expired
    or purged. A KeyError, so callers that only ask "is it there?" keep working."""


class BatchMissing(MissingRecord):
    pass


class JobMissing(MissingRecord):
    pass


class DocumentMissing(MissingRecord):
    pass


@dataclass(frozen=True)
class JobRecord:
    """What the workers need to run a job: where its text is, and what earlier stages decided."""

    job_id: str
    batch_id: str
    source: str
    doc_key: str
    status: JobStatus
    floor: Sensitivity | None
    tags: Tags | None
    route: Route | None
    attempts: int
    generation: int = 0  # re-issues so far (worker/liveness.py); an older message is stale
    joins: str | None = None  # "<batch> <job>": the identical job in flight it waits for (worker/joining.py)


@dataclass(frozen=True)
class LeaderState:
    """A submission's look at the job that leads an identity (worker/joining.py)."""

    finished: bool  # it has its result
    exists: bool  # its record is there (not purged or expired)
    floor: str | None


@dataclass(frozen=True)
class LeaderView:
    """A joiner's look at its leader (worker/joining.py): its result (JSON) if any, else its state."""

    result: str | None
    exists: bool
    status: str | None
    enqueued: bool
    route: str | None  # JSON
    deadline_s: float | None  # its batch's --deadline
    own_deadline_s: float | None  # the joiner's batch's
    waiting_since: float  # when the joiner first looked


@dataclass(frozen=True)
class BatchManifest:
    batch_id: str
    task: TaskSpec
    created_at: float
    jobs_expected: int | None  # None while the submission is still streaming in
    finished_at: float | None
    options: SubmitOptions | None = None  # None: created by a Turnout that did not record them


@dataclass(frozen=True)
class StoredJob:
    """A job the producer stored but did not finish submitting: neither enqueued nor terminal."""

    job_id: str
    source: str
    doc_key: str | None  # None for a document rejected at submission
    rejected: str | None  # the rejection's reason
    floor: Sensitivity | None = None


@dataclass(frozen=True)
class NewJob:
    """A document to enqueue; `text` is None for one rejected at submission."""

    job_id: str
    source: str
    text: str | None
    floor: Sensitivity | None = None
    rejected: str | None = None  # the reason, for a document rejected at submission


@dataclass(frozen=True)
class BatchRoutingFacts:
    jobs: int
    deadline_s: float | None
    cloud_min_score: float | None


@dataclass(frozen=True)
class ClassifyInputs:
    """What the classify stage reads: the document's text and what routing needs to know of its batch."""

    text: str
    facts: BatchRoutingFacts


@dataclass(frozen=True)
class ClassifyOpening:
    """The start of a classify delivery (`Store.open_classify`)."""

    terminal: bool  # the job has its result already
    deliveries: int  # this one included
    job: JobRecord  # its floor at least its batch's
    inputs: ClassifyInputs | None  # None: the message named no document, or not the job's


@dataclass(frozen=True)
class JobInputs:
    """What a backend stage reads: the document's text and the job's answered calls (field -> JSON)."""

    text: str
    answered: dict[str, str]


@dataclass(frozen=True)
class ExecutionOpening:
    """The start of a local or cloud delivery (`Store.open_execution`)."""

    deliveries: int  # this one included; -1 for a message older than the job's generation
    job: JobRecord | None  # None: it has its result already, or the message is stale
    inputs: JobInputs | None  # None: not asked for, or the document is gone (reading it again says so)


@dataclass(frozen=True)
class CostedResult:
    """A result plus its exact costs in picodollars (the float fields in the result are for display)."""

    result: JobResult
    cost_pico: int
    baseline_pico: int
    footprint: JobFootprint = JobFootprint()  # local GPU use, fleet and models, for docs/tco.md's report


class HeldJob(NamedTuple):
    """A job as the liveness sweep sees it (worker/liveness.py): its hold, and whether it is terminal.
    A NamedTuple: the sweep unpacks it in its comprehensions."""

    batch_id: str
    job_id: str
    fields: dict[str, str]  # holder, gen, stage, prio, status, route, doc ('' when unset)
    terminal: bool


@dataclass(frozen=True)
class QueueDepths:
    """Messages waiting per queue (every priority list of it), and those delivered but not yet acked."""

    waiting: dict[str, int]
    unacked: int
