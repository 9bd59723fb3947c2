"""Turn the user's paths (files, directories, glob patterns, ``-``) into documents and rejections.

Order is deterministic: arguments in the order given, directory entries sorted by name and
walked depth-first, glob matches sorted. Hidden (dot-prefixed) entries are skipped while walking
and by globs, but a hidden file named explicitly is loaded. Each file is loaded at most once per
call however many arguments, symlinks or hard links reach it, and a symlink loop is walked once.
"""

from __future__ import annotations

import glob
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from producer.loaders.base import (
    BINARY_SNIFF_BYTES,
    LoadedDocument,
    LoaderOptions,
    Rejection,
    is_binary,
    over_limit_reason,
)

Result = LoadedDocument | Rejection

STDIN_SOURCE = "<stdin>"

#: Extension (lower case) to the ``format`` recorded in metadata.
FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
}
# Formats whose size limit applies to each record rather than the whole file.
_RECORD_FORMATS = {"jsonl", "csv"}
# Formats whose bytes are binary by nature.
_BINARY_FORMATS = {"pdf", "docx"}
# Formats parsed by a library, in a child process under the per-file time budget (parser_process.py).
_PARSED_FORMATS = {"pdf", "docx", "html"}
# Plain text and Markdown are read in this process: one UTF-8 decode and a line scan, linear in
# size with no parser library, so they need no time budget. Record files (JSONL, CSV) are too: a
# record file is many documents (a 10 GB JSONL is a million of them, not one slow one), each line
# is bounded by max_line_bytes and parsed by the C json/csv modules in time linear in its length.

_GLOB_CHARS = frozenset("*?[")


DEFAULT_OPTIONS = LoaderOptions()


def iter_documents(paths: Sequence[str], options: LoaderOptions = DEFAULT_OPTIONS) -> Iterator[Result]:
    """Yield a document or a rejection for every file and record the paths reach, streaming."""
    if isinstance(paths, str):  # a lone path is a sequence of characters too
        paths = [paths]
    walker = _Walker(options)
    for path in paths:
        yield from walker.argument(path)


class _Walker:
    """Walks the arguments of one call, remembering what it has already loaded."""

    def __init__(self, options: LoaderOptions) -> None:
        self.options = options
        self.seen_files: set[tuple[int, int]] = set()
        self.seen_dirs: set[tuple[int, int]] = set()

    def argument(self, path: str) -> Iterator[Result]:
        if path == "-":
            yield _load_stdin(self.options)
            return
        if not os.path.lexists(path) and _GLOB_CHARS.intersection(path):
            matches = sorted(glob.iglob(path, recursive=True))
            if not matches:
                yield Rejection(path, "no files match the pattern")
            for match in matches:
                yield from self.entry(match)
            return
        yield from self.entry(path)

    def entry(self, path: str) -> Iterator[Result]:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            reason = "broken symbolic link" if os.path.islink(path) else "no such file or directory"
            yield Rejection(path, reason)
            return
        except OSError as exc:
            yield Rejection(path, _unreadable(exc))
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self.directory(path, info)
        elif not stat.S_ISREG(info.st_mode):
            yield Rejection(path, "not a regular file")
        elif (info.st_dev, info.st_ino) not in self.seen_files:
            self.seen_files.add((info.st_dev, info.st_ino))
            yield from _load_file(path, info.st_size, self.options)

    def directory(self, path: str, info: os.stat_result) -> Iterator[Result]:
        key = (info.st_dev, info.st_ino)
        if key in self.seen_dirs:
            return
        self.seen_dirs.add(key)
        try:
            with os.scandir(path) as entries:
                names = sorted(entry.name for entry in entries if not entry.name.startswith("."))
        except OSError as exc:
            yield Rejection(path, _unreadable(exc))
            return
        for name in names:
            yield from self.entry(os.path.join(path, name))


def _unreadable(exc: OSError) -> str:
    return f"unreadable: {exc.strerror or type(exc).__name__}"


def _format_of(path: str) -> str | Rejection:
    extension = os.path.splitext(path)[1].lower()
    if not extension:
        return Rejection(path, "unsupported file type (no extension)")
    fmt = FORMATS.get(extension)
    return fmt if fmt is not None else Rejection(path, f"unsupported file type '{extension}'")


def _load_file(path: str, size_bytes: int, options: LoaderOptions) -> Iterator[Result]:
    fmt = _format_of(path)
    if isinstance(fmt, Rejection):
        yield fmt
        return
    if size_bytes == 0:
        yield Rejection(path, "empty file")
        return
    if fmt not in _RECORD_FORMATS and size_bytes > options.max_document_bytes:
        yield Rejection(path, over_limit_reason(size_bytes, options.max_document_bytes))
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 -- record loaders stream from it lazily below
    except OSError as exc:
        yield Rejection(path, _unreadable(exc))
        return
    with stream:
        try:
            if fmt in _RECORD_FORMATS:
                if is_binary(stream.peek(BINARY_SNIFF_BYTES)[:BINARY_SNIFF_BYTES]):
                    yield Rejection(path, "binary file (NUL bytes)")
                    return
                yield from _load_records(path, fmt, stream, options)
            else:
                # Read one byte past the limit: the file may have grown since it was measured.
                data = stream.read(options.max_document_bytes + 1)
                yield _load_bytes(path, fmt, data, options)
        except OSError as exc:  # e.g. EIO, or a file on a network share that went away
            yield Rejection(path, _unreadable(exc))


def _load_records(path: str, fmt: str, stream: BinaryIO, options: LoaderOptions) -> Iterator[Result]:
    if fmt == "jsonl":
        from producer.loaders.jsonl import load_jsonl

        yield from load_jsonl(path, stream, options)
    else:
        from producer.loaders.csv_rows import load_csv

        yield from load_csv(path, stream, options)


def _load_bytes(source: str, fmt: str, data: bytes, options: LoaderOptions) -> Result:
    if len(data) > options.max_document_bytes:
        return Rejection(source, f"file grew over the limit of {options.max_document_bytes} bytes while read")
    if not data:
        return Rejection(source, "empty file")
    if fmt not in _BINARY_FORMATS and is_binary(data):
        return Rejection(source, "binary file (NUL bytes)")
    if fmt in _PARSED_FORMATS:
        from producer.loaders.parser_process import load_parsed

        return load_parsed(source, fmt, data, options)
    from producer.loaders.text import load_text

    return load_text(source, data, fmt, options)


def _load_stdin(options: LoaderOptions, stream: BinaryIO | None = None) -> Result:
    """Standard input as one plain-text document."""
    try:
        source_stream = stream if stream is not None else sys.stdin.buffer
        data = source_stream.read(options.max_document_bytes + 1)
    except (OSError, AttributeError, ValueError) as exc:  # closed, or replaced by a text-only object
        return Rejection(STDIN_SOURCE, f"unreadable: {getattr(exc, 'strerror', None) or type(exc).__name__}")
    if len(data) > options.max_document_bytes:
        return Rejection(STDIN_SOURCE, f"document is over the limit of {options.max_document_bytes} bytes")
    return _load_bytes(STDIN_SOURCE, "txt", data, options)
