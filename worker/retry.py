"""When a task tries again: one backoff, one countdown bound, one way to wait out a Redis outage.

Celery is the one layer that retries (the clients run with `max_retries=0`). Every delay a task asks for
comes from `backoff_s`, and every countdown it schedules is bounded by `countdown_s`: on Redis a countdown
message is held unacknowledged until it runs, so one that outlives the visibility timeout is delivered twice.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis
import structlog
from celery.exceptions import Reject

from worker.schema import JobMessage
from worker.settings import Settings

log = structlog.get_logger("turnout.tasks")

# Retries are bounded by our own policy (attempts, wait budget), never by Celery's counter: a
# MaxRetriesExceededError would escape the task and Celery would acknowledge, i.e. drop, the job.
STORE_DOWN_PAUSE_S = 1.0


def backoff_s(retries: int, base_s: float, cap_s: float, hint_s: float | None = None) -> float:
    """Exponential backoff with full jitter, never sooner than the server asked (`hint_s`)."""
    backoff = random.uniform(0, min(cap_s, base_s * 2 ** min(retries, 32)))
    return max(backoff, hint_s or 0.0)


def countdown_s(settings: Settings, wanted_s: float) -> float:
    """A countdown that cannot outlive the broker's visibility timeout: Redis re-delivers a message not
    acknowledged within it, and a countdown message is held unacknowledged until it runs (then it runs)."""
    visibility_s = settings.visibility_timeout_s
    room_s = min(visibility_s / 2, visibility_s - settings.worst_wait_and_run_s)
    return max(0.0, min(wanted_s, room_s))


@contextmanager
def requeue_when_store_down() -> Iterator[None]:
    """Reject-and-requeue the message being run when Redis is unreachable (we can record nothing now)."""
    try:
        yield
    except redis.RedisError as exc:
        # Requeue (or, if Redis is down, leave the message unacknowledged: it is re-delivered after the
        # visibility timeout). A short pause avoids a hot loop.
        log.warning("store_unavailable", error_type=type(exc).__name__)
        time.sleep(STORE_DOWN_PAUSE_S)
        raise Reject(reason="store unavailable", requeue=True) from None


@contextmanager
def job_context(message: dict[str, object]) -> Iterator[JobMessage]:
    """Bind the job's ids to every log line; requeue the message when Redis is unreachable."""
    msg = JobMessage.model_validate(message)
    with (
        structlog.contextvars.bound_contextvars(batch_id=msg.batch_id, job_id=msg.job_id),
        requeue_when_store_down(),
    ):
        yield msg
