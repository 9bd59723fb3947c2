"""The routing policy: a pure function of the tags, the policy file and which routes exist.

The privacy invariant lives here first (and again in the cloud backend): a confidential or restricted
job is routed local, whatever the policy file or the availability of backends says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from worker.config import ConfigModel, load
from worker.privacy import never_leaves
from worker.schema import Complexity, Route, RouteTarget, Sensitivity, Tags, TaskKind
from worker.second_line import SecondLineConfig, kept_local_by_it

_COMPLEXITY_ORDER = [Complexity.SIMPLE, Complexity.MODERATE, Complexity.COMPLEX]


class ModelChoice(ConfigModel):
    local: str
    cloud: str


class RouteRules(ConfigModel):
    local_only_sensitivity: frozenset[Sensitivity] = frozenset({Sensitivity.INTERNAL})
    cloud_min_complexity: Complexity = Complexity.COMPLEX
    # A finer threshold on the classifier's complexity score (0..1): when set, a cloud-allowed job goes
    # to the cloud iff its score is at least this, instead of by bucket. `turnout compare` recommends
    # one; a value above 1 keeps everything local.
    cloud_min_score: float | None = Field(default=None, ge=0)
    # Calibrate each batch instead: the producer sets the batch's score threshold from the batch's own
    # scores so that about this share of its cloud-allowed jobs goes to the cloud (`--cloud-share`).
    cloud_share: float | None = Field(default=None, ge=0, le=1)
    cloud_unavailable_fallback_to_local: bool = True
    # When the cloud route fails for good (retries exhausted, or a permanent error such as no quota),
    # run the job locally instead. The result records the fallback.
    fallback_cloud_to_local: bool = True
    # When the local route fails for good, send the job to the cloud instead. Only ever for jobs whose
    # sensitivity allows the cloud at all; off by default because it spends money unannounced.
    fallback_local_to_cloud: bool = False


# ---- cloud-batch (the provider's Batch API) -------------------------------------------------------------
DAY_S = 86_400.0


class BatchRules(ConfigModel):
    """`batch:` in routing.yaml: when cloud-bound work waits for the Batch API, and how it is grouped."""

    # Task kinds whose cloud-bound jobs always take the batch route.
    tasks: frozenset[TaskKind] = frozenset()
    # A submission with `--deadline` at least this long takes the batch route (the Batch API's window).
    deadline_at_least_s: float = Field(default=DAY_S, gt=0)
    # A batch of at least this many jobs is bulk and takes the batch route (null: never by size).
    bulk_min_jobs: int | None = Field(default=None, ge=1)
    # What a job whose batch request failed, expired or was cancelled does: run on the real-time cloud
    # route, run locally, or fail. Never applies to a job whose batch calls were partly answered.
    on_failure: Literal["cloud", "local", "fail"] = "cloud"
    # Provider limits per input file; bigger groups are split.
    max_requests_per_file: int = Field(default=50_000, ge=1, le=50_000)
    max_bytes_per_file: int = Field(default=200_000_000, ge=1_000, le=200_000_000)
    # Grouping: a batch's collected requests are submitted once its submission is sealed and no request
    # came for `flush_idle_s`, or `flush_max_wait_s` after the oldest one came, or when a file is full.
    flush_idle_s: float = Field(default=10.0, gt=0)
    flush_max_wait_s: float = Field(default=600.0, gt=0)
    # Polling a provider batch: the first wait, doubled after each poll up to the maximum.
    poll_interval_s: float = Field(default=30.0, gt=0)
    poll_interval_max_s: float = Field(default=600.0, gt=0)


class BatchHints(ConfigModel):
    """What routing needs to know about a job's batch for the cloud-batch route."""

    task: TaskKind
    deadline_s: float | None = None  # `turnout submit --deadline`; None: not given
    jobs: int = 0  # jobs in the batch (submitted so far while the submission streams in)
    # The batch's own complexity-score threshold, calibrated from `--cloud-share`; wins over the file's.
    cloud_min_score: float | None = None


def batch_reason(rules: BatchRules, hints: BatchHints) -> str | None:
    """Why a cloud-bound job should wait for the Batch API, or None to run it in real time."""
    if hints.deadline_s is not None:
        if hints.deadline_s >= rules.deadline_at_least_s:
            return f"deadline:{hints.deadline_s / 3600:g}h allows the batch API"
        return None  # an explicit shorter deadline wins over task and size
    if hints.task in rules.tasks:
        return f"task:{hints.task.value} uses the batch API by policy"
    if rules.bulk_min_jobs is not None and hints.jobs >= rules.bulk_min_jobs:
        return f"bulk: {hints.jobs} jobs >= {rules.bulk_min_jobs}"
    return None


class RoutingPolicy(ConfigModel):
    """`configs/routing.yaml`, less the classifier section (the classifier validates that itself)."""

    version: int = 1
    models: ModelChoice
    routes: RouteRules = RouteRules()
    batch: BatchRules = BatchRules()
    # The local model's check before a document leaves for the cloud (worker/second_line.py).
    second_line: SecondLineConfig = SecondLineConfig()
    classifier: dict[str, Any] = Field(default_factory=dict)


class Availability(ConfigModel):
    """Which routes have a backend configured in this deployment."""

    local: bool
    cloud: bool


def decide(
    tags: Tags, policy: RoutingPolicy, available: Availability, batch: BatchHints | None = None
) -> Route:
    """Pick the route for one job and say why. `batch` (when known) lets cloud-bound work wait for the
    Batch API; only a job the cloud route would take can get there, so sensitive jobs never do."""
    models = policy.models
    rules = policy.routes

    if never_leaves(tags.sensitivity):
        return Route(
            target=RouteTarget.LOCAL,
            model=models.local,
            reasons=(f"sensitivity:{tags.sensitivity.value} never leaves",),
        )
    if tags.sensitivity in rules.local_only_sensitivity:
        return Route(
            target=RouteTarget.LOCAL,
            model=models.local,
            reasons=(f"sensitivity:{tags.sensitivity.value} kept local by policy",),
        )
    wants_cloud, complexity_reason = _complexity_decision(tags, rules, batch)
    if not wants_cloud:
        return Route(target=RouteTarget.LOCAL, model=models.local, reasons=(complexity_reason,))
    if not available.cloud and rules.cloud_unavailable_fallback_to_local:
        return Route(
            target=RouteTarget.LOCAL,
            model=models.local,
            reasons=(complexity_reason, "cloud not configured: fell back to local"),
        )
    reasons = (complexity_reason, f"sensitivity:{tags.sensitivity.value}")
    if batch is not None and available.cloud and (why := batch_reason(policy.batch, batch)) is not None:
        return Route(target=RouteTarget.CLOUD_BATCH, model=models.cloud, reasons=(*reasons, why))
    return Route(target=RouteTarget.CLOUD, model=models.cloud, reasons=reasons)


def _complexity_decision(tags: Tags, rules: RouteRules, batch: BatchHints | None) -> tuple[bool, str]:
    """Whether a cloud-allowed job is complex enough for the cloud, and the reason: by the batch's
    calibrated score threshold, else the file's score threshold, else the complexity bucket."""
    batch_threshold = batch.cloud_min_score if batch is not None else None
    threshold = batch_threshold if batch_threshold is not None else rules.cloud_min_score
    if threshold is not None:
        source = "batch cloud share" if batch_threshold is not None else "cloud_min_score"
        score = tags.complexity_score
        if score >= threshold:
            return True, f"complexity_score:{score:.3f} >= {threshold:.3f} ({source})"
        return False, f"complexity_score:{score:.3f} below {threshold:.3f} ({source})"
    if _COMPLEXITY_ORDER.index(tags.complexity) >= _COMPLEXITY_ORDER.index(rules.cloud_min_complexity):
        return True, f"complexity:{tags.complexity.value}"
    return False, f"complexity:{tags.complexity.value} below {rules.cloud_min_complexity.value}"


def load_routing_policy(path: Path) -> RoutingPolicy:
    return load(RoutingPolicy, path)


def fallback(tags: Tags, failed: Route, policy: RoutingPolicy, available: Availability) -> Route | None:
    """Where a job goes after its route failed for good, or None to fail it. At most one fallback per job."""
    if failed.fallback_from is not None:
        return None
    rules, models = policy.routes, policy.models
    if failed.target is RouteTarget.CLOUD_BATCH:
        return _batch_fallback(tags, failed, policy, available)
    if failed.target is RouteTarget.CLOUD and rules.fallback_cloud_to_local and available.local:
        return Route(
            target=RouteTarget.LOCAL,
            model=models.local,
            reasons=(*failed.reasons, "fallback: cloud failed"),
            fallback_from=RouteTarget.CLOUD,
        )
    if (
        failed.target is RouteTarget.LOCAL
        and rules.fallback_local_to_cloud
        and available.cloud
        and cloud_allowed(tags.sensitivity, policy)
        and not kept_local_by_it(failed)  # the local model said sensitive, or could not say: never out
    ):
        return Route(
            target=RouteTarget.CLOUD,
            model=models.cloud,
            reasons=(*failed.reasons, "fallback: local failed"),
            fallback_from=RouteTarget.LOCAL,
        )
    return None


def _batch_fallback(
    tags: Tags, failed: Route, policy: RoutingPolicy, available: Availability
) -> Route | None:
    """A batch request failed, expired or was cancelled: `batch.on_failure` says where the job goes."""
    choice = policy.batch.on_failure
    reasons = (*failed.reasons, "fallback: batch request not answered")
    if choice == "cloud" and available.cloud and cloud_allowed(tags.sensitivity, policy):
        target, model = RouteTarget.CLOUD, policy.models.cloud
    elif choice == "local" and available.local:
        target, model = RouteTarget.LOCAL, policy.models.local
    else:
        return None
    return Route(target=target, model=model, reasons=reasons, fallback_from=RouteTarget.CLOUD_BATCH)


def cloud_allowed(sensitivity: Sensitivity, policy: RoutingPolicy) -> bool:
    return not never_leaves(sensitivity) and sensitivity not in policy.routes.local_only_sensitivity
