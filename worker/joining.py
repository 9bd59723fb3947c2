"""Joining a job in flight: a document submitted again for the same task while its first job still runs
waits for that job's result instead of running, and billing, a second time.

Reuse (store.find_done) only sees finished jobs; this is its in-flight half, with the same identity (the
task and the document's sha256) and the same floor rule. Each identity names the job that runs it (its
*leader*) in `tn:live:<task digest>:<sha256>`, claimed by the submission that sends it. A later submission
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
from typing import Any

from worker.retry import backoff_s
from worker.schema import JobResult, JobStatus, Route, RouteTarget, Sensitivity, TaskSpec, Usage
from worker.store import JobRecord, Store

UNSENT_WAIT_S = 60.0  # a leader stored, not sent, this long: its submitter died (a resume may send it later)
# A joiner looks again after up to POLL_FIRST_S, doubling up to POLL_MAX_S (full jitter, worker/retry.py):
# one cheap round trip per look. The bound trades how soon a joiner ends after its leader against the
# looks a large joined batch makes while it waits (10,000 joiners: a few hundred looks a second).
POLL_FIRST_S = 0.5
POLL_MAX_S = 30.0
BATCH_API_WINDOW_S = 24 * 3600.0  # a Batch API job without a --deadline may take the provider's whole window

# Claim an identity for a job: when nobody holds it, or the caller holds it, or it still names the leader
# the caller found finished (ARGV[3]); else the current leader comes back and nothing changes.
_CLAIM = """
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] and current ~= ARGV[3] then
  return current
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
"""


def live_key(task: TaskSpec, doc_key: str) -> str:
    """The identity's leader, next to its finished result's index entry (store.find_done)."""
    return Store._done_key(task, doc_key).replace("tn:done:", "tn:live:", 1)


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
    keys = [live_key(task, job.doc_key) for job in jobs]
    ttl_ms = store.retention.retention_ms
    pipe = store.redis.pipeline(transaction=False)
    for key, mine in zip(keys, me, strict=True):
        pipe.eval(_CLAIM, 1, key, mine, ttl_ms, "")
    held = pipe.execute()
    if force:
        return {}
    found = [
        (i, leader) for i, leader in enumerate(held) if leader and leader.split(" ", 1)[0] != batch_id
    ]  # another job of this same batch: both run, as they always did (only other batches are joined)
    if not found:
        return {}
    pipe = store.redis.pipeline(transaction=False)
    for _, leader in found:
        leader_batch, leader_job = leader.split(" ", 1)
        pipe.hexists(store._results(leader_batch), leader_job)
        pipe.hmget(store._job(leader_batch, leader_job), ["source", "floor"])
    replies = pipe.execute()
    joined: dict[str, str] = {}
    take_over = []
    for (i, leader), finished, (source, floor) in zip(found, replies[::2], replies[1::2], strict=True):
        if finished or source is None:  # ended (reuse saw it if it succeeded) or gone: this job leads now
            take_over.append((i, leader))
        elif _covers(Sensitivity(floor) if floor else None, jobs[i].floor):
            joined[jobs[i].job_id] = leader
    if take_over:  # if another submission took it meanwhile, this job just runs
        pipe = store.redis.pipeline(transaction=False)
        for i, leader in take_over:
            pipe.eval(_CLAIM, 1, keys[i], me[i], ttl_ms, leader)
        pipe.execute()
    return joined


def _covers(leader_floor: Sensitivity | None, floor: Sensitivity | None) -> bool:
    """Whether a leader run under `leader_floor` is tagged at least `floor` (checked again on its result)."""
    return floor is None or (leader_floor is not None and leader_floor.at_least(floor))


def mark_joined(pipe: Any, store: Store, batch_id: str, job_id: str, leader: str) -> None:
    """Queue, on the pipeline that sends the job, the note that it joins `leader` ("<batch> <job>")."""
    pipe.hset(store._job(batch_id, job_id), "joins", leader)


@dataclass(frozen=True)
class JoinLook:
    """What a joiner found: the leader's result standing for it, a wait, or (both None) run itself."""

    result: JobResult | None = None
    wait_s: float | None = None
    why: str = ""  # why it runs itself, for the log


def look(store: Store, job: JobRecord, retries: int) -> JoinLook:
    """One look at the leader a job joins (`job.joins`), in one round trip."""
    assert job.joins is not None
    leader_batch, leader_job = job.joins.split(" ", 1)
    now = time.time()
    pipe = store.redis.pipeline(transaction=False)
    pipe.hget(store._results(leader_batch), leader_job)
    pipe.hmget(store._job(leader_batch, leader_job), ["source", "status", "enqueued", "route"])
    pipe.hget(store._batch(leader_batch), "deadline_s")
    pipe.hget(store._batch(job.batch_id), "deadline_s")
    pipe.hsetnx(store._job(job.batch_id, job.job_id), "join_since", repr(now))
    pipe.hget(store._job(job.batch_id, job.job_id), "join_since")
    raw, (source, status, enqueued, route), leader_deadline, own_deadline, _, since = pipe.execute()
    if raw is not None:
        result = JobResult.model_validate_json(raw)
        if stands_for(result, job.floor):
            return JoinLook(result=result)
        return JoinLook(
            why="leader_failed" if result.status is not JobStatus.SUCCEEDED else "leader_below_floor"
        )
    if source is None:
        return JoinLook(why="leader_gone")
    if status == JobStatus.QUEUED.value and not enqueued and now - float(since or now) >= UNSENT_WAIT_S:
        return JoinLook(why="leader_never_sent")
    if route and Route.model_validate_json(route).target is RouteTarget.CLOUD_BATCH:
        # The Batch API takes up to its window (hours): only a batch that can wait as long waits for it.
        leader_may_take_s = float(leader_deadline) if leader_deadline is not None else BATCH_API_WINDOW_S
        if own_deadline is None or float(own_deadline) < leader_may_take_s:
            return JoinLook(why="leader_on_batch_api")
    return JoinLook(wait_s=max(POLL_FIRST_S / 2, backoff_s(retries, POLL_FIRST_S, POLL_MAX_S)))


def run_alone(store: Store, job: JobRecord) -> None:
    """The job stops joining (its leader failed or is gone): later deliveries run it without looking, and
    it leads its identity now, unless another job took it over meanwhile: later submissions join it."""
    assert job.joins is not None
    task = store.task(job.batch_id)
    pipe = store.redis.pipeline(transaction=False)
    pipe.hdel(store._job(job.batch_id, job.job_id), "joins", "join_since")
    me = f"{job.batch_id} {job.job_id}"
    pipe.eval(_CLAIM, 1, live_key(task, job.doc_key), me, store.retention.retention_ms, job.joins)
    pipe.execute()


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
