"""The routing policy: a pure function of the tags, the policy file and which routes exist.

The privacy invariant lives here first (and again in the cloud backend): a confidential or restricted
job is routed local, whatever the policy file or the availability of backends says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from worker.config import ConfigModel, load
from worker.schema import NEVER_TO_CLOUD, Complexity, Route, RouteTarget, Sensitivity, Tags

_COMPLEXITY_ORDER = [Complexity.SIMPLE, Complexity.MODERATE, Complexity.COMPLEX]


class ModelChoice(ConfigModel):
    local: str
    cloud: str


class RouteRules(ConfigModel):
    local_only_sensitivity: frozenset[Sensitivity] = frozenset({Sensitivity.INTERNAL})
    cloud_min_complexity: Complexity = Complexity.COMPLEX
    cloud_unavailable_fallback_to_local: bool = True
    # When the cloud route fails for good (retries exhausted, or a permanent error such as no quota),
    # run the job locally instead. The result records the fallback.
    fallback_cloud_to_local: bool = True
    # When the local route fails for good, send the job to the cloud instead. Only ever for jobs whose
    # sensitivity allows the cloud at all; off by default because it spends money unannounced.
    fallback_local_to_cloud: bool = False


class RoutingPolicy(ConfigModel):
    """`configs/routing.yaml`, less the classifier section (the classifier validates that itself)."""

    version: int = 1
    models: ModelChoice
    routes: RouteRules = RouteRules()
    classifier: dict[str, Any] = Field(default_factory=dict)


class Availability(ConfigModel):
    """Which routes have a backend configured in this deployment."""

    local: bool
    cloud: bool


def decide(tags: Tags, policy: RoutingPolicy, available: Availability) -> Route:
    """Pick the route for one job and say why."""
    models = policy.models
    rules = policy.routes

    if tags.sensitivity in NEVER_TO_CLOUD:
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
    wants_cloud = _COMPLEXITY_ORDER.index(tags.complexity) >= _COMPLEXITY_ORDER.index(
        rules.cloud_min_complexity
    )
    if not wants_cloud:
        return Route(
            target=RouteTarget.LOCAL,
            model=models.local,
            reasons=(f"complexity:{tags.complexity.value} below {rules.cloud_min_complexity.value}",),
        )
    if not available.cloud and rules.cloud_unavailable_fallback_to_local:
        return Route(
            target=RouteTarget.LOCAL,
            model=models.local,
            reasons=(f"complexity:{tags.complexity.value}", "cloud not configured: fell back to local"),
        )
    return Route(
        target=RouteTarget.CLOUD,
        model=models.cloud,
        reasons=(f"complexity:{tags.complexity.value}", f"sensitivity:{tags.sensitivity.value}"),
    )


def load_routing_policy(path: Path) -> RoutingPolicy:
    return load(RoutingPolicy, path)


def fallback(tags: Tags, failed: Route, policy: RoutingPolicy, available: Availability) -> Route | None:
    """Where a job goes after its route failed for good, or None to fail it. At most one fallback per job."""
    if failed.fallback_from is not None:
        return None
    rules, models = policy.routes, policy.models
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
    ):
        return Route(
            target=RouteTarget.CLOUD,
            model=models.cloud,
            reasons=(*failed.reasons, "fallback: local failed"),
            fallback_from=RouteTarget.LOCAL,
        )
    return None


def cloud_allowed(sensitivity: Sensitivity, policy: RoutingPolicy) -> bool:
    return sensitivity not in NEVER_TO_CLOUD and sensitivity not in policy.routes.local_only_sensitivity
