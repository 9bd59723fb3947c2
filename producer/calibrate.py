"""`--cloud-share`: set a batch's complexity-score threshold from the batch's own scores.

RouteLLM calibrates its router's threshold so that a chosen share of queries goes to the strong model,
on a public dataset. We do the same on the user's documents: the threshold is the score above which
about `share` of the batch's cloud-allowed documents lie. Sensitive documents (those the policy never
lets reach the cloud) are left out of the count: they go local whatever the threshold.

The scores come from a uniform random sample of the batch (reservoir sampling, seeded, so a resubmission
gets the same threshold), classified with the same classifier and policy the workers use. Only the
sample's scores are kept in memory, and only documents that enter the sample are classified: about
k·(1 + ln(n/k)) classifications for n documents, not n.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

import structlog

from producer.loaders import LoadedDocument, Rejection
from producer.sensitivity_floor import document_floor
from worker.classifier import Classifier
from worker.routing import RoutingPolicy, cloud_allowed
from worker.schema import Sensitivity, TaskSpec

log = structlog.get_logger("turnout.calibrate")

SAMPLE_SIZE = 4_000
# Share 0 means "nothing to the cloud": a threshold no score (all are <= 1) can reach.
ABOVE_EVERY_SCORE = math.nextafter(1.0, math.inf)


@dataclass(frozen=True)
class Calibration:
    """The batch's threshold, and what it gives on the sample it was computed from."""

    target_share: float
    threshold: float
    documents: int  # documents read (rejected ones excluded)
    sampled: int  # documents classified for the sample
    cloud_allowed: int  # of those, the ones the cloud may see: the scores the threshold was set from
    expected_share: float  # share of those scores at or above the threshold


def calibrate_cloud_share(
    documents: Iterable[LoadedDocument | Rejection],
    task: TaskSpec,
    share: float,
    classifier: Classifier,
    policy: RoutingPolicy,
    *,
    floor: Sensitivity | None = None,
    sample_size: int = SAMPLE_SIZE,
    seed: int = 0,
) -> Calibration:
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"cloud share must be between 0 and 1, got {share}")
    rng = random.Random(seed)
    slots: list[float | None] = []  # per sampled document: its score, or None when it must stay local
    seen = 0
    for item in documents:
        if isinstance(item, Rejection):
            continue
        seen += 1
        if len(slots) < sample_size:
            slots.append(_score(item, task, classifier, policy, floor))
            continue
        slot = rng.randrange(seen)  # Algorithm R: every document ends in the sample with equal chance
        if slot < sample_size:
            slots[slot] = _score(item, task, classifier, policy, floor)
    scores = [score for score in slots if score is not None]
    threshold = threshold_for_share(scores, share)
    expected = sum(score >= threshold for score in scores) / len(scores) if scores else 0.0
    calibration = Calibration(
        target_share=share,
        threshold=threshold,
        documents=seen,
        sampled=len(slots),
        cloud_allowed=len(scores),
        expected_share=round(expected, 4),
    )
    log.info(
        "cloud_share_calibrated",
        target_share=share,
        threshold=round(threshold, 4),
        documents=seen,
        sampled=len(slots),
        cloud_allowed=len(scores),
    )
    return calibration


def threshold_for_share(scores: list[float], share: float) -> float:
    """The score threshold (`score >= threshold` goes to the cloud) that sends about `share` of `scores`.

    Halfway between the last score in and the first score out, so documents outside the sample split
    the same way. Equal scores cannot be split (routing sees only the score, and short documents often
    tie), so when the cut falls inside a group of equal scores the whole group goes to whichever side
    lands nearer the asked share (the local side when both are as near: it costs less).
    """
    if share <= 0.0 or not scores:
        return ABOVE_EVERY_SCORE
    ordered = sorted(scores, reverse=True)
    wanted = math.floor(share * len(ordered) + 0.5)  # half up: Python's round() would halve to even
    if wanted <= 0:
        return math.nextafter(ordered[0], math.inf)
    if wanted >= len(ordered):
        return 0.0
    last_in, first_out = ordered[wanted - 1], ordered[wanted]
    if last_in > first_out:
        return (last_in + first_out) / 2
    tied = last_in
    above = [score for score in ordered if score > tied]
    with_tie = sum(score >= tied for score in ordered)
    if abs(with_tie - wanted) < abs(len(above) - wanted):
        return tied
    return (min(above) + tied) / 2 if above else math.nextafter(tied, math.inf)


def _score(
    document: LoadedDocument,
    task: TaskSpec,
    classifier: Classifier,
    policy: RoutingPolicy,
    floor: Sensitivity | None,
) -> float | None:
    tags = classifier.classify(
        document.text, task=task, source=document.source, floor=document_floor(document, floor)
    )
    return tags.complexity_score if cloud_allowed(tags.sensitivity, policy) else None
