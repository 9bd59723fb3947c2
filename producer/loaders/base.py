"""Shared types and byte-level helpers for the document loaders.

Nothing here imports a parser library: the format modules import theirs lazily, so that
importing ``producer.loaders`` (and therefore ``turnout --help``) stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

InvalidUtf8Policy = Literal["reject", "replace"]

#: How far into a file to look for NUL bytes when deciding it is binary.
BINARY_SNIFF_BYTES = 8192
#: Sensitivity labels a record may carry (see DESIGN.md, "Nothing sensitive leaves").
SENSITIVITY_LABELS = ("public", "internal", "confidential", "restricted")
#: Longest string kept for a ``field.<name>`` metadata entry.
METADATA_STRING_CHARS = 200

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF8_REPLACEMENT = "\ufffd".encode()


@dataclass(frozen=True)
class LoaderOptions:
    """How files and records are turned into documents."""

    text_field: str = "text"
    #: When a CSV has no ``text_field`` column, use its one obvious text column (csv_rows.py) if it has one.
    guess_text_field: bool = True
    id_field: str | None = None
    max_document_bytes: int = 5_000_000
    invalid_utf8: InvalidUtf8Policy = "reject"
    #: Longest a PDF, DOCX or HTML file may take to parse before it is rejected (see parser_process.py).
    load_timeout_s: float = 30.0
    #: A PDF with more pages is rejected before any page is read.
    max_pdf_pages: int = 2_000

    def __post_init__(self) -> None:
        if self.invalid_utf8 not in ("reject", "replace"):
            raise ValueError(f"invalid_utf8 must be 'reject' or 'replace', not {self.invalid_utf8!r}")
        if self.max_document_bytes <= 0:
            raise ValueError("max_document_bytes must be positive")
        if not self.text_field:
            raise ValueError("text_field must not be empty")
        if self.load_timeout_s <= 0:
            raise ValueError("load_timeout_s must be positive")
        if self.max_pdf_pages <= 0:
            raise ValueError("max_pdf_pages must be positive")


@dataclass(frozen=True)
class LoadedDocument:
    """One document ready for submission: its source name, its text and metadata about it."""

    source: str
    text: str
    metadata: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    """A file or record that could not become a document, with one human sentence saying why."""

    source: str
    reason: str


class DecodeError(ValueError):
    """Bytes that are not valid UTF-8; ``offset`` is the index of the first bad byte."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"invalid UTF-8 at byte {offset}")
        self.offset = offset


def decode_utf8(data: bytes, policy: InvalidUtf8Policy) -> tuple[str, int]:
    """Decode UTF-8 (a leading BOM is dropped); return the text and how many replacements were made.

    With ``policy="reject"`` invalid input raises :class:`DecodeError`; with ``"replace"`` each
    invalid sequence becomes U+FFFD, exactly as ``bytes.decode(errors="replace")`` does.
    """
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
        base = len(_UTF8_BOM)
    else:
        base = 0
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError as exc:
        if policy == "reject":
            raise DecodeError(base + exc.start) from None
    text = data.decode("utf-8", errors="replace")
    # A valid U+FFFD is always the bytes EF BF BD and those bytes are always a valid U+FFFD
    # (EF is never a continuation byte), so the difference is the number of replacements.
    return text, text.count("\ufffd") - data.count(_UTF8_REPLACEMENT)


def is_binary(data: bytes) -> bool:
    """Whether the first bytes of a file contain a NUL, which text never does."""
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def is_blank(text: str) -> bool:
    """Whether a document has no visible text at all."""
    return not text.strip()


def over_limit_reason(size_bytes: int, limit_bytes: int) -> str:
    return f"document is {size_bytes} bytes, over the limit of {limit_bytes} bytes"


def text_document(
    source: str, text: str, fmt: str, replaced: int = 0, extra: Mapping[str, str | int] | None = None
) -> LoadedDocument | Rejection:
    """Build a document from decoded text, rejecting it when nothing but whitespace is left."""
    if is_blank(text):
        return Rejection(source, "empty document")
    metadata: dict[str, str | int] = {"format": fmt, "chars": len(text)}
    if replaced:
        metadata["utf8_replaced"] = replaced
    if extra:
        metadata.update(extra)
    return LoadedDocument(source, text, metadata)


def short_error(exc: BaseException, limit: int = 160) -> str:
    """A one-line description of a parser's exception, bounded so a reason stays one sentence."""
    return one_line(str(exc), limit) or type(exc).__name__


def one_line(message: str, limit: int = 160) -> str:
    """A message on one line, cut to ``limit`` characters."""
    message = " ".join(message.split())
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    return message


_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> tuple[str, int]:
    """Replace lone surrogates (from JSON ``\\ud800`` escapes), which cannot be encoded as UTF-8."""
    return _SURROGATE_RE.subn("\ufffd", text)


def iter_lines(stream: BinaryIO, max_line_bytes: int) -> Iterator[tuple[int, int, bytes | None]]:
    """Yield ``(line_number, byte_offset, line)`` with 1-based line numbers, reading in bounded memory.

    A line longer than ``max_line_bytes`` is skipped without being held in memory and yielded
    as ``None``, so one runaway line costs one rejection, not the process's memory.
    """
    offset = 0
    line_number = 0
    while True:
        line = stream.readline(max_line_bytes + 1)
        if not line:
            return
        line_number += 1
        start = offset
        offset += len(line)
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            while True:
                chunk = stream.readline(1 << 20)
                offset += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield line_number, start, None
            continue
        yield line_number, start, line


def max_line_bytes(options: LoaderOptions) -> int:
    """The longest physical line a record file may have: room for the text limit after escaping."""
    # JSON may escape one byte as six ("\u0000"); the extra room is for the other fields.
    return 6 * options.max_document_bytes + 65_536


def record_source(path: str, number: int, record: Mapping[str, object], options: LoaderOptions) -> str:
    """``path#<id>`` when the record carries the configured id field, else ``path:<number>``."""
    if options.id_field is not None:
        value = record.get(options.id_field)
        # bool is an int, but "#True" names no record.
        if isinstance(value, int | str) and not isinstance(value, bool) and str(value).strip():
            return f"{path}#{str(value).strip()}"
    return f"{path}:{number}"


def record_metadata(
    record: Mapping[str, object], options: LoaderOptions, where: str
) -> dict[str, str | int] | str:
    """Metadata from a record's fields other than the text, or the reason the record is rejected.

    ``sensitivity`` becomes ``metadata["sensitivity"]`` (null or blank means unlabelled); an unknown
    label rejects the record, because guessing a label for data someone marked could send it where
    it must not go.
    Other scalar fields become ``field.<name>`` (strings cut to 200 characters).
    """
    metadata: dict[str, str | int] = {}
    for name, value in record.items():
        if name == options.text_field:
            continue
        if name == "sensitivity":
            if value is None or (isinstance(value, str) and not value.strip()):
                continue  # unlabelled: the classifier decides
            label = value.strip().lower() if isinstance(value, str) else None
            if label not in SENSITIVITY_LABELS:
                expected = ", ".join(SENSITIVITY_LABELS)
                return f"unknown sensitivity {repr(value)[:40]} {where} (expected one of: {expected})"
            metadata["sensitivity"] = label
            continue
        scalar = _metadata_scalar(value)
        if scalar is not None:
            metadata[f"field.{name}"] = scalar
    return metadata


def _metadata_scalar(value: object) -> str | int | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        cleaned, _ = replace_lone_surrogates(value[:METADATA_STRING_CHARS])
        return cleaned
    return None  # null, lists and objects are not labels
