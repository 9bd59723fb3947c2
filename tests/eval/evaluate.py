"""Score the classifier on a labelled corpus: sensitive-document recall, false-positive rate, per kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tests.eval.corpus import Case
from worker.classifier import Classifier
from worker.schema import Sensitivity, TaskKind, TaskSpec

TASK = TaskSpec(kind=TaskKind.SUMMARIZE)


@dataclass
class Score:
    sensitive: int = 0
    detected: int = 0
    clean: int = 0
    flagged: int = 0
    per_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    misses: list[Case] = field(default_factory=list)
    false_positives: list[tuple[Case, tuple[str, ...]]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.detected / self.sensitive if self.sensitive else 1.0

    @property
    def fp_rate(self) -> float:
        return self.flagged / self.clean if self.clean else 0.0

    def table(self) -> str:
        lines = [f"{'kind':18s} {'docs':>5s} {'recall':>8s} {'kind-recall':>11s}"]
        for kind, (docs, hit, kind_hit) in sorted(self.per_kind.items()):
            lines.append(f"{kind:18s} {docs:5d} {hit / docs:8.2%} {kind_hit / docs:11.2%}")
        lines.append(
            f"sensitive-document recall {self.recall:.2%} ({self.detected}/{self.sensitive}); "
            f"false-positive rate {self.fp_rate:.2%} ({self.flagged}/{self.clean})"
        )
        return "\n".join(lines)


def evaluate(classifier: Classifier, cases: list[Case]) -> Score:
    """A sensitive document counts as found when tagged confidential or above (it stays local);
    `kind-recall` also requires the expected entity kind among the findings. A clean document is a
    false positive when tagged anything above public."""
    score = Score()
    for case in cases:
        tags = classifier.classify(case.text, task=TASK)
        if case.sensitive:
            score.sensitive += 1
            found = tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)
            kind_found = found and bool(case.expected & set(tags.findings))
            row = score.per_kind[case.kind]
            row[0] += 1
            row[1] += found
            row[2] += kind_found
            score.detected += found
            if not found:
                score.misses.append(case)
        else:
            score.clean += 1
            if tags.sensitivity is not Sensitivity.PUBLIC:
                score.flagged += 1
                score.false_positives.append((case, tags.reasons))
    return score
