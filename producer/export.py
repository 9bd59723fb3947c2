"""Results as CSV: one row per job, extracted fields flattened into one column each.

Columns: the job's fixed fields, then, for an extract batch, one column per field of the schema (nested
objects flattened with dots, `address.city`; arrays and other JSON values written as JSON text), or for
any other task a single `output` column. A field whose name clashes with a fixed column is prefixed
`output.`. Failed and rejected jobs have empty field cells and their error in `error_type`/`error_message`.

Every text cell is made safe for spreadsheets (OWASP, "CSV Injection"): a cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading `'`, so that an extracted `+1+cmd|calc` or a file
named `=HYPERLINK(...)` is shown as text, never run as a formula. Numbers are written as numbers.

Results files (this CSV, and the JSONL `turnout run` and `turnout results --output` write) are created
readable by their owner only: they hold what the models said about the documents.
"""

from __future__ import annotations

import csv
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from worker.prompts import output_json_schema
from worker.schema import JobResult, TaskKind, TaskSpec

FIXED_COLUMNS = (
    "job_id",
    "batch_id",
    "source",
    "status",
    "route",
    "backend",
    "model",
    "sensitivity",
    "complexity",
    "chunks",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "baseline_cost_usd",
    "latency_ms",
    "attempts",
    "error_type",
    "error_message",
)


def field_columns(task: TaskSpec) -> list[str]:
    """The flattened field paths of an extract task, in schema order; [] for other tasks."""
    schema = output_json_schema(task)
    if task.kind is not TaskKind.EXTRACT or schema is None:
        return []
    return _paths(schema, "")


def write_csv(results: Iterable[JobResult], task: TaskSpec, out: TextIO) -> int:
    """Write the header and one row per result; returns the number of rows."""
    fields = field_columns(task)
    # Field names come from --fields/--schema, perhaps a file someone else wrote: escaped like cells.
    names = [spreadsheet_safe(f"output.{f}" if f in FIXED_COLUMNS else f) for f in fields]
    header = [*FIXED_COLUMNS, *names] if fields else [*FIXED_COLUMNS, "output"]
    # RFC 4180's CRLF: the csv module quotes a cell holding a line break only if the break is in the
    # line terminator, so with "\n" alone a cell with a bare CR was written unquoted and split its row.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for result in results:
        row = _fixed(result)
        if fields:
            values = _flatten(_parsed(result.output), "")
            row += [_cell(values.get(f)) for f in fields]
        else:
            row.append(_cell(result.output))
        writer.writerow(row)
        count += 1
    return count


def _fixed(result: JobResult) -> list[str]:
    values: dict[str, Any] = result.model_dump(mode="json")
    values["input_tokens"] = result.usage.input_tokens
    values["output_tokens"] = result.usage.output_tokens
    values["error_type"] = result.error.type if result.error else None
    values["error_message"] = result.error.message if result.error else None
    return [_cell(values.get(column)) for column in FIXED_COLUMNS]


def _parsed(output: str | None) -> Any:
    if not output:
        return None
    try:
        return json.loads(output)
    except json.JSONDecodeError:
        return None


def _paths(schema: dict[str, Any], prefix: str) -> list[str]:
    paths: list[str] = []
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        paths += _paths(sub, f"{path}.") if _is_object(sub) else [path]
    return paths


def _is_object(schema: Any) -> bool:
    return (
        isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and bool(schema["properties"])
    )


def _flatten(value: Any, prefix: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {prefix.rstrip("."): value} if prefix else {}
    flat: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict):
            flat.update(_flatten(item, f"{prefix}{key}."))
        flat[f"{prefix}{key}"] = item  # also the whole object, for a schema that does not split it
    return flat


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a number, even a negative one, is not a formula
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)  # starts with { or [


# OWASP's list, plus the full-width and small forms of its signs: they fold to the ASCII ones (NFKC),
# and some spreadsheets (Excel with East Asian input, LibreOffice) read them as the start of a formula.
_FORMULA_SIGNS = (
    "=",
    "+",
    "-",
    "@",
    "\uff1d",  # full-width = + - @
    "\uff0b",
    "\uff0d",
    "\uff20",
    "\ufe66",  # small = + - @
    "\ufe62",
    "\ufe63",
    "\ufe6b",
)
_FORMULA_STARTS = (*_FORMULA_SIGNS, "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading `'` when it could start a formula (OWASP).

    Leading whitespace is no shield: spreadsheets trim it when they read a cell, so `` =1+1`` is a
    formula too.
    """
    risky = text.startswith(_FORMULA_STARTS) or text.lstrip().startswith(_FORMULA_SIGNS)
    return f"'{text}" if risky else text


#: Results files are the user's copy of what the models said about the documents: owner only.
RESULTS_FILE_MODE = 0o600


def open_results_file(path: Path) -> TextIO:
    """Open ``path`` for writing a results file, readable by its owner only from the first byte.

    The mode is given to ``os.open`` so a new file is never, even for an instant, readable by others
    (a chmod after creating it would leave a window). A file that already exists keeps its inode and
    would keep its mode, so it is narrowed with ``fchmod`` on the open descriptor, while still empty.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, RESULTS_FILE_MODE)
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
            os.fchmod(fd, RESULTS_FILE_MODE)
        return os.fdopen(fd, "w", encoding="utf-8", newline="")
    except BaseException:
        os.close(fd)
        raise
