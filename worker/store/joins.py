"""The Redis side of joining an identical job in flight (the policy: worker/joining.py): the in-flight
index `keys.live`, each identity's leader claimed by a script, the joiner's mark, and what a joiner reads
of its leader."""

from __future__ import annotations

import time
from typing import Any

from worker.schema import TaskSpec
from worker.store import keys
from worker.store.batches import Batches
from worker.store.guard import queue_if_batch
from worker.store.lua import source
from worker.store.records import JobRecord, LeaderState, LeaderView


class Joins(Batches):
    def claim_identities(self, task: TaskSpec, claims: list[tuple[str, str, str]]) -> list[str | None]:
        """For each (document key, "batch job" claiming it, the finished leader it may replace or ""): None
        when the claim took, else the leader that holds the identity. One round trip."""
        pipe = self.redis.pipeline(transaction=False)
        for doc_key, me, replaces in claims:
            pipe.eval(
                source("claim_identity"),
                1,
                keys.live(task, doc_key),
                me,
                self.retention.retention_ms,
                replaces,
            )
        return [held or None for held in pipe.execute()]

    def leader_states(self, leaders: list[str]) -> list[LeaderState]:
        """For each leader ("batch job"): whether it has its result, and its record's source and floor."""
        pipe = self.redis.pipeline(transaction=False)
        for leader in leaders:
            batch_id, job_id = leader.split(" ", 1)
            pipe.hexists(keys.results(batch_id), job_id)
            pipe.hmget(keys.job(batch_id, job_id), ["source", "floor"])
        replies = pipe.execute()
        return [
            LeaderState(finished=bool(done), exists=source_ is not None, floor=floor or None)
            for done, (source_, floor) in zip(replies[::2], replies[1::2], strict=True)
        ]

    @staticmethod
    def mark_joined(pipe: Any, batch_id: str, job_id: str, leader: str) -> None:
        """Queue, on the pipeline that sends the job, the note that it joins `leader` ("batch job")."""
        pipe.hset(keys.job(batch_id, job_id), "joins", leader)

    def leader_view(self, job: JobRecord) -> LeaderView:
        """What a joiner reads of its leader, in one round trip; its first look starts its wait's clock."""
        assert job.joins is not None
        leader_batch, leader_job = job.joins.split(" ", 1)
        own = keys.job(job.batch_id, job.job_id)
        pipe = self.redis.pipeline(transaction=False)
        pipe.hget(keys.results(leader_batch), leader_job)
        pipe.hmget(keys.job(leader_batch, leader_job), ["source", "status", "enqueued", "route"])
        pipe.hget(keys.batch(leader_batch), "deadline_s")
        pipe.hget(keys.batch(job.batch_id), "deadline_s")
        queue_if_batch(
            pipe, job.batch_id, ("HSETNX", own, "join_since", repr(time.time())), ("HGET", own, "join_since")
        )
        result, (source_, status, enqueued, route), leader_deadline, own_deadline, clock = pipe.execute()
        since = clock[2] if clock else None  # its batch gone (purged): nothing written
        return LeaderView(
            result=result,
            exists=source_ is not None,
            status=status,
            enqueued=bool(enqueued),
            route=route,
            deadline_s=float(leader_deadline) if leader_deadline is not None else None,
            own_deadline_s=float(own_deadline) if own_deadline is not None else None,
            waiting_since=float(since) if since else time.time(),
        )

    def stop_joining(self, job: JobRecord, task: TaskSpec) -> None:
        """The job runs alone: its mark goes, and it leads its identity unless another job took it over."""
        assert job.joins is not None
        pipe = self.redis.pipeline(transaction=False)
        pipe.hdel(keys.job(job.batch_id, job.job_id), "joins", "join_since")
        me = f"{job.batch_id} {job.job_id}"
        pipe.eval(
            source("claim_identity"),
            1,
            keys.live(task, job.doc_key),
            me,
            self.retention.retention_ms,
            job.joins,
        )
        pipe.execute()
