"""JSON Lines files: one document per non-blank line, each line judged on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

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
    replace_lone_surrogates,
    text_document,
)


def load_jsonl(path: str, stream: BinaryIO, options: LoaderOptions) -> Iterator[LoadedDocument | Rejection]:
    """Yield a document or a rejection for every non-blank line of a JSONL stream."""
    limit = max_line_bytes(options)
    records = 0
    for line_number, offset, raw in iter_lines(stream, limit):
        if raw is None:
            records += 1
            yield Rejection(f"{path}:{line_number}", f"line {line_number} is over {limit} bytes")
            continue
        if not raw.strip():
            continue
        records += 1
        yield _load_line(path, line_number, offset, raw, options)
    if records == 0:
        yield Rejection(path, "no records (the file has only blank lines)")


def _load_line(
    path: str, line_number: int, offset: int, raw: bytes, options: LoaderOptions
) -> LoadedDocument | Rejection:
    line_source = f"{path}:{line_number}"
    try:
        line, replaced = decode_utf8(raw, options.invalid_utf8)
    except DecodeError as exc:
        return Rejection(line_source, f"invalid UTF-8 on line {line_number} at byte {offset + exc.offset}")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(line_source, f"malformed JSON on line {line_number}: {exc.msg}")
    except (ValueError, RecursionError) as exc:  # e.g. an integer with too many digits, deep nesting
        return Rejection(line_source, f"malformed JSON on line {line_number}: {type(exc).__name__}")
    if not isinstance(record, dict):
        return Rejection(line_source, f"line {line_number} is not a JSON object")

    source = record_source(path, line_number, record, options)
    field = options.text_field
    if field not in record:
        return Rejection(
            source, f"missing text field '{field}' on line {line_number} (choose it with --text-field)"
        )
    text = record[field]
    if not isinstance(text, str):
        return Rejection(source, f"text field '{field}' on line {line_number} is not a string")
    # JSON may spell a lone surrogate ("\ud800"), which is no more encodable than a bad byte.
    text, surrogates = replace_lone_surrogates(text)
    if surrogates and options.invalid_utf8 == "reject":
        return Rejection(source, f"invalid Unicode (lone surrogate escape) on line {line_number}")
    size_bytes = len(text.encode("utf-8"))
    if size_bytes > options.max_document_bytes:
        return Rejection(source, over_limit_reason(size_bytes, options.max_document_bytes))
    metadata = record_metadata(record, options, f"on line {line_number}")
    if isinstance(metadata, str):
        return Rejection(source, metadata)
    return text_document(source, text, "jsonl", replaced + surrogates, metadata)
