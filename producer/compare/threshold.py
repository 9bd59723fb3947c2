"""The score threshold `turnout compare` recommends for `routes.cloud_min_score` in configs/routing.yaml.

With threshold t, a cloud-allowed job whose complexity score is at least t goes to the cloud (its answer
is the cloud answer, the reference, so it counts as agreeing), and one below t stays local (it counts
with its measured agreement, its `credit`). The agreement of that mix only falls as t rises and fewer
jobs go to the cloud, so the recommendation is the highest t whose mix still reaches the target: the
fewest cloud jobs for the agreement asked.

Every t between two neighbouring scores splits the sample the same way; the value shown is the roundest
number in that gap (the fewest decimals, then nearest the middle), so it reads well and does not sit on
one sample's exact score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

# A threshold above every score: `routes.cloud_min_score` above 1 keeps every job local.
ABOVE_EVERY_SCORE = 1.01
ALL_TO_CLOUD = 0.0
_EPSILON = 1e-9  # agreement sums of floats: equal to the target within rounding counts as reaching it

Outcome = Literal["threshold", "all_local", "unreachable", "no_data"]


@dataclass(frozen=True)
class Point:
    """One compared cloud-allowed job: its complexity score and its local answer's agreement (0..1)."""

    score: float
    credit: float


@dataclass(frozen=True)
class Mix:
    """Which jobs of the sample go to the cloud, and the agreement of the answers that gives."""

    jobs: int
    cloud_jobs: int
    agreement: float

    @property
    def cloud_share(self) -> float:
        return self.cloud_jobs / self.jobs if self.jobs else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "jobs": self.jobs,
            "cloud_jobs": self.cloud_jobs,
            "cloud_share": round(self.cloud_share, 4),
            "agreement": round(self.agreement, 4),
        }


@dataclass(frozen=True)
class Split(Mix):
    """The mix a score threshold gives: jobs at or above it on the cloud."""

    threshold: float

    def as_json(self) -> dict[str, Any]:
        return {"cloud_min_score": self.threshold, **super().as_json()}


@dataclass(frozen=True)
class Recommendation:
    target: float
    outcome: Outcome
    split: Split | None  # None: no compared job to base a recommendation on

    @property
    def threshold(self) -> float | None:
        return self.split.threshold if self.split else None

    def routing_yaml(self) -> str | None:
        """The setting for configs/routing.yaml: it replaces the `cloud_min_score` line under `routes:`."""
        if self.split is None:
            return None
        return f"routes:\n  cloud_min_score: {format_threshold(self.split.threshold)}\n"

    def as_json(self) -> dict[str, Any]:
        return {
            "target_agreement": self.target,
            "outcome": self.outcome,
            **(self.split.as_json() if self.split else {"cloud_min_score": None}),
            "routing_yaml": self.routing_yaml(),
        }


def split_at(points: Sequence[Point], threshold: float) -> Split:
    """The mix a threshold gives: jobs at or above it answered by the cloud, the rest locally."""
    cloud = [p for p in points if p.score >= threshold]
    local_credit = sum(p.credit for p in points if p.score < threshold)
    agreement = (len(cloud) + local_credit) / len(points) if points else 0.0
    return Split(threshold=threshold, jobs=len(points), cloud_jobs=len(cloud), agreement=agreement)


def recommend(points: Sequence[Point], target: float) -> Recommendation:
    """The threshold that reaches `target` agreement with the fewest cloud jobs (see the module doc)."""
    if not points:
        return Recommendation(target=target, outcome="no_data", split=None)
    scores = sorted({p.score for p in points})
    # Candidate k sends the jobs scoring >= scores[k] to the cloud; k = len(scores) sends none.
    for k in range(len(scores), -1, -1):
        low = scores[k - 1] if k > 0 else None
        high = scores[k] if k < len(scores) else None
        threshold = _threshold_between(low, high)
        split = split_at(points, threshold)
        if split.agreement + _EPSILON >= target:
            return Recommendation(
                target=target, outcome="all_local" if high is None else "threshold", split=split
            )
    # Even the cloud for every job misses the target (only when cloud answers are not all counted as
    # agreeing): say so, and send every cloud-allowed job to the cloud, the closest one can get.
    return Recommendation(target=target, outcome="unreachable", split=split_at(points, ALL_TO_CLOUD))


def _threshold_between(low: float | None, high: float | None) -> float:
    """The roundest threshold t with low < t <= high (one that splits the sample between them)."""
    if high is None:
        return ABOVE_EVERY_SCORE
    if low is None:
        return ALL_TO_CLOUD
    middle = (low + high) / 2
    for decimals in (1, 2, 3):
        step = 10**-decimals
        around = range(math.floor(low / step) - 1, math.floor(high / step) + 2)
        fits = [c for c in (round(n * step, decimals) for n in around) if low < c <= high]
        if fits:
            return min(fits, key=lambda c: (abs(c - middle), c))
    return high


def format_threshold(value: float) -> str:
    """Two decimals unless the value needs three (0.6 -> "0.60", 0.615 -> "0.615")."""
    text = f"{value:.3f}"
    return text[:-1] if text.endswith("0") else text
