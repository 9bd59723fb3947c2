"""Run the parser libraries (pypdf, python-docx, Lexbor) in a child process, under a per-file time budget.

Why a process, not the alternatives:

- Cooperative checks (a deadline tested between pages or elements) cannot stop a library in the
  middle of one call: one crafted page can keep pypdf's ``extract_text`` busy for minutes.
- ``SIGALRM`` works only in the main thread, is not delivered while C code runs (Lexbor's tree
  builder, lxml, zlib), and its exception unwinds through library code that may catch it
  (pypdf has ``except Exception`` on its recovery paths) or be left half-updated (module caches).
- A process can be killed wherever it is, in C or Python, and takes its memory and any
  half-built library state with it: nothing is left behind in the producer. What it costs is
  one process start per producer (and one after each overrun), and copying each file's bytes
  and text through a pipe (see tests/bench/bench_loaders.py).

The child also captures what the libraries say on the side (pypdf logs "EOF marker not found"
through ``logging``; others use ``warnings``): each message comes back with the result, and the
producer reports it as one line naming the file, instead of the library printing it raw.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
import warnings
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import structlog

from producer.loaders.base import LoadedDocument, LoaderOptions, Rejection, one_line

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

Result = LoadedDocument | Rejection

#: How long a fresh child may take to start (import the interpreter and our loaders), outside any budget.
START_TIMEOUT_S = 60.0
#: At most this many side messages are reported per file, each cut to one short line.
MAX_WARNINGS_PER_FILE = 5


class ParserProcess:
    """One child process that parses files on request, replaced when it overruns or dies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one request at a time on the pipe
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def load(self, source: str, fmt: str, data: bytes, options: LoaderOptions) -> Result:
        """Parse one file's bytes in the child; an overrun of ``options.load_timeout_s`` is a rejection."""
        with self._lock:
            result, side_messages = self._request(source, fmt, data, options)
        for message in side_messages:
            structlog.get_logger(__name__).warning("document_load_warning", source=source, reason=message)
        return result

    def _request(
        self, source: str, fmt: str, data: bytes, options: LoaderOptions
    ) -> tuple[Result, list[str]]:
        conn = self._started()
        try:
            conn.send((source, fmt, data, options))
            if not conn.poll(options.load_timeout_s):
                self._stop()
                return Rejection(source, overrun_reason(options.load_timeout_s)), []
            answer: tuple[Result, list[str]] = conn.recv()
            return answer
        except (EOFError, OSError):  # the child died: killed for memory, or a crash inside a C library
            self._stop()
            return Rejection(source, "the parser stopped while reading this file (out of memory?)"), []
        except BaseException:
            # Ctrl-C while the child works: its answer would be read as the next file's, so it goes.
            self._stop()
            raise

    def _started(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._stop()
        # spawn, not fork: the producer may hold threads and sockets a forked child must not inherit.
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_serve, args=(child_end,), name="turnout-parser", daemon=True)
        process.start()
        child_end.close()
        try:
            ready = parent_end.poll(START_TIMEOUT_S) and parent_end.recv() == "ready"
        except (EOFError, OSError):  # it died on the way up
            ready = False
        if not ready:
            process.kill()
            process.join()
            parent_end.close()
            raise RuntimeError("the document parser process did not start")
        self._process, self._conn = process, parent_end
        return parent_end

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn = None, None


def overrun_reason(timeout_s: float) -> str:
    return f"took longer than {timeout_s:g} s to load (the per-file limit, TURNOUT_LOAD_TIMEOUT_S)"


_shared = ParserProcess()


def load_parsed(source: str, fmt: str, data: bytes, options: LoaderOptions) -> Result:
    """Parse a PDF, DOCX or HTML file in the producer's shared parser process."""
    return _shared.load(source, fmt, data, options)


# --- the child ---------------------------------------------------------------------------------


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _serve(conn: Connection) -> None:
    """The child's loop: parse each request, answer with the result and what the libraries said."""
    # Ctrl-C is the producer's to handle; the child ends when the producer closes the pipe or kills it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    captured = _Captured()
    logging.root.handlers[:] = [captured]  # this process exists only to parse: its logging is ours
    logging.root.setLevel(logging.WARNING)
    conn.send("ready")
    while True:
        try:
            source, fmt, data, options = conn.recv()
        except EOFError:
            return
        captured.messages.clear()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = parse(source, fmt, data, options)
            except Exception as exc:  # noqa: BLE001 -- a loader bug costs this file, not the batch
                # The type only: an exception's message can quote the document.
                result = Rejection(
                    source, f"the {fmt.upper()} loader failed on this file ({type(exc).__name__})"
                )
        said = captured.messages + [str(w.message) for w in caught]
        conn.send((result, _side_messages(said)))


def _side_messages(said: list[str]) -> list[str]:
    unique = list(dict.fromkeys(one_line(m) for m in said if m.strip()))
    if len(unique) > MAX_WARNINGS_PER_FILE:
        extra = len(unique) - MAX_WARNINGS_PER_FILE
        unique = [*unique[:MAX_WARNINGS_PER_FILE], f"and {extra} more parser warnings"]
    return unique


def parse(source: str, fmt: str, data: bytes, options: LoaderOptions) -> Result:
    """Parse bytes already checked for size and emptiness, in whichever process calls it."""
    if fmt == "pdf":
        from producer.loaders.pdf import load_pdf

        return load_pdf(source, data, options)
    if fmt == "docx":
        from producer.loaders.docx import load_docx

        return load_docx(source, data, options)
    if fmt == "html":
        from producer.loaders.html import load_html

        return load_html(source, data, options)
    raise ValueError(f"not a parsed format: {fmt}")
