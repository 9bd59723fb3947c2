"""`turnout results --format csv`: one row per job, extracted fields flattened into columns."""

from __future__ import annotations

import csv
import io
import json

from producer.export import FIXED_COLUMNS, write_csv
from worker.schema import JobError, JobResult, JobStatus, TaskKind, TaskSpec, Usage

NESTED_SCHEMA = {
    "type": "object",
    "properties": {
        "party": {"type": "string"},
        "status": {"type": "string"},
        "address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "string"}}},
        "items": {"type": "array", "items": {"type": "string"}},
    },
}


def result(
    job: str, output: str | None, status: JobStatus = JobStatus.SUCCEEDED, **extra: object
) -> JobResult:
    return JobResult(
        job_id=job,
        batch_id="b1",
        source=f"{job}.txt",
        status=status,
        output=output,
        usage=Usage(input_tokens=100, output_tokens=20),
        cost_usd=0.0001,
        **extra,  # type: ignore[arg-type]
    )


def rows(results: list[JobResult], task: TaskSpec) -> list[dict[str, str]]:
    out = io.StringIO()
    assert write_csv(results, task, out) == len(results)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_extracted_fields_become_one_column_each() -> None:
    task = TaskSpec(kind=TaskKind.EXTRACT, fields=("party", "amount"))
    (row,) = rows([result("j1", json.dumps({"party": "Acme, Inc.", "amount": "12.50"}), chunks=3)], task)
    assert row["party"] == "Acme, Inc." and row["amount"] == "12.50"
    assert row["input_tokens"] == "100" and row["chunks"] == "3" and row["status"] == "succeeded"
    assert "output" not in row


def test_nested_objects_flatten_with_dots_arrays_stay_json_and_clashing_names_are_prefixed() -> None:
    task = TaskSpec(
        kind=TaskKind.EXTRACT,
        fields=("party", "status", "address", "items"),
        output_schema=json.dumps(NESTED_SCHEMA),
    )
    answer = {
        "party": "Acme",
        "status": "paid",
        "address": {"city": "Lyon", "zip": None},
        "items": ["a", "b"],
    }
    out = io.StringIO()
    write_csv([result("j1", json.dumps(answer))], task, out)
    header = next(csv.reader(io.StringIO(out.getvalue())))
    assert header == [*FIXED_COLUMNS, "party", "output.status", "address.city", "address.zip", "items"]
    (row,) = rows([result("j1", json.dumps(answer))], task)
    assert row["status"] == "succeeded" and row["output.status"] == "paid"
    assert row["address.city"] == "Lyon" and row["address.zip"] == ""
    assert json.loads(row["items"]) == ["a", "b"]


def test_failed_jobs_have_empty_fields_and_their_error() -> None:
    task = TaskSpec(kind=TaskKind.EXTRACT, fields=("party",))
    failed = result(
        "j2",
        None,
        JobStatus.FAILED,
        error=JobError(type="invalid_output", message="answer did not validate after 2 repair(s): $.party"),
    )
    (row,) = rows([failed], task)
    assert row["party"] == "" and row["error_type"] == "invalid_output"
    assert row["error_message"].startswith("answer did not validate")


def test_other_tasks_get_one_output_column_with_the_text_quoted_safely() -> None:
    text = 'Line one, with a comma.\nLine "two".'
    (row,) = rows([result("j1", text)], TaskSpec(kind=TaskKind.SUMMARIZE))
    assert row["output"] == text
