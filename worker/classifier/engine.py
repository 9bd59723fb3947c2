"""The classifier: runs every detector over a document, applies the policy, scores complexity."""

from __future__ import annotations

from collections import Counter

from worker.classifier.complexity import ComplexityScorer
from worker.classifier.config import ClassifierConfig
from worker.classifier.detectors import Resolver
from worker.classifier.detectors.base import Doc
from worker.classifier.policy import SensitivityPolicy
from worker.classifier.unread import unread_language
from worker.classifier.version import CLASSIFIER_VERSION
from worker.schema import Sensitivity, Tags, TaskSpec


class Classifier:
    """Tags documents with sensitivity and complexity. Build once per process; safe to share across threads
    (it holds only compiled patterns and read-only tables)."""

    def __init__(self, config: ClassifierConfig | None = None) -> None:
        self.config = config or ClassifierConfig()
        self._resolver = Resolver(self.config)
        self._policy = SensitivityPolicy(self.config)
        self._complexity = ComplexityScorer(self.config.complexity)
        self._abstain_level = self.config.effective_levels()["unread_language"]

    def classify(
        self, text: str, *, task: TaskSpec, source: str = "", floor: Sensitivity | None = None
    ) -> Tags:
        doc = Doc(text)
        counts = Counter(finding.kind for finding in self._resolver.findings(doc))
        sensitivity, reasons = self._policy.decide(counts, source=source, floor=floor)
        if sensitivity.rank < self._abstain_level.rank:
            # Nothing the rules can read made it sensitive; if that is because they cannot read the
            # language, say so and abstain (unread.py).
            script = unread_language(doc)
            if script is not None:
                sensitivity = self._abstain_level
                reasons = [f"unread_language:{script}", *reasons]
        complexity, score, complexity_reason = self._complexity.score(doc, task)
        return Tags(
            sensitivity=sensitivity,
            complexity=complexity,
            complexity_score=score,
            reasons=(*_found_or_nothing(counts), *reasons, *_normalised(doc), complexity_reason),
            findings=dict(sorted(counts.items())),
            classifier_version=CLASSIFIER_VERSION,
        )


def _found_or_nothing(counts: Counter[str]) -> tuple[str, ...]:
    """A miss is never silent (issue 18): a document where no detector fired says so in its reasons."""
    return () if counts else ("nothing_found",)


def _normalised(doc: Doc) -> tuple[str, ...]:
    """Evasion characters folded before detection (look-alike dashes and letters, zero-width and bidi
    controls)."""
    normalised = doc.normalised
    out = []
    if normalised.dashes:
        out.append(f"normalised:dashes x{normalised.dashes}")
    if normalised.invisible:
        out.append(f"normalised:invisible x{normalised.invisible}")
    if normalised.confusables:
        out.append(f"normalised:confusables x{normalised.confusables}")
    if normalised.escapes:
        out.append(f"normalised:escapes x{normalised.escapes}")
    if normalised.markup:
        out.append(f"normalised:{normalised.markup} x{normalised.markup_count}")
    return tuple(out)
