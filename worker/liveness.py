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

The same heartbeat says which workers are alive for `turnout status` (producer/stalls.py): each beat also
writes the worker's node name, the queues it consumes and its current holder name into `tn:workers`, and
a worker counts as alive while that holder's heartbeat lives (`live_consumers`). One beat, one thread
(worker/recovery.py); the reader needs no blocking command, which compose's producer user may not run
(ops/redis/acl.py).

Keys (worker/store/keys.py; every Redis command is worker/store/holds.py's): `tn:alive:<holder>` (the
heartbeat), `tn:workers` (node name -> queues, holder, last beat), `tn:held` (a sorted set of "batch job"
members enqueued by the producer or received by some worker, and perhaps not yet terminal: the sweeper's
work list, cleaned of terminal jobs as it goes), and in each job's hash: `gen`
(the generation), `holder`, `stage` (the task name received) and `prio`.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from worker.flow.priority import PRIORITY_TRANSPORT_OPTIONS, queue_lists
from worker.queues import (
    BATCH_COLLECT_TASK,
    CLASSIFY_TASK,
    CLOUD_TASK,
    LOCAL_TASK,
    QUEUES,
    SECOND_LINE_TASK,
)
from worker.schema import JobMessage, Route, RouteTarget
from worker.second_line import check_pending
from worker.store import HeldJob, Store
from worker.store.holds import Holds

HEARTBEAT_EVERY_S = 3.0
HEARTBEAT_TTL_S = 15.0  # five missed beats: a busy machine misses one, a dead worker misses them all
FORGET_S = 24 * 3600.0  # a `tn:workers` entry this old is a worker long gone (killed, a replaced container)
SWEEP_EVERY_S = 5.0
ORPHAN_AFTER_S = 15.0  # a message taken this long ago and held by nobody alive: its taker died first
# A job handed on to a queue (held by nobody) whose message is in no queue and not taken by any worker, for
# this long: the message was lost between Redis and a consumer (BRPOP hands it over before the consumer
# records it as unacknowledged: a consumer killed or disconnected in between loses it). Re-issued.
ABSENT_FOR_S = 10.0
SCAN_QUEUES_UP_TO = 20_000  # messages waiting in all queues; above, a missing one is not looked for
# The stages whose deliveries are held and re-issued. The cloud-batch route's later life (flush and poll
# chains) has its own durable chains (worker/batch/tasks.py).
HELD_TASKS = (CLASSIFY_TASK, SECOND_LINE_TASK, LOCAL_TASK, CLOUD_TASK)
ROUTE_TASK = {
    RouteTarget.LOCAL: LOCAL_TASK,
    RouteTarget.CLOUD: CLOUD_TASK,
    RouteTarget.CLOUD_BATCH: BATCH_COLLECT_TASK,
}


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
    """Heartbeats, holds and re-issues, through the store (worker/store/holds.py)."""

    def __init__(self, store: Store):
        self.holds: Holds = store.holds

    def beat(self, holder: str, node: str, queues: Sequence[str]) -> None:
        """The worker's one heartbeat: `holder`'s (its current connection) and its entry in `tn:workers`
        (node name, the queues it consumes), in one round trip."""
        entry = json.dumps({"queues": sorted(queues), "holder": holder, "seen_at": time.time()})
        self.holds.beat(holder, int(HEARTBEAT_TTL_S * 1000), node, entry)

    def stop_beating(self, holder: str) -> None:
        """This connection is gone (a reconnect): what it still holds is swept at once."""
        self.holds.stop_beating(holder)

    def leave(self, holder: str, node: str) -> None:
        """The worker stops: what it still holds is swept at once, and `turnout status` no longer lists it."""
        self.holds.leave(holder, node)

    def take_sweep_lock(self, holder: str, ttl_ms: int) -> bool:
        return self.holds.take_sweep_lock(holder, ttl_ms)

    def hold(self, message: dict[str, Any], holder: str, task_name: str, priority: int | None) -> bool:
        """Record `holder` as the job's holder (a worker received its message); False for a stale copy."""
        msg = JobMessage.model_validate(message)
        prio = "" if priority is None else str(priority)
        return self.holds.hold(msg.batch_id, msg.job_id, generation_of(message), holder, task_name, prio)

    @staticmethod
    def hand_on(pipe: Any, batch_id: str, job_id: str, stage: str, generation: int) -> None:
        """Queue, on the pipeline that sends the job to its next queue, the end of `stage`'s hold."""
        Holds.queue_hand_on(pipe, batch_id, job_id, stage, generation)

    def alive(self, holders: set[str]) -> set[str]:
        return self.holds.alive(holders)

    def held_jobs(self) -> tuple[list[HeldJob], Counter[tuple[str, str, int]] | None]:
        """The jobs on the work list whose message is not waiting in a queue, with their holder/gen/stage/
        prio/status/route/doc and whether they are terminal; and the queues' messages (None: too many to
        read, and then every job on the list is inspected). A job whose message waits in a queue is neither
        held by a worker nor lost: a long queue (the 10,000-job window) costs one read of the queues per
        sweep, not two commands per waiting job."""
        members = self.holds.held_members()
        if not members:
            return [], Counter()
        in_queues = self.waiting_messages(SCAN_QUEUES_UP_TO, taken=False)
        if in_queues is not None:
            waiting = {(b, j) for b, j, _ in in_queues}
            members = [m for m in members if m not in waiting]
        return self.inspect(members), in_queues

    def inspect(self, jobs: list[tuple[str, str]]) -> list[HeldJob]:
        return self.holds.inspect(jobs)

    def orphans(self, older_than_s: float) -> list[tuple[str, str]]:
        """Jobs whose message a worker took from its queue more than `older_than_s` ago and still has not
        acknowledged, that nobody alive holds: the worker died between taking the message and holding the
        job. Read from the broker's unacknowledged-message records (kombu's `unacked` hash and index)."""
        jobs: list[tuple[str, str, int]] = []
        for raw in self.holds.unacked_taken_before(time.time() - older_than_s):
            try:
                carried = carried_job(json.loads(raw)[0]) if raw else None
            except (ValueError, IndexError, TypeError):
                carried = None
            if carried is not None and carried.task_name in HELD_TASKS:
                jobs.append((carried.batch_id, carried.job_id, carried.generation))
        if not jobs:
            return []
        inspected = self.inspect([(b, j) for b, j, _ in jobs])
        alive = self.alive({f["holder"] for _, _, f, _ in inspected})
        return [
            (b, j)
            for (b, j, f, terminal), (_, _, gen) in zip(inspected, jobs, strict=True)
            if not terminal and f["status"] and f["holder"] not in alive and int(f["gen"] or 0) == gen
        ]

    def waiting_messages(
        self, up_to: int | None = None, taken: bool = True, queued: bool = True
    ) -> Counter[tuple[str, str, int]] | None:
        """(batch, job, generation) of every job message waiting in a queue (if `queued`; None when more
        than `up_to` wait: too many to read) and, if `taken`, taken by a worker and not yet acknowledged."""
        lists = [key for queue in QUEUES for key in queue_lists(queue, PRIORITY_TRANSPORT_OPTIONS)]
        if queued and up_to is not None and self.holds.waiting_count(lists) > up_to:
            return None
        found: Counter[tuple[str, str, int]] = Counter()
        raws: list[Any] = list(self.holds.waiting(lists)) if queued else []
        if taken:
            raws += [_envelope_of_unacked(raw) for raw in self.holds.unacked()]
        for raw in raws:
            try:
                carried = carried_job(json.loads(raw) if isinstance(raw, str) else raw)
            except ValueError:
                carried = None
            if carried is not None:
                found[(carried.batch_id, carried.job_id, carried.generation)] += 1
        return found

    def absent_for_long(
        self, jobs: list[tuple[str, str, dict[str, str]]], in_queues: Counter[tuple[str, str, int]] | None
    ) -> list[tuple[str, str]]:
        """Of jobs handed on or still queued (held by nobody), those whose message has been nowhere for
        `ABSENT_FOR_S`: not in `in_queues` (the queues' messages, `held_jobs`), not taken by a worker."""
        if not jobs:
            self.holds.set_absent({})
            return []
        if in_queues is None:  # too many waiting to look for one
            return []
        waiting = in_queues + (self.waiting_messages(queued=False) or Counter())
        now = time.time()
        seen = self.holds.absent_since()
        absent = {f"{b} {j} {f['gen'] or 0}" for b, j, f in jobs if (b, j, int(f["gen"] or 0)) not in waiting}
        since = {member: float(seen.get(member, now)) for member in absent}
        self.holds.set_absent(since)
        return [tuple(m.split(" ")[:2]) for m, t in since.items() if now - t >= ABSENT_FOR_S]  # type: ignore[misc]

    def at_provider(self, jobs: Sequence[tuple[str, str, dict[str, str]]]) -> set[tuple[str, str]]:
        """Of jobs held by nobody, those a provider batch holds: on the Batch API route (its second-line
        check done) with a request staged and not answered yet. No message is missing: the group's poll
        chain (worker/batch/tasks.py) hands each on when its answer comes back, up to the provider's 24 h
        window later, so re-issuing their collect every sweep would only be a storm of no-ops."""
        return self.holds.at_provider([(b, j) for b, j, fields in jobs if on_batch_api(fields)])

    def forget(self, members: list[tuple[str, str]]) -> None:
        """Take terminal jobs off the work list."""
        self.holds.forget(members)

    def reissue(
        self, app: Any, batch_id: str, job_id: str, seen: dict[str, str], reissuer: str
    ) -> Reissue | None:
        """If the job is still as `seen` (holder, generation) and not terminal: bump its generation, send its
        stage's message again through `app` (a Celery app) and let go of it (it waits in its queue)."""
        gen = self.holds.reissue(batch_id, job_id, seen["holder"], seen["gen"] or "0", reissuer)
        if gen is None:  # it moved on meanwhile
            return None
        message = JobMessage(job_id=job_id, batch_id=batch_id, doc=seen["doc"] or None).model_dump(
            mode="json"
        )
        message["generation"] = gen
        priority = int(seen["prio"]) if seen["prio"].isdigit() else None
        again = Reissue(stage_task(seen), message, priority)
        app.send_task(again.task_name, args=[message], task_id=f"reissue:{gen}:{job_id}", priority=priority)
        self.holds.let_go(batch_id, job_id, reissuer)
        return again


def live_consumers(store: Store) -> dict[str, tuple[str, ...]]:
    """The live workers (node name -> the queues it consumes): those whose heartbeat has not expired."""
    holds = store.holds
    entries = {node: json.loads(raw) for node, raw in holds.worker_entries().items()}
    alive = holds.alive({str(entry.get("holder") or "") for entry in entries.values()})
    now = time.time()
    live: dict[str, tuple[str, ...]] = {}
    gone = []
    for node, entry in entries.items():
        age_s = now - float(entry["seen_at"])
        # An entry with no holder is a worker of an earlier release (a rolling upgrade): its age says.
        if entry.get("holder") in alive or ("holder" not in entry and age_s <= HEARTBEAT_TTL_S):
            live[node] = tuple(entry["queues"])
        elif age_s > FORGET_S:
            gone.append(node)
    holds.forget_workers(gone)  # a hard-killed worker never removed its entry
    return live


def on_batch_api(fields: dict[str, str]) -> bool:
    """Whether a job's record (HOLD_FIELDS) routes it to the Batch API, past its second-line check."""
    route = fields.get("route") or ""
    if RouteTarget.CLOUD_BATCH.value not in route:  # most jobs: no parse
        return False
    routed = Route.model_validate_json(route)
    return routed.target is RouteTarget.CLOUD_BATCH and not check_pending(routed)


def stage_task(fields: dict[str, str]) -> str:
    """The task a job needs next: its held stage; classify when it has no route yet; the second line's
    check while its cloud route waits for it (never the cloud unchecked); its route's once routed (a
    classify or check that recorded the route but whose next message never left)."""
    stage = fields.get("stage") or ""
    route = fields.get("route") or ""
    if not route:
        return CLASSIFY_TASK
    routed = Route.model_validate_json(route)
    if check_pending(routed):
        return SECOND_LINE_TASK
    if stage and stage not in (CLASSIFY_TASK, SECOND_LINE_TASK):
        return stage
    return ROUTE_TASK[routed.target]


# The holder name of this process's current worker connection (worker/recovery.py sets it; a forked pool
# child inherits it). None outside a worker: nothing is held then.
_current: dict[str, str | None] = {"holder": None}


def current_holder() -> str | None:
    return _current["holder"]


def set_current_holder(holder: str | None) -> None:
    _current["holder"] = holder
