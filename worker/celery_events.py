"""Task events (what Flower shows) published on a short timer instead of once per event-loop pass.

Celery's worker buffers task events (task-received, -started, -succeeded) and asks its event loop to
flush the buffer "soon" after every single event: from a thread-pool worker that is a wake-up of the
loop, a loop pass and a PUBLISH per event, and on prefork a PUBLISH per loop pass. At hundreds of jobs
a second that is one of the largest costs of a hop after the task itself. Flushing on a timer instead
publishes the same events, in the same order, as one `task.multi` message per `FLUSH_INTERVAL_S`
(Celery's own batch format, which Flower reads); the buffer still flushes at once when it holds
`buffer_limit` events. Flower sees an event at most that much later.

The dispatcher is rebuilt each time the consumer (re)connects, so the step re-applies itself after the
`Events` step every time, and flushes what is buffered when the worker stops.
"""

from __future__ import annotations

import contextlib
from typing import Any

from celery import bootsteps
from celery.worker.consumer.events import Events

__all__ = ["FLUSH_INTERVAL_S", "TimedTaskEvents"]

FLUSH_INTERVAL_S = 0.1


class TimedTaskEvents(bootsteps.StartStopStep):
    """Consumer step: task events flush every `FLUSH_INTERVAL_S` (or when the buffer is full)."""

    requires = (Events,)

    def __init__(self, consumer: Any, **kwargs: Any):
        self._timer: Any = None
        super().__init__(consumer, **kwargs)

    def start(self, consumer: Any) -> None:
        dispatcher, hub = consumer.event_dispatcher, consumer.hub
        if dispatcher is None or hub is None or dispatcher.on_send_buffered is None:
            return  # no event loop (solo, gevent...): Celery does not buffer there, nothing to change
        dispatcher.on_send_buffered = None
        self._cancel()
        self._timer = hub.call_repeatedly(FLUSH_INTERVAL_S, consumer._flush_events)

    def stop(self, consumer: Any) -> None:
        self._cancel()
        # The last events before a reconnect or a shutdown; best effort, as Celery's own flushes are.
        with contextlib.suppress(Exception):
            consumer._flush_events()

    def shutdown(self, consumer: Any) -> None:
        self.stop(consumer)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
