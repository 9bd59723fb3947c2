"""The cloud-batch route's state in Redis: staged requests, groups (one provider batch each), answers.

Every key of a batch shares its `{batch_id}` hash tag, so the scripts (scripts/batch_*.lua) touch them
atomically. The one key outside a batch is `tn:cb:batches`: the batches with batch-route work, resumed
after a restart (worker/store/keys.py names them all).

Self-rescheduling tasks (a batch's flush tick, a group's poll) number their messages. Under a short
lock, a step publishes its successor (number n+1) *before* it records n+1 as current; a message runs
when its number is the current one, or the next one (its sender died between publishing and recording).
So a chain never breaks at a crash, and duplicated, restored or resumed messages carry a number that is
soon behind and die instead of multiplying the chain (`chain_may_run`).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from worker.store import keys
from worker.store.guard import if_batch, split
from worker.store.keys import batch_route as key
from worker.store.lua import source

GROUP_DONE = "done"


def staged_call(job_id: str, field: str) -> str:
    """One call of one job, as it is staged: job ids and fields hold no spaces."""
    return f"{job_id} {field}"


def new_token() -> str:
    """A lock holder's proof of ownership."""
    return secrets.token_hex(8)


def chain_may_run(current: int, number: int) -> bool:
    """Whether message `number` of a chain whose current number is `current` runs the next step.

    The current one runs; so does the next one, whose sender published it and died before recording it.
    Anything else is a duplicate (a restored, resumed or repeated message) of a step already taken.
    """
    return number in (current, current + 1)


class BatchState:
    """All Redis access of the cloud-batch route."""

    def __init__(self, client: Any):
        self.redis = client
        self._stage = client.register_script(source("batch_stage"))
        self._disarm = client.register_script(source("batch_disarm_if_empty"))
        self._take = client.register_script(source("batch_take"))
        self._release = client.register_script(source("delete_if_equal"))

    # -- staging ------------------------------------------------------------------------------------
    def stage(
        self, batch_id: str, job_id: str, field: str, line: dict[str, Any], now: float, first_tick_s: float
    ) -> tuple[bool, int | None]:
        """Stage a job's next request. Returns (newly staged, the flush tick number to publish or None)."""
        outcome = list(
            self._stage(
                keys=[
                    key(batch_id, "members"),
                    key(batch_id, "pending"),
                    key(batch_id, "lines"),
                    key(batch_id, "flush"),
                    keys.batch(batch_id),
                ],
                args=[
                    staged_call(job_id, field),
                    job_id,
                    json.dumps({"field": field, "line": line}),
                    repr(now),
                    repr(first_tick_s),
                ],
            )
        )
        if outcome[0]:
            self.redis.sadd(keys.BATCH_ROUTE_INDEX, batch_id)
        return outcome[0] > 0, int(outcome[1]) if outcome[0] == 2 else None

    def unstage(self, batch_id: str, job_id: str, field: str) -> None:
        """Forget that a request was staged, so the same request can be staged again (a re-batch)."""
        self.redis.srem(key(batch_id, "members"), staged_call(job_id, field))

    def pending(self, batch_id: str, limit: int) -> list[str]:
        """The first staged calls, as "JOB_ID FIELD", oldest first."""
        return list(self.redis.lrange(key(batch_id, "pending"), 0, limit - 1))

    def pending_count(self, batch_id: str) -> int:
        return int(self.redis.llen(key(batch_id, "pending")))

    def staged_lines(self, batch_id: str, calls: list[str]) -> list[dict[str, Any] | None]:
        """Each staged call's {field, line}, or None when it is gone."""
        if not calls:
            return []
        raw = self.redis.hmget(key(batch_id, "lines"), calls)
        return [json.loads(r) if r else None for r in raw]

    def drop_lines(self, batch_id: str, calls: list[str]) -> None:
        """Forget staged request lines (each names one call, so a job's next call is never touched)."""
        if calls:
            self.redis.hdel(key(batch_id, "lines"), *calls)

    # -- the flush chain -----------------------------------------------------------------------------
    def flush_info(self, batch_id: str) -> dict[str, str]:
        return dict(self.redis.hgetall(key(batch_id, "flush")))

    def record_flush_tick(self, batch_id: str, number: int, due: float) -> None:
        """Tick `number` is the flush chain's current one (published already), due at `due`."""
        if_batch(
            self.redis,
            batch_id,
            ("HSET", key(batch_id, "flush"), "active", "1", "seq", number, "due", repr(due)),
        )

    def disarm_flush_if_empty(self, batch_id: str) -> bool:
        return bool(self._disarm(keys=[key(batch_id, "flush"), key(batch_id, "pending")]))

    # -- groups: one provider batch each -------------------------------------------------------------
    def take_group(
        self, batch_id: str, staged: list[str], calls: dict[str, tuple[str, str]], size_bytes: int
    ) -> str | None:
        """Move the first `len(staged)` staged calls (exactly these) into a new group; returns its id, or
        None when the batch is gone (purged meanwhile: nothing is written, no key of it comes back).

        `calls`: per job, the call its request answers and the model it asks (see `group_calls`).
        """
        job_ids = [member.split(" ", 1)[0] for member in staged]
        numbered = if_batch(self.redis, batch_id, ("HINCRBY", key(batch_id, "flush"), "groups", 1))
        if numbered is None:
            return None
        gid = f"g{int(numbered[0]):04d}"
        fields = [item for j, c in calls.items() for item in (j, json.dumps(list(c)))]
        taken = self._take(
            keys=[
                key(batch_id, "pending"),
                key(batch_id, "g", gid, "jobs"),
                key(batch_id, "g", gid),
                key(batch_id, "groups"),
                key(batch_id, "flush"),
                keys.batch(batch_id),
                key(batch_id, "g", gid, "fields"),
            ],
            args=[len(staged), repr(time.time()), size_bytes, gid, *staged, *job_ids, *fields],
        )
        return gid if taken else None

    def groups(self, batch_id: str) -> list[str]:
        return list(self.redis.lrange(key(batch_id, "groups"), 0, -1))

    def group(self, batch_id: str, gid: str) -> dict[str, str]:
        return dict(self.redis.hgetall(key(batch_id, "g", gid)))

    def groups_info(self, batch_id: str) -> list[dict[str, str]]:
        gids = self.groups(batch_id)
        pipe = self.redis.pipeline(transaction=False)
        for gid in gids:
            pipe.hgetall(key(batch_id, "g", gid))
        return [dict(info, gid=gid) for gid, info in zip(gids, pipe.execute(), strict=True)]

    def update_group(self, batch_id: str, gid: str, **fields: object) -> None:
        flat = [item for k, v in fields.items() for item in (k, str(v))]
        if_batch(self.redis, batch_id, ("HSET", key(batch_id, "g", gid), *flat))

    def group_jobs(self, batch_id: str, gid: str) -> list[str]:
        return list(self.redis.lrange(key(batch_id, "g", gid, "jobs"), 0, -1))

    def group_members(self, batch_id: str, gid: str) -> dict[str, str]:
        """Per job of the group: its staged call ("JOB_ID FIELD"), the key of its request line."""
        return {
            job_id: staged_call(job_id, field)
            for job_id, (field, _) in self.group_calls(batch_id, gid).items()
        }

    def group_calls(self, batch_id: str, gid: str) -> dict[str, tuple[str, str]]:
        """Per job of the group: the call its request answers (field) and the model it asked."""
        raw = self.redis.hgetall(key(batch_id, "g", gid, "fields"))
        return {job_id: tuple(json.loads(value)) for job_id, value in raw.items()}  # type: ignore[misc]

    def keep_group_jobs(self, batch_id: str, gid: str, job_ids: list[str]) -> None:
        """The jobs that are really sent (some may have been dropped before the upload)."""
        commands: list[tuple[object, ...]] = [("DEL", key(batch_id, "g", gid, "jobs"))]
        if job_ids:
            commands += split("RPUSH", key(batch_id, "g", gid, "jobs"), job_ids)
        commands.append(("HSET", key(batch_id, "g", gid), "requests", len(job_ids)))
        if_batch(self.redis, batch_id, *commands)

    # -- a group's poll chain ------------------------------------------------------------------------
    def record_poll(self, batch_id: str, gid: str, number: int, due: float) -> None:
        """Poll `number` is the group's current one (published already), due at `due`."""
        self.update_group(batch_id, gid, poll_seq=number, poll_due=repr(due))

    # -- answers of a job's calls (written when a provider batch's output is joined back) --------------
    def answers(self, batch_id: str, job_id: str) -> dict[str, str]:
        """A job's answered calls: call field -> its answer (JSON)."""
        return dict(self.redis.hgetall(keys.answers(batch_id, job_id)))

    def save_answers(self, batch_id: str, answers: dict[str, tuple[str, str]]) -> None:
        """Store each job's answer (job id -> (call field, answer)) in one round trip."""
        commands = [
            ("HSET", keys.answers(batch_id, job_id), field, answer)
            for job_id, (field, answer) in answers.items()
        ]
        if commands:
            if_batch(self.redis, batch_id, *commands)

    def forget_answers(self, batch_id: str, job_id: str) -> None:
        """Drop a job's stored answers once its result is recorded."""
        self.redis.delete(keys.answers(batch_id, job_id))

    # -- the index of batches with batch-route work --------------------------------------------------
    def tracked(self) -> list[str]:
        return sorted(self.redis.smembers(keys.BATCH_ROUTE_INDEX))

    def untrack_if_idle(self, batch_id: str) -> bool:
        """Drop the batch from the resume index when nothing is staged and every group is done."""
        if self.pending_count(batch_id) or any(
            info.get("state") != GROUP_DONE for info in self.groups_info(batch_id)
        ):
            return False
        self.redis.srem(keys.BATCH_ROUTE_INDEX, batch_id)
        return True

    # -- a short lock around one step of work ----------------------------------------------------------
    @contextmanager
    def lock(self, batch_id: str, name: str, ttl_s: float, owner: str | None = None) -> Iterator[bool]:
        """Yields whether the lock was taken; it expires by itself if its holder dies.

        `owner` is the taking worker connection's holder name (worker/liveness.py): a lock whose owner's
        heartbeat has expired is taken over at once instead of after its TTL (which covers a step's
        slowest calls, minutes), so a killed worker's group or flush chain goes on within the heartbeat's
        TTL."""
        lock_key = keys.batch_route_lock(batch_id, name)
        value = new_token() if owner is None else f"{owner} {new_token()}"
        px = max(1, int(ttl_s * 1000))
        taken = bool(self.redis.set(lock_key, value, nx=True, px=px))
        if not taken and self._owner_dead(lock_key):
            taken = bool(self.redis.set(lock_key, value, nx=True, px=px))
        try:
            yield taken
        finally:
            if taken:
                self._release(keys=[lock_key], args=[value])

    def _owner_dead(self, lock_key: str) -> bool:
        """Free the lock if it names an owner whose heartbeat has expired; whether it was freed."""
        held = self.redis.get(lock_key)
        if held is None:
            return True
        held_by = (held.decode() if isinstance(held, bytes) else str(held)).split(" ")
        if len(held_by) != 2 or self.redis.exists(keys.alive(held_by[0])):
            return False
        return bool(self._release(keys=[lock_key], args=[held]))
