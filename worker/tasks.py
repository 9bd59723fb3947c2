"""The Celery tasks: parse the message, call a pipeline function, map its exceptions to retry or fail."""

from __future__ import annotations

import random
from collections.abc import Callable

import structlog
from celery import Celery, Task

from worker import pipeline
from worker.celery_app import CLASSIFY_TASK, CLOUD_TASK, LOCAL_TASK
from worker.errors import PermanentBackendError, RetryableBackendError
from worker.runtime import Runtime
from worker.schema import JobMessage, RouteTarget

log = structlog.get_logger("turnout.tasks")

NEXT_TASK = {RouteTarget.LOCAL: LOCAL_TASK, RouteTarget.CLOUD: CLOUD_TASK}


def retry_delay_s(retries: int, hint_s: float | None, base_s: float, cap_s: float) -> float:
    """Exponential backoff with full jitter, never sooner than the server asked."""
    backoff = random.uniform(0, min(cap_s, base_s * 2**retries))
    return max(backoff, hint_s or 0.0)


def register_tasks(app: Celery, runtime: Callable[[], Runtime]) -> None:
    @app.task(name=CLASSIFY_TASK, bind=True)
    def classify(self: Task, message: dict[str, object]) -> None:
        msg = JobMessage.model_validate(message)
        with structlog.contextvars.bound_contextvars(batch_id=msg.batch_id, job_id=msg.job_id):
            target = pipeline.classify_job(runtime(), msg)
            if target is not None:
                self.app.send_task(NEXT_TASK[target], args=[message], task_id=f"{target.value}:{msg.job_id}")

    def execute(self: Task, message: dict[str, object], target: RouteTarget) -> None:
        msg = JobMessage.model_validate(message)
        rt = runtime()
        with structlog.contextvars.bound_contextvars(batch_id=msg.batch_id, job_id=msg.job_id):
            try:
                pipeline.execute_job(rt, msg, target)
            except PermanentBackendError as exc:
                pipeline.fail_job(rt, msg, exc)
            except RetryableBackendError as exc:
                settings = rt.settings
                if self.request.retries + 1 >= settings.max_attempts:
                    pipeline.fail_job(rt, msg, exc)
                    return
                delay = retry_delay_s(
                    self.request.retries,
                    exc.retry_after_s,
                    settings.retry_backoff_s,
                    settings.retry_backoff_max_s,
                )
                log.info(
                    "job_retry_scheduled",
                    error_type=exc.kind,
                    retries=self.request.retries,
                    delay_s=round(delay, 2),
                )
                raise self.retry(countdown=delay, max_retries=None) from None

    @app.task(name=LOCAL_TASK, bind=True)
    def run_local(self: Task, message: dict[str, object]) -> None:
        execute(self, message, RouteTarget.LOCAL)

    @app.task(name=CLOUD_TASK, bind=True)
    def run_cloud(self: Task, message: dict[str, object]) -> None:
        execute(self, message, RouteTarget.CLOUD)
