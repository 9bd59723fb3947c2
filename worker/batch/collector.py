"""Advancing one cloud-batch job: stage its next request for a provider batch, or record its result.

A job is advanced when it is routed to cloud-batch, and again each time a provider batch answers one of
its calls. Replaying the task (worker/chunking.py) over the answers so far either finishes the job or
names the next call to make; that call is staged once (a re-delivery stages nothing twice).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import structlog

from worker.batch.calls import AwaitingAnswer, BatchCalls
from worker.batch.jsonl import request_body, request_line
from worker.budget.batch import reserve_staged
from worker.budget.gate import BudgetExhausted
from worker.budget.policy import Decision, on_exhausted
from worker.calls import checkpoint_key, load_checkpoints
from worker.chunking import plan_job, run_task
from worker.errors import BackendError
from worker.extraction import InvalidOutput
from worker.pipeline import fail_job, record_outcome  # the same records every route writes
from worker.privacy import guard_cloud
from worker.prompts import output_json_schema
from worker.runtime import Runtime
from worker.schema import JobError, JobMessage, RouteTarget
from worker.store import JobRecord
from worker.store.batch_route import BatchState

log = structlog.get_logger("turnout.batch")


@dataclass(frozen=True)
class Advanced:
    """What advancing a job did."""

    staged: bool = False  # its next request waits for the next provider batch
    flush_tick: int | None = None  # the batch's flush chain was (re)started: publish this tick
    done: bool = False  # it has a result (now or before), or it is no longer on the batch route


def advance_job(rt: Runtime, state: BatchState, message: JobMessage) -> Advanced:
    """Stage the job's next call, or record its result. Backend errors (e.g. the guard) propagate."""
    store = rt.store
    if store.has_result(message.batch_id, message.job_id):
        return Advanced(done=True)
    job = store.job(message.batch_id, message.job_id)
    if job.tags is None or job.route is None or job.route.target is not RouteTarget.CLOUD_BATCH:
        # A late message for a job that has already moved on (a fallback): nothing to do here.
        log.info("batch_job_not_on_route")
        return Advanced(done=True)
    task = store.task(message.batch_id)
    policies = rt.policies
    plan = plan_job(policies.models, policies.prompts, task, store.text(job.doc_key), job.route.model)
    calls = BatchCalls(state, job)
    schema = output_json_schema(task)
    sampling = policies.prompts.sampling_for(task.kind)

    def ask(step: str, messages: list[dict[str, str]]) -> str:
        return calls.ask(step, messages, json_schema=schema, sampling=sampling)

    error: JobError | None = None
    try:
        output: str | None = run_task(task, plan, ask, policies.prompts)
    except AwaitingAnswer as wait:
        # A job that must never leave is not even staged.
        guard_cloud(job.job_id, wait.request.sensitivity, "the batch API")
        # Budgets: its worst case is booked before it can join a provider batch (BudgetExhausted if not).
        reserve_staged(rt, job.batch_id, job.job_id, wait.field, wait.request)
        line = request_line(job.job_id, request_body(wait.request, _max_output_tokens(rt)))
        staged, tick = state.stage(
            job.batch_id, job.job_id, wait.field, line, time.time(), policies.routing.batch.flush_idle_s
        )
        if staged:
            store.start_attempt(job.batch_id, job.job_id)
            log.info("batch_request_staged", calls_answered=calls.answered)
        return Advanced(staged=staged, flush_tick=tick)
    except InvalidOutput as exc:
        output, error = None, JobError(type="invalid_output", message=str(exc))
    record(rt, job, calls, output, error, chunks=len(plan.chunks))
    return Advanced(done=True)


def record(
    rt: Runtime,
    job: JobRecord,
    calls: BatchCalls,
    output: str | None,
    error: JobError | None,
    chunks: int = 1,
) -> bool:
    """Write the job's terminal result with the usage of every answered call at batch prices (once)."""
    attempts = rt.store.job(job.batch_id, job.job_id).attempts
    # The calls it had answered before this route (the second line's check) are billed with it.
    totals = calls.totals(rt.policies.prices, load_checkpoints(rt.store, job).values())
    recorded = record_outcome(
        rt,
        job,
        totals,
        output=output,
        error=error,
        attempts=attempts,
        chunks=chunks,
        drop=(checkpoint_key(job),),
    )
    calls.forget()
    return recorded


def on_budget_exhausted(
    rt: Runtime, state: BatchState, message: JobMessage, error: BudgetExhausted, retries: int
) -> Decision:
    """A cap refused to book the job's next request: the budget policy decides, and a failure it decides
    is recorded here. A job whose earlier calls were answered in batch does not move (their answers live
    on this route) and fails with their costs."""
    job = rt.store.job(message.batch_id, message.job_id)
    answered = BatchCalls(state, job).answered
    decided = on_exhausted(
        rt,
        message,
        error,
        retries,
        delivery_counted=False,  # collect does not count deliveries
        may_move=answered == 0,
    )
    if decided.failure is not None:
        if answered:
            fail_with_costs(rt, state, job, decided.failure)
        else:
            fail_job(rt, message, decided.failure)
    return decided


def fail_with_costs(rt: Runtime, state: BatchState, job: JobRecord, error: BackendError) -> bool:
    """Fail a job whose earlier calls were answered in batch: its result still bills those calls."""
    failure = JobError(type=error.kind, message=str(error), retryable=error.retryable)
    return record(rt, job, BatchCalls(state, job), None, failure)


def _max_output_tokens(rt: Runtime) -> int | None:
    # The real-time route's cap on an answer (TURNOUT_CLOUD_MAX_OUTPUT_TOKENS), so both routes ask alike.
    return rt.settings.cloud_max_output_tokens
