"""The cloud-batch route's Celery tasks, on the `cloud-batch` queue (served by the cloud pool).

- collect: advance one job (stage its next request, or record its result).
- flush:   a batch's tick while requests are staged: group them when due; restart dead poll chains.
- poll:    one group's chain: upload, create, poll with backoff, join; re-schedules itself with a
           countdown (`apply_async(countdown=...)`) until the group is done.

Chains are durable: their messages are acknowledged late (a killed worker's are re-delivered), a worker
that starts resumes every unfinished group at once, and numbered messages make duplicates die
(worker/store/batch_route.py).
No exception escapes a chain task: an error re-schedules it with backoff, a Redis outage re-queues it.
A Redis that refuses writes (full, read-only) is waited out: a step runs again once writes are
accepted, as a re-delivery of its message would (see worker/tasks.py), and its next message is published
even through a spell of refusals.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis
import structlog
from celery import Celery, Task
from celery.signals import worker_ready

from worker.batch import collector, flush, poller
from worker.batch.provider import BatchProvider
from worker.budget.gate import BudgetExhausted
from worker.errors import BackendError, PermanentBackendError
from worker.liveness import current_holder
from worker.pipeline import fail_job, fail_missing
from worker.queues import (
    BATCH_COLLECT_TASK,
    BATCH_FLUSH_TASK,
    BATCH_POLL_TASK,
    BATCH_QUEUE,
    CLOUD_TASK,
    LOCAL_TASK,
)
from worker.retry import backoff_s, countdown_s, job_context, requeue_when_store_down
from worker.retry_notes import clear_retries, note_retries
from worker.runtime import Runtime
from worker.schema import JobMessage, RouteTarget
from worker.store import MissingRecord
from worker.store.batch_route import BatchState, chain_may_run
from worker.tasks import publish as publish_through_refusals
from worker.tasks import retry_later, ride_out

log = structlog.get_logger("turnout.batch")

ROUTE_TASK = {RouteTarget.CLOUD: CLOUD_TASK, RouteTarget.LOCAL: LOCAL_TASK}
GRACE_S = 5.0  # a poll this overdue is published again by a flush tick (a duplicate of a live one dies)
LOCK_BUSY_RETRY_S = 1.0


class _CeleryDispatch:
    def __init__(self, app: Celery, runtime: Callable[[], Runtime]):
        self._app = app
        self._runtime = runtime

    def advance(self, batch_id: str, job_ids: list[str]) -> None:
        with self._app.producer_or_acquire() as producer:
            for job_id in job_ids:
                message = JobMessage(job_id=job_id, batch_id=batch_id).model_dump(mode="json")
                self._app.send_task(
                    BATCH_COLLECT_TASK, args=[message], task_id=f"cloud-batch:{job_id}", producer=producer
                )

    def reroute(self, target: RouteTarget, batch_id: str, job_id: str) -> None:
        # The job's current generation: a message older than it would be dropped as stale (worker/liveness.py).
        generation = self._runtime().store.job(batch_id, job_id).generation
        message = JobMessage(job_id=job_id, batch_id=batch_id, generation=generation).model_dump(mode="json")
        self._app.send_task(ROUTE_TASK[target], args=[message], task_id=f"{target.value}:{job_id}")


def register_batch_tasks(app: Celery, runtime: Callable[[], Runtime]) -> None:
    """Register the cloud-batch tasks on `app`, and resume unfinished work when a worker starts."""
    per_process: dict[int, tuple[BatchState, BatchProvider]] = {}
    lock = threading.Lock()
    dispatch = _CeleryDispatch(app, runtime)

    def parts() -> tuple[Runtime, BatchState, BatchProvider]:
        rt = runtime()
        pid = os.getpid()
        with lock:
            if pid not in per_process:
                settings = rt.settings
                key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
                provider = BatchProvider(
                    base_url=settings.openai_base_url, api_key=key, timeout_s=settings.request_timeout_s
                )
                per_process.clear()
                per_process[pid] = (rt.store.batch_route, provider)
            state, provider = per_process[pid]
        return rt, state, provider

    def lock_ttl_s(rt: Runtime) -> float:
        return 3 * rt.settings.request_timeout_s + 30

    @app.task(name=BATCH_COLLECT_TASK, bind=True, max_retries=None, shared=False)
    def collect(self: Task, message: dict[str, object]) -> None:
        with job_context(message) as msg:
            rt, state, _ = parts()
            ride_out(lambda: collect_once(self, rt, state, msg))

    def collect_once(self: Task, rt: Runtime, state: BatchState, msg: JobMessage) -> None:
        try:
            advanced = collector.advance_job(rt, state, msg)
        except BudgetExhausted as exc:  # a cap refused to book the request: wait, hold, local or fail
            decided = collector.on_budget_exhausted(rt, state, msg, exc, self.request.retries)
            if decided.retry_in_s is not None:
                raise retry_later(self, decided.retry_in_s) from None
            if decided.target is not None:
                target = decided.target
                publish_through_refusals(
                    lambda: dispatch.reroute(target, msg.batch_id, msg.job_id), what="forward the job"
                )
            return
        except BackendError as exc:  # the sensitivity guard, an unpriced model: fail, never fall back
            fail_job(rt, msg, exc)
            return
        except MissingRecord as exc:  # its text or record is gone: fail it with the reason
            fail_missing(rt, msg, exc)
            return
        except redis.RedisError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug: bounded retries, then fail with the reason
            log.error("batch_job_internal_error", error_type=type(exc).__name__)
            if self.request.retries + 1 < rt.settings.max_attempts:
                delay = backoff_s(self.request.retries, rt.settings.retry_backoff_s, 30.0)
                raise retry_later(self, delay) from None
            fail_job(
                rt,
                msg,
                PermanentBackendError(f"internal error: {type(exc).__name__}", kind="internal_error"),
            )
            return
        if advanced.flush_tick is not None:
            due_s = countdown_s(rt.settings, rt.policies.routing.batch.flush_idle_s)
            publish(flush_tick, [msg.batch_id, advanced.flush_tick], due_s)
        elif not advanced.staged and not advanced.done:
            # A re-delivery: the first delivery may have armed the flush chain and died before
            # publishing its tick. Publish the current one again (a duplicate of it just dies).
            info = state.flush_info(msg.batch_id)
            if info.get("active") == "1":
                due_s = countdown_s(rt.settings, float(info.get("due") or 0) - time.time())
                publish(flush_tick, [msg.batch_id, int(info.get("seq") or 0)], due_s)

    def publish(task: Task, args: list[Any], countdown: float | None = None) -> None:
        """A chain's next message, published even through a spell of refused writes: a chain whose next
        message is lost stops (until a flush tick or a worker's start finds it overdue)."""
        publish_through_refusals(
            lambda: task.apply_async(args=args, countdown=countdown), what="publish the next step"
        )

    @app.task(name=BATCH_FLUSH_TASK, bind=True, max_retries=None, shared=False)
    def flush_tick(self: Task, batch_id: str, number: int, resume: bool = False) -> None:
        with chain_context(batch_id):
            ride_out(lambda: flush_once(batch_id, number, resume))

    def flush_once(batch_id: str, number: int, resume: bool) -> None:
        rt, state, _ = parts()
        with state.lock(batch_id, "flush", lock_ttl_s(rt), current_holder()) as taken:
            if not taken:
                publish(flush_tick, [batch_id, number, resume], LOCK_BUSY_RETRY_S)
                return
            try:
                flush_step(rt, state, batch_id, number)
                start_idle_polls(state, batch_id, time.time(), 0.0 if resume else GRACE_S)
            except redis.RedisError:
                raise
            except Exception as exc:  # noqa: BLE001 - the chain must not end on a bug: try again later
                log.error("batch_flush_error", error_type=type(exc).__name__)
                publish(flush_tick, [batch_id, number, resume], rt.settings.retry_backoff_max_s)

    def flush_step(rt: Runtime, state: BatchState, batch_id: str, number: int) -> None:
        """The flush chain's step, when `number` may take it: group what is due, start the new groups'
        polls, then publish the next tick (before recording it) or stop when nothing is staged."""
        info = state.flush_info(batch_id)
        current = int(info.get("seq") or 0)
        if info.get("active") != "1" or not chain_may_run(current, number):
            return
        rules = rt.policies.routing.batch
        outcome = flush.flush(state, rt.store, batch_id, rules)
        for gid in outcome.groups:
            start_poll(state, batch_id, gid, 0.0)
        next_s = outcome.next_tick_s
        if next_s is None and not state.disarm_flush_if_empty(batch_id):
            next_s = rules.flush_idle_s  # staged meanwhile
        if next_s is not None:
            next_s = countdown_s(rt.settings, next_s)
            publish(flush_tick, [batch_id, number + 1], next_s)
            state.record_flush_tick(batch_id, number + 1, time.time() + next_s)

    def start_poll(state: BatchState, batch_id: str, gid: str, delay_s: float) -> None:
        """Publish the group's current poll again (or its first): a duplicate of a live one just dies."""
        current = int(state.group(batch_id, gid).get("poll_seq") or 0)
        publish(poll, [batch_id, gid, max(1, current)], delay_s)
        state.update_group(batch_id, gid, poll_due=repr(time.time() + delay_s))

    def start_idle_polls(state: BatchState, batch_id: str, now: float, grace_s: float) -> None:
        """Start the poll chain of every unfinished group that has none, or that is overdue."""
        for info in state.groups_info(batch_id):
            if info.get("state") == "done":
                continue
            due = info.get("poll_due")
            if due is None or float(due) + grace_s < now:
                log.info("batch_poll_restarted", group=info["gid"])
                start_poll(state, batch_id, info["gid"], 0.0)

    @app.task(name=BATCH_POLL_TASK, bind=True, max_retries=None, shared=False)
    def poll(self: Task, batch_id: str, gid: str, number: int) -> None:
        with chain_context(batch_id, group=gid):
            ride_out(lambda: poll_once(batch_id, gid, number))

    def poll_once(batch_id: str, gid: str, number: int) -> None:
        rt, state, provider = parts()
        with state.lock(batch_id, f"g:{gid}", lock_ttl_s(rt), current_holder()) as taken:
            if not taken:
                publish(poll, [batch_id, gid, number], LOCK_BUSY_RETRY_S)
                return
            group = state.group(batch_id, gid)
            if not chain_may_run(int(group.get("poll_seq") or 0), number):
                return  # a duplicate or a stale message: the chain carries on without it
            state.record_poll(batch_id, gid, number, time.time())
            delay = step(rt, state, provider, batch_id, gid, group)
            if delay is None:
                state.untrack_if_idle(batch_id)
                return
            delay = countdown_s(rt.settings, delay)
            publish(poll, [batch_id, gid, number + 1], delay)
            state.record_poll(batch_id, gid, number + 1, time.time() + delay)

    def step(
        rt: Runtime,
        state: BatchState,
        provider: BatchProvider,
        batch_id: str,
        gid: str,
        group: dict[str, str],
    ) -> float | None:
        """One poll of the group; an error schedules another with backoff, and enough permanent ones fail it."""
        try:
            delay = poller.step_group(rt, state, provider, dispatch, batch_id, gid)
        except redis.RedisError:
            raise
        except Exception as exc:  # noqa: BLE001 - a chain must never end on an error: retry, then give up
            errors = int(group.get("errors") or 0) + 1
            retryable = isinstance(exc, BackendError) and exc.retryable
            kind = exc.kind if isinstance(exc, BackendError) else f"internal_error:{type(exc).__name__}"
            log.warning("batch_poll_error", group=gid, error_type=kind, errors=errors)
            state.update_group(batch_id, gid, errors=errors)
            if not retryable and errors >= rt.settings.max_attempts:
                state.update_group(
                    batch_id,
                    gid,
                    state="finished",
                    provider_status="failed",
                    failure_kind="batch_error",
                    failure=kind,
                )
                return 0.0
            hint = getattr(exc, "retry_after_s", None) if retryable else None
            cap = rt.policies.routing.batch.poll_interval_max_s
            delay = backoff_s(errors, rt.settings.retry_backoff_s, cap, hint)
            # `turnout status` names the group's jobs as retrying, the error and the next try.
            note_retries(
                rt.store,
                batch_id,
                state.group_jobs(batch_id, gid),
                kind,
                RouteTarget.CLOUD_BATCH.value,
                provider.address,
                countdown_s(rt.settings, delay),
            )
            return delay
        if group.get("errors", "0") != "0":  # it went through again: no longer retrying
            clear_retries(rt.store, batch_id, state.group_jobs(batch_id, gid))
        state.update_group(batch_id, gid, errors=0)
        return delay

    def resume() -> None:
        """A worker that consumes cloud-batch starts: pick up every batch with unfinished batch work."""
        try:
            _, state, _ = parts()
            tracked = state.tracked()
            for batch_id in tracked:
                current = int(state.flush_info(batch_id).get("seq") or 0)
                flush_tick.apply_async(args=[batch_id, current, True])
            log.info("batch_work_resumed", batches=len(tracked))
        except redis.RedisError as exc:
            log.warning("batch_resume_failed", error_type=type(exc).__name__)

    def on_worker_ready(sender: Any = None, **_: Any) -> None:
        consumes = BATCH_QUEUE in app.amqp.queues.consume_from
        if consumes and getattr(sender, "app", None) is app:
            resume()

    # The signal holds its receivers weakly: the app keeps this one alive exactly as long as itself.
    app.turnout_batch_resume = on_worker_ready  # type: ignore[attr-defined]
    worker_ready.connect(on_worker_ready)


@contextmanager
def chain_context(batch_id: str, **ids: str) -> Iterator[None]:
    """Bind ids to log lines; requeue the message when Redis is unreachable (the chain must not end)."""
    with structlog.contextvars.bound_contextvars(batch_id=batch_id, **ids), requeue_when_store_down():
        yield
