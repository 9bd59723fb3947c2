"""Removing everything Turnout stores for a batch at once, before its retention is up (`turnout purge`).

Nothing here needs SCAN or KEYS (the compose roles may not use them, docs/security.md): every key of a
batch is found from its job list and its manifest. The manifest goes first: renamed to `tn:{batch}:purging`,
it is gone for every write of a worker still in flight on one of the batch's jobs (worker/store/guard.py),
so nothing comes back once the purge is done. The per-job keys go next, and the job list and the renamed
manifest last, so a purge that is interrupted can simply be run again.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import redis

from worker.schema import TaskSpec
from worker.store import keys
from worker.store.lifecycle import batch_route_keys, forget_batch_indexes, release_document
from worker.store.lua import source

if TYPE_CHECKING:
    from worker.store import Store

CHUNK = 500


@dataclass
class Purged:
    """What a purge removed; `keys` counts every key deleted, the others what they were."""

    batches: list[str] = field(default_factory=list)
    jobs: int = 0
    results: int = 0
    documents: int = 0  # texts deleted; one that another batch's unfinished job still needs is kept
    reuse_entries: int = 0
    keys: int = 0
    unfinished: list[str] = field(default_factory=list)  # --older-than: left alone, still running

    def add(self, other: Purged) -> None:
        self.batches += other.batches
        self.jobs += other.jobs
        self.results += other.results
        self.documents += other.documents
        self.reuse_entries += other.reuse_entries
        self.keys += other.keys

    def as_json(self) -> dict[str, object]:
        return {
            "batches": self.batches,
            "jobs": self.jobs,
            "results": self.results,
            "documents": self.documents,
            "reuse_entries": self.reuse_entries,
            "keys": self.keys,
            "unfinished": self.unfinished,
        }


def purge_batch(store: Store, batch_id: str) -> Purged:
    """Delete a batch: its jobs, results, counters, events, checkpoints, batch-route state, reuse index
    entries, and the text of each of its documents that no other batch's job still holds. KeyError when
    Turnout holds nothing of it. A batch still running loses its jobs: their queued messages then find
    nothing to do."""
    client = store.redis
    marker = keys.purging(batch_id)
    # Every write of the batch checks its manifest (worker/store/guard.py): from here, none writes. No
    # manifest to rename: it expired, or a purge that did not end took it away already.
    with contextlib.suppress(redis.ResponseError):
        client.rename(keys.batch(batch_id), marker)
    if client.pttl(marker) == -1:  # an interrupted purge, never run again, does not leave it for good
        client.pexpire(marker, store.retention.retention_ms)
    pipe = client.pipeline(transaction=False)
    pipe.hget(marker, "task")
    pipe.llen(keys.jobs(batch_id))
    pipe.hlen(keys.results(batch_id))
    pipe.zscore(keys.BATCHES_INDEX, batch_id)
    raw_task, jobs, results, indexed = pipe.execute()
    if raw_task is None and not jobs and not results and indexed is None:
        raise KeyError(batch_id)
    task = TaskSpec.model_validate_json(raw_task) if raw_task is not None else None
    purged = Purged(batches=[batch_id], jobs=int(jobs), results=int(results))
    start = 0
    while job_ids := client.lrange(keys.jobs(batch_id), start, start + CHUNK - 1):
        _purge_jobs(client, batch_id, task, job_ids, purged)
        start += CHUNK
    extras = [
        *batch_route_keys(client, batch_id),
        keys.budget_batch(batch_id),
        keys.budget_waiting(batch_id),
        *store.batch_keys(
            batch_id
        ),  # the job list, then the renamed manifest: a purge is run again from them
        marker,
    ]
    pipe = client.pipeline(transaction=False)
    pipe.delete(*extras)
    forget_batch_indexes(pipe, batch_id)
    purged.keys += int(pipe.execute()[0])
    return purged


def _purge_jobs(
    client: Any, batch_id: str, task: TaskSpec | None, job_ids: list[str], purged: Purged
) -> None:
    """One chunk of a batch's jobs: their documents let go of, their keys and reuse entries deleted."""
    docs = client.pipeline(transaction=False)
    for job_id in job_ids:
        docs.hget(keys.job(batch_id, job_id), "doc")
    pipe = client.pipeline(transaction=False)
    releases: list[int] = []
    reuse: list[int] = []
    for job_id, doc_key in zip(job_ids, docs.execute(), strict=True):
        if doc_key:
            # keep 0: a purge does not wait out `document_keep_s`
            releases.append(len(pipe.command_stack))
            release_document(pipe, doc_key, job_id, 0)
            if task is not None:
                reuse.append(len(pipe.command_stack))
                pipe.eval(source("delete_if_equal"), 1, keys.done(task, doc_key), f"{batch_id} {job_id}")
                # And the in-flight index (worker/joining.py): a job joining this one runs alone anyway.
                pipe.eval(source("delete_if_equal"), 1, keys.live(task, doc_key), f"{batch_id} {job_id}")
        job_keys = [keys.job(batch_id, job_id), keys.calls(batch_id, job_id), keys.answers(batch_id, job_id)]
        pipe.delete(*job_keys)
    # Off the work list (worker/recovery.py): no key of the batch, but it names the batch's jobs.
    client.zrem(keys.HELD, *(f"{batch_id} {job_id}" for job_id in job_ids))
    replies: list[Any] = pipe.execute()
    purged.documents += sum(int(replies[i]) for i in releases)
    purged.reuse_entries += sum(int(replies[i]) for i in reuse)
    purged.keys += sum(int(reply) for reply in replies)  # a deleted text or reuse entry is a key too
