"""A dead worker's jobs run again within seconds, not after the visibility timeout (worker/liveness.py).

Three parts, wired into every worker by `install(app)`:
- `WorkerConnection`, a consumer bootstep: each (re)start of the consumer is a new holder name with its
  own heartbeat. Celery forgets the messages it had reserved or scheduled when it reconnects, so the old
  name is let go of at once (its jobs are re-issued); the requests still running are held under the new.
- a `task_received` receiver: the worker that receives a job's message holds the job (running,
  reserved, or waiting for a retry's countdown).
- a daemon thread in the worker's main process: the heartbeat every few seconds (the worker's only one:
  it also keeps the worker's node and queues in `tn:workers` for `turnout status`), and a sweep (one
  worker at a time, under a Redis lock) that re-issues the jobs whose holder's heartbeat has expired,
  and restarts the Batch API chains a dead worker left overdue (worker/batch/revive.py).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
import structlog
from celery import Celery, bootsteps
from celery.signals import task_received
from celery.worker import state as worker_state

from worker.batch.revive import Reviver
from worker.liveness import (
    HEARTBEAT_EVERY_S,
    HELD_TASKS,
    ORPHAN_AFTER_S,
    SWEEP_EVERY_S,
    Liveness,
    current_holder,
    new_holder_id,
    set_current_holder,
)
from worker.queues import BATCH_FLUSH_TASK
from worker.store import Store
from worker.store.batch_route import BatchState
from worker.store_refusal import RefusalLine, is_write_refusal

log = structlog.get_logger("turnout.recovery")


class _Deferred:
    """Holds a Redis refusing writes turned down (full, read-only): written again on the next heartbeat
    while their request is still reserved or running. A full Redis is expected, so one line, no traceback."""

    def __init__(self) -> None:
        self.requests: dict[str, Any] = {}
        self.lock = threading.Lock()
        self.line = RefusalLine("liveness_hold_deferred", "liveness record deferred")

    def add(self, request: Any, exc: BaseException) -> None:
        with self.lock:
            self.requests[request.id] = request
        self.line.refused(exc)  # one line per 30 s: a full Redis refuses every received task's hold

    def retry(self, liveness: Liveness, holder: str) -> None:
        with self.lock:
            pending, self.requests = self.requests, {}
        live = {r.id for r in (*worker_state.reserved_requests, *worker_state.active_requests)}
        for request in pending.values():
            if request.id in live:
                hold(liveness, request, holder, self)


def sweep(app: Celery, liveness: Liveness, reissuer: str) -> int:
    """Re-issue every job whose holder is dead; forget terminal ones. How many were re-issued."""
    jobs, in_queues = liveness.held_jobs()
    liveness.forget([(b, j) for b, j, fields, terminal in jobs if terminal or not fields["status"]])
    waiting = [(b, j, f) for b, j, f, terminal in jobs if not terminal and f["status"] and f["holder"]]
    alive = liveness.alive({f["holder"] for _, _, f in waiting})
    dead = [(b, j, f) for b, j, f in waiting if f["holder"] not in alive]
    # Jobs handed on to a queue, or still queued since submission, whose message has vanished (lost between
    # Redis and a consumer, or in a Redis restart).
    handed_on = [(b, j, f) for b, j, f, terminal in jobs if not terminal and f["status"] and not f["holder"]]
    at_provider = liveness.at_provider(handed_on)  # no message by design: a provider batch holds them
    handed_on = [(b, j, f) for b, j, f in handed_on if (b, j) not in at_provider]
    vanished = set(liveness.absent_for_long(handed_on, in_queues))
    dead += [(b, j, f) for b, j, f in handed_on if (b, j) in vanished]
    # And the jobs whose message a worker took but never held (it died in between).
    orphaned = liveness.inspect(liveness.orphans(ORPHAN_AFTER_S))
    dead += [(b, j, f) for b, j, f, terminal in orphaned if not terminal]
    reissued = 0
    for batch_id, job_id, fields in dead:
        again = liveness.reissue(app, batch_id, job_id, fields, reissuer)
        if again is None:
            continue
        reissued += 1
        log.warning(
            "job_reissued",
            batch_id=batch_id,
            job_id=job_id,
            task=again.task_name,
            generation=again.message["generation"],
        )
    return reissued


def revive(app: Celery, state: BatchState, reviver: Reviver) -> list[str]:
    """Send a resume tick to each batch whose Batch API chain is long overdue; the batches sent one."""
    due = reviver.due(state)
    for batch_id, number in due:
        app.send_task(BATCH_FLUSH_TASK, args=[batch_id, number, True])
        log.warning("batch_chain_revived", batch_id=batch_id)
    return [batch_id for batch_id, _ in due]


class _Beat:
    """The heartbeat and sweep thread of one worker process."""

    def __init__(self, app: Celery, store: Callable[[], Store]):
        self.app = app
        self.store = store
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        self._failing = False
        self.deferred = _Deferred()
        self.consumer: Any = None  # the worker's consumer (WorkerConnection sets it)
        self._queues: tuple[str, ...] = ()
        self.reviver = Reviver()

    def who(self) -> tuple[str, tuple[str, ...]]:
        """This worker's node name and the queues it consumes now (Celery's add_consumer/cancel_consumer
        change them); the last known while its consumer reconnects."""
        consumer = self.consumer
        if consumer is None:
            return "", self._queues
        task_consumer = getattr(consumer, "task_consumer", None)
        if task_consumer is not None:
            self._queues = tuple(sorted(queue.name for queue in list(task_consumer.queues)))
        return str(consumer.hostname), self._queues

    def start(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            self.stopped.clear()
            self.thread = threading.Thread(target=self._run, name="turnout-liveness", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        next_sweep = time.monotonic() + SWEEP_EVERY_S
        while not self.stopped.wait(HEARTBEAT_EVERY_S):
            holder = current_holder()
            if holder is None:
                continue
            try:
                liveness = Liveness(self.store())
                liveness.beat(holder, *self.who())
                self.deferred.retry(liveness, holder)
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + SWEEP_EVERY_S
                    lock_ms = int(SWEEP_EVERY_S * 1000 * 0.8)
                    if liveness.take_sweep_lock(holder, lock_ms):
                        sweep(self.app, liveness, holder)
                        revive(self.app, self.store().batch_route, self.reviver)
                if self._failing:
                    log.info("liveness_resumed")
                    self._failing = False
            # Redis restarting: beat again when it is back. Anything else is a bug, logged by type: the
            # thread must live on, or this worker would look dead and its running jobs be re-issued.
            except Exception as exc:  # noqa: BLE001
                if not self._failing:
                    log.warning("liveness_unavailable", error_type=type(exc).__name__)
                    self._failing = True


def install(app: Celery, broker_url: str) -> None:
    """Hold, heartbeat and sweep in every worker of `app` (whose store is at `broker_url`)."""
    stores: dict[str, Store] = {}

    def store() -> Store:  # the worker's main process only: the pool's children never call it
        if "store" not in stores:
            stores["store"] = Store.from_url(broker_url)
        return stores["store"]

    beat = _Beat(app, store)
    receiving: list[bool] = []

    class WorkerConnection(bootsteps.StartStopStep):
        """One holder name per consumer connection; see the module's docstring."""

        requires = {"celery.worker.consumer.tasks:Tasks"}

        def start(self, consumer: Any) -> None:
            previous = current_holder()
            holder = new_holder_id()
            beat.consumer = consumer
            set_current_holder(holder)
            try:
                liveness = Liveness(store())
                liveness.beat(holder, *beat.who())
                for request in list(worker_state.active_requests):  # still running: not to re-issue
                    hold(liveness, request, holder, beat.deferred)
                if previous is not None:
                    liveness.stop_beating(previous)
            except redis.RedisError as exc:
                log.warning("liveness_unavailable", error_type=type(exc).__name__)
            if not receiving:  # once per process (a signal is global; the receiver checks the app)
                task_received.connect(on_received, weak=False)
                receiving.append(True)
            beat.start()

        def shutdown(self, consumer: Any) -> None:
            beat.stopped.set()
            holder = current_holder()
            if holder is not None:
                # If Redis is unreachable, the heartbeat expires on its own within its TTL (and with it
                # the worker's entry in `turnout status`).
                with contextlib.suppress(redis.RedisError):
                    Liveness(store()).leave(holder, beat.who()[0])

    def on_received(sender: Any = None, request: Any = None, **_: Any) -> None:
        if getattr(sender, "app", None) is not app or request is None:
            return
        holder = current_holder()
        if holder is not None and request.task_name in HELD_TASKS:
            hold(Liveness(store()), request, holder, beat.deferred)

    app.steps["consumer"].add(WorkerConnection)


def hold(liveness: Liveness, request: Any, holder: str, deferred: _Deferred) -> None:
    args = request.args
    if not args or not isinstance(args[0], dict):
        return
    priority = (request.delivery_info or {}).get("priority")
    try:
        liveness.hold(args[0], holder, request.task_name, priority)
    except redis.RedisError as exc:
        if not is_write_refusal(exc):
            raise
        deferred.add(request, exc)
