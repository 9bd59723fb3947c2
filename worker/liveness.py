"""Who holds each job, whether that worker is alive, and re-issuing what a dead one held.

Redis re-delivers an unacknowledged message only after the visibility timeout (an hour, shipped), so a
killed worker's jobs would wait that long. Instead each worker *connection* (a consumer: it changes when
a worker reconnects after a Redis restart, because Celery then forgets the messages it had reserved or
scheduled) keeps a heartbeat key with a short TTL, and records itself as a job's holder the moment it
receives the job's message (reserved, scheduled for a retry, or running: `hold`). A sweeper
(worker/recovery.py) finds jobs whose holder's heartbeat has expired and re-issues the job's stage
message with the job's generation bumped. Every stage drops a message older than its job's generation
(store.open_classify / open_execution), so the dead worker's original message, restored by Redis an
hour later, runs nothing. `producer/verify.py` re-issues, through the same door, a job that has no
message at all.

Keys: `tn:alive:<holder>` (the heartbeat), `tn:held` (a sorted set of "batch job" members received by
some worker and perhaps not yet terminal: the sweeper's work list, cleaned of terminal jobs as it goes),
and in each job's hash: `gen` (the generation), `holder`, `stage` (the task name received) and `prio`.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from worker.flow.priority import PRIORITY_TRANSPORT_OPTIONS, queue_lists
from worker.queues import BATCH_COLLECT_TASK, CLASSIFY_TASK, CLOUD_TASK, LOCAL_TASK, QUEUES
from worker.schema import JobMessage, Route, RouteTarget
from worker.store import Store

HEARTBEAT_EVERY_S = 3.0
HEARTBEAT_TTL_S = 15.0  # five missed beats: a busy machine misses one, a dead worker misses them all
SWEEP_EVERY_S = 5.0
HELD_KEY = "tn:held"
SWEEP_LOCK_KEY = "tn:sweep:lock"
ORPHAN_AFTER_S = 15.0  # a message taken this long ago and held by nobody alive: its taker died first
# kombu's Redis transport's records of delivered, unacknowledged messages (its default key names).
UNACKED_KEY = "unacked"
UNACKED_INDEX_KEY = "unacked_index"
# A job handed on to a queue (held by nobody) whose message is in no queue and not taken by any worker, for
# this long: the message was lost between Redis and a consumer (BRPOP hands it over before the consumer
# records it as unacknowledged: a consumer killed or disconnected in between loses it). Re-issued.
ABSENT_FOR_S = 10.0
ABSENT_KEY = "tn:absent"
SCAN_QUEUES_UP_TO = 20_000  # messages waiting in all queues; above, a missing one is not looked for
# The stages whose deliveries are held and re-issued. The cloud-batch route's later life (flush and poll
# chains) has its own durable chains (worker/batch/tasks.py).
HELD_TASKS = (CLASSIFY_TASK, LOCAL_TASK, CLOUD_TASK)
ROUTE_TASK = {
    RouteTarget.LOCAL: LOCAL_TASK,
    RouteTarget.CLOUD: CLOUD_TASK,
    RouteTarget.CLOUD_BATCH: BATCH_COLLECT_TASK,
}

# Hold a job for a receiving worker, unless the message is older than the job's generation (a stale copy).
_HOLD = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if tonumber(ARGV[1]) < tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') then return 0 end
redis.call('HSET', KEYS[1], 'holder', ARGV[2], 'stage', ARGV[3], 'prio', ARGV[4])
return 1
"""

# Let go of a job handed on to another queue, unless the next stage has received it meanwhile (or it was
# re-issued). By stage and generation, not holder name: a prefork child does not know its parent's.
_HAND_ON = """
if redis.call('HGET', KEYS[1], 'stage') == ARGV[1] and (redis.call('HGET', KEYS[1], 'gen') or '0') == ARGV[2] then
  redis.call('HSET', KEYS[1], 'holder', '')
end
return 1
"""

# A re-issuer lets go once the new message is out: the job then waits in its queue.
_RELEASE = """
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] then redis.call('HSET', KEYS[1], 'holder', '') end
return 1
"""

# Re-issue a job: only if it is still not terminal and still as the caller saw it (holder, generation).
# The new holder is the re-issuer until a worker receives the new message: if the re-issuer dies before
# sending it, the next sweep re-issues again.
_REISSUE = """
if redis.call('HEXISTS', KEYS[2], ARGV[4]) == 1 then return false end
if (redis.call('HGET', KEYS[1], 'holder') or '') ~= ARGV[1] then return false end
if (redis.call('HGET', KEYS[1], 'gen') or '0') ~= ARGV[2] then return false end
local gen = redis.call('HINCRBY', KEYS[1], 'gen', 1)
redis.call('HSET', KEYS[1], 'holder', ARGV[3])
return gen
"""


@dataclass(frozen=True)
class CarriedJob:
    """What a broker message (kombu's JSON envelope, as stored in Redis) carries: a job's stage message."""

    task_name: str
    batch_id: str
    job_id: str
    generation: int


def carried_job(envelope: dict[str, Any]) -> CarriedJob | None:
    """The job a Celery message in Redis carries; None for anything else (events, batch chains)."""
    try:
        args = json.loads(base64.b64decode(envelope["body"]))[0]
        message = args[0]
        return CarriedJob(
            str(envelope["headers"]["task"]),
            str(message["batch_id"]),
            str(message["job_id"]),
            generation_of(message),
        )
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _envelope_of_unacked(raw: str) -> Any:
    """kombu keeps an unacknowledged delivery as [envelope, exchange, routing key]."""
    try:
        return json.loads(raw)[0]
    except (ValueError, IndexError, TypeError):
        return None


def new_holder_id() -> str:
    """A name for one worker connection: never reused, so a dead one stays dead."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def generation_of(message: dict[str, Any]) -> int:
    raw = message.get("generation", 0)
    return int(raw) if isinstance(raw, int | str) and str(raw).isdigit() else 0


@dataclass(frozen=True)
class Reissue:
    """A job's stage message to send again, with its new generation."""

    task_name: str
    message: dict[str, Any]
    priority: int | None


class Liveness:
    """Heartbeats, holds and re-issues, over the store's Redis client."""

    def __init__(self, store: Store):
        self.store = store
        self.redis: Any = store.redis
        self._hold = self.redis.register_script(_HOLD)
        self._reissue = self.redis.register_script(_REISSUE)
        self._hand_on = self.redis.register_script(_HAND_ON)

    @staticmethod
    def alive_key(holder: str) -> str:
        return f"tn:alive:{holder}"

    def beat(self, holder: str) -> None:
        self.redis.set(self.alive_key(holder), "1", px=int(HEARTBEAT_TTL_S * 1000))

    def stop_beating(self, holder: str) -> None:
        """This connection is gone (a reconnect or a shutdown): what it still holds is swept at once."""
        self.redis.delete(self.alive_key(holder))

    def hold(self, message: dict[str, Any], holder: str, task_name: str, priority: int | None) -> bool:
        """Record `holder` as the job's holder (a worker received its message); False for a stale copy."""
        msg = JobMessage.model_validate(message)
        job_key = self.store._job(msg.batch_id, msg.job_id)
        prio = "" if priority is None else str(priority)
        held = bool(self._hold(keys=[job_key], args=[generation_of(message), holder, task_name, prio]))
        if held:
            self.redis.zadd(HELD_KEY, {f"{msg.batch_id} {msg.job_id}": time.time()})
        return held

    def hand_on(self, batch_id: str, job_id: str, stage: str, generation: int) -> None:
        """The end of `stage`'s hold on a job it has sent to its next queue."""
        self._hand_on(keys=[self.store._job(batch_id, job_id)], args=[stage, generation])

    def alive(self, holders: set[str]) -> set[str]:
        ordered = sorted(h for h in holders if h)
        pipe = self.redis.pipeline(transaction=False)
        for holder in ordered:
            pipe.exists(self.alive_key(holder))
        return {h for h, up in zip(ordered, pipe.execute(), strict=True) if up}

    def held_jobs(self) -> list[tuple[str, str, dict[str, str], bool]]:
        """Every job on the work list: (batch, job, its holder/gen/stage/prio/status/route/doc, terminal)."""
        members = self.redis.zrange(HELD_KEY, 0, -1)
        return self.inspect([tuple(m.split(" ", 1)) for m in members])

    def inspect(self, jobs: list[tuple[str, str]]) -> list[tuple[str, str, dict[str, str], bool]]:
        fields = ["holder", "gen", "stage", "prio", "status", "route", "doc"]
        pipe = self.redis.pipeline(transaction=False)
        for batch_id, job_id in jobs:
            pipe.hmget(self.store._job(batch_id, job_id), fields)
            pipe.hexists(self.store._results(batch_id), job_id)
        replies = pipe.execute()
        out = []
        for (batch_id, job_id), values, terminal in zip(jobs, replies[::2], replies[1::2], strict=True):
            out.append(
                (batch_id, job_id, dict(zip(fields, [v or "" for v in values], strict=True)), terminal)
            )
        return out

    def orphans(self, older_than_s: float) -> list[tuple[str, str]]:
        """Jobs whose message a worker took from its queue more than `older_than_s` ago and still has not
        acknowledged, that nobody alive holds: the worker died between taking the message and holding the
        job. Read from the broker's unacknowledged-message records (kombu's `unacked` hash and index)."""
        tags = self.redis.zrangebyscore(UNACKED_INDEX_KEY, "-inf", time.time() - older_than_s)
        if not tags:
            return []
        jobs: list[tuple[str, str, int]] = []
        for raw in self.redis.hmget(UNACKED_KEY, tags):
            try:
                carried = carried_job(json.loads(raw)[0]) if raw else None
            except (ValueError, IndexError, TypeError):
                carried = None
            if carried is not None and carried.task_name in HELD_TASKS:
                jobs.append((carried.batch_id, carried.job_id, carried.generation))
        inspected = self.inspect([(b, j) for b, j, _ in jobs])
        alive = self.alive({f["holder"] for _, _, f, _ in inspected})
        return [
            (b, j)
            for (b, j, f, terminal), (_, _, gen) in zip(inspected, jobs, strict=True)
            if not terminal and f["status"] and f["holder"] not in alive and int(f["gen"] or 0) == gen
        ]

    def waiting_messages(
        self, up_to: int | None = None, taken: bool = True
    ) -> Counter[tuple[str, str, int]] | None:
        """(batch, job, generation) of every job message waiting in a queue (and, if `taken`, taken by a
        worker and not yet acknowledged), counted; None when more than `up_to` wait (too many to read)."""
        keys = [key for queue in QUEUES for key in queue_lists(queue, PRIORITY_TRANSPORT_OPTIONS)]
        if up_to is not None:
            pipe = self.redis.pipeline(transaction=False)
            for key in keys:
                pipe.llen(key)
            if sum(pipe.execute()) > up_to:
                return None
        found: Counter[tuple[str, str, int]] = Counter()
        raws: list[Any] = [raw for key in keys for raw in self.redis.lrange(key, 0, -1)]
        if taken:
            raws += [_envelope_of_unacked(raw) for raw in self.redis.hvals(UNACKED_KEY)]
        for raw in raws:
            try:
                carried = carried_job(json.loads(raw) if isinstance(raw, str) else raw)
            except ValueError:
                carried = None
            if carried is not None:
                found[(carried.batch_id, carried.job_id, carried.generation)] += 1
        return found

    def absent_for_long(self, jobs: list[tuple[str, str, dict[str, str]]]) -> list[tuple[str, str]]:
        """Of jobs handed on (held by nobody), those whose message has been nowhere for `ABSENT_FOR_S`."""
        if not jobs:
            self.redis.delete(ABSENT_KEY)
            return []
        waiting = self.waiting_messages(SCAN_QUEUES_UP_TO)
        if waiting is None:
            return []
        now = time.time()
        seen = self.redis.hgetall(ABSENT_KEY)
        absent = {f"{b} {j} {f['gen'] or 0}" for b, j, f in jobs if (b, j, int(f["gen"] or 0)) not in waiting}
        pipe = self.redis.pipeline(transaction=False)
        pipe.delete(ABSENT_KEY)
        since = {member: float(seen.get(member, now)) for member in absent}
        if since:
            pipe.hset(ABSENT_KEY, mapping={m: repr(t) for m, t in since.items()})
        pipe.execute()
        return [tuple(m.split(" ")[:2]) for m, t in since.items() if now - t >= ABSENT_FOR_S]  # type: ignore[misc]

    def forget(self, members: list[tuple[str, str]]) -> None:
        """Take terminal jobs off the work list."""
        if members:
            self.redis.zrem(HELD_KEY, *(f"{b} {j}" for b, j in members))

    def reissue(
        self, app: Any, batch_id: str, job_id: str, seen: dict[str, str], reissuer: str
    ) -> Reissue | None:
        """If the job is still as `seen` (holder, generation) and not terminal: bump its generation, send its
        stage's message again through `app` (a Celery app) and let go of it (it waits in its queue)."""
        keys = [self.store._job(batch_id, job_id), self.store._results(batch_id)]
        gen = self._reissue(keys=keys, args=[seen["holder"], seen["gen"] or "0", reissuer, job_id])
        if gen is None:  # it moved on meanwhile
            return None
        message = JobMessage(job_id=job_id, batch_id=batch_id, doc=seen["doc"] or None).model_dump(
            mode="json"
        )
        message["generation"] = int(gen)
        priority = int(seen["prio"]) if seen["prio"].isdigit() else None
        again = Reissue(stage_task(seen), message, priority)
        app.send_task(again.task_name, args=[message], task_id=f"reissue:{gen}:{job_id}", priority=priority)
        self.redis.eval(_RELEASE, 1, keys[0], reissuer)
        return again


def stage_task(fields: dict[str, str]) -> str:
    """The task a job needs next: its held stage; classify when it has no route yet; its route's once
    routed (a classify that recorded the route but whose next message never left)."""
    stage = fields.get("stage") or ""
    route = fields.get("route") or ""
    if not route:
        return CLASSIFY_TASK
    if stage and stage != CLASSIFY_TASK:
        return stage
    return ROUTE_TASK[Route.model_validate_json(route).target]


# The holder name of this process's current worker connection (worker/recovery.py sets it; a forked pool
# child inherits it). None outside a worker: nothing is held then.
_current: dict[str, str | None] = {"holder": None}


def current_holder() -> str | None:
    return _current["holder"]


def set_current_holder(holder: str | None) -> None:
    _current["holder"] = holder
