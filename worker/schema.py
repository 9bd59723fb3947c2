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

# The privacy invariant, in one place: these levels never reach a closed API, whatever the config says.
NEVER_TO_CLOUD = frozenset({Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED})


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
    """The Celery payload for every stage: ids only; the text lives in the store."""

    v: Literal[1] = MESSAGE_VERSION
    job_id: str
    batch_id: str


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
    reused_from: str | None = None  # job id whose result was reused for an identical document and task
    classifier_version: str | None = None
    chunks: int = 1  # parts the document was split into to fit the model's context window


class RouteTotals(Strict):
    jobs: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    # What this route's jobs would have cost on the closed API alone, and the difference (batch route:
    # the Batch API's discount shows here).
    baseline_cost_usd: float = 0.0
    savings_usd: float = 0.0


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
