"""The task-aware agreement measures of `turnout compare` (producer/compare/agreement.py)."""

from __future__ import annotations

import json

import pytest

from producer.compare.agreement import (
    DEFAULT_SUMMARY_THRESHOLD,
    Measure,
    field_agreement,
    label_of,
    lcs_length,
    normalise_value,
    rouge_l_f1,
)
from worker.schema import TaskKind, TaskSpec

EXTRACT = TaskSpec(kind=TaskKind.EXTRACT, fields=("invoice_number", "total", "due_date"))
CLASSIFY = TaskSpec(kind=TaskKind.CLASSIFY, labels=("invoice", "contract", "other"))
SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


def answer(**fields: object) -> str:
    return json.dumps(fields)


# ---------------------------------------------------------------------------------------------- extract


def test_extract_counts_the_share_of_matching_fields() -> None:
    reference = answer(invoice_number="INV-7", total="$1,234.50", due_date="2026-05-01")
    measure = Measure(EXTRACT)
    same = measure.compare(reference, reference)
    assert (same.agrees, same.score, same.credit) == (True, 1.0, 1.0)
    one_off = measure.compare(
        reference, answer(invoice_number="INV-8", total="$1,234.50", due_date="2026-05-01")
    )
    assert one_off.agrees is False
    assert one_off.score == pytest.approx(2 / 3) and one_off.credit == pytest.approx(2 / 3)


def test_extract_ignores_formatting_but_not_values() -> None:
    reference = answer(invoice_number="INV-7", total="$1,234.50", due_date=None)
    reformatted = answer(invoice_number="  inv-7. ", total=1234.5, due_date="unknown")
    assert field_agreement(reference, reformatted, EXTRACT.fields) == 1.0
    assert field_agreement(
        reference, answer(invoice_number="INV-7", total="1234.51", due_date=None), EXTRACT.fields
    ) == pytest.approx(2 / 3)
    # A missing field is "not found"; a value where the reference found none is a disagreement.
    assert field_agreement(reference, answer(invoice_number="INV-7", total="1234.50"), EXTRACT.fields) == 1.0
    assert field_agreement(
        reference, answer(invoice_number="INV-7", total="1234.50", due_date="2026-01-01"), EXTRACT.fields
    ) == pytest.approx(2 / 3)


def test_extract_answer_that_is_not_a_json_object_matches_only_empty_fields() -> None:
    reference = answer(invoice_number="INV-7", total=None, due_date=None)
    assert field_agreement(reference, "not json", EXTRACT.fields) == pytest.approx(2 / 3)
    assert field_agreement(reference, "[1, 2]", EXTRACT.fields) == pytest.approx(2 / 3)


def test_normalised_values_compare_nested_data_and_numbers() -> None:
    assert normalise_value("€ 12") == normalise_value(12) == normalise_value("12.00")
    assert normalise_value(["B", "a"]) == normalise_value(["a", "b"])
    assert normalise_value({"city": "Paris", "zip": None}) == normalise_value({"city": " paris "})
    assert normalise_value("N/A") is None and normalise_value([]) is None
    assert normalise_value(True) is True and normalise_value(True) != normalise_value(1)


# --------------------------------------------------------------------------------------------- classify


def test_classify_matches_labels_whatever_their_case_or_a_sentence_around_them() -> None:
    measure = Measure(CLASSIFY)
    assert measure.compare("invoice", "Invoice.").agrees
    assert measure.compare("contract", "The label is: contract").agrees
    verdict = measure.compare("invoice", "contract")
    assert (verdict.agrees, verdict.score, verdict.credit) == (False, 0.0, 0.0)
    assert label_of("invoice or contract", CLASSIFY.labels) == "invoice or contract"  # names two: no label


# ------------------------------------------------------------------------------------ summarize, custom


def test_rouge_l_is_the_f1_of_the_longest_common_subsequence() -> None:
    assert lcs_length(["a", "b", "c", "d"], ["a", "c", "d", "e"]) == 3
    # LCS "the cat on the mat" (5): precision 5/5, recall 5/6.
    assert rouge_l_f1("the cat sat on the mat", "The cat, on the mat!") == pytest.approx(
        2 * 1 * (5 / 6) / (1 + 5 / 6)
    )
    assert rouge_l_f1("same words here", "here words same") == pytest.approx(1 / 3)  # order matters
    assert rouge_l_f1("", "") == 1.0 and rouge_l_f1("text", "") == 0.0
    assert rouge_l_f1("alpha beta", "gamma delta") == 0.0


def test_summaries_agree_at_the_threshold() -> None:
    measure = Measure(SUMMARIZE)
    assert measure.summary_threshold == DEFAULT_SUMMARY_THRESHOLD
    reference = (
        "Revenue rose twelve percent in the north while costs fell, and the board wants a logistics plan."
    )
    close = "Northern revenue rose twelve percent while costs fell; the board wants a plan for logistics."
    off = "In short: logistics, northern and percent; the rest is unclear."
    assert measure.compare(reference, close).agrees
    verdict = measure.compare(reference, off)
    assert not verdict.agrees and verdict.credit == 0.0 and 0 < verdict.score < DEFAULT_SUMMARY_THRESHOLD
    strict = Measure(SUMMARIZE, summary_threshold=0.99)
    assert not strict.compare(reference, close).agrees


def test_each_measure_says_what_it_is() -> None:
    assert Measure(EXTRACT).as_json()["name"] == "field match"
    assert Measure(CLASSIFY).as_json() | {"description": ""} == {
        "name": "label match",
        "description": "",
        "threshold": None,
    }
    custom = Measure(
        TaskSpec(kind=TaskKind.CUSTOM, prompt="Assess the risks."), summary_threshold=0.5
    ).as_json()
    assert custom["name"] == "ROUGE-L F1" and custom["threshold"] == 0.5 and "0.5" in custom["description"]
    assert Measure(EXTRACT).failed().credit == 0.0
