"""Structured extraction: --schema files, validating answers without quoting them, merging parts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from worker.extraction import (
    SchemaFileError,
    check_answer,
    load_schema_file,
    merge_answers,
    strict_mode_problems,
    validator_for,
)
from worker.prompts import output_json_schema
from worker.schema import TaskKind, TaskSpec

INVOICE_SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "total": {"type": "number", "minimum": 0},
        "due_date": {"type": ["string", "null"]},
        "lines": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["invoice_number", "total", "due_date", "lines"],
    "additionalProperties": False,
}


def write_json(tmp_path: Path, data: object, name: str = "schema.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_json_list_is_a_list_of_fields(tmp_path: Path) -> None:
    assert load_schema_file(write_json(tmp_path, ["party", "amount"])) == (("party", "amount"), None)


def test_a_json_schema_gives_its_fields_and_is_kept_verbatim(tmp_path: Path) -> None:
    fields, text = load_schema_file(write_json(tmp_path, INVOICE_SCHEMA))
    assert fields == ("invoice_number", "total", "due_date", "lines")
    assert text is not None and json.loads(text) == INVOICE_SCHEMA


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps(["a", ""]), "non-empty strings"),
        (json.dumps(["a", 3]), "non-empty strings"),
        (json.dumps(["a", "a"]), "listed twice"),
        (json.dumps({"type": "object", "properties": {"a": {"type": "bogus"}}}), "not a valid JSON Schema"),
        (json.dumps({"type": "string"}), "must describe an object"),
        (json.dumps({"type": "object", "properties": {}}), "no properties"),
        (
            json.dumps({"type": "object", "properties": {"a": {"$ref": "https://example.com/a.json"}}}),
            "never fetches",
        ),
        (json.dumps(42), "expected a JSON Schema object"),
    ],
)
def test_unusable_schema_files_are_refused_with_the_reason(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "schema.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SchemaFileError, match=reason):
        load_schema_file(path)


def test_strict_mode_problems_name_the_objects_openai_would_refuse() -> None:
    assert strict_mode_problems(INVOICE_SCHEMA) == []
    loose = {
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "b": {"type": "object", "properties": {"c": {"type": "string"}}},
        },
        "required": ["a"],
    }
    problems = strict_mode_problems(loose)
    assert "$: additionalProperties must be false" in problems
    assert any(p.startswith("$: every property must be required") for p in problems)
    assert any(p.startswith("$.b:") for p in problems)


def test_the_task_carries_the_schema_to_the_backends() -> None:
    text = json.dumps(INVOICE_SCHEMA, sort_keys=True)
    task = TaskSpec(kind=TaskKind.EXTRACT, fields=("invoice_number",), output_schema=text)
    assert output_json_schema(task) == INVOICE_SCHEMA
    by_fields = output_json_schema(TaskSpec(kind=TaskKind.EXTRACT, fields=("a", "b")))
    assert by_fields is not None and by_fields["required"] == ["a", "b"]


def test_a_valid_answer_is_parsed() -> None:
    answer = json.dumps({"invoice_number": "INV-7", "total": 12.5, "due_date": None, "lines": ["x"]})
    value, error = check_answer(answer, validator_for(INVOICE_SCHEMA))
    assert error is None and value["total"] == 12.5


def test_validation_errors_say_where_and_which_rule_but_never_the_value() -> None:
    secret = "Jane Doe, 4539 1488 0343 6467"
    answer = json.dumps({"invoice_number": secret, "total": secret, "lines": [secret], "extra": secret})
    _, error = check_answer(answer, validator_for(INVOICE_SCHEMA))
    assert error is not None
    assert secret not in error and "Jane" not in error and "extra" not in error
    assert "$: missing required due_date" in error
    assert '$.total: must satisfy type="number"' in error


def test_a_date_format_is_enforced() -> None:
    schema = {"type": "object", "properties": {"due_date": {"type": "string", "format": "date"}}}
    validator = validator_for(schema)
    assert check_answer(json.dumps({"due_date": "2026-12-31"}), validator)[1] is None
    _, error = check_answer(json.dumps({"due_date": "next Friday"}), validator)
    assert error is not None and "$.due_date" in error and "Friday" not in error


def test_more_than_three_errors_are_counted_not_listed() -> None:
    schema = {"type": "object", "properties": {k: {"type": "integer"} for k in "abcde"}}
    _, error = check_answer(json.dumps({k: "x" for k in "abcde"}), validator_for(schema))
    assert error is not None and error.endswith("and 2 more")


def test_an_answer_that_is_not_json_says_where_parsing_failed() -> None:
    _, error = check_answer("Sure! Here it is: {", validator_for(INVOICE_SCHEMA))
    assert error == "not valid JSON (Expecting value at line 1 column 1)"


def test_merging_takes_the_first_non_empty_value_per_field_in_order() -> None:
    parts = [
        {"a": None, "b": "", "c": [], "d": "first"},
        {"a": "x", "b": "y", "c": ["z"], "d": "second"},
        {"a": "later", "b": "later", "c": ["later"], "d": "third"},
    ]
    assert merge_answers(parts) == {"a": "x", "b": "y", "c": ["z"], "d": "first"}


def test_a_field_no_part_found_stays_empty_and_falsy_values_count_as_found() -> None:
    assert merge_answers([{"a": None, "n": 0, "f": False}, {"a": None, "n": 5, "f": True}]) == {
        "a": None,
        "n": 0,
        "f": False,
    }
