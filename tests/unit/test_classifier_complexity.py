"""Complexity: the score rises with length, structure, task demand, reasoning and language."""

from __future__ import annotations

from worker.classifier import Classifier, ClassifierConfig
from worker.schema import Complexity, TaskKind, TaskSpec

PROSE = (
    "The quarterly review covered revenue growth across the region, driven by renewals in the largest "
    "accounts. The team discussed the migration plan and agreed on the next checkpoint for the rollout. "
)
SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
EXTRACT_ONE = TaskSpec(kind=TaskKind.EXTRACT, fields=("total",))
COMPARE = TaskSpec(
    kind=TaskKind.CUSTOM, prompt="Compare the two proposals, analyze the risks and recommend one: {text}"
)


def score(classifier: Classifier, text: str, task: TaskSpec = SUMMARIZE) -> float:
    return classifier.classify(text, task=task).complexity_score


def test_longer_documents_score_higher(classifier: Classifier) -> None:
    assert score(classifier, PROSE * 200) > score(classifier, PROSE * 5)


def test_extracting_one_field_is_easier_than_summarising(classifier: Classifier) -> None:
    assert score(classifier, PROSE * 20, EXTRACT_ONE) < score(classifier, PROSE * 20, SUMMARIZE)


def test_comparative_analysis_prompt_is_harder_than_summarising(classifier: Classifier) -> None:
    assert score(classifier, PROSE * 20, COMPARE) > score(classifier, PROSE * 20, SUMMARIZE)


def test_translation_prompt_is_light(classifier: Classifier) -> None:
    translate = TaskSpec(kind=TaskKind.CUSTOM, prompt="Translate to French: {text}")
    assert score(classifier, PROSE * 20, translate) < score(classifier, PROSE * 20, COMPARE)


def test_tables_and_code_raise_the_score(classifier: Classifier) -> None:
    table = "| Region | Units |\n|---|---|\n| EMEA | 10 |\n| APAC | 12 |\n"
    code = "```python\ndef total(rows):\n    return sum(rows)\n```\n"
    structured = "# Plan\n" + PROSE * 10 + table + code + "## Risks\n" + PROSE * 10
    assert score(classifier, structured) > score(classifier, PROSE * 20 + " " * len(table + code))


def test_argumentative_text_scores_higher(classifier: Classifier) -> None:
    argument = (
        PROSE + "Therefore, notwithstanding the hypothesis, we conclude that the liability is limited; "
    )
    argument += "moreover, whereas the contrast is clear, it implies a tradeoff, hence the proof holds. "
    assert score(classifier, argument * 10) > score(classifier, (PROSE * 2) * 10)


def test_non_english_scores_higher(classifier: Classifier) -> None:
    german = "Der Vorstand hat die Strategie für das nächste Jahr beschlossen und die Budgets verteilt. " * 30
    english = "The board approved the strategy for the coming year and the budgets were distributed. " * 30
    assert score(classifier, german) > score(classifier, english)


def test_short_single_field_extraction_is_simple(classifier: Classifier) -> None:
    assert classifier.classify(PROSE, task=EXTRACT_ONE).complexity is Complexity.SIMPLE


def test_long_comparative_analysis_is_complex(classifier: Classifier) -> None:
    assert classifier.classify(PROSE * 200, task=COMPARE).complexity is Complexity.COMPLEX


def test_thresholds_come_from_config() -> None:
    everything_complex = Classifier(
        ClassifierConfig.model_validate({"complexity": {"simple_below": 0.0, "complex_at_or_above": 0.0}})
    )
    assert everything_complex.classify("hi", task=EXTRACT_ONE).complexity is Complexity.COMPLEX


def test_features_are_listed_in_the_reason(classifier: Classifier) -> None:
    reason = classifier.classify(PROSE * 10, task=SUMMARIZE).reasons[-1]
    for feature in (
        "score=",
        "tokens~",
        "sections=",
        "tables=",
        "code=",
        "math=",
        "task=summarize",
        "language=en",
    ):
        assert feature in reason
