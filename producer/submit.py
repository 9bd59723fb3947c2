"""Submission: stream documents from the loaders into the store and the classify queue, in chunks.

The entry points: a new batch (its options on the manifest before the first job), a resumed one, and
the back-pressure window; the run itself is producer/submission.py.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from celery import Celery

from producer.loaders import LoadedDocument, Rejection
from producer.names import escape_name
from producer.submission import (
    NothingAccepted,
    Submission,
    SubmitError,
    SubmitSummary,
    WaitProgress,
    all_rejected,
    job_id_of,
)
from worker.flow.priority import Priority
from worker.routing import BatchHints, batch_reason, load_routing_policy
from worker.schema import Sensitivity, SubmitOptions, TaskSpec
from worker.settings import Settings
from worker.store import BatchManifest, Store

if TYPE_CHECKING:
    from producer.calibrate import Calibration

__all__ = [
    "NothingAccepted",
    "SubmitError",
    "SubmitSummary",
    "WaitProgress",
    "new_batch_id",
    "resumable",
    "resume_submission",
    "submission_window",
    "submit_batch",
]


def new_batch_id() -> str:
    return time.strftime("b%Y%m%d-%H%M%S-", time.gmtime()) + secrets.token_hex(3)


def submit_batch(
    store: Store,
    app: Celery,
    documents: Iterable[LoadedDocument | Rejection],
    task: TaskSpec,
    *,
    floor: Sensitivity | None = None,
    batch_id: str | None = None,
    force: bool = False,
    priority: Priority = Priority.NORMAL,
    on_progress: Callable[[SubmitSummary], None] | None = None,
    on_created: Callable[[str], None] | None = None,
    deadline_s: float | None = None,
    cloud_share: Calibration | None = None,
    max_cost_usd: Decimal | None = None,
    inputs: tuple[str, ...] = (),
    text_field: str | None = None,
    max_in_flight: int | None = None,
    on_wait: WaitProgress | None = None,
) -> SubmitSummary:
    """Create a batch and enqueue one classify message per document; rejections become results at once.

    `jobs` counts every document including rejected ones: each ends in exactly one terminal state.
    A document already processed successfully for the same task is not run (nor billed) again: its
    earlier result is reused, unless `force`; one whose identical job is still in flight in another batch
    joins that job and takes its result (worker/joining.py), unless `force`. `deadline_s` (`--deadline`)
    lets cloud-bound jobs use the Batch API; `max_cost_usd` (`--max-cost-usd`) caps the batch's cloud
    spend (docs/budgets.md).

    Every option, and where the documents came from (`inputs`, read from the current directory with
    `text_field`), is written on the manifest before the first job, so `resume_submission` carries on
    with exactly these. The batch is created with its first accepted document (`on_created` is told
    then); when every input is rejected, no batch is left behind and `NothingAccepted` is raised.

    Back-pressure: with `max_in_flight` (`TURNOUT_MAX_IN_FLIGHT_JOBS`), a chunk of documents is stored
    only when the batch's unfinished jobs leave room for it, so Redis holds at most that many of the
    batch's texts however large the corpus; `on_wait` is told while the submission waits.
    """
    options = SubmitOptions(
        floor=floor,
        priority=priority.name.lower(),  # type: ignore[arg-type]  # a Priority's name is one of the three
        deadline_s=deadline_s,
        max_cost_usd=str(max_cost_usd) if max_cost_usd is not None else None,
        cloud_share_target=cloud_share.target_share if cloud_share is not None else None,
        cloud_min_score=cloud_share.threshold if cloud_share is not None else None,
        force=force,
        inputs=tuple(escape_name(path) for path in inputs),
        cwd=escape_name(os.getcwd()) if inputs else None,
        text_field=text_field,
    )
    submission = Submission(
        store, app, batch_id or new_batch_id(), task, options, on_progress, max_in_flight, on_wait
    )
    summary = submission.stream(documents, on_created=on_created)
    if summary.accepted == 0:
        raise NothingAccepted(
            f"nothing accepted: {all_rejected(summary.jobs)} (recorded in batch {summary.batch_id})",
            summary,
            batch_created=True,
        )
    return summary


def submission_window(settings: Settings, task: TaskSpec, deadline_s: float | None) -> int | None:
    """The back-pressure window of a submission (TURNOUT_MAX_IN_FLIGHT_JOBS), or None when its cloud-bound
    jobs may take the Batch API (`--deadline`, the task, or bulk size by routing.yaml's `batch:`): those
    stay unfinished while a provider batch fills and runs (hours), so a window would hold the rest of the
    corpus back past the deadline. (A batch too small to be bulk never fills a window anyway.)"""
    rules = load_routing_policy(settings.routing_file()).batch
    hints = BatchHints(task=task.kind, deadline_s=deadline_s, jobs=rules.bulk_min_jobs or 0)
    return None if batch_reason(rules, hints) is not None else settings.max_in_flight_jobs


def resumable(store: Store, batch_id: str) -> BatchManifest:
    """The manifest of a batch whose submission was interrupted, or a SubmitError saying why not."""
    try:
        manifest = store.manifest(batch_id)
    except KeyError:
        raise SubmitError(f"no batch {batch_id!r} to resume") from None
    if manifest.jobs_expected is not None:
        raise SubmitError(f"batch {batch_id} was submitted completely; nothing to resume")
    if manifest.options is None:
        raise SubmitError(
            f"batch {batch_id} was created by an older Turnout that did not record its options "
            "(floor, priority, ...); it cannot be resumed safely: submit its documents again"
        )
    return manifest


def resume_submission(
    store: Store,
    app: Celery,
    manifest: BatchManifest,
    documents: Iterable[LoadedDocument | Rejection],
    *,
    on_progress: Callable[[SubmitSummary], None] | None = None,
    max_in_flight: int | None = None,
    on_wait: WaitProgress | None = None,
) -> SubmitSummary:
    """Finish an interrupted submission with the task and options on its manifest (see `resumable`).

    First the jobs the killed producer stored but left unfinished are finished (rejections recorded,
    results reused, messages sent); then the documents after the last stored one are submitted: the
    loaders yield them in a deterministic order, so the first `submitted_count` are skipped.
    """
    assert manifest.options is not None  # resumable() refused a manifest without them
    submission = Submission(
        store, app, manifest.batch_id, manifest.task, manifest.options, on_progress, max_in_flight, on_wait
    )
    submission.created = True
    submission.finish(list(store.unfinished_jobs(manifest.batch_id)))
    stored = store.submitted_count(manifest.batch_id)
    last = store.job(manifest.batch_id, job_id_of(manifest.batch_id, stored)).source if stored else None
    return submission.stream(documents, skip=stored, last_skipped=last)
