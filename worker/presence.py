"""Which workers are alive and which queues they consume, as `turnout status` reads it: one Redis hash.

Every worker writes its node name, queues and the time into `tn:workers` every `BEAT_S` seconds (a
consumer step on its event loop), and removes itself when it stops. A reader counts an entry as alive
while it is younger than `ALIVE_S`. This costs one HSET per worker every few seconds, and the reader one
HGETALL: cheaper than Celery's `inspect` broadcast (a second's wait for replies), and it needs no
blocking read, which compose's producer user may not do (ops/redis/acl.py).
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import redis
from celery import bootsteps
from celery.worker.consumer.tasks import Tasks

from worker.settings import BROKER_SCHEMES
from worker.store import Store

__all__ = ["ALIVE_S", "BEAT_S", "WorkerPresence", "live_consumers"]

BEAT_S = 3.0
ALIVE_S = 15.0  # several missed beats: a worker busy in a long task still beats (the loop runs apart)
FORGET_S = 24 * 3600.0  # an entry this old is a worker long gone (killed, or a replaced container)


class WorkerPresence(bootsteps.StartStopStep):
    """Consumer step: this worker's node and queues in `tn:workers`, refreshed every `BEAT_S`."""

    requires = (Tasks,)

    def __init__(self, consumer: Any, **kwargs: Any):
        self._timer: Any = None
        self._store: Store | None = None
        super().__init__(consumer, **kwargs)

    def start(self, consumer: Any) -> None:
        if consumer.hub is None or not str(consumer.app.conf.broker_url or "").startswith(BROKER_SCHEMES):
            # No event loop to beat from (gevent/eventlet pools, which Turnout does not use), or no Redis.
            return
        if self._store is None:  # the step starts again on every reconnect: one client for the worker
            # Its own client, with 1 s timeouts: it runs on the worker's event loop, which the store's
            # usual client (a minute of retries through a Redis restart) would stall.
            self._store = Store.for_watching(consumer.app.conf.broker_url, timeout_s=1.0)
        self._cancel()
        self._timer = consumer.hub.call_repeatedly(BEAT_S, self._beat, consumer)
        self._beat(consumer)

    def _beat(self, consumer: Any) -> None:
        queues = sorted(q.name for q in consumer.task_consumer.queues) if consumer.task_consumer else []
        entry = json.dumps({"queues": queues, "seen_at": time.time()})
        # Best effort: a Redis outage must not stop the worker's loop; the entry just ages.
        with contextlib.suppress(redis.RedisError):
            if self._store is not None:
                self._store.note_worker(consumer.hostname, entry)

    def stop(self, consumer: Any) -> None:
        self._cancel()

    def shutdown(self, consumer: Any) -> None:
        self._cancel()
        if self._store is not None:
            with contextlib.suppress(redis.RedisError):
                self._store.remove_worker(consumer.hostname)
            self._store.close()
            self._store = None

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def live_consumers(store: Store, alive_s: float = ALIVE_S) -> dict[str, tuple[str, ...]]:
    """The live workers (node name -> the queues it consumes), from `tn:workers`."""
    now = time.time()
    live: dict[str, tuple[str, ...]] = {}
    gone = []
    for node, raw in store.worker_entries().items():
        age_s = now - float(json.loads(raw)["seen_at"])
        if age_s <= alive_s:
            live[node] = tuple(json.loads(raw)["queues"])
        elif age_s > FORGET_S:
            gone.append(node)
    store.forget_workers(gone)  # a hard-killed worker never removed its entry
    return live
