"""CSV files: a header row, then one document per row taken from the text column.

Rows are numbered as a spreadsheet numbers them: the header is row 1, the first data row is
row 2, and a blank line still takes a row number (it is skipped, not rejected).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import BinaryIO

import structlog

from producer.loaders.base import (
    DecodeError,
    LoadedDocument,
    LoaderOptions,
    Rejection,
    decode_utf8,
    iter_lines,
    max_line_bytes,
    over_limit_reason,
    record_metadata,
    record_source,
    text_document,
)

#: Column names that hold a record's text in ordinary exports (compared case-insensitively).
TEXT_COLUMN_NAMES = frozenset(
    [
        "text",
        "body",
        "content",
        "document",
        "message",
        "description",
        "comment",
        "comments",
        "review",
        "abstract",
        "notes",
        "note",
    ]
)
#: At most this many column names are quoted in a rejection.
_NAMES_SHOWN = 20


def guess_text_column(names: Sequence[str]) -> str | None:
    """The one obvious text column of a header without the configured one, or None when there isn't one.

    Obvious means: the only column whose name is a usual name for text (``Text``, ``body``,
    ``content``...), or the file's only column. Two candidates are a question for the user, not a guess.
    """
    named = [name for name in names if name]
    candidates = [name for name in named if name.lower() in TEXT_COLUMN_NAMES]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates and len(named) == 1:
        return named[0]
    return None


def missing_column_reason(text_field: str, names: Sequence[str]) -> str:
    shown = [repr(name[:40]) for name in names[:_NAMES_SHOWN]] + (
        ["..."] if len(names) > _NAMES_SHOWN else []
    )
    return (
        f"missing text column '{text_field}' in the CSV header (columns found: {', '.join(shown)}); "
        f"name the text column with --text-field"
    )


class _LineTooLong(Exception):
    def __init__(self, line_number: int, limit: int) -> None:
        super().__init__(f"line {line_number} is over {limit} bytes")


def _decoded_lines(stream: BinaryIO, limit: int) -> Iterator[str]:
    # Bad bytes survive as lone surrogates so that one bad row, not the file, is rejected.
    for line_number, _offset, raw in iter_lines(stream, limit):
        if raw is None:
            raise _LineTooLong(line_number, limit)
        if line_number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        yield raw.decode("utf-8", errors="surrogateescape")


def _redecode(value: str, options: LoaderOptions) -> tuple[str, int]:
    """Apply the invalid-UTF-8 policy to a field read with ``surrogateescape``."""
    if value.isascii():
        return value, 0
    return decode_utf8(value.encode("utf-8", errors="surrogateescape"), options.invalid_utf8)


def load_csv(path: str, stream: BinaryIO, options: LoaderOptions) -> Iterator[LoadedDocument | Rejection]:
    """Yield a document or a rejection for every data row of a CSV stream."""
    limit = max_line_bytes(options)
    # The csv module's field limit is process-wide; only ever raise it, to fit our own limit.
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    reader = csv.reader(_decoded_lines(stream, limit))
    row_number = 0  # the last row read; the header is row 1
    try:
        header = next(reader, None)
        if header is None:
            yield Rejection(path, "empty file")
            return
        row_number = 1
        try:
            names = [_redecode(name, options)[0].strip() for name in header]
        except DecodeError:
            yield Rejection(path, "invalid UTF-8 in the CSV header")
            return
        if options.text_field not in names:
            guessed = guess_text_column(names) if options.guess_text_field else None
            if guessed is None:
                yield Rejection(path, missing_column_reason(options.text_field, names))
                return
            # A guess the user should see: a console line (stderr) naming the file and the column.
            structlog.get_logger(__name__).warning("csv_text_column_guessed", source=path, column=guessed)
            options = replace(options, text_field=guessed)
        text_index = names.index(options.text_field)
        rows = 0
        for row in reader:
            row_number += 1
            if not row:
                continue
            rows += 1
            yield _load_row(path, row_number, names, text_index, row, options)
        if rows == 0:
            yield Rejection(path, "no data rows after the CSV header")
    except (csv.Error, _LineTooLong) as exc:
        where = row_number + 1
        yield Rejection(f"{path}:{where}", f"malformed CSV at row {where}: {exc}; rest of the file skipped")


def _load_row(
    path: str, row_number: int, names: list[str], text_index: int, row: list[str], options: LoaderOptions
) -> LoadedDocument | Rejection:
    replaced = 0
    record: dict[str, str] = {}
    try:
        for name, value in zip(names, row, strict=False):
            if name and name not in record:
                record[name], count = _redecode(value, options)
                replaced += count
    except DecodeError:
        return Rejection(f"{path}:{row_number}", f"invalid UTF-8 on row {row_number}")
    source = record_source(path, row_number, record, options)
    if text_index >= len(row):
        return Rejection(source, f"missing text field '{options.text_field}' on row {row_number}")
    text = record[options.text_field]
    size_bytes = len(text.encode("utf-8"))
    if size_bytes > options.max_document_bytes:
        return Rejection(source, over_limit_reason(size_bytes, options.max_document_bytes))
    metadata = record_metadata(record, options, f"on row {row_number}")
    if isinstance(metadata, str):
        return Rejection(source, metadata)
    return text_document(source, text, "csv", replaced, metadata)
