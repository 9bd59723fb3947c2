"""Evaluation on the generated corpus: sensitive-document recall and false-positive rate, per kind.

The held-out part (never looked at while building the detectors) is the measurement; the targets are
recall >= 99.5% and false-positive rate <= 3%.
"""

from __future__ import annotations

import pytest

from tests.eval.corpus import Case, generate, split
from tests.eval.evaluate import Score, evaluate
from worker.classifier import Classifier


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Case], list[Case]]:
    return split(generate())


@pytest.fixture(scope="module")
def holdout_score(corpus: tuple[list[Case], list[Case]]) -> Score:
    score = evaluate(Classifier(), corpus[1])
    print("\nheld-out corpus\n" + score.table())
    return score


def test_corpus_is_deterministic() -> None:
    assert [c.text for c in generate(docs_per_kind=3, clean_docs=5)] == [
        c.text for c in generate(docs_per_kind=3, clean_docs=5)
    ]


def test_holdout_is_a_real_share_of_every_kind(corpus: tuple[list[Case], list[Case]]) -> None:
    _, holdout = corpus
    kinds = {c.kind for c in holdout}
    assert len(holdout) > 1500 and "clean" in kinds and len(kinds) >= 17


def test_sensitive_document_recall_meets_target(holdout_score: Score) -> None:
    missed = [f"{c.doc_id}: {c.planted!r}" for c in holdout_score.misses]
    assert holdout_score.recall >= 0.995, "\n".join(missed)


def test_false_positive_rate_meets_target(holdout_score: Score) -> None:
    flagged = [f"{c.doc_id}: {reasons[:-1]}" for c, reasons in holdout_score.false_positives]
    assert holdout_score.fp_rate <= 0.03, "\n".join(flagged)


def test_every_kind_is_found_as_its_own_kind(holdout_score: Score) -> None:
    """Per-kind recall of the exact entity kind (not just "some finding"): at least 97% each."""
    weak = {k: hit / docs for k, (docs, _, hit) in holdout_score.per_kind.items() if hit / docs < 0.97}
    assert not weak, weak


def test_same_document_gets_the_same_tags(corpus: tuple[list[Case], list[Case]]) -> None:
    from tests.eval.evaluate import TASK

    classifier = Classifier()
    sample = corpus[1][:200]
    first = [classifier.classify(c.text, task=TASK) for c in sample]
    again = [Classifier().classify(c.text, task=TASK) for c in sample]
    assert first == again
