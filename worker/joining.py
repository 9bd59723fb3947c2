"""Joining a job in flight: a document submitted again for the same task while its first job still runs
waits for that job's result instead of running, and billing, a second time.

Reuse (store.find_done) only sees finished jobs; this is its in-flight half, with the same identity (the
task and the document's sha256) and the same floor rule. Each identity names the job that runs it (its
*leader*) in the in-flight index (worker/store/joins.py), claimed by the submission that sends it. A later submission
whose job finds a leader that is still unfinished marks its job `joins = "<batch> <job>"` and sends it as
usual: the joiner keeps its own live message (the invariant `turnout status --verify` checks), and its
classify stage waits, by scheduled retries, for the leader to end:

- the leader succeeded: its result stands for the joiner, copied with zero usage and cost (`joined`,
  `reused_from` naming the leader), so the model is asked once and the bill counts it once;
- the leader failed, or is gone (purged, expired), or was stored but never sent for `UNSENT_WAIT_S`, or
  waits for the Batch API when the joiner's batch cannot wait as long: the joiner runs itself, as if it
  had never joined. Failing it with the leader's reason would hand it another batch's fate (that batch's
  spending cap, deadline or purge), and a failure is rare enough that the second try costs little.

So a joiner never waits on something that cannot end: a leader in flight has a live message and ends
terminal (DESIGN.md invariant 2), and a leader that vanishes sends the joiner on its own way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import structlog

from worker.errors import JoinPending
from worker.retry import backoff_s
from worker.schema import JobResult, JobStatus, Route, RouteTarget, Sensitivity, TaskSpec, Usage
from worker.store import CostedResult, JobRecord, Store
from worker.store_refusal import ride_out_refusals

log = structlog.get_logger("turnout.pipeline")

UNSENT_WAIT_S = 60.0  # a leader stored, not sent, this long: its submitter died (a resume may send it later)
# A joiner looks again after up to POLL_FIRST_S, doubling up to POLL_MAX_S (full jitter, worker/retry.py):
# one cheap round trip per look. The bound trades how soon a joiner ends after its leader against the
# looks a large joined batch makes while it waits (10,000 joiners: a few hundred looks a second).
POLL_FIRST_S = 0.5
POLL_MAX_S = 30.0
BATCH_API_WINDOW_S = 24 * 3600.0  # a Batch API job without a --deadline may take the provider's whole window


def stands_for(result: JobResult, floor: Sensitivity | None) -> bool:
    """A succeeded result stands for a job only if it was tagged at least the job's floor: a result made
    under a lower level (in the cloud, say) is not a restricted batch's result (reuse's rule too)."""
    if result.status is not JobStatus.SUCCEEDED:
        return False
    return floor is None or (result.sensitivity is not None and result.sensitivity.at_least(floor))


@dataclass(frozen=True)
class Runnable:
    """A job a submission is about to send: its id, its document's key and its floor."""

    job_id: str
    doc_key: str
    floor: Sensitivity | None


def lead_or_join(
    store: Store, task: TaskSpec, batch_id: str, jobs: list[Runnable], *, force: bool
) -> dict[str, str]:
    """Claim each job's identity for it, or find the unfinished job of another batch it joins.

    Returns {job id: "<leader batch> <leader job>"} for the jobs that join (none with `force`, which runs
    every job and only claims identities nobody holds). Three round trips for the whole chunk, at most."""
    if not jobs:
        return {}
    me = [f"{batch_id} {job.job_id}" for job in jobs]
    held = store.claim_identities(task, [(job.doc_key, mine, "") for job, mine in zip(jobs, me, strict=True)])
    if force:
        return {}
    found = [
        (i, leader) for i, leader in enumerate(held) if leader and leader.split(" ", 1)[0] != batch_id
    ]  # another job of this same batch: both run, as they always did (only other batches are joined)
    if not found:
        return {}
    joined: dict[str, str] = {}
    take_over = []
    for (i, leader), state in zip(found, store.leader_states([leader for _, leader in found]), strict=True):
        if state.finished or not state.exists:  # ended (reuse saw it if it succeeded) or gone: lead now
            take_over.append((jobs[i].doc_key, me[i], leader))
        elif _covers(Sensitivity(state.floor) if state.floor else None, jobs[i].floor):
            joined[jobs[i].job_id] = leader
    if take_over:  # if another submission took it meanwhile, this job just runs
        store.claim_identities(task, take_over)
    return joined


def _covers(leader_floor: Sensitivity | None, floor: Sensitivity | None) -> bool:
    """Whether a leader run under `leader_floor` is tagged at least `floor` (checked again on its result)."""
    return floor is None or (leader_floor is not None and leader_floor.at_least(floor))


@dataclass(frozen=True)
class JoinLook:
    """What a joiner found: the leader's result standing for it, a wait, or (both None) run itself."""

    result: JobResult | None = None
    wait_s: float | None = None
    why: str = ""  # why it runs itself, for the log


def look(store: Store, job: JobRecord, retries: int, now: float | None = None) -> JoinLook:
    """One look at the leader a job joins (`job.joins`), in one round trip (`now`: the clock, for tests)."""
    leader = store.leader_view(job)
    if leader.result is not None:
        result = JobResult.model_validate_json(leader.result)
        if stands_for(result, job.floor):
            return JoinLook(result=result)
        failed = result.status is not JobStatus.SUCCEEDED
        return JoinLook(why="leader_failed" if failed else "leader_below_floor")
    if not leader.exists:
        return JoinLook(why="leader_gone")
    waited_s = (now if now is not None else time.time()) - leader.waiting_since
    if leader.status == JobStatus.QUEUED.value and not leader.enqueued and waited_s >= UNSENT_WAIT_S:
        return JoinLook(why="leader_never_sent")
    if leader.route and Route.model_validate_json(leader.route).target is RouteTarget.CLOUD_BATCH:
        # The Batch API takes up to its window (hours): only a batch that can wait as long waits for it.
        leader_may_take_s = leader.deadline_s if leader.deadline_s is not None else BATCH_API_WINDOW_S
        if leader.own_deadline_s is None or leader.own_deadline_s < leader_may_take_s:
            return JoinLook(why="leader_on_batch_api")
    return JoinLook(wait_s=max(POLL_FIRST_S / 2, backoff_s(retries, POLL_FIRST_S, POLL_MAX_S)))


def settled_by_join(store: Store, job: JobRecord, retries: int) -> bool:
    """The classify stage's part for a joining job: True when the leader's result now stands for it
    (recorded, at no cost); False when it is to run alone; JoinPending while the leader runs."""
    found = look(store, job, retries)
    if found.wait_s is not None:
        raise JoinPending(found.wait_s)
    if found.result is None:
        run_alone(store, job)
        log.info("job_runs_alone", reason=found.why)
        return False
    result = joined_result(job, found.result)
    task = store.task(job.batch_id)
    # `remember`: the job lets go of its text; the reuse index keeps naming the leader, which ran.
    recorded = ride_out_refusals(
        lambda: store.record_result(CostedResult(result, 0, 0), remember=(task, job.doc_key)),
        what="record the result",
    )
    log.info("job_joined" if recorded else "job_duplicate_ignored", leader=found.result.job_id)
    return True


def run_alone(store: Store, job: JobRecord) -> None:
    """The job stops joining (its leader failed or is gone): later deliveries run it without looking, and
    it leads its identity now, unless another job took it over meanwhile: later submissions join it."""
    store.stop_joining(job, store.task(job.batch_id))


def joined_result(job: JobRecord, leader: JobResult) -> JobResult:
    """The leader's result under the joiner's identity: same output, nothing run, nothing billed again."""
    return leader.model_copy(
        update={
            "job_id": job.job_id,
            "batch_id": job.batch_id,
            "source": job.source,
            "reused_from": leader.job_id,
            "joined": True,
            "usage": Usage(input_tokens=0, output_tokens=0),
            "cost_usd": 0.0,
            "baseline_cost_usd": 0.0,
            "latency_ms": 0.0,
            "gpu_ms": None,
            "attempts": 0,
        }
    )
