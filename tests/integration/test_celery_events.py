"""Task events, as Flower reads them, from real workers: every stage of every job reports each of its
events once."""

from __future__ import annotations

import base64
import json
import threading
from collections import Counter

import pytest
import redis

from producer.loaders import LoadedDocument
from producer.local_stack import wait_until
from producer.submit import submit_batch
from tests.conftest import Stack
from worker.schema import TaskKind, TaskSpec

pytestmark = pytest.mark.integration

STAGE_EVENTS = ("task-received", "task-started", "task-succeeded")


class EventTap:
    """Every message on the events exchange (Redis pub/sub), decoded: Celery's `task.multi` batches are
    lists of events, a single event is a dict."""

    def __init__(self, url: str):
        self._client = redis.Redis.from_url(url)
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        self._pubsub.psubscribe("*celeryev*")
        self.events: list[dict[str, object]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            message = self._pubsub.get_message(timeout=0.1)
            if message is None:
                continue
            envelope = json.loads(message["data"])
            body = json.loads(base64.b64decode(envelope["body"]))
            with self._lock:
                self.events.extend(body if isinstance(body, list) else [body])

    def seen(self) -> Counter[tuple[str, str]]:
        """(task id, event type) -> how many times."""
        with self._lock:
            return Counter((str(e.get("uuid")), str(e.get("type"))) for e in self.events)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._pubsub.close()
        self._client.close()


def test_every_task_event_reaches_flower_once(stack: Stack) -> None:
    tap = EventTap(stack.settings.broker_url)
    try:
        docs = [
            LoadedDocument(source=f"note-{i}.txt", text=f"Lunch moved to noon on day {i}.", metadata={})
            for i in range(12)
        ]
        summary = submit_batch(stack.store, stack.app, iter(docs), TaskSpec(kind=TaskKind.SUMMARIZE))
        wait_until(lambda: stack.store.report(summary.batch_id).done, 60, "the batch")
        results = list(stack.store.iter_results(summary.batch_id))
        assert len(results) == 12 and all(r.status.value == "succeeded" for r in results)
        # Each job made two hops: classify, then its route's stage; each hop reports three task events.
        expected = {
            (f"{stage}:{r.job_id}", event)
            for r in results
            for stage in ("classify", r.route.value if r.route else "?")
            for event in STAGE_EVENTS
        }
        wait_until(lambda: expected <= set(tap.seen()), 30, "every task event")
        assert all(tap.seen()[key] == 1 for key in expected)  # none sent twice
        # Flower shows a forwarded task's args as Celery's saferepr would write them (worker/tasks.py).
        received = {str(e["uuid"]): e for e in tap.events if e.get("type") == "task-received"}
        for r in results:
            args = received[f"{r.route.value if r.route else '?'}:{r.job_id}"]["args"]
            assert isinstance(args, str) and args.startswith("[{") and repr(r.job_id) in args
    finally:
        tap.close()
