"""How a task tells Celery (and so Flower) that its job failed for good, from the stage that recorded it.

The stages (worker/pipeline.py) record a failure and return; the task's class (worker/celery_events.py's
TurnoutTask) reads the note afterwards and ends the task as FAILURE. A leaf module, so both may import it.
"""

from __future__ import annotations

from contextvars import ContextVar

__all__ = ["JobFailed", "failed_kind", "job_failed"]


class JobFailed(Exception):  # noqa: N818 - it names what the task reports, as Flower shows it
    """Raised by a task once its job's failure is recorded, so the task ends as FAILURE in Flower (with the
    error's kind, never its message) instead of a green SUCCESS. Celery acknowledges the message: the
    job has its result. Tasks list it in `throws`, so the worker logs one line, not a traceback."""

    def __init__(self, kind: str):
        super().__init__(f"job failed: {kind}")


# The kind of the failure this task execution recorded for its job (each thread and process its own).
failed_kind: ContextVar[str | None] = ContextVar("turnout_failed_kind", default=None)


def job_failed(kind: str) -> None:
    """Note that the running task has recorded its job's failure (worker/pipeline.py's fail_job)."""
    failed_kind.set(kind)
