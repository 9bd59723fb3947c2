"""What Flower shows: task states that match the job's outcome.

A task whose job failed for good ends as FAILURE, not SUCCESS, and a retried attempt stays RETRY
(`TurnoutTask`, the app's task class). The events themselves are Celery's, sent as Celery sends them.
"""

from __future__ import annotations

from typing import Any

from celery import Task

from worker.task_outcome import JobFailed, failed_kind

__all__ = ["RETRY_MARK", "TurnoutTask", "next_attempt_id"]

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
