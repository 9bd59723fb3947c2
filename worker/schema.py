"""The job and result schema: every message and record Turnout writes is one of these models.

Our own models are strict (`extra="forbid"`) and JSON-only; messages carry ids, never document text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

MESSAGE_VERSION: Final = 1


class Strict(BaseModel):
    """Base for Turnout's own records: unknown fields are bugs, not data."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sensitivity(StrEnum):
    """How sensitive a document is, in increasing order."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"

    @property
    def rank(self) -> int:
        return _SENSITIVITY_ORDER.index(self)

    def at_least(self, other: Sensitivity) -> bool:
        return self.rank >= other.rank

    @classmethod
    def max(cls, *levels: Sensitivity | None) -> Sensitivity:
        present = [level for level in levels if level is not None]
        return max(present, key=lambda level: level.rank) if present else cls.PUBLIC


_SENSITIVITY_ORDER = [
    Sensitivity.PUBLIC,
    Sensitivity.INTERNAL,
    Sensitivity.CONFIDENTIAL,
    Sensitivity.RESTRICTED,
]

# Which levels never reach a closed API: worker/privacy.py.


class Complexity(StrEnum):
    SIMPLE = "simple"
    MODERATE = "moderate"
    COMPLEX = "complex"


class TaskKind(StrEnum):
    SUMMARIZE = "summarize"
    EXTRACT = "extract"
    CLASSIFY = "classify"
    CUSTOM = "custom"


class TaskSpec(Strict):
    """What the user asked to be done with every document of a batch."""

    kind: TaskKind
    fields: tuple[str, ...] = ()  # extract: the named fields
    labels: tuple[str, ...] = ()  # classify: the allowed labels
    prompt: str | None = None  # custom: the user's prompt template ({text} is the document)
    output_schema: str | None = None  # extract: the JSON Schema answers must validate against (its JSON text)


class SubmitOptions(Strict):
    """Everything a submission asked for besides its task, written on the batch manifest before its first
    job: a resumed submission carries on with exactly these, never with what its command line says (a
    floor dropped on resume once sent restricted documents to the cloud)."""

    floor: Sensitivity | None = None  # `--sensitivity`: every document is at least this sensitive
    priority: Literal["urgent", "normal", "bulk"] = "normal"
    deadline_s: float | None = None
    max_cost_usd: str | None = None  # the cap's exact decimal text
    cloud_share_target: float | None = None
    cloud_min_score: float | None = None  # the threshold calibrated for the target
    force: bool = False  # `--force`: earlier results are not reused
    # Where the documents came from, so that a resume reads the same ones in the same order: the paths
    # as given (escaped, producer/names.py), the directory they are relative to and the text field
    # (None: a CSV's one obvious text column is guessed, producer/loaders/csv_rows.py).
    inputs: tuple[str, ...] = ()
    cwd: str | None = None
    text_field: str | None = None


class Tags(Strict):
    """What the classifier found: levels plus the reasons behind them (types and counts, never values)."""

    sensitivity: Sensitivity
    complexity: Complexity
    complexity_score: float = Field(ge=0.0, le=1.0)
    reasons: tuple[str, ...] = ()
    findings: dict[str, int] = Field(default_factory=dict)
    classifier_version: str


class RouteTarget(StrEnum):
    LOCAL = "local"
    CLOUD = "cloud"
    CLOUD_BATCH = "cloud-batch"  # the closed API's Batch API: same data boundary as cloud, half the price


class Route(Strict):
    """Where a job runs and why: the routing policy's decision."""

    target: RouteTarget
    model: str
    reasons: tuple[str, ...] = ()
    fallback_from: RouteTarget | None = None  # set when the job was moved here after its first route failed
    fallback_reason: str | None = (
        None  # why that route failed: the error's kind and message (no document text)
    )


class Usage(Strict):
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)


class JobStatus(StrEnum):
    QUEUED = "queued"
    CLASSIFIED = "classified"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REJECTED = "rejected"

    @property
    def terminal(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.REJECTED)


class JobError(Strict):
    type: str
    message: str
    retryable: bool = False


class JobMessage(Strict):
    """The Celery payload for every stage: ids only; the text lives in the store.

    Unlike Turnout's other records it ignores fields it does not know: a message from a newer producer
    or stage (one more optional field) must still run on this worker, not fail and be dropped."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    v: Literal[1] = MESSAGE_VERSION
    job_id: str
    batch_id: str
    # The document's store key (never its text): a stage reads the text in the same round trip that opens
    # its delivery. Optional, so a message without it (queued by an older producer) still runs.
    doc: str | None = None
    # Bumped each time a job's message is re-issued (a dead worker held it, or it had none: worker/liveness.py);
    # a stage drops a message older than its job's generation, so a superseded copy never runs.
    generation: int = 0


class JobResult(Strict):
    """One job's terminal record: the JSONL line `turnout results` writes."""

    job_id: str
    batch_id: str
    source: str
    status: JobStatus
    route: RouteTarget | None = None
    backend: str | None = None
    model: str | None = None
    sensitivity: Sensitivity | None = None
    complexity: Complexity | None = None
    output: str | None = None
    error: JobError | None = None
    usage: Usage = Usage(input_tokens=0, output_tokens=0)
    cost_usd: float = 0.0
    baseline_cost_usd: float = 0.0
    latency_ms: float = 0.0
    attempts: int = 0
    route_reasons: tuple[str, ...] = ()
    fallback_from: RouteTarget | None = None
    fallback_reason: str | None = None  # why the first route failed, when the job fell back
    reused_from: str | None = None  # job id whose result was reused for an identical document and task
    joined: bool = False  # reused_from was still in flight when this job was submitted (worker/joining.py)
    classifier_version: str | None = None
    chunks: int = 1  # parts the document was split into to fit the model's context window
    # GPU time charged to the job's local calls (ms; docs/tco.md); None when none reported one.
    gpu_ms: float | None = None


class RouteTotals(Strict):
    jobs: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    # What this route's jobs would have cost on the closed API alone, and the difference (batch route:
    # the Batch API's discount shows here).
    baseline_cost_usd: float = 0.0
    savings_usd: float = 0.0


class CloudShare(Strict):
    """How many of a batch's cloud-allowed jobs were routed to the cloud (or its Batch API), and, with
    `--cloud-share`, the share asked for and the score threshold calibrated for it."""

    cloud_allowed_jobs: int = 0  # jobs whose sensitivity lets them reach the cloud (counted at routing)
    cloud_jobs: int = 0  # of those, routed to cloud or cloud-batch
    achieved: float = 0.0  # cloud_jobs / cloud_allowed_jobs
    target: float | None = None  # `--cloud-share` (or routes.cloud_share)
    threshold: float | None = None  # the complexity-score threshold calibrated for the target


class LocalCost(Strict):
    """The local GPUs' cost per million local tokens next to the cloud's (docs/tco.md). The per-Mtok
    figures are None while no token ran locally; the fleet figures while no host was recorded."""

    input_tokens: int = 0  # tokens of the calls that ran on local models
    output_tokens: int = 0
    gpu_s: float = 0.0  # GPU time charged to them (reported busy time / the host's parallel slots)
    busy_usd: float = 0.0  # what they cost: that GPU time, or their tokens at the host's throughput
    busy_usd_per_mtok: float | None = None
    fleet_hosts: int = 0  # local hosts configured when the batch ran
    fleet_usd: float | None = None  # every host for the batch's wall time, idle included (>= busy_usd)
    fleet_usd_per_mtok: float | None = None
    gpu_utilization: float | None = None  # gpu_s / (hosts x wall time), at most 1
    cloud_usd_per_mtok: float | None = None  # the baseline model's list price for the same tokens


class SecondLineTotals(Strict):
    """The second line's checks of a batch's cloud-bound documents by the local model (docs/classifier.md):
    how many, what they decided, and what they cost (also inside the jobs' own usage and cost)."""

    checked: int = 0  # checks the local model answered
    kept_local_sensitive: int = 0  # of those, answered "sensitive": the job stayed local
    kept_local_unparseable: int = 0  # of those, no JSON verdict in the answer: kept local (fail closed)
    kept_local_unavailable: int = 0  # checks that failed (no host, timeout, error): kept local
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    mean_latency_ms: float | None = None  # per answered check, slot wait included


class ModelUse(Strict):
    jobs: int = 0  # jobs whose calls ran on the model
    license: str | None = None  # as configs/models.yaml stated it when they ran; None: not stated


class BatchReport(Strict):
    """A batch's totals, counting what has reached a terminal state so far."""

    batch_id: str
    jobs: int
    succeeded: int
    failed: int
    rejected: int
    pending: int
    by_route: dict[str, RouteTotals]
    cost_usd: float
    baseline_cost_usd: float
    savings_usd: float
    savings_pct: float
    duration_s: float
    done: bool
    sealed: bool = True  # False while (or if) the submission is still streaming in, or was interrupted
    reused: int = 0  # jobs whose result is an earlier identical job's: not run, no cost here
    joined: int = 0  # jobs that waited for an identical job in flight and took its result: no cost here
    cloud_share: CloudShare = CloudShare()
    local_cost: LocalCost = LocalCost()
    models: dict[str, ModelUse] = Field(default_factory=dict)
    second_line: SecondLineTotals = SecondLineTotals()
