"""The work of each stage as plain functions: testable without Celery, called by the thin tasks."""

from __future__ import annotations

import functools

import structlog

from worker import metrics
from worker.batch.hints import batch_hints
from worker.calls import (
    CallTotals,
    JobCalls,
    checkpoint_key,
    footprint,
    load_checkpoints,
    price_calls,
)
from worker.chunking import plan_job, run_task
from worker.errors import (
    BackendError,
    NoBackendAvailable,
    PermanentBackendError,
    SensitiveDataBlocked,
)
from worker.extraction import InvalidOutput
from worker.joining import settled_by_join
from worker.pricing import pico_to_usd
from worker.prompts import output_json_schema
from worker.routing import cloud_allowed, decide, fallback
from worker.runtime import Runtime
from worker.schema import JobError, JobMessage, JobResult, JobStatus, RouteTarget
from worker.second_line import CheckStage, awaiting_check, check_pending
from worker.second_line_check import check_deferred, screen
from worker.store import (
    BatchMissing,
    CostedResult,
    DocumentMissing,
    JobInputs,
    JobRecord,
    MissingRecord,
)
from worker.store_refusal import ride_out_refusals
from worker.task_outcome import job_failed

log = structlog.get_logger("turnout.pipeline")
FALLBACK_REASON_CHARS = 300


def begin_execution(
    rt: Runtime, message: JobMessage, stage: str
) -> tuple[JobRecord | None, JobInputs | None]:
    """Gate a backend stage's delivery, and start its attempt in the same round trip: the job, or None when
    it is already terminal (a re-delivery) or became poison.

    When the message names the document, its text and the job's answered calls come in that trip too."""
    opened = rt.store.open_execution(
        message.batch_id,
        message.job_id,
        rt.settings.max_deliveries,
        document=message.doc or None,
        generation=message.generation,
    )
    return admitted(rt, message, stage, opened.job, opened.deliveries), opened.inputs


def admitted(
    rt: Runtime, message: JobMessage, stage: str, job: JobRecord | None, deliveries: int
) -> JobRecord | None:
    if job is None:
        # -1: a copy superseded by a re-issue (worker/liveness.py); the newer message does the work.
        log.info("job_stale_delivery" if deliveries < 0 else "job_already_terminal", stage=stage)
        return None
    if deliveries > rt.settings.max_deliveries:
        # Delivered again and again without ever finishing (e.g. it kills its worker): dead-letter it.
        fail_job(
            rt,
            message,
            PermanentBackendError(
                f"dead-lettered: delivered {deliveries - 1} times without finishing (stage {stage})",
                kind="poison_job",
            ),
        )
        return None
    return job


def classify_job(rt: Runtime, message: JobMessage, *, retries: int = 0) -> RouteTarget | CheckStage | None:
    """Tag and route one job. Returns the queue it goes to next (the task sends it there): its route's, or
    the second line's check for a cloud-bound one; None when nothing is left to do: it is terminal, or it
    failed here.

    A job that joins an identical job in flight takes that job's result, or raises JoinPending while it
    runs (`retries`: the looks so far), or is tagged and routed like any other once it runs alone."""
    store = rt.store
    opened = store.open_classify(message.batch_id, message.job_id, message.doc)
    terminal, deliveries = opened.terminal, opened.deliveries
    if opened.job.generation > message.generation:
        terminal, deliveries = True, -1
    job = admitted(rt, message, "classify", None if terminal else opened.job, deliveries)
    if job is None or (job.joins is not None and settled_by_join(rt.store, job, retries)):
        return None
    task = store.task(message.batch_id)
    inputs = opened.inputs or store.classify_inputs(message.batch_id, job.doc_key)
    tags = rt.policies.classifier.classify(inputs.text, task=task, source=job.source, floor=job.floor)
    # cloud-batch: the batch's --deadline and size let cloud-bound work wait for the Batch API.
    route = decide(tags, rt.policies.routing, rt.availability, batch_hints(inputs.facts, task))
    # Bound for the cloud (or its Batch API)? The local model checks it first, in the second line's own
    # stage on the local pool (worker/second_line_stage.py): classify never waits for a model.
    checking = check_deferred(rt, route)
    route = awaiting_check(route) if checking else screen(rt, message, inputs.text, tags, route)
    # The cloud share is counted once the check has decided where the job goes.
    allowed = cloud_allowed(tags.sensitivity, rt.policies.routing) and not checking
    store.set_routed(message.batch_id, message.job_id, tags, route, cloud_allowed=allowed)
    log.info(
        "job_routed",
        route=route.target.value,
        sensitivity=tags.sensitivity.value,
        complexity=tags.complexity.value,
        findings=tags.findings,
        second_line="pending" if checking else None,
    )
    if fail_if_stranded(rt, message, route.target):
        return None
    return CheckStage.SECOND_LINE if checking else route.target


def fail_if_stranded(rt: Runtime, message: JobMessage, target: RouteTarget) -> bool:
    """A job that must run locally with no local backend waits for nobody: it fails, it never leaks."""
    if target is not RouteTarget.LOCAL or rt.availability.local:
        return False
    fail_job(
        rt,
        message,
        PermanentBackendError(
            "no local backend configured (set TURNOUT_OLLAMA_HOSTS); the job was not sent anywhere",
            kind="no_local_backend",
        ),
    )
    return True


def execute_job(rt: Runtime, message: JobMessage, target: RouteTarget) -> None:
    """Run one routed job on its backend and record the result. Backend errors propagate to the caller.

    A document longer than the model's window takes several calls (worker/chunking.py), an extraction
    answer that does not validate is repaired (worker/extraction.py); usage and cost sum every call.
    """
    store = rt.store
    backend = rt.backend(target)
    job, fetched = begin_execution(rt, message, target.value)
    if job is None:
        return
    if job.tags is None or job.route is None or job.route.target is not target or check_pending(job.route):
        raise PermanentBackendError(
            f"job reached the {target.value} queue without that route", kind="misrouted"
        )
    task = store.task(message.batch_id)
    policies = rt.policies
    if fetched is None or message.doc != job.doc_key:
        fetched = store.job_inputs(job.batch_id, job.job_id, job.doc_key)
    plan = plan_job(policies.models, policies.prompts, task, fetched.text, job.route.model, sized=False)
    calls = JobCalls(store, backend, job, fetched.answered)
    ask = functools.partial(
        calls.ask, json_schema=output_json_schema(task), sampling=policies.prompts.sampling_for(task.kind)
    )
    error: JobError | None = None
    try:
        try:
            output: str | None = run_task(task, plan, ask, policies.prompts)
        except NoBackendAvailable:
            if not calls.made:
                store.cancel_attempt(message.batch_id, message.job_id)
            raise
        except InvalidOutput as exc:
            output, error = None, JobError(type="invalid_output", message=str(exc))
        # The result is written with the checkpoints' deletion: unsaved answers are never written at all.
        record_outcome(
            rt,
            job,
            calls.totals(policies.prices),
            output=output,
            error=error,
            attempts=job.attempts,
            chunks=len(plan.chunks),
            drop=(checkpoint_key(job),),
        )
    except BaseException:
        calls.save()  # the answered calls outlive this delivery: reused by the retry, billed if it fails
        raise


def record_outcome(
    rt: Runtime,
    job: JobRecord,
    totals: CallTotals,
    *,
    output: str | None,
    error: JobError | None,
    attempts: int,
    chunks: int = 1,
    drop: tuple[str, ...] = (),
) -> bool:
    """Write a job's terminal result once, with the usage and cost of every call that was answered.

    Every route records through here: a failure after answered calls still bills them, since the
    provider did. Returns False for a duplicate (the job already had a result).
    """
    store = rt.store
    status = JobStatus.SUCCEEDED if error is None else JobStatus.FAILED
    answered = {"backend": totals.backend, "model": totals.model} if totals.calls else {}
    result = _result(job, status, attempts=attempts).model_copy(
        update={
            **answered,
            "output": output,
            "error": error,
            "usage": totals.usage,
            "cost_usd": pico_to_usd(totals.cost_pico),
            "baseline_cost_usd": pico_to_usd(totals.baseline_pico),
            "latency_ms": totals.latency_ms,
            "chunks": chunks,
            "gpu_ms": totals.local.gpu_ms,
        }
    )
    # The footprint feeds the batch's cost-of-ownership and license counters (docs/tco.md).
    used = footprint(totals, rt.policies, len(rt.settings.local_hosts))
    # One round trip: the result, its reuse index entry, and the job's checkpoints (`drop`) deleted.
    task = store.task(job.batch_id)
    # Idempotent (the result is written once), so it waits out a Redis that refuses writes, in place:
    # running the stage again would call the backend again.
    recorded = ride_out_refusals(
        lambda: store.record_result(
            CostedResult(result, totals.cost_pico, totals.baseline_pico, used),
            remember=(task, job.doc_key),
            drop=drop,
        ),
        what="record the result",
    )
    if recorded:
        metrics.observe_result(result, totals.cost_pico)
    event = ("job_succeeded" if error is None else "job_failed") if recorded else "job_duplicate_ignored"
    (log.info if error is None else log.warning)(
        event,
        route=job.route.target.value if job.route else None,
        backend=totals.backend,
        input_tokens=totals.usage.input_tokens,
        output_tokens=totals.usage.output_tokens,
        cost_pico=totals.cost_pico,
        latency_ms=round(totals.latency_ms, 1),
        attempt=attempts,
        chunks=chunks,
        calls=totals.calls,
        error_type=error.type if error else None,
    )
    return recorded


def give_up_on_route(rt: Runtime, message: JobMessage, error: BackendError) -> RouteTarget | None:
    """The job's route failed for good: move it to the fallback route the policy allows, or fail it.

    Returns the queue to go to next, or None when the job has been failed.
    """
    job = rt.store.job(message.batch_id, message.job_id)
    if job.tags is None or job.route is None or isinstance(error, SensitiveDataBlocked):
        fail_job(rt, message, error)
        return None
    moved = fallback(job.tags, job.route, rt.policies.routing, rt.availability)
    if moved is not None and job.route.target is RouteTarget.LOCAL:  # leaving after all: checked first
        moved = screen(rt, message, rt.store.text(job.doc_key), job.tags, moved)
        moved = moved if moved.target is RouteTarget.CLOUD else None
    if moved is None:
        fail_job(rt, message, error)
        return None
    moved = moved.model_copy(update={"fallback_reason": f"{error.kind}: {error}"[:FALLBACK_REASON_CHARS]})
    rt.store.reroute(message.batch_id, message.job_id, moved)
    log.warning(
        "job_fallback", from_route=job.route.target.value, to_route=moved.target.value, error_type=error.kind
    )
    return moved.target


DOCUMENT_MISSING = (
    "the document's text is not in Redis (not stored when Redis refused writes, or evicted, expired or "
    "purged); submit the file again"
)
JOB_MISSING = "the job's record is not in Redis (not stored, or purged); submit the file again"


def fail_missing(rt: Runtime, message: JobMessage, missing: MissingRecord) -> None:
    """A stage could not find what it needs: the job fails with the reason, never waits for nothing.

    Nothing re-stores what is missing (the producer writes a job's text, record and message in order,
    so a message whose text is gone will never see it come back): re-queueing would only wait forever.
    A message of a batch that no longer exists (purged) has nowhere to record anything: it is dropped.
    """
    if isinstance(missing, BatchMissing) or not rt.store.batch_exists(message.batch_id):
        log.warning("job_batch_missing")
        return
    if isinstance(missing, DocumentMissing):
        fail_job(rt, message, PermanentBackendError(DOCUMENT_MISSING, kind="document_missing"))
    else:
        fail_job(rt, message, PermanentBackendError(JOB_MISSING, kind="job_missing"))


def fail_job(rt: Runtime, message: JobMessage, error: BackendError) -> None:
    """Record a terminal failure with its reason (once; a later duplicate is ignored)."""
    try:
        job = rt.store.job(message.batch_id, message.job_id)
    except KeyError:
        # Its record is gone: the result still counts towards the batch, or the batch never finishes.
        log.error("job_missing", error_type=error.kind)
        job = JobRecord(
            job_id=message.job_id,
            batch_id=message.batch_id,
            source="",
            doc_key=message.doc or "",
            status=JobStatus.QUEUED,
            floor=None,
            tags=None,
            route=None,
            attempts=0,
        )
    # Calls answered before the failure (a long document's first parts, say) were billed by the
    # provider: the failed result carries their usage and cost, so the bill stays right.
    answered = list(load_checkpoints(rt.store, job).values())
    totals = price_calls(answered, rt.policies.prices, answered[-1] if answered else None, None)
    failure = JobError(type=error.kind, message=str(error), retryable=error.retryable)
    record_outcome(
        rt, job, totals, output=None, error=failure, attempts=job.attempts, drop=(checkpoint_key(job),)
    )
    job_failed(error.kind)  # the task ends as FAILURE in Flower, not SUCCESS (worker/task_outcome.py)


def _result(job: JobRecord, status: JobStatus, *, attempts: int) -> JobResult:
    tags, route = job.tags, job.route
    return JobResult(
        job_id=job.job_id,
        batch_id=job.batch_id,
        source=job.source,
        status=status,
        route=route.target if route else None,
        model=route.model if route else None,
        sensitivity=tags.sensitivity if tags else None,
        complexity=tags.complexity if tags else None,
        attempts=attempts,
        route_reasons=route.reasons if route else (),
        fallback_from=route.fallback_from if route else None,
        fallback_reason=route.fallback_reason if route else None,
        classifier_version=tags.classifier_version if tags else None,
    )
