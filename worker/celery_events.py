"""What Flower shows: task states that match the job's outcome, and task events published on a timer.

A task whose job failed for good ends as FAILURE, not SUCCESS, and a retried attempt stays RETRY
(`TurnoutTask`, the app's task class). The rest of this module is about publishing the events cheaply:

Task events are published on a short timer instead of once per event-loop pass.

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

from celery import Task, bootsteps
from celery.worker.consumer.events import Events

from worker.task_outcome import JobFailed, failed_kind

__all__ = ["FLUSH_INTERVAL_S", "RETRY_MARK", "TimedTaskEvents", "TurnoutTask", "next_attempt_id"]

FLUSH_INTERVAL_S = 0.1
RETRY_MARK = "~r"


def next_attempt_id(task_id: str, retries: int) -> str:
    """The task id of a job's next attempt: `local:<job id>~r<n>`. Celery retries under the same id, and
    Flower shows a task's latest state only: the retried attempt would turn from RETRY to RECEIVED at once
    (the retry is delivered at once and waits for its countdown in the worker), so `state=RETRY` found
    nothing. With an id per attempt, each failed attempt stays RETRY; the id still names stage and job."""
    return f"{task_id.split(RETRY_MARK, 1)[0]}{RETRY_MARK}{retries}"


class TurnoutTask(Task):  # type: ignore[misc]
    """The app's task class: a task that recorded its job's failure ends as FAILURE (`JobFailed`), and a
    retry runs under a task id of its own (`next_attempt_id`)."""

    throws = (JobFailed,)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        token = failed_kind.set(None)
        try:
            returned = super().__call__(*args, **kwargs)
            kind = failed_kind.get()
        finally:
            failed_kind.reset(token)
        if kind is not None:
            raise JobFailed(kind)
        return returned

    def retry(self, *args: Any, **options: Any) -> Any:
        if self.request.id and "task_id" not in options:
            options["task_id"] = next_attempt_id(self.request.id, self.request.retries + 1)
        return super().retry(*args, **options)


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
