"""The Redis side of worker liveness (worker/liveness.py says how it works): heartbeats and the workers they
belong to (what `turnout status` lists), which worker holds each job, the sweeper's work list, and what the
broker holds (kombu's queue lists and unacked records)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

import redis

from worker.store import keys
from worker.store.lua import source
from worker.store.records import HeldJob

# What a sweep reads of each job's record.
HOLD_FIELDS = ["holder", "gen", "stage", "prio", "status", "route", "doc"]


class Holds:
    """Heartbeats, holds, re-issues and the broker's view of messages, over one Redis client."""

    def __init__(self, client: redis.Redis):
        self.redis: Any = client
        self._hold = client.register_script(source("hold"))
        self._reissue = client.register_script(source("reissue"))

    # heartbeats, and the workers they belong to ---------------------------------------------------------
    def beat(self, holder: str, ttl_ms: int, node: str, entry: str) -> None:
        """Renew the connection's heartbeat and its worker's entry (`node` -> `entry`: its queues, this
        holder) in the workers' hash, in one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(keys.alive(holder), "1", px=ttl_ms)
        pipe.hset(keys.WORKERS, node, entry)
        pipe.execute()

    def stop_beating(self, holder: str) -> None:
        self.redis.delete(keys.alive(holder))

    def leave(self, holder: str, node: str) -> None:
        """The worker stops: its heartbeat and its entry go."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.delete(keys.alive(holder))
        pipe.hdel(keys.WORKERS, node)
        pipe.execute()

    def worker_entries(self) -> dict[str, str]:
        """Node name -> its entry, for every worker that wrote one and did not remove it."""
        return {
            node if isinstance(node, str) else node.decode(): raw
            for node, raw in self.redis.hgetall(keys.WORKERS).items()
        }

    def forget_workers(self, nodes: Sequence[str]) -> None:
        if nodes:
            self.redis.hdel(keys.WORKERS, *nodes)

    def alive(self, holders: Iterable[str]) -> set[str]:
        """Those of `holders` whose heartbeat has not expired."""
        ordered = sorted(h for h in holders if h)
        pipe = self.redis.pipeline(transaction=False)
        for holder in ordered:
            pipe.exists(keys.alive(holder))
        return {h for h, up in zip(ordered, pipe.execute(), strict=True) if up}

    def take_sweep_lock(self, holder: str, ttl_ms: int) -> bool:
        """One sweeper at a time across the fleet; the lock expires by itself."""
        return bool(self.redis.set(keys.SWEEP_LOCK, holder, nx=True, px=ttl_ms))

    # holds -----------------------------------------------------------------------------------------------
    def hold(self, batch_id: str, job_id: str, generation: int, holder: str, stage: str, prio: str) -> bool:
        """Record `holder` as the job's holder, and the job on the work list; False for a stale message."""
        held = bool(
            self._hold(
                keys=[keys.job(batch_id, job_id), keys.batch(batch_id)],
                args=[generation, holder, stage, prio],
            )
        )
        if held:
            self.redis.zadd(keys.HELD, {f"{batch_id} {job_id}": time.time()})
        return held

    @staticmethod
    def queue_hand_on(pipe: Any, batch_id: str, job_id: str, stage: str, generation: int) -> None:
        """Queue the end of `stage`'s hold, on the pipeline that sends the job to its next queue (EVAL with
        the script's text: it rides on pipelines that must not half-fail on NOSCRIPT)."""
        pipe.eval(source("hand_on"), 1, keys.job(batch_id, job_id), stage, generation)

    def held_members(self) -> list[tuple[str, str]]:
        """(batch, job) of every job on the work list."""
        return [tuple(m.split(" ", 1)) for m in self.redis.zrange(keys.HELD, 0, -1)]  # type: ignore[misc]

    def inspect(self, jobs: Sequence[tuple[str, str]]) -> list[HeldJob]:
        """Each job's hold and whether it is terminal, in one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        for batch_id, job_id in jobs:
            pipe.hmget(keys.job(batch_id, job_id), HOLD_FIELDS)
            pipe.hexists(keys.results(batch_id), job_id)
        replies = pipe.execute()
        return [
            HeldJob(
                batch_id, job_id, dict(zip(HOLD_FIELDS, [v or "" for v in values], strict=True)), terminal
            )
            for (batch_id, job_id), values, terminal in zip(jobs, replies[::2], replies[1::2], strict=True)
        ]

    def at_provider(self, jobs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Of cloud-batch jobs, those with a staged request whose answer has not come back: a provider batch
        holds them, not a message. Staged calls are the batch's `cb:members` ("job field"), answered ones
        the job's `cb:answers` hash; a re-batch takes its call out of the members."""
        if not jobs:
            return set()
        batches = sorted({batch_id for batch_id, _ in jobs})
        pipe = self.redis.pipeline(transaction=False)
        for batch_id in batches:
            pipe.smembers(keys.batch_route(batch_id, "members"))
        for batch_id, job_id in jobs:
            pipe.hkeys(keys.answers(batch_id, job_id))
        replies = pipe.execute()
        staged: dict[tuple[str, str], set[str]] = {}
        for batch_id, members in zip(batches, replies[: len(batches)], strict=True):
            for member in members:
                job_id, field = member.split(" ", 1)
                staged.setdefault((batch_id, job_id), set()).add(field)
        return {
            job
            for job, answered in zip(jobs, replies[len(batches) :], strict=True)
            if staged.get(job, set()) - set(answered)
        }

    def forget(self, members: Sequence[tuple[str, str]]) -> None:
        """Take jobs off the work list."""
        if members:
            self.redis.zrem(keys.HELD, *(f"{b} {j}" for b, j in members))

    def reissue(self, batch_id: str, job_id: str, holder: str, generation: str, reissuer: str) -> int | None:
        """Bump the job's generation and make `reissuer` its holder, if it is still not terminal and still
        held by `holder` at `generation`; the new generation, or None when it moved on meanwhile."""
        gen = self._reissue(
            keys=[keys.job(batch_id, job_id), keys.results(batch_id)],
            args=[holder, generation, reissuer, job_id],
        )
        return None if gen is None else int(gen)

    def let_go(self, batch_id: str, job_id: str, reissuer: str) -> None:
        """The re-issuer's message is out: the job waits in its queue, held by nobody."""
        self.redis.eval(source("let_go"), 1, keys.job(batch_id, job_id), reissuer)

    # messages nowhere to be found --------------------------------------------------------------------------
    def absent_since(self) -> dict[str, str]:
        """ "batch job gen" -> since when (epoch seconds) its message was last found missing."""
        return dict(self.redis.hgetall(keys.ABSENT))

    def set_absent(self, since: dict[str, float]) -> None:
        """Replace the record of missing messages (empty: none is missing)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.delete(keys.ABSENT)
        if since:
            pipe.hset(keys.ABSENT, mapping={m: repr(t) for m, t in since.items()})
        pipe.execute()

    # the broker's messages (kombu's Redis transport) ----------------------------------------------------------
    def unacked_taken_before(self, cutoff: float) -> list[str | None]:
        """kombu's records ([envelope, exchange, routing key], JSON) of the messages a worker took from
        their queue before `cutoff` (epoch seconds) and has not acknowledged."""
        tags = self.redis.zrangebyscore(keys.KOMBU_UNACKED_INDEX, "-inf", cutoff)
        return list(self.redis.hmget(keys.KOMBU_UNACKED, tags)) if tags else []

    def unacked(self) -> list[str]:
        """kombu's records of every message delivered and not yet acknowledged."""
        return list(self.redis.hvals(keys.KOMBU_UNACKED))

    def waiting_count(self, lists: Sequence[str]) -> int:
        """Messages waiting in these queue lists."""
        pipe = self.redis.pipeline(transaction=False)
        for key in lists:
            pipe.llen(key)
        return int(sum(pipe.execute()))

    def waiting(self, lists: Sequence[str]) -> list[str]:
        """Every message (kombu's JSON envelope) waiting in these queue lists."""
        return [raw for key in lists for raw in self.redis.lrange(key, 0, -1)]
