"""The Celery tasks: parse the message, call a pipeline function, map its exceptions to retry or fail.

Every task ends in one of: done, a scheduled retry, a move to another queue, a recorded failure, or a
reject-and-requeue when the store itself is unreachable. Nothing escapes to Celery's ack-on-failure, which
would silently drop the job.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
import structlog
from celery import Celery, Task
from celery.exceptions import Reject

from worker import pipeline
from worker.celery_app import CLASSIFY_TASK, CLOUD_TASK, LOCAL_TASK
from worker.errors import BackendError, PermanentBackendError, RetryableBackendError
from worker.runtime import Runtime
from worker.schema import JobMessage, RouteTarget

log = structlog.get_logger("turnout.tasks")

NEXT_TASK = {RouteTarget.LOCAL: LOCAL_TASK, RouteTarget.CLOUD: CLOUD_TASK}
STORE_DOWN_PAUSE_S = 1.0


def retry_delay_s(retries: int, hint_s: float | None, base_s: float, cap_s: float) -> float:
    """Exponential backoff with full jitter, never sooner than the server asked."""
    backoff = random.uniform(0, min(cap_s, base_s * 2**retries))
    return max(backoff, hint_s or 0.0)


@contextmanager
def job_context(message: dict[str, object]) -> Iterator[JobMessage]:
    """Bind the job's ids to every log line; requeue the message when Redis is unreachable."""
    msg = JobMessage.model_validate(message)
    with structlog.contextvars.bound_contextvars(batch_id=msg.batch_id, job_id=msg.job_id):
        try:
            yield msg
        except redis.RedisError as exc:
            # We can record nothing now. Requeue (or, if Redis is down, leave the message unacknowledged:
            # it is re-delivered after the visibility timeout). A short pause avoids a hot loop.
            log.warning("store_unavailable", error_type=type(exc).__name__)
            time.sleep(STORE_DOWN_PAUSE_S)
            raise Reject(reason="store unavailable", requeue=True) from None


def register_tasks(app: Celery, runtime: Callable[[], Runtime]) -> None:
    def forward(target: RouteTarget | None, message: dict[str, object], job_id: str) -> None:
        if target is not None:
            app.send_task(NEXT_TASK[target], args=[message], task_id=f"{target.value}:{job_id}")

    @app.task(name=CLASSIFY_TASK, bind=True)
    def classify(self: Task, message: dict[str, object]) -> None:
        with job_context(message) as msg:
            forward(pipeline.classify_job(runtime(), msg), message, msg.job_id)

    def execute(self: Task, message: dict[str, object], target: RouteTarget) -> None:
        with job_context(message) as msg:
            rt = runtime()
            settings = rt.settings
            error: BackendError
            try:
                pipeline.execute_job(rt, msg, target)
                return
            except PermanentBackendError as exc:
                error = exc
            except RetryableBackendError as exc:
                error = exc
            except redis.RedisError:
                raise
            except Exception as exc:  # noqa: BLE001 - a bug or an unexpected reply: bounded retries, then fail
                # Only the type: exception messages can quote the input (document text).
                log.error("job_internal_error", error_type=type(exc).__name__)
                error = RetryableBackendError(f"internal error: {type(exc).__name__}", kind="internal_error")
            if error.retryable and self.request.retries + 1 < settings.max_attempts:
                hint = getattr(error, "retry_after_s", None)
                delay = retry_delay_s(
                    self.request.retries, hint, settings.retry_backoff_s, settings.retry_backoff_max_s
                )
                log.info(
                    "job_retry_scheduled",
                    error_type=error.kind,
                    retries=self.request.retries,
                    delay_s=round(delay, 2),
                )
                raise self.retry(countdown=delay, max_retries=None)
            forward(pipeline.give_up_on_route(rt, msg, error), message, msg.job_id)

    @app.task(name=LOCAL_TASK, bind=True)
    def run_local(self: Task, message: dict[str, object]) -> None:
        execute(self, message, RouteTarget.LOCAL)

    @app.task(name=CLOUD_TASK, bind=True)
    def run_cloud(self: Task, message: dict[str, object]) -> None:
        execute(self, message, RouteTarget.CLOUD)
