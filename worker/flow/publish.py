"""Bulk publishing of Celery tasks onto the Redis broker: one pipelined round trip per chunk.

`app.send_task` costs about a millisecond of Python per message (argument repr, routing, kombu's
publish path, one LPUSH round trip, plus a PUBLISH when task-sent events are on), which caps a producer
near 1,000 messages/s. For thousands of identical small messages we build the Celery protocol-2 message
once from `app.amqp.as_task_v2` (so the headers are exactly Celery's), patch the per-message fields, and
LPUSH the kombu envelope onto the same list kombu would, on a pipeline the caller executes — the store
writes of a chunk and its messages then go in one round trip, the writes first.

When the app sends task-sent events (`task_send_sent_event`, which Flower uses for a task's queue),
the publisher PUBLISHes the same event on the same pipeline, as Celery's event dispatcher would.
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from collections.abc import Sequence
from typing import Any

import redis
from celery import Celery
from celery.utils.nodenames import anon_nodename
from celery.utils.time import utcoffset

from worker.flow.priority import queue_key, queue_layout

__all__ = ["BulkPublisher"]

_EMBED = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}


class BulkPublisher:
    """Queues Celery task messages on a redis-py pipeline, byte-compatible with `app.send_task`."""

    def __init__(self, app: Celery, task_name: str):
        options = dict(app.conf.broker_transport_options or {})
        if options.get("global_keyprefix"):
            raise ValueError("BulkPublisher does not support broker_transport_options.global_keyprefix")
        if not str(app.conf.broker_url or "").startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("BulkPublisher publishes to a Redis broker only")
        route = app.amqp.router.route({}, task_name)
        queue = route.get("queue")
        if queue is None:
            raise ValueError(f"no queue routes task {task_name!r}")
        self.task_name = task_name
        self.queue = str(getattr(queue, "name", queue))
        self._steps, self._sep = queue_layout(options)
        default_priority = app.conf.task_default_priority
        self.default_priority = int(default_priority) if default_priority is not None else 0
        # Celery's own headers for this task, built once; per message only the id-like fields change.
        template = app.amqp.as_task_v2("0", task_name, args=(), ignore_result=None)  # as send_task sends
        self._headers: dict[str, Any] = dict(template.headers)
        self._reply_to = template.properties.get("reply_to") or app.thread_oid
        self._app = app
        self._event_topics: list[str] = []
        if app.conf.task_send_sent_event:
            with app.connection_for_write() as connection:
                # Where kombu PUBLISHes a `task.sent` event on the `celeryev` exchange (Redis pub/sub).
                channel = connection.default_channel
                self._event_topics = list(channel._get_publish_topics("celeryev", "task.sent"))
            self._event_fields = {"hostname": anon_nodename(), "pid": os.getpid()}

    def publish(
        self,
        pipe: redis.client.Pipeline,
        task_id: str,
        args: Sequence[Any],
        priority: int | None = None,
    ) -> None:
        """Queue one message on `pipe` (which must talk to the broker's Redis); the caller executes it."""
        priority = self.default_priority if priority is None else max(0, min(9, int(priority)))
        args = list(args)
        headers = dict(self._headers, id=task_id, root_id=task_id, argsrepr=repr(args), kwargsrepr="{}")
        body = json.dumps([args, {}, _EMBED]).encode()
        envelope = {
            "body": base64.b64encode(body).decode(),
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": headers,
            "properties": {
                "correlation_id": task_id,
                "reply_to": self._reply_to,
                "delivery_mode": 2,
                "delivery_info": {"exchange": "", "routing_key": self.queue},
                "priority": priority,
                "body_encoding": "base64",
                "delivery_tag": str(uuid.uuid4()),
            },
        }
        pipe.lpush(queue_key(self.queue, priority, self._steps, self._sep), json.dumps(envelope))
        if self._event_topics:
            self._sent_event(pipe, task_id, headers["argsrepr"])

    def _sent_event(self, pipe: redis.client.Pipeline, task_id: str, argsrepr: str) -> None:
        """The `task-sent` event Celery's dispatcher would publish for this message."""
        event = {
            **self._event_fields,
            "utcoffset": utcoffset(),
            "clock": self._app.clock.forward(),
            "uuid": task_id,
            "root_id": task_id,
            "parent_id": None,
            "name": self.task_name,
            "args": argsrepr,
            "kwargs": "{}",
            "retries": 0,
            "eta": None,
            "expires": None,
            "queue": self.queue,
            "exchange": "",
            "routing_key": self.queue,
            "timestamp": time.time(),
            "type": "task-sent",
        }
        envelope = {
            "body": base64.b64encode(json.dumps(event).encode()).decode(),
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": {"hostname": self._event_fields["hostname"]},
            "properties": {
                "delivery_mode": 1,
                "delivery_info": {"exchange": "celeryev", "routing_key": "task.sent"},
                "priority": 0,
                "body_encoding": "base64",
                "delivery_tag": str(uuid.uuid4()),
            },
        }
        raw = json.dumps(envelope)
        for topic in self._event_topics:
            pipe.publish(topic, raw)
