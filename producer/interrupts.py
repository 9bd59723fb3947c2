"""Stopping a command that started processes: SIGTERM and Ctrl-C end it through its cleanup, so the
embedded Redis and the worker processes it started are stopped, never left running orphaned."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_TERMINATED = threading.Event()
_INTERRUPTED = threading.Event()  # a Ctrl-C that arrived while a child was being started
_STARTING_CHILD = threading.Event()  # set while a child process is being started (`starting_child`)


def exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM (`timeout`, `kill`, a container stop) into SystemExit, so the embedded Redis and the
    worker processes a command started are stopped by its cleanup instead of left running orphaned.

    The exception lands wherever the main thread happens to be, and library code that catches too much
    could swallow it: the flag makes every later wait (`wait_until`, `stop_if_terminated`) exit too.
    Ctrl-C (SIGINT) stays a KeyboardInterrupt, but one that arrives inside Popen waits, like SIGTERM,
    until the child is ours to stop (`starting_child`)."""

    def stop(signum: int, frame: object) -> None:
        _TERMINATED.set()
        if _STARTING_CHILD.is_set():  # inside Popen: raising now would orphan a child it has forked
            return
        raise SystemExit(128 + signum)

    def interrupt(signum: int, frame: object) -> None:
        if _STARTING_CHILD.is_set():
            _INTERRUPTED.set()
            return
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, interrupt)


@contextmanager
def starting_child() -> Iterator[None]:
    """Around a Popen whose process the caller records: a SIGTERM or Ctrl-C that lands inside it, after
    the fork, would leave a child nobody can stop; the handlers only take note until the block ends,
    and the exit (or KeyboardInterrupt) follows once the process is recorded."""
    _STARTING_CHILD.set()
    try:
        yield
    finally:
        _STARTING_CHILD.clear()
    stop_if_terminated()
    if _INTERRUPTED.is_set():
        _INTERRUPTED.clear()
        raise KeyboardInterrupt


def stop_if_terminated() -> None:
    """Exit now if a SIGTERM arrived (and its SystemExit was lost on the way)."""
    if _TERMINATED.is_set():
        raise SystemExit(128 + signal.SIGTERM)


def ignore_interrupts() -> None:
    """From here on the command only exits: Ctrl-C, and one noted while a child was starting, are
    ignored, so the exit status stays the one the command chose."""
    _INTERRUPTED.clear()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
