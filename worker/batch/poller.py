"""One group's way through the provider: upload, create, poll, then join the results back to the jobs.

`step_group` advances the group's state machine as far as it can now and says when to look again:

    prepared -> uploading -> uploaded -> creating -> submitted -> finished -> done
    (oversized: a request too big for any file; it goes straight to finished, failed)

Every step can be repeated after a crash: an upload or a create whose answer we may have lost is looked
up at the provider before it is made again, so no provider batch is ever submitted twice. Joining is
idempotent too: answers are stored under the call they answer, results are recorded once.
"""

from __future__ import annotations

import time
from typing import Protocol

import structlog

from worker.backends.base import Completion
from worker.batch.calls import BatchCalls
from worker.batch.collector import fail_with_costs
from worker.batch.jsonl import Answered, Outcome, Unanswered, parse_results
from worker.batch.provider import BatchProvider, StagedRequest
from worker.budget.batch import release_unsent, settle_joined
from worker.calls import dump_completion
from worker.errors import BackendError, PermanentBackendError, SensitiveDataBlocked
from worker.pipeline import fail_job
from worker.privacy import guard_cloud
from worker.routing import fallback
from worker.runtime import Runtime
from worker.schema import JobMessage, RouteTarget, Usage
from worker.store.batch_route import GROUP_DONE, BatchState

log = structlog.get_logger("turnout.batch")

MISSING_KIND = {
    "expired": "batch_expired",
    "cancelled": "batch_cancelled",
    "failed": "batch_failed",
    "completed": "batch_missing_result",
}


class Dispatch(Protocol):
    """How the poller hands jobs on (Celery messages in the workers, a recorder in tests)."""

    def advance(self, batch_id: str, job_ids: list[str]) -> None: ...

    def reroute(self, target: RouteTarget, batch_id: str, job_id: str) -> None: ...


def step_group(
    rt: Runtime, state: BatchState, provider: BatchProvider, dispatch: Dispatch, batch_id: str, gid: str
) -> float | None:
    """Advance one group as far as possible now; returns seconds until the next poll, or None when done."""
    rules = rt.policies.routing.batch
    while True:
        group = state.group(batch_id, gid)
        status = group.get("state")
        if status in (None, GROUP_DONE):
            return None
        if status == "oversized":
            _failed(state, batch_id, gid, "batch_request_too_large", "the request exceeds max_bytes_per_file")
        elif status in ("prepared", "uploading"):
            _upload(rt, state, provider, batch_id, gid, group)
        elif status in ("uploaded", "creating"):
            _create(state, provider, batch_id, gid, group)
            if state.group(batch_id, gid).get("state") == "submitted":
                return rules.poll_interval_s
        elif status == "submitted":
            batch = provider.retrieve(group["provider_batch_id"])
            state.update_group(
                batch_id,
                gid,
                provider_status=batch.status,
                total=batch.total,
                completed=batch.completed,
                failed=batch.failed,
            )
            if not batch.terminal:
                wait_s = float(group.get("poll_interval") or rules.poll_interval_s)
                state.update_group(batch_id, gid, poll_interval=min(wait_s * 2, rules.poll_interval_max_s))
                return wait_s
            log.info("batch_provider_finished", group=gid, provider_status=batch.status, failed=batch.failed)
            state.update_group(
                batch_id,
                gid,
                state="finished",
                output_file_id=batch.output_file_id or "",
                error_file_id=batch.error_file_id or "",
                failure_kind=MISSING_KIND.get(batch.status, "batch_failed"),
                failure=("; ".join(batch.errors) or f"provider batch {batch.status}")[:500],
            )
        elif status == "finished":
            _join(rt, state, provider, dispatch, batch_id, gid, group)
            return None
        else:
            raise PermanentBackendError(f"group {gid} in unknown state {status!r}", kind="batch_state")


def _failed(state: BatchState, batch_id: str, gid: str, kind: str, reason: str) -> None:
    state.update_group(
        batch_id, gid, state="finished", provider_status="failed", failure_kind=kind, failure=reason
    )
    log.warning("batch_group_failed", group=gid, error_type=kind)


def _upload(
    rt: Runtime, state: BatchState, provider: BatchProvider, batch_id: str, gid: str, group: dict[str, str]
) -> None:
    jobs = state.group_jobs(batch_id, gid)
    members = state.group_members(batch_id, gid)
    requests, orphans = _sendable(rt, state, batch_id, jobs, members)
    # Orphans (their staged request is gone) stay in the group: unanswered at the join, they fall back.
    state.keep_group_jobs(batch_id, gid, [r.custom_id for r in requests] + orphans)
    if not requests:
        if orphans:
            _failed(state, batch_id, gid, "batch_request_lost", "the staged request was not found")
        else:
            state.update_group(batch_id, gid, state=GROUP_DONE)
        state.drop_lines(batch_id, list(members.values()))
        return
    filename = f"turnout-{batch_id}-{gid}.jsonl"
    file_id = None
    if group.get("state") == "uploading":  # a previous try may have uploaded it before it died
        file_id = provider.find_file(filename, since=float(group["upload_intent_at"]))
    if file_id is None:
        state.update_group(batch_id, gid, state="uploading", upload_intent_at=repr(time.time()))
        try:
            file_id = provider.upload(filename, requests)
        except PermanentBackendError as exc:
            _failed(state, batch_id, gid, "batch_upload_failed", str(exc))
            return
    state.update_group(batch_id, gid, state="uploaded", file_id=file_id, filename=filename)
    state.drop_lines(batch_id, list(members.values()))
    log.info("batch_file_uploaded", group=gid, requests=len(requests))


def _sendable(
    rt: Runtime, state: BatchState, batch_id: str, job_ids: list[str], members: dict[str, str]
) -> tuple[list[StagedRequest], list[str]]:
    """The group's requests that may go, re-checked against the store right before the upload; and the
    jobs still waiting whose staged request is gone."""
    store = rt.store
    staged = state.staged_lines(batch_id, [members.get(j, j) for j in job_ids])
    requests: list[StagedRequest] = []
    orphans: list[str] = []
    unsent: list[str] = []  # jobs whose request will not go: their budget reservations go back
    for job_id, entry in zip(job_ids, staged, strict=True):
        if store.has_result(batch_id, job_id):
            unsent.append(job_id)
            continue
        job = store.job(batch_id, job_id)
        if job.tags is None or job.route is None or job.route.target is not RouteTarget.CLOUD_BATCH:
            unsent.append(job_id)
            continue  # moved on meanwhile
        try:
            # Defence in depth: the router never sends these here; if one arrives anyway, it never leaves.
            guard_cloud(job_id, job.tags.sensitivity, "the batch API")
        except SensitiveDataBlocked as blocked:
            fail_job(rt, JobMessage(job_id=job_id, batch_id=batch_id), blocked)
            unsent.append(job_id)
            continue
        if entry is None:
            orphans.append(job_id)
            continue
        requests.append(
            StagedRequest(custom_id=job_id, sensitivity=job.tags.sensitivity, body=entry["line"]["body"])
        )
    release_unsent(rt, batch_id, [(j, members[j].split(" ", 1)[1]) for j in unsent if j in members])
    return requests, orphans


def _create(
    state: BatchState, provider: BatchProvider, batch_id: str, gid: str, group: dict[str, str]
) -> None:
    metadata = {"turnout_batch": batch_id, "turnout_group": gid}
    file_id = group["file_id"]
    batch = None
    if group.get("state") == "creating":  # a previous try may have created it before it died
        batch = provider.find_batch(file_id, metadata, since=float(group["create_intent_at"]))
    if batch is None:
        state.update_group(batch_id, gid, state="creating", create_intent_at=repr(time.time()))
        try:
            batch = provider.create(file_id, metadata)
        except PermanentBackendError as exc:
            _failed(state, batch_id, gid, "batch_create_failed", str(exc))
            return
    state.update_group(
        batch_id,
        gid,
        state="submitted",
        provider_batch_id=batch.id,
        provider_status=batch.status,
        total=batch.total,
        submitted_at=repr(time.time()),
    )
    log.info("batch_submitted_to_provider", group=gid, provider_batch=batch.id, requests=batch.total)


def _join(
    rt: Runtime,
    state: BatchState,
    provider: BatchProvider,
    dispatch: Dispatch,
    batch_id: str,
    gid: str,
    group: dict[str, str],
) -> None:
    """Store every answer under the call it answers, hand the jobs on, and settle the unanswered ones."""
    outcomes: dict[str, Outcome] = {}
    for file_id in (group.get("output_file_id"), group.get("error_file_id")):
        if file_id:
            outcomes.update(parse_results(provider.download(file_id)))
    default = Unanswered(kind=group.get("failure_kind") or "batch_failed", message=group.get("failure") or "")
    calls = state.group_calls(batch_id, gid)
    jobs = state.group_jobs(batch_id, gid)
    state.drop_lines(batch_id, list(state.group_members(batch_id, gid).values()))  # if never uploaded
    submitted_at = float(group.get("submitted_at") or time.time())
    latency_ms = round((time.time() - submitted_at) * 1000, 3)
    answered: list[str] = []
    unanswered: list[tuple[str, Unanswered]] = []
    billed: list[tuple[str, str, str, Usage]] = []  # budgets: (job, field, model, usage) to settle
    saved: dict[str, tuple[str, str]] = {}  # job -> (call field, answer), stored in one round trip
    for job_id in jobs:
        outcome = outcomes.get(job_id, default)
        call = calls.get(job_id)
        if isinstance(outcome, Answered) and call:
            field, model = call
            answer = Completion(outcome.output, outcome.usage, model, provider.backend, latency_ms)
            saved[job_id] = (field, dump_completion(answer))
            answered.append(job_id)
            billed.append((job_id, field, model, outcome.usage))
        else:
            unanswered.append((job_id, outcome if isinstance(outcome, Unanswered) else default))
    state.save_answers(batch_id, saved)
    # Before the jobs move on: a re-batched request books its reservation again under the same id.
    unbilled = [(job_id, calls[job_id][0]) for job_id, _ in unanswered if job_id in calls]
    settle_joined(rt, batch_id, billed, unbilled)
    dispatch.advance(batch_id, answered)
    for job_id, outcome in unanswered:
        call = calls.get(job_id)
        settle_unanswered(rt, state, dispatch, batch_id, job_id, call[0] if call else None, outcome)
    state.update_group(batch_id, gid, state=GROUP_DONE, finished_at=repr(time.time()))
    log.info("batch_group_joined", group=gid, answered=len(answered), unanswered=len(unanswered))
    for file_id in (group.get("file_id"), group.get("output_file_id"), group.get("error_file_id")):
        if file_id:
            try:
                provider.delete_file(file_id)  # the provider keeps files (and their text) until deleted
            except BackendError as exc:
                log.warning("batch_file_not_deleted", group=gid, error_type=exc.kind)
    state.untrack_if_idle(batch_id)


def settle_unanswered(
    rt: Runtime,
    state: BatchState,
    dispatch: Dispatch,
    batch_id: str,
    job_id: str,
    field: str | None,
    outcome: Unanswered,
) -> None:
    """A request that failed, expired or was cancelled: fall back by policy, re-batch, or fail."""
    store = rt.store
    if store.has_result(batch_id, job_id):
        return
    job = store.job(batch_id, job_id)
    if job.tags is None or job.route is None or job.route.target is not RouteTarget.CLOUD_BATCH:
        return
    error = PermanentBackendError(
        outcome.message or outcome.kind, kind=outcome.kind, status_code=outcome.status_code
    )
    if BatchCalls(state, job).answered:
        # Earlier calls of this job were answered (and billed) in batch: moving it would pay for them
        # again, so its open call goes into the next provider batch, within the job's attempts.
        if field is not None and job.attempts < rt.settings.max_attempts:
            state.unstage(batch_id, job_id, field)
            dispatch.advance(batch_id, [job_id])
        else:
            fail_with_costs(rt, state, job, error)
        return
    moved = fallback(job.tags, job.route, rt.policies.routing, rt.availability)
    if moved is None:
        fail_job(rt, JobMessage(job_id=job_id, batch_id=batch_id), error)
        return
    store.reroute(batch_id, job_id, moved)
    log.warning(
        "job_fallback",
        from_route=job.route.target.value,
        to_route=moved.target.value,
        error_type=outcome.kind,
    )
    dispatch.reroute(moved.target, batch_id, job_id)
