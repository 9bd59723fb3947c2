"""Why a batch is not moving: queues holding messages that no worker consumes, and whether anything can
progress at all. `turnout status` names them; `turnout status --watch` ends with the reason.

Consumers come from the workers' heartbeats (worker/liveness.py: each live worker and its queues),
queue lengths from one Redis pipeline (kombu keeps a list per queue and priority step, and the messages
delivered but not yet acknowledged in one hash).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from worker.flow.priority import queue_lists
from worker.liveness import live_consumers
from worker.queues import BATCH_QUEUE, QUEUES
from worker.retry_notes import retrying
from worker.store import Store

POOL_OF_QUEUE = {"classify": "classify", "local": "local", "cloud": "cloud", BATCH_QUEUE: "cloud"}


@dataclass(frozen=True)
class QueueView:
    """Messages waiting per queue, messages held by workers, and who consumes each queue."""

    waiting: dict[str, int]
    unacked: int
    consumers: dict[str, tuple[str, ...]]  # queue -> worker node names
    workers: int  # live workers

    def stalled(self) -> list[str]:
        """Queues with messages and no consumer."""
        return [q for q, n in self.waiting.items() if n and not self.consumers.get(q)]

    def lines(self) -> list[str]:
        if not self.workers:
            held = sum(self.waiting.values())
            return [
                f"no worker is running ({held} messages waiting): start the pools, "
                "`turnout worker --pool classify|local|cloud`"
            ]
        return [
            f"no worker is consuming `{queue}` ({self.waiting[queue]} messages waiting): start "
            f"`turnout worker --pool {POOL_OF_QUEUE[queue]}`"
            for queue in self.stalled()
        ]

    def stuck_reason(self) -> str | None:
        """Why nothing can progress, or None while something can: no worker at all, or every queue that
        holds messages lacks a consumer and no worker holds a message."""
        if not self.workers:
            return self.lines()[0]
        flowing = [q for q, n in self.waiting.items() if n and self.consumers.get(q)]
        if self.stalled() and not flowing and not self.unacked:
            return "; ".join(self.lines())
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "workers": self.workers,
            "waiting": self.waiting,
            "unacked": self.unacked,
            "stalled_queues": self.stalled(),
        }


def queue_view(app: Any, store: Store) -> QueueView:
    """Read the queues, and which live worker consumes which (worker/liveness.py), in three round trips."""
    options = app.conf.broker_transport_options or {}
    depths = store.queue_depths({queue: queue_lists(queue, options) for queue in QUEUES})
    consumers: dict[str, list[str]] = {}
    live = live_consumers(store)
    for node, queues in live.items():
        for queue in queues:
            consumers.setdefault(queue, []).append(node)
    return QueueView(
        waiting=depths.waiting,
        unacked=depths.unacked,
        consumers={q: tuple(sorted(nodes)) for q, nodes in consumers.items()},
        workers=len(live),
    )


class Stalled(Exception):
    """Nothing can progress: the message says why."""


class StallCheck:
    """For `watch_batch`'s `check`: every `every_s`, look at the queues and the batch's retries; say
    (through `say`) when the retries change, and raise Stalled when the same reason to be stuck holds
    twice in a row (a message moving between queues is not a stall)."""

    def __init__(
        self, app: Any, store: Store, batch_id: str, say: Callable[[str], None], every_s: float = 3.0
    ):
        self._app, self._store, self._batch_id, self._say = app, store, batch_id, say
        self._every_s = every_s
        self._next_at = time.monotonic() + every_s
        self._suspect: str | None = None
        self._retry_causes: object = None

    def __call__(self) -> None:
        if time.monotonic() < self._next_at:
            return
        found = retrying(self._store, self._batch_id)
        causes = None if found is None else (found.jobs, found.groups)
        if causes != self._retry_causes and found is not None:
            self._say(found.line())
        self._retry_causes = causes
        reason = queue_view(self._app, self._store).stuck_reason()
        self._next_at = time.monotonic() + self._every_s
        if reason is not None and reason == self._suspect:
            raise Stalled(reason)
        self._suspect = reason
