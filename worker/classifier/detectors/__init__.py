"""Detectors, one module per concern, and how their findings are combined."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from worker.classifier.config import ClassifierConfig
from worker.classifier.detectors.base import Detector, Doc, Finding
from worker.classifier.detectors.contact import ContactDetector
from worker.classifier.detectors.financial import FinancialDetector
from worker.classifier.detectors.markers import MarkerDetector
from worker.classifier.detectors.secrets import SecretsDetector
from worker.classifier.kinds import category

# When two findings overlap, the more specific one wins: a checksum-validated card beats the phone
# number its digits also look like; a connection string beats the "email" inside it. Markers never
# compete (they are phrases, not values).
_PRIORITY = {"secret": 6, "financial": 5, "national_id": 5, "health": 4, "contact": 3, "network": 2}
_PHONE_PRIORITY = 1


def build_detectors(config: ClassifierConfig) -> list[Detector]:
    return [
        SecretsDetector(),
        FinancialDetector(),
        ContactDetector(),
        MarkerDetector(prose_confidential_is_marker=config.prose_confidential_is_marker),
    ]


def resolve(doc: Doc, detectors: Sequence[Detector], config: ClassifierConfig) -> list[Finding]:
    """Run every detector and drop findings that overlap a more specific one."""
    raw = [finding for detector in detectors for finding in detector.find(doc)]
    return _drop_overlaps(raw)


def _priority(finding: Finding) -> int:
    if finding.kind == "phone_number":
        return _PHONE_PRIORITY
    return _PRIORITY.get(category(finding.kind), 0)


def _drop_overlaps(findings: list[Finding]) -> list[Finding]:
    markers = _dedupe_markers([f for f in findings if f.kind.startswith("marker:")])
    values = sorted(
        (f for f in findings if not f.kind.startswith("marker:")),
        key=lambda f: (-_priority(f), f.start, f.end, f.kind),
    )
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Finding] = []
    for finding in values:
        index = bisect_left(starts, finding.start)
        overlaps_prev = index > 0 and ends[index - 1] > finding.start
        overlaps_next = index < len(starts) and starts[index] < finding.end
        if overlaps_prev or overlaps_next:
            continue
        starts.insert(index, finding.start)
        ends.insert(index, finding.end)
        kept.append(finding)
    return kept + markers


def _dedupe_markers(markers: list[Finding]) -> list[Finding]:
    """One marker per place: a banner matched by two patterns counts once."""
    kept: list[Finding] = []
    for finding in sorted(markers, key=lambda f: (f.start, -f.end, f.kind)):
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
