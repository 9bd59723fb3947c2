"""`turnout results --format csv`: one row per job, extracted fields flattened into columns."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from producer.export import FIXED_COLUMNS, open_results_file, spreadsheet_safe, write_csv
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


def test_cells_that_could_start_a_formula_are_quoted_as_owasp_describes() -> None:
    task = TaskSpec(kind=TaskKind.EXTRACT, fields=("party", "amount", "note"))
    output = json.dumps({"party": "+1+cmd|calc", "amount": -12.5, "note": "@SUM(A1)"})
    (row,) = rows([result("j1", output)], task)
    assert row["party"] == "'+1+cmd|calc"
    assert row["note"] == "'@SUM(A1)"
    assert row["amount"] == "-12.5"  # a number stays a number


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_escaped_in_fixed_and_output_columns(start: str) -> None:
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    job = result("j1", f'{start}HYPERLINK("http://x")').model_copy(update={"source": f"{start}name.txt"})
    (row,) = rows([job], task)
    assert row["output"] == f'\'{start}HYPERLINK("http://x")'
    assert row["source"] == f"'{start}name.txt"


def test_ordinary_text_is_left_alone() -> None:
    assert spreadsheet_safe("Acme Corp. (+ partners)") == "Acme Corp. (+ partners)"
    assert spreadsheet_safe("") == ""


def test_results_files_are_created_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with open_results_file(path) as out:
        write_csv([result("j1", "ok")], TaskSpec(kind=TaskKind.SUMMARIZE), out)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("job_id,")


def test_an_existing_readable_results_file_is_narrowed_to_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("old results\n")
    path.chmod(0o644)
    with open_results_file(path) as out:
        out.write("new\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "new\n"


def test_the_mode_is_set_at_creation_not_after(tmp_path: Path) -> None:
    """Under a permissive umask the file is 0600 before anything is written to it."""
    old_umask = os.umask(0)
    try:
        with open_results_file(tmp_path / "r.jsonl"):
            assert stat.S_IMODE((tmp_path / "r.jsonl").stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


def test_a_carriage_return_inside_a_cell_does_not_split_the_row() -> None:
    (row,) = rows([result("j1", "first\rsecond\nthird")], TaskSpec(kind=TaskKind.SUMMARIZE))
    assert row["output"] == "first\rsecond\nthird"


def test_field_names_in_the_header_are_escaped_like_cells() -> None:
    task = TaskSpec(kind=TaskKind.EXTRACT, fields=('=HYPERLINK("http://x")', "party"))
    output = json.dumps({'=HYPERLINK("http://x")': "a", "party": "b"})
    out = io.StringIO()
    write_csv([result("j1", output)], task, out)
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert header[-2:] == ['\'=HYPERLINK("http://x")', "party"]
    assert row[-2:] == ["a", "b"]  # the value still lands under its (escaped) column


@pytest.mark.parametrize(
    "start", ["\uff1d", "\uff0b", "\uff0d", "\uff20", " =", "  +", "\u00a0@", "\n-", "\u3000\uff1d"]
)
def test_full_width_signs_and_signs_behind_whitespace_are_escaped(start: str) -> None:
    assert spreadsheet_safe(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


def test_signs_after_other_text_or_whitespace_alone_are_left_alone() -> None:
    assert spreadsheet_safe("  plain") == "  plain"
    assert spreadsheet_safe("a = b") == "a = b"
    assert spreadsheet_safe("   ") == "   "
