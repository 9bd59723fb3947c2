"""The Celery tasks: parse the message, call a pipeline function, map its exceptions to retry or fail.

Every task ends in one of: done, a scheduled retry, a move to another queue, a recorded failure, or a
reject-and-requeue when the store itself is unreachable. Nothing escapes to Celery's ack-on-failure, which
would silently drop the job. A Redis that refuses writes (full, read-only) is waited out in place, with
backoff: a retry or a re-queue would be a write too, and Celery drops a job whose retry it can't publish.
A stage that finds the job's text or record missing fails the job with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import kombu.exceptions
import redis
import structlog
from celery import Celery, Task
from celery.exceptions import Reject, Retry

from worker import pipeline
from worker.budget.gate import BudgetExhausted
from worker.budget.policy import on_exhausted
from worker.errors import (
    BackendError,
    JoinPending,
    NoBackendAvailable,
    PermanentBackendError,
    RetryableBackendError,
)
from worker.liveness import ROUTE_TASK, Liveness
from worker.queues import CLASSIFY_TASK, CLOUD_TASK, LOCAL_TASK, SECOND_LINE_TASK
from worker.retry import backoff_s, countdown_s, job_context
from worker.retry_notes import note_retry
from worker.runtime import Runtime
from worker.schema import JobMessage, RouteTarget
from worker.second_line import CheckStage
from worker.second_line_stage import check_job
from worker.store import MissingRecord
from worker.store_refusal import ride_out_refusals

log = structlog.get_logger("turnout.tasks")

T = TypeVar("T")

# The cloud-batch route's collect task lives in worker/batch/tasks.py; the second line's check runs on the
# local pool (worker/second_line_stage.py).
NEXT_TASK: dict[RouteTarget | CheckStage, str] = {CheckStage.SECOND_LINE: SECOND_LINE_TASK}
NEXT_TASK.update(ROUTE_TASK.items())


def retry_delay(rt: Runtime, msg: JobMessage, error: BackendError, retries: int) -> float | None:
    """When to try again, or None to give up on this route.

    No backend available is not a failed attempt: the job waits (bounded by `backend_wait_max_s`) for a
    host to come back. Other retryable errors get `max_attempts` real attempts with backoff.
    """
    settings = rt.settings
    if isinstance(error, NoBackendAvailable):
        waited_s = rt.store.waited_for_backend_s(msg.batch_id, msg.job_id)
        if waited_s >= settings.backend_wait_max_s:
            error.args = (f"{error.args[0]}; gave up after waiting {waited_s:.0f}s",)
            return None
        # The delivery only waited: it must not count toward the poison limit, or a job waiting out a
        # long outage would be dead-lettered after max_deliveries short waits, long before the wait bound.
        rt.store.cancel_delivery(msg.batch_id, msg.job_id)
        return max(error.retry_after_s or 0.0, settings.retry_backoff_s)
    if not error.retryable:
        return None
    attempts = rt.store.job(msg.batch_id, msg.job_id).attempts
    if attempts >= settings.max_attempts:
        return None
    hint = getattr(error, "retry_after_s", None)
    return backoff_s(retries, settings.retry_backoff_s, settings.retry_backoff_max_s, hint)


def ride_out(body: Callable[[], None]) -> None:
    """Run a stage's body, again from the start while Redis refuses its writes (each stage is safe to run
    again: re-deliveries already do). The job stays with this worker meanwhile, unacknowledged."""
    ride_out_refusals(body, what="run the job")


def or_fail_missing(rt: Runtime, msg: JobMessage, body: Callable[[], None]) -> None:
    """Run a stage's body; if something it needs is not in Redis, fail the job with the reason."""
    try:
        body()
    except MissingRecord as exc:
        pipeline.fail_missing(rt, msg, exc)


def _redis_error_in(exc: BaseException | None) -> redis.RedisError | None:
    """The Redis error behind a failed publish: Celery raises kombu's OperationalError with it as the
    cause (and a failed retry's Reject carries that as its reason)."""
    while exc is not None:
        if isinstance(exc, redis.RedisError):
            return exc
        exc = (
            exc.reason if isinstance(exc, Reject) and isinstance(exc.reason, BaseException) else exc.__cause__
        )
    return None


def publish(send: Callable[[], T], *, what: str) -> T:
    """Publish through Celery (`send_task`, `apply_async`, `retry`) even through a spell of refused writes.

    A failed publish surfaces as its Redis error: a refusal is waited out here, and any other (Redis
    down) reaches the task's `requeue_when_store_down`, so the job is re-queued. Left as kombu's
    OperationalError, it would escape the task, and Celery acknowledges, i.e. drops, such a job."""

    def once() -> T:
        try:
            return send()
        except (kombu.exceptions.OperationalError, Reject) as exc:
            cause = _redis_error_in(exc)
            if cause is None:
                raise
            raise cause from None

    return ride_out_refusals(once, what=what)


def retry_later(task: Task, countdown_s: float) -> Retry:
    """`task.retry`, published even through a spell of refused writes: Celery acknowledges, i.e. drops,
    a job whose retry message it could not publish (it raises Reject(requeue=False))."""
    return publish(lambda: task.retry(countdown=countdown_s, throw=False), what="schedule a retry")


def register_tasks(app: Celery, runtime: Callable[[], Runtime]) -> None:
    def forward(
        task: Task, target: RouteTarget | CheckStage | None, message: dict[str, object], msg: JobMessage
    ) -> None:
        """Send the job to its next queue, after the stage that decided it has recorded why.

        The stages return where a job goes next; this is the one place that sends it. The message keeps
        the priority it was delivered with (its batch's). Once it is out, this stage lets go of the job
        (worker/liveness.py), unless the next stage has received it already. Dying in between is safe:
        a job held by a dead worker is re-issued (its first message then runs nothing, being older than
        the job's generation), and one handed on whose message is nowhere is re-issued too."""
        if target is None:
            return
        job_id = msg.job_id
        priority = (task.request.delivery_info or {}).get("priority")

        def send() -> None:  # publishing twice is harmless: the job records one result
            app.send_task(
                NEXT_TASK[target],
                args=[message],
                task_id=f"{target.value}:{job_id}",
                priority=priority,
                # What Flower shows as the args: the message holds ids only, so its plain repr is what
                # Celery's saferepr would write, at 2 us instead of 50.
                argsrepr=repr([message]),
                kwargsrepr="{}",
            )
            # Handed on: this stage no longer holds the job (unless the next one has it already).
            runtime().store.one_trip(
                lambda pipe: Liveness.hand_on(pipe, msg.batch_id, job_id, task.name, msg.generation)
            )

        publish(send, what="forward the job")

    # max_retries=None: a job joining one in flight waits by retries as long as that one runs.
    @app.task(name=CLASSIFY_TASK, bind=True, max_retries=None, shared=False)
    def classify(self: Task, message: dict[str, object]) -> None:
        with job_context(message) as msg:
            rt = runtime()
            ride_out(lambda: or_fail_missing(rt, msg, lambda: classify_once(rt, self, msg, message)))

    def classify_once(rt: Runtime, task: Task, msg: JobMessage, message: dict[str, object]) -> None:
        try:
            target: RouteTarget | CheckStage | None = pipeline.classify_job(
                rt, msg, retries=task.request.retries
            )
        except JoinPending as pending:  # an identical job runs: look again later (worker/joining.py)
            rt.store.cancel_delivery(msg.batch_id, msg.job_id)  # a wait, not a delivery towards poison
            raise retry_later(task, countdown_s(rt.settings, pending.wait_s)) from None
        except (redis.RedisError, MissingRecord):
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must fail the job with its reason, never drop it
            # Only the type: exception messages can quote the input (document text).
            log.error("job_internal_error", stage="classify", error_type=type(exc).__name__)
            pipeline.fail_job(
                rt,
                msg,
                PermanentBackendError(f"internal error: {type(exc).__name__}", kind="internal_error"),
            )
            return
        forward(task, target, message, msg)

    # On the local pool: the check is a local model call (worker/second_line_stage.py).
    @app.task(name=SECOND_LINE_TASK, bind=True, max_retries=None, shared=False)
    def second_line(self: Task, message: dict[str, object]) -> None:
        with job_context(message) as msg:
            rt = runtime()
            ride_out(lambda: or_fail_missing(rt, msg, lambda: second_line_once(rt, self, msg, message)))

    def second_line_once(rt: Runtime, task: Task, msg: JobMessage, message: dict[str, object]) -> None:
        try:
            target = check_job(rt, msg)
        except (redis.RedisError, MissingRecord):
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must fail the job with its reason, never drop it
            # Only the type: exception messages can quote the input (document text).
            log.error("job_internal_error", stage="second_line", error_type=type(exc).__name__)
            pipeline.fail_job(
                rt,
                msg,
                PermanentBackendError(f"internal error: {type(exc).__name__}", kind="internal_error"),
            )
            return
        forward(task, target, message, msg)

    def execute(self: Task, message: dict[str, object], target: RouteTarget) -> None:
        with job_context(message) as msg:
            rt = runtime()
            ride_out(lambda: or_fail_missing(rt, msg, lambda: execute_once(self, rt, msg, message, target)))

    def execute_once(
        self: Task, rt: Runtime, msg: JobMessage, message: dict[str, object], target: RouteTarget
    ) -> None:
        error: BackendError
        try:
            pipeline.execute_job(rt, msg, target)
            return
        except BackendError as exc:
            error = exc
        except (redis.RedisError, MissingRecord):
            raise
        except Exception as exc:  # noqa: BLE001 - a bug or an unexpected reply: bounded retries, then fail
            # Only the type: exception messages can quote the input (document text).
            log.error("job_internal_error", error_type=type(exc).__name__)
            error = RetryableBackendError(f"internal error: {type(exc).__name__}", kind="internal_error")
        if isinstance(error, BudgetExhausted):  # a cap refused the call: wait, hold, go local or fail
            decided = on_exhausted(rt, msg, error, self.request.retries)
            if decided.retry_in_s is not None:
                raise retry_later(self, decided.retry_in_s)
            if decided.failure is not None:
                pipeline.fail_job(rt, msg, decided.failure)
            forward(self, decided.target, message, msg)
            return
        delay = retry_delay(rt, msg, error, self.request.retries)
        if delay is not None:
            # A server's long Retry-After must not outlive the visibility timeout.
            delay = countdown_s(rt.settings, delay)
            log.info(
                "job_retry_scheduled",
                error_type=error.kind,
                retries=self.request.retries,
                delay_s=round(delay, 2),
            )
            note_retry(rt.store, msg.batch_id, msg.job_id, error, target.value, delay)  # for status
            raise retry_later(self, delay)
        forward(self, pipeline.give_up_on_route(rt, msg, error), message, msg)

    @app.task(name=LOCAL_TASK, bind=True, max_retries=None, shared=False)
    def run_local(self: Task, message: dict[str, object]) -> None:
        execute(self, message, RouteTarget.LOCAL)

    @app.task(name=CLOUD_TASK, bind=True, max_retries=None, shared=False)
    def run_cloud(self: Task, message: dict[str, object]) -> None:
        execute(self, message, RouteTarget.CLOUD)
