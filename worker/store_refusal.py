"""Redis refusing writes (full, read-only, failing to persist): how to recognise it and ride it out.

A Redis at its `maxmemory` with `noeviction` (as compose ships it) answers every command that could grow
memory with an OOM error; a replica answers READONLY; a server whose snapshot failed answers MISCONF.
Reads and deletions still work, and the refusal ends by itself when someone raises the limit, frees
memory or fixes the disk. So a worker waits with backoff and tries again; it never exits, never drops
the job it holds, and never tries to re-queue it (a re-queue is itself a write, refused the same way).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import redis
import structlog

from worker.logging import redact_redis_text

if TYPE_CHECKING:
    from worker.store import Store

log = structlog.get_logger("turnout.store")

T = TypeVar("T")

REFUSAL_BACKOFF_S = 0.5
REFUSAL_BACKOFF_MAX_S = 10.0
STILL_WAITING_LOG_S = 300.0
# Error codes of a server that is up but refuses writes for now (redis-py maps only the first two).
_REFUSAL_CODES = ("OOM ", "READONLY ", "MISCONF ", "NOREPLICAS ")


def is_write_refusal(exc: BaseException) -> bool:
    """True for a Redis error that says "not now" to a write: full, read-only replica, failed snapshot."""
    if isinstance(exc, redis.exceptions.OutOfMemoryError | redis.exceptions.ReadOnlyError):
        return True
    if not isinstance(exc, redis.exceptions.ResponseError):
        return False
    # A pipeline's error reads "Command # N (...) of pipeline caused error: <server's message>".
    message = str(exc).rsplit("caused error: ", 1)[-1]
    return message.startswith(_REFUSAL_CODES)


def refusal_delay_s(refusals: int) -> float:
    """Backoff before the next try after `refusals` refused ones: exponential with jitter, capped."""
    return random.uniform(0.5, 1.0) * min(REFUSAL_BACKOFF_MAX_S, REFUSAL_BACKOFF_S * 2**refusals)


def ride_out_refusals(write: Callable[[], T], *, what: str) -> T:
    """Run `write`, again and again with backoff while Redis refuses writes; its result.

    `write` must be safe to run again after a refusal (an idempotent write, or a script: Redis refuses a
    script at its first write, so a refused one has done nothing). There is no bound: the refusal ends
    when someone raises the limit or frees memory, and the work must then go on by itself (a job handed
    back instead would wait for the visibility sweep, itself a write). Logged when the refusals start,
    every `STILL_WAITING_LOG_S` while they last, and when they end.
    """
    refusals = 0
    started = logged = time.monotonic()
    while True:
        try:
            result = write()
        except redis.RedisError as exc:
            if not is_write_refusal(exc):
                raise
            now = time.monotonic()
            if refusals == 0 or now - logged >= STILL_WAITING_LOG_S:
                log.warning(
                    "store_refuses_writes",
                    waiting_to=what,
                    waited_s=round(now - started, 1),
                    error_type=type(exc).__name__,
                )
                logged = now
            time.sleep(refusal_delay_s(refusals))
            refusals += 1
            continue
        if refusals:
            log.info(
                "store_accepts_writes",
                waiting_to=what,
                refusals=refusals,
                waited_s=round(time.monotonic() - started, 1),
            )
        return result


REFUSAL_LOG_EVERY_S = 30.0  # a refusal met on every task or timer tick is one line per this, not one each


class RefusalLine:
    """One warning line per `REFUSAL_LOG_EVERY_S` for a condition a full Redis meets again and again (a
    hold per received task, kombu's restore sweep per tick): expected, so a line, never a traceback."""

    def __init__(self, event: str, what: str):
        self.event = event
        self.what = what  # what waits for Redis to take writes again
        self._logged_at: float | None = None
        self._lock = threading.Lock()

    def refused(self, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            if self._logged_at is not None and now - self._logged_at < REFUSAL_LOG_EVERY_S:
                return
            self._logged_at = now
        message = str(exc).rsplit("caused error: ", 1)[-1]
        reason = (
            "maxmemory"
            if message.startswith("OOM") or "OutOfMemory" in type(exc).__name__
            else type(exc).__name__
        )
        log.warning(self.event, problem=f"redis refused a write ({reason}): {self.what}")


def describe_store_error(exc: redis.RedisError, store: Store | None = None) -> str:
    """One line for a person: what Redis refused and what to do, never the command's arguments (redis-py
    quotes them in its messages: a document's first words, say). `store` reads the memory limit."""
    message = str(exc).rsplit("caused error: ", 1)[-1]
    if isinstance(exc, redis.exceptions.OutOfMemoryError) or message.startswith("OOM "):
        limit = store.memory_limit() if store is not None else None
        return f"Redis is full ({limit or 'its maxmemory is reached'}): raise its maxmemory or free memory"
    if isinstance(exc, redis.exceptions.ReadOnlyError) or message.startswith("READONLY "):
        return "Redis refuses writes: it is a read-only replica; point TURNOUT_BROKER_URL at the primary"
    if message.startswith("MISCONF "):
        return (
            "Redis refuses writes: it cannot save to disk (MISCONF); see its log, fix the disk or persistence"
        )
    if is_write_refusal(exc):
        return f"Redis refuses writes for now ({message.split(' ', 1)[0]}); see its log"
    return f"Redis error: {type(exc).__name__}: {redact_redis_text(str(exc))}"
