"""Classification answers: what names a label, and the repair turn (worker/labels.py)."""

from __future__ import annotations

import pytest

from worker.extraction import InvalidOutput
from worker.labels import ask_label, match_label

LABELS = ("invoice", "Customer complaint", "faq")


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        ("invoice", "invoice"),
        ("Invoice.", "invoice"),
        ("**INVOICE**", "invoice"),
        ('"faq"', "faq"),
        ("The label is: FAQ", "faq"),
        ("Label: customer complaint", "Customer complaint"),
        ("customer_complaint", "Customer complaint"),
        ("  The answer is Customer-Complaint!\n", "Customer complaint"),
        ('{"label": "faq"}', "faq"),
        ('```json\n{"label": "Invoice"}\n```', "invoice"),
    ],
)
def test_answers_that_name_a_label_map_to_it_as_the_labels_spell_it(answer: str, label: str) -> None:
    assert match_label(answer, LABELS) == label


@pytest.mark.parametrize(
    "answer",
    [
        "This document can be classified as a frequently asked questions (FAQ) document.",
        "This is not an invoice",
        "invoice or faq",
        '{"label": "receipt"}',
        "",
    ],
)
def test_answers_that_only_mention_a_label_name_none(answer: str) -> None:
    assert match_label(answer, LABELS) is None


def test_an_answer_that_names_no_label_is_repaired_with_the_labels() -> None:
    """Given a first answer that is prose, when the repair turn answers a label, then that label wins."""
    asked: list[tuple[str, list[dict[str, str]]]] = []
    answers = iter(["It looks like a bill of some sort.", "Invoice"])

    def ask(step: str, messages: list[dict[str, str]]) -> str:
        asked.append((step, messages))
        return next(answers)

    def repair(messages: list[dict[str, str]], answer: str, labels: tuple[str, ...]) -> list[dict[str, str]]:
        return [
            *messages,
            {"role": "assistant", "content": answer},
            {"role": "user", "content": ", ".join(labels)},
        ]

    label = ask_label(ask, "whole", [{"role": "user", "content": "doc"}], LABELS, repair, max_repairs=2)
    assert label == "invoice"
    assert [step for step, _ in asked] == ["whole", "whole:repair1"]
    assert asked[1][1][-1]["content"] == "invoice, Customer complaint, faq"


def test_no_label_after_the_repairs_is_invalid_output_without_the_answer() -> None:
    def ask(step: str, messages: list[dict[str, str]]) -> str:
        return "Probably a secret memo about Alice"

    with pytest.raises(InvalidOutput) as caught:
        ask_label(ask, "whole", [], LABELS, lambda m, a, labels: m, max_repairs=1)
    assert "3 labels after 1 repair" in str(caught.value)
    assert "Alice" not in str(caught.value)
