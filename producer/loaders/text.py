"""Plain text and Markdown files: the decoded file is the document, Markdown kept as written."""

from __future__ import annotations

import re

from producer.loaders.base import (
    DecodeError,
    LoadedDocument,
    LoaderOptions,
    Rejection,
    decode_utf8,
    text_document,
)


def load_text(source: str, data: bytes, fmt: str, options: LoaderOptions) -> LoadedDocument | Rejection:
    """Turn a text file's bytes into one document (``fmt`` is ``txt`` or ``md``)."""
    try:
        text, replaced = decode_utf8(data, options.invalid_utf8)
    except DecodeError as exc:
        return Rejection(source, str(exc))
    extra = {"sections": markdown_sections(text)} if fmt == "md" else None
    return text_document(source, text, fmt, replaced, extra)


_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")


def markdown_sections(text: str) -> int:
    """How many ATX headings (`# ...` to `###### ...`) the Markdown has, outside fenced code blocks."""
    count, fenced = 0, False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _HEADING.match(line):
            count += 1
    return count
