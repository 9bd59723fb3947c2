"""Which jobs of a batch are waiting to retry, why, and when: what `turnout status` says while nothing
finishes ("10 jobs retrying: server_error from http://gpu1:11434, next try in 8 s").

A task that schedules a retry notes the job in one hash per batch (job id -> kind, where, next try), one
HSET per retry. A job that has since reached its result is skipped when read, so the hot path (recording a
result) needs no extra write. Only the error's kind and the backend's address are kept: never the error's
message, which could quote the document.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import redis

from worker.errors import BackendError

if TYPE_CHECKING:
    from worker.store import Store

# Backend errors name the host they came from ("cannot connect to Ollama at http://gpu1:11434").
_URL = re.compile(r"https?://[^\s'\"()<>,]+")
# Where a retry came from when its error named no address.
_ROUTE_PLACE = {"local": "the local hosts", "cloud": "the cloud API", "cloud-batch": "the Batch API"}


def backend_address(error: BackendError) -> str | None:
    """The backend address an error names, without credentials or path; None when it names none."""
    found = _URL.search(str(error))
    if found is None:
        return None
    parts = urlsplit(found.group(0).rstrip(".:;"))
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    return urlunsplit((parts.scheme, f"{host}:{port}" if port else host, "", "", ""))


def note_retry(
    store: Store, batch_id: str, job_id: str, error: BackendError, route: str, delay_s: float
) -> None:
    """Record that the job's next attempt is in `delay_s` seconds, after `error` on `route`."""
    note = {
        "kind": error.kind,
        "route": route,
        "where": backend_address(error),
        "next_at": time.time() + delay_s,
    }
    # Best effort: it only informs `turnout status`; a refused write must not change what happens to the job.
    with contextlib.suppress(redis.RedisError):
        store.note_retry(batch_id, job_id, json.dumps(note))


def note_retries(
    store: Store, batch_id: str, job_ids: list[str], kind: str, route: str, where: str | None, delay_s: float
) -> None:
    """Record that these jobs' next attempt is in `delay_s` seconds, after an error of `kind` at `where`
    (an address; None: the route's backends). The cloud-batch route notes a provider batch's jobs at once
    when a step of its upload or polling fails (worker/batch/tasks.py)."""
    note = {"kind": kind, "route": route, "where": where, "next_at": time.time() + delay_s}
    with contextlib.suppress(redis.RedisError):  # best effort, as above
        store.note_retries(batch_id, job_ids, json.dumps(note))


def clear_retries(store: Store, batch_id: str, job_ids: list[str]) -> None:
    """These jobs are no longer waiting out an error (a provider batch's step went through again)."""
    with contextlib.suppress(redis.RedisError):
        store.clear_retry_notes(batch_id, job_ids)


@dataclass(frozen=True)
class RetryGroup:
    kind: str
    where: str  # a backend address, or the route when the error named none
    jobs: int


@dataclass(frozen=True)
class Retrying:
    """The batch's jobs waiting for another attempt, by cause, and the soonest next attempt."""

    jobs: int
    groups: tuple[RetryGroup, ...]
    next_try_in_s: float | None  # None: every scheduled attempt is due (running or about to)

    def line(self) -> str:
        causes = ", ".join(
            f"{g.kind} from {g.where}" + (f" ({g.jobs})" if len(self.groups) > 1 else "")
            for g in self.groups[:3]
        )
        more = f" and {len(self.groups) - 3} more causes" if len(self.groups) > 3 else ""
        when = (
            f"next try in {self.next_try_in_s:.0f} s"
            if self.next_try_in_s is not None
            else "next try due now"
        )
        return f"{self.jobs} job{'s' * (self.jobs != 1)} retrying: {causes}{more}, {when}"

    def as_json(self) -> dict[str, Any]:
        return {
            "jobs": self.jobs,
            "causes": [{"kind": g.kind, "where": g.where, "jobs": g.jobs} for g in self.groups],
            "next_try_in_s": None if self.next_try_in_s is None else round(self.next_try_in_s, 1),
        }


def retrying(store: Store, batch_id: str) -> Retrying | None:
    """The batch's jobs that retried and have no result yet; None when there are none."""
    waiting = [json.loads(note) for note in store.retry_notes(batch_id)]
    if not waiting:
        return None
    causes = Counter(
        (note["kind"], note.get("where") or _ROUTE_PLACE.get(note["route"], note["route"]))
        for note in waiting
    )
    now = time.time()
    ahead = [note["next_at"] - now for note in waiting if note["next_at"] > now]
    return Retrying(
        jobs=len(waiting),
        groups=tuple(RetryGroup(kind, where, jobs) for (kind, where), jobs in causes.most_common()),
        next_try_in_s=min(ahead) if ahead else None,
    )
