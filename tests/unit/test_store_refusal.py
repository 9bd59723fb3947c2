"""A Redis that refuses writes (full, read-only, failing to persist) is recognised, waited out, and
described in one line without the command's arguments."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import redis
import structlog
from structlog.testing import capture_logs

from worker import store_refusal
from worker.store_refusal import describe_store_error, is_write_refusal, ride_out_refusals

OOM_IN_PIPELINE = redis.exceptions.OutOfMemoryError(
    "Command # 12 (SET tn:doc:9a1c # Board strategy pack for Northwind...) of pipeline caused error: "
    "command not allowed when used memory > 'maxmemory'."
)
MISCONF = redis.exceptions.ResponseError(
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk."
)


@pytest.fixture(autouse=True)
def default_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another module's CLI run may have left logging configured at "warning": these tests read info.
    worker.logging caches a logger on first use, so a module logger used under that configuration keeps
    it past reset_defaults (the suite failed so, after an in-process run): a fresh one for each test."""
    structlog.reset_defaults()
    monkeypatch.setattr(store_refusal, "log", structlog.get_logger("turnout.store"))


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff's sleeps, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(store_refusal.time, "sleep", slept.append)
    return slept


@pytest.mark.parametrize(
    "error",
    [
        OOM_IN_PIPELINE,
        redis.exceptions.ReadOnlyError("You can't write against a read only replica."),
        MISCONF,
        redis.exceptions.ResponseError(
            "Command # 2 (HSET k v) of pipeline caused error: MISCONF Redis is ..."
        ),
    ],
)
def test_refusals_are_recognised(error: redis.RedisError) -> None:
    assert is_write_refusal(error)


@pytest.mark.parametrize(
    "error",
    [
        redis.exceptions.ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value"),
        redis.exceptions.ConnectionError("Error 111 connecting to localhost:6379."),
        redis.exceptions.NoScriptError("No matching script."),
        ValueError("OOM but not from Redis"),
    ],
)
def test_other_errors_are_not_refusals(error: Exception) -> None:
    assert not is_write_refusal(error)


def scripted(*answers: object) -> Callable[[], object]:
    """A write that raises or returns each of `answers` in turn."""
    left = list(answers)

    def write() -> object:
        answer = left.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return write


def test_a_refused_write_is_tried_again_with_growing_backoff_until_accepted(no_waiting: list[float]) -> None:
    write = scripted(OOM_IN_PIPELINE, OOM_IN_PIPELINE, MISCONF, "written")
    with capture_logs() as logs:
        assert ride_out_refusals(write, what="record the result") == "written"
    assert len(no_waiting) == 3 and no_waiting[0] < no_waiting[2] <= store_refusal.REFUSAL_BACKOFF_MAX_S
    # Logged once when the refusals start and once when they end, by type only.
    assert [e["event"] for e in logs] == ["store_refuses_writes", "store_accepts_writes"]
    assert "Board" not in repr(logs)


def test_any_other_error_is_raised_at_once(no_waiting: list[float]) -> None:
    def write() -> None:
        raise redis.exceptions.ResponseError(
            "WRONGTYPE Operation against a key holding the wrong kind of value"
        )

    with pytest.raises(redis.exceptions.ResponseError, match="WRONGTYPE"):
        ride_out_refusals(write, what="x")
    assert no_waiting == []


def test_a_long_refusal_is_logged_again_while_it_lasts(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter(range(0, 10_000, 100))  # each look at the clock: 100 s later
    monkeypatch.setattr(store_refusal.time, "monotonic", lambda: float(next(clock)))
    with capture_logs() as logs:
        ride_out_refusals(scripted(*[OOM_IN_PIPELINE] * 8, "written"), what="record the result")
    events = [e["event"] for e in logs]
    assert events.count("store_refuses_writes") == 3 and events[-1] == "store_accepts_writes"


def test_a_full_redis_is_one_line_with_what_to_do_and_no_document_text() -> None:
    line = describe_store_error(OOM_IN_PIPELINE)
    assert line.startswith("Redis is full") and "maxmemory" in line and "\n" not in line
    assert "Board" not in line and "tn:doc" not in line


def test_other_refusals_and_errors_say_what_they_are_without_arguments() -> None:
    assert "read-only replica" in describe_store_error(redis.exceptions.ReadOnlyError("x"))
    assert "MISCONF" in describe_store_error(MISCONF)
    other = redis.exceptions.ResponseError(
        "Command # 3 (HSET tn:job:1 source secret-board-pack.md) of pipeline caused error: WRONGTYPE wrong kind"
    )
    line = describe_store_error(other)
    assert "WRONGTYPE" in line and "secret-board-pack" not in line
