"""Plain text and Markdown files: the decoded file is the document, Markdown kept as written."""

from __future__ import annotations

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
    return text_document(source, text, fmt, replaced)
