"""The Redis store: batch manifests, document text (stored once), job state, results, counters, events.

Every key of a batch shares the hash tag `{batch_id}`, so a batch lives in one cluster slot and the
Lua script that records a result can touch all of its keys atomically.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from worker.lifecycle import (
    BATCH_ROUTE_KEYS,
    BATCHES_INDEX,
    Retention,
    batch_route_prefix,
    expire_batch_extras,
    expire_budget_ledger,
    hold_document,
    prune_batch_index,
    release_document,
)
from worker.pricing import pico_to_usd
from worker.schema import (
    BatchReport,
    CloudShare,
    JobResult,
    JobStatus,
    Route,
    RouteTarget,
    RouteTotals,
    Sensitivity,
    SubmitOptions,
    Tags,
    TaskSpec,
)
from worker.second_line import totals as second_line_totals
from worker.tco import JobFootprint, local_cost, models_used

EVENTS_MAXLEN = 100_000
STORE_RETRY_CAP_S = 1.0
_COUNTED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.REJECTED)
_UNFINISHED_FIELDS = ["status", "enqueued", "source", "doc", "rejected", "floor"]

# Records a terminal result exactly once: the HSETNX is the gate, the counters move only when it opens.
_RECORD_RESULT = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('HINCRBY', KEYS[2], 'cost_pico', ARGV[7])
redis.call('HINCRBY', KEYS[2], 'baseline_pico', ARGV[8])
if ARGV[4] ~= '' then
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':jobs', 1)
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':input_tokens', ARGV[5])
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':output_tokens', ARGV[6])
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':cost_pico', ARGV[7])
  redis.call('HINCRBY', KEYS[2], ARGV[4] .. ':baseline_pico', ARGV[8])
end
-- Cost of ownership and licenses (docs/tco.md; worker/tco.py reads them). ARGV[11] is '1' when the job
-- made local calls: ARGV[12..16] are their GPU time (us), input and output tokens, cost and baseline
-- (pico), ARGV[17..18] the local fleet (hosts, one host's hourly price in pico; '0' hosts: not known to
-- this worker, keep what another wrote; else the last writer wins, all workers share one config).
-- ARGV[19] is "model<TAB>license<LF>" per model the job's calls used; KEYS[6] keeps model -> license.
if ARGV[11] == '1' then
  redis.call('HINCRBY', KEYS[2], 'tco:gpu_us', ARGV[12])
  redis.call('HINCRBY', KEYS[2], 'tco:input_tokens', ARGV[13])
  redis.call('HINCRBY', KEYS[2], 'tco:output_tokens', ARGV[14])
  redis.call('HINCRBY', KEYS[2], 'tco:cost_pico', ARGV[15])
  redis.call('HINCRBY', KEYS[2], 'tco:baseline_pico', ARGV[16])
  if ARGV[17] ~= '0' then
    redis.call('HSET', KEYS[2], 'tco:fleet_hosts', ARGV[17], 'tco:host_pico_per_hour', ARGV[18])
  end
end
for model, license in string.gmatch(ARGV[19], '([^\\t\\n]+)\\t([^\\n]*)\\n') do
  redis.call('HINCRBY', KEYS[2], 'model:' .. model .. ':jobs', 1)
  redis.call('HSET', KEYS[6], model, license)
end
redis.call('HSET', KEYS[4], 'status', ARGV[3])
-- A terminal job's record is kept for the retention (ARGV[20], ms; worker/lifecycle.py), then goes.
redis.call('PEXPIRE', KEYS[4], ARGV[20])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[9], '*', 'job_id', ARGV[1], 'status', ARGV[3])
local done = 0
for _, field in ipairs({'succeeded', 'failed', 'rejected'}) do
  done = done + tonumber(redis.call('HGET', KEYS[2], field) or '0')
end
local expected = redis.call('HGET', KEYS[5], 'jobs_expected')
-- The batch is done: its records expire together, the retention from now, the batch route's state too
-- (ARGV[21] its key prefix, ARGV[22] its per-batch key names; per group: the group, its jobs and fields).
-- 2 tells the caller so; 3 when the batch has a spending cap, whose ledger lives outside this slot.
if expected and tonumber(expected) == done and redis.call('HSETNX', KEYS[5], 'finished_at', ARGV[10]) == 1 then
  for _, k in ipairs({KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[6], KEYS[7]}) do
    redis.call('PEXPIRE', k, ARGV[20])
  end
  for name in string.gmatch(ARGV[22], '%S+') do
    redis.call('PEXPIRE', ARGV[21] .. ':' .. name, ARGV[20])
  end
  for _, gid in ipairs(redis.call('LRANGE', ARGV[21] .. ':groups', 0, -1)) do
    for _, part in ipairs({'', ':jobs', ':fields'}) do
      redis.call('PEXPIRE', ARGV[21] .. ':g:' .. gid .. part, ARGV[20])
    end
  end
  if redis.call('HEXISTS', KEYS[5], 'max_cost_usd') == 1 then
    return 3
  end
  return 2
end
return 1
"""

# Creates a batch's manifest in one step, its options included: a manifest never exists without them.
_CREATE_BATCH = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
"""

# Records a job's tags and route; the batch's cloud-share counters move on its first routing only.
_SET_ROUTED = """
redis.call('HSET', KEYS[1], 'tags', ARGV[1], 'route', ARGV[2], 'status', 'classified')
if ARGV[4] ~= '' and redis.call('HSETNX', KEYS[1], 'share_counted', '1') == 1 then
  redis.call('HINCRBY', KEYS[2], 'share:allowed', 1)
  if ARGV[4] == 'cloud' then
    redis.call('HINCRBY', KEYS[2], 'share:cloud', 1)
  end
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'job_id', ARGV[6], 'status', 'classified', 'route', ARGV[3])
return 1
"""

# Opens a delivery of a routed job on its backend's queue, in one round trip: nothing for a job that
# already has its result; else one more delivery and, unless that makes it poison, one more attempt.
_OPEN_EXECUTION = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return {1, 0, {}}
end
if tonumber(ARGV[4]) < tonumber(redis.call('HGET', KEYS[2], 'gen') or '0') then
  return {1, -1, {}}
end
local deliveries = redis.call('HINCRBY', KEYS[2], 'deliveries', 1)
if deliveries <= tonumber(ARGV[2]) then
  redis.call('HINCRBY', KEYS[2], 'attempts', 1)
  redis.call('HSET', KEYS[2], 'status', 'running')
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'job_id', ARGV[1], 'status', 'running')
end
return {0, deliveries, redis.call('HGETALL', KEYS[2])}
"""


class MissingRecord(KeyError):
    """Something a stage needs is not in Redis: never stored (Redis refused the write), evicted, expired
    or purged. A KeyError, so callers that only ask "is it there?" keep working."""


class BatchMissing(MissingRecord):
    pass


class JobMissing(MissingRecord):
    pass


class DocumentMissing(MissingRecord):
    pass


@dataclass(frozen=True)
class JobRecord:
    """What the workers need to run a job: where its text is, and what earlier stages decided."""

    job_id: str
    batch_id: str
    source: str
    doc_key: str
    status: JobStatus
    floor: Sensitivity | None
    tags: Tags | None
    route: Route | None
    attempts: int
    generation: int = 0  # re-issues so far (worker/liveness.py); an older message is stale


@dataclass(frozen=True)
class BatchManifest:
    batch_id: str
    task: TaskSpec
    created_at: float
    jobs_expected: int | None  # None while the submission is still streaming in
    finished_at: float | None
    options: SubmitOptions | None = None  # None: created by a Turnout that did not record them


@dataclass(frozen=True)
class StoredJob:
    """A job the producer stored but did not finish submitting: neither enqueued nor terminal."""

    job_id: str
    source: str
    doc_key: str | None  # None for a document rejected at submission
    rejected: str | None  # the rejection's reason
    floor: Sensitivity | None = None


@dataclass(frozen=True)
class BatchRoutingFacts:
    jobs: int
    deadline_s: float | None
    cloud_min_score: float | None


@dataclass(frozen=True)
class CostedResult:
    """A result plus its exact costs in picodollars (the float fields in the result are for display)."""

    result: JobResult
    cost_pico: int
    baseline_pico: int
    footprint: JobFootprint = JobFootprint()  # local GPU use, fleet and models, for docs/tco.md's report


@dataclass(frozen=True)
class RideAlong:
    """Another component's commands, sent on one of the store's round trips instead of one of their own
    (the Ollama slots, worker/flow/slots.py). They must be safe to run twice: a pipeline runs again when
    Redis has lost its script cache."""

    queue: Callable[[Any], int]  # puts commands on the pipeline; returns how many replies they give
    done: Callable[[list[Any]], None]  # their replies, once the pipeline has run
    scripts: tuple[str, ...] = ()  # the Lua sources they run by EVALSHA


class Store:
    """All Redis access goes through here; the workers and the producer share it."""

    def __init__(self, client: redis.Redis, retention: Retention | None = None):
        # decode_responses=True: every reply is str, which redis-py's stubs can't express (bytes | str).
        self.redis: Any = client
        self.retention = retention or Retention()  # how long texts and records live (worker/lifecycle.py)
        self._tasks: dict[str, TaskSpec] = {}
        self._record_result = client.register_script(_RECORD_RESULT)
        self._set_routed = client.register_script(_SET_ROUTED)
        self._open_execution = client.register_script(_OPEN_EXECUTION)

    @classmethod
    def from_url(
        cls, url: str, outage_tolerance_s: float = 60.0, retention: Retention | None = None
    ) -> Store:
        """A client that rides out a Redis restart: each command is retried with backoff for about
        `outage_tolerance_s` (connection lost, or the server still loading its append-only file)."""
        retries = max(1, int(outage_tolerance_s / STORE_RETRY_CAP_S))
        return cls(
            redis.Redis.from_url(
                url,
                decode_responses=True,
                health_check_interval=10,
                socket_connect_timeout=5,
                socket_keepalive=True,
                retry=Retry(ExponentialBackoff(cap=STORE_RETRY_CAP_S, base=0.05), retries),
                retry_on_error=[redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError],
            ),
            retention,
        )

    # keys -------------------------------------------------------------------------------------------
    @staticmethod
    def _batch(batch_id: str) -> str:
        return f"tn:{{{batch_id}}}:batch"

    @staticmethod
    def _jobs(batch_id: str) -> str:
        return f"tn:{{{batch_id}}}:jobs"

    @staticmethod
    def _job(batch_id: str, job_id: str) -> str:
        return f"tn:{{{batch_id}}}:job:{job_id}"

    @staticmethod
    def _results(batch_id: str) -> str:
        return f"tn:{{{batch_id}}}:results"

    @staticmethod
    def _counters(batch_id: str) -> str:
        return f"tn:{{{batch_id}}}:counters"

    @staticmethod
    def counters_key(batch_id: str) -> str:
        """The batch's counters (a hash of integers; the report reads them all)."""
        return Store._counters(batch_id)

    @staticmethod
    def _models(batch_id: str) -> str:
        return f"tn:{{{batch_id}}}:models"

    @staticmethod
    def events_key(batch_id: str) -> str:
        return f"tn:{{{batch_id}}}:events"

    @staticmethod
    def doc_key(text: str) -> str:
        return "tn:doc:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    # batches ----------------------------------------------------------------------------------------
    def create_batch(self, batch_id: str, task: TaskSpec, options: SubmitOptions | None = None) -> None:
        """Write the manifest: the task and the submission's options, atomically, before any job. What the
        workers read per job (floor, deadline, calibrated threshold) also gets a field of its own."""
        options = options or SubmitOptions()
        fields: dict[str, str] = {
            "task": task.model_dump_json(),
            "created_at": repr(time.time()),
            "options": options.model_dump_json(),
        }
        if options.floor is not None:
            fields["floor"] = options.floor.value
        if options.max_cost_usd is not None:  # the record script expires the cap's ledger with the batch
            fields["max_cost_usd"] = options.max_cost_usd
        if options.deadline_s is not None:
            fields["deadline_s"] = repr(float(options.deadline_s))
        if options.cloud_share_target is not None and options.cloud_min_score is not None:
            fields["cloud_share_target"] = repr(options.cloud_share_target)
            fields["cloud_min_score"] = repr(options.cloud_min_score)
        flat = [item for pair in fields.items() for item in pair]
        if not self.redis.eval(_CREATE_BATCH, 1, self._batch(batch_id), *flat):
            raise ValueError(f"batch {batch_id} already exists")
        self.redis.zadd(BATCHES_INDEX, {batch_id: time.time()})
        prune_batch_index(self.redis, self._batch)

    def batch_exists(self, batch_id: str) -> bool:
        return bool(self.redis.exists(self._batch(batch_id)))

    def seal_batch(self, batch_id: str, jobs_expected: int) -> None:
        """Submission finished: from now on the batch is done when this many jobs are terminal."""
        key = self._batch(batch_id)
        self.redis.hset(key, "jobs_expected", jobs_expected)
        if self.terminal_count(batch_id) >= jobs_expected and self.redis.hsetnx(
            key, "finished_at", repr(time.time())
        ):
            self._expire_batch(batch_id)

    def batch_keys(self, batch_id: str) -> list[str]:
        """The keys of a batch that exist once per batch (per-job ones hang off its job list)."""
        return [
            self._results(batch_id),
            self._counters(batch_id),
            self.events_key(batch_id),
            self._batch(batch_id),
            self._models(batch_id),
            self._jobs(batch_id),
        ]

    def _expire_batch(self, batch_id: str) -> None:
        """The batch is done: its records expire the retention from now (worker/lifecycle.py)."""
        pipe = self.redis.pipeline(transaction=False)
        for key in self.batch_keys(batch_id):
            pipe.pexpire(key, self.retention.retention_ms)
        pipe.execute()
        expire_batch_extras(self.redis, batch_id, self.retention)

    def task(self, batch_id: str) -> TaskSpec:
        """A batch's task: immutable once the batch exists, so each worker process reads it once."""
        task = self._tasks.get(batch_id)
        if task is None:
            raw = self.redis.hget(self._batch(batch_id), "task")
            if raw is None:
                raise BatchMissing(batch_id)
            if len(self._tasks) > 1024:
                self._tasks.clear()
            task = self._tasks[batch_id] = TaskSpec.model_validate_json(raw)
        return task

    def classify_inputs(self, batch_id: str, doc_key: str) -> tuple[str, BatchRoutingFacts]:
        """What the classify stage reads, in one trip: the document's text, and what routing needs to
        know about its batch: its size (expected once sealed, submitted so far before), its `--deadline`
        and its calibrated score threshold (`--cloud-share`)."""
        pipe = self.redis.pipeline(transaction=False)
        self._queue_classify_inputs(pipe, batch_id, doc_key)
        read = self._classify_inputs_of(*pipe.execute())
        if read is None:
            raise DocumentMissing(doc_key)
        return read

    def _queue_classify_inputs(self, pipe: Any, batch_id: str, doc_key: str) -> None:
        pipe.get(doc_key)
        pipe.hmget(self._batch(batch_id), ["jobs_expected", "deadline_s", "cloud_min_score"])
        pipe.llen(self._jobs(batch_id))

    @staticmethod
    def _classify_inputs_of(
        text: str | None, facts: list[str | None], submitted: int
    ) -> tuple[str, BatchRoutingFacts] | None:
        if text is None:
            return None
        expected, deadline, threshold = facts
        return str(text), BatchRoutingFacts(
            jobs=int(expected) if expected is not None else int(submitted),
            deadline_s=float(deadline) if deadline is not None else None,
            cloud_min_score=float(threshold) if threshold is not None else None,
        )

    def set_cloud_share(self, batch_id: str, target_share: float, threshold: float) -> None:
        """Record the batch's calibrated threshold; before any job is enqueued, since routing reads it."""
        self.redis.hset(
            self._batch(batch_id),
            mapping={"cloud_share_target": repr(target_share), "cloud_min_score": repr(threshold)},
        )

    def manifest(self, batch_id: str) -> BatchManifest:
        raw = self.redis.hgetall(self._batch(batch_id))
        if not raw:
            raise BatchMissing(batch_id)
        return BatchManifest(
            batch_id=batch_id,
            task=TaskSpec.model_validate_json(raw["task"]),
            created_at=float(raw.get("created_at", 0.0)),
            jobs_expected=int(raw["jobs_expected"]) if "jobs_expected" in raw else None,
            finished_at=float(raw["finished_at"]) if "finished_at" in raw else None,
            options=SubmitOptions.model_validate_json(raw["options"]) if "options" in raw else None,
        )

    def unfinished_jobs(self, batch_id: str, chunk: int = 1000) -> Iterator[StoredJob]:
        """The jobs a killed producer stored but left unfinished: not enqueued and without a result, each
        with what finishing it needs (its document, or its rejection's reason). Streamed in chunks."""
        start = 0
        while ids := self.redis.lrange(self._jobs(batch_id), start, start + chunk - 1):
            pipe = self.redis.pipeline(transaction=False)
            for job_id in ids:
                pipe.hmget(self._job(batch_id, job_id), _UNFINISHED_FIELDS)
            pipe.hmget(self._results(batch_id), ids)
            *fields, results = pipe.execute()
            for job_id, (status, enqueued, source, doc, rejected, floor), result in zip(
                ids, fields, results, strict=True
            ):
                if (
                    status == JobStatus.QUEUED.value
                    and not enqueued
                    and result is None
                    and source is not None
                ):
                    yield StoredJob(
                        job_id=job_id,
                        source=source,
                        doc_key=doc or None,
                        rejected=rejected,
                        floor=Sensitivity(floor) if floor else None,
                    )
            start += chunk

    def mark_enqueued(self, pipe: Any, batch_id: str, job_id: str) -> None:
        """Queue the note that a job's classify message is out, on the pipeline that sends it (a MULTI, so
        both or neither happen): a resumed submission must not send a second one."""
        pipe.hset(self._job(batch_id, job_id), "enqueued", "1")

    def submitted_count(self, batch_id: str) -> int:
        return int(self.redis.llen(self._jobs(batch_id)))

    # submission deadline (cloud-batch route) ---------------------------------------------------------
    def set_deadline(self, batch_id: str, deadline_s: float) -> None:
        """Record on the manifest how long the submitter can wait for results (`--deadline`)."""
        self.redis.hset(self._batch(batch_id), "deadline_s", repr(float(deadline_s)))

    def deadline_s(self, batch_id: str) -> float | None:
        raw = self.redis.hget(self._batch(batch_id), "deadline_s")
        return float(raw) if raw is not None else None

    def latest_batch(self) -> str | None:
        newest = self.redis.zrevrange(BATCHES_INDEX, 0, 0)
        return newest[0] if newest else None

    # documents and jobs -----------------------------------------------------------------------------
    def add_jobs(self, pipe: Any, batch_id: str, jobs: Iterable[NewJob]) -> None:
        """Queue the writes for new jobs on a pipeline, in submission order: text once per distinct document,
        a hash per job. A rejected document (no text) gets only its hash and its place in the order.

        On a pipeline with nothing on it yet, the writes go in one MULTI/EXEC: a Redis that refuses writes
        (full, read-only) then refuses the chunk whole, where a plain pipeline could keep a job's record
        and lose its text, or its place in the order and lose its record: jobs no resume could complete."""
        if not pipe.command_stack and not pipe.explicit_transaction:
            pipe.multi()
        for job in jobs:
            fields = {"batch_id": batch_id, "source": job.source, "status": JobStatus.QUEUED.value}
            if job.text is not None:
                doc_key = self.doc_key(job.text)
                hold_document(pipe, doc_key, job.job_id, job.text)
                fields["doc"] = doc_key
            if job.floor is not None:
                fields["floor"] = job.floor.value
            if job.rejected is not None:  # kept with the job, so a resume can record it if we die first
                fields["rejected"] = job.rejected
            pipe.hset(self._job(batch_id, job.job_id), mapping=fields)
            pipe.rpush(self._jobs(batch_id), job.job_id)

    def open_classify(
        self, batch_id: str, job_id: str, doc_key: str | None
    ) -> tuple[bool, int, JobRecord, tuple[str, BatchRoutingFacts] | None]:
        """One round trip at the start of a classify delivery: terminal already?, the delivery count, the
        job and, when the message names the job's document, `classify_inputs` (None when it named none,
        or another document than the job's). The job's floor is at least its batch's (`--sensitivity`, on
        the manifest): a job stored without its own floor is still never tagged below it."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hexists(self._results(batch_id), job_id)
        pipe.hincrby(self._job(batch_id, job_id), "deliveries", 1)
        pipe.hgetall(self._job(batch_id, job_id))
        pipe.hget(self._batch(batch_id), "floor")
        if doc_key is not None:
            self._queue_classify_inputs(pipe, batch_id, doc_key)
        terminal, deliveries, raw, batch_floor, *inputs = pipe.execute()
        job = self._job_record(batch_id, job_id, raw)
        if batch_floor:
            job = replace(job, floor=Sensitivity.max(job.floor, Sensitivity(batch_floor)))
        read = self._classify_inputs_of(*inputs) if inputs and doc_key == job.doc_key else None
        return bool(terminal), int(deliveries), job, read

    def open_execution(
        self,
        batch_id: str,
        job_id: str,
        max_deliveries: int,
        *,
        read: tuple[str, str] | None = None,
        also: RideAlong | None = None,
        generation: int = 0,
    ) -> tuple[int, JobRecord | None, tuple[str | None, dict[str, str]] | None]:
        """One round trip at the start of a local or cloud delivery, which also starts the attempt: the
        delivery count and the job (None when it already has its result). The attempt is counted only
        when the delivery count is within `max_deliveries`.

        `read` (a document key, a hash key: the job's answered calls) is read in the same trip: the text
        (None if missing) and the hash come back third; None when nothing was asked. `also` rides along
        (a slot for the job's first call). A message older than the job's `generation` opens nothing
        either: the delivery count is then -1."""
        keys = [self._results(batch_id), self._job(batch_id, job_id), self.events_key(batch_id)]
        args = [job_id, max_deliveries, EVENTS_MAXLEN, generation]

        def queue(pipe: Any) -> None:
            pipe.evalsha(self._open_execution.sha, len(keys), *keys, *args)
            if read is not None:
                pipe.get(read[0])
                pipe.hgetall(read[1])

        (terminal, deliveries, flat), *fetched = self._pipelined(queue, _OPEN_EXECUTION, also=also)
        if terminal:
            return int(deliveries), None, None
        raw = dict(zip(flat[::2], flat[1::2], strict=True))
        text_and_hash = (fetched[0], fetched[1]) if read is not None else None
        return int(deliveries), self._job_record(batch_id, job_id, raw), text_and_hash

    def text_and_hash(self, doc_key: str, hash_key: str) -> tuple[str, dict[str, str]]:
        """A document's text and a hash (a job's answered calls) in one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.get(doc_key)
        pipe.hgetall(hash_key)
        text, fields = pipe.execute()
        if text is None:
            raise DocumentMissing(doc_key)
        return str(text), fields

    def _pipelined(
        self, queue: Callable[[Any], None], *scripts: str, also: RideAlong | None = None
    ) -> list[Any]:
        """The commands `queue` (then `also`) puts on a pipeline, run in one round trip; the replies to
        `queue`'s (`also` gets its own).

        Scripts go in as EVALSHA: a redis-py Script object in a pipeline costs an extra SCRIPT EXISTS
        round trip. When Redis has lost its script cache (a restart), only the commands it refused run
        again, once the scripts are loaded: the others have run, and must not run twice (a delivery or
        an attempt would be counted twice, a slot taken twice).
        """
        pipe = self.redis.pipeline(transaction=False)
        queue(pipe)
        extra = also.queue(pipe) if also is not None else 0
        sent = list(pipe.command_stack)
        replies = list(pipe.execute(raise_on_error=False))
        refused = [i for i, reply in enumerate(replies) if isinstance(reply, redis.exceptions.NoScriptError)]
        if refused:
            for script in (*scripts, *(also.scripts if also is not None else ())):
                self.redis.script_load(script)
            again = self.redis.pipeline(transaction=False)
            for i in refused:
                args, options = sent[i]
                again.execute_command(*args, **options)
            for i, reply in zip(refused, again.execute(raise_on_error=False), strict=True):
                replies[i] = reply
        theirs = replies[len(replies) - extra :]
        if also is not None and not any(isinstance(reply, Exception) for reply in theirs):
            # Even when one of ours failed (a Redis refusing writes can refuse one command and take the
            # next): what `also` took (a slot) must be known to it, to be given back.
            also.done(theirs)
        failed = next((reply for reply in replies if isinstance(reply, Exception)), None)
        if failed is not None:
            raise failed
        return replies[: len(replies) - extra]

    def job(self, batch_id: str, job_id: str) -> JobRecord:
        return self._job_record(batch_id, job_id, self.redis.hgetall(self._job(batch_id, job_id)))

    @staticmethod
    def _job_record(batch_id: str, job_id: str, raw: dict[str, str]) -> JobRecord:
        if not raw or "source" not in raw:
            raise JobMissing(job_id)
        return JobRecord(
            job_id=job_id,
            batch_id=batch_id,
            source=raw["source"],
            doc_key=raw.get("doc", ""),
            status=JobStatus(raw["status"]),
            floor=Sensitivity(raw["floor"]) if raw.get("floor") else None,
            tags=Tags.model_validate_json(raw["tags"]) if raw.get("tags") else None,
            route=Route.model_validate_json(raw["route"]) if raw.get("route") else None,
            attempts=int(raw.get("attempts", 0)),
            generation=int(raw.get("gen", 0)),
        )

    def text(self, doc_key: str) -> str:
        text = self.redis.get(doc_key)
        if text is None:
            raise DocumentMissing(doc_key)
        return str(text)

    def set_routed(
        self,
        batch_id: str,
        job_id: str,
        tags: Tags,
        route: Route,
        *,
        cloud_allowed: bool = False,
        then: Callable[[Any], None] | None = None,
    ) -> None:
        """Record the classifier's tags and the route. A cloud-allowed job also counts, once however
        often it is classified, towards the batch's cloud share (cloud-allowed jobs sent to the cloud).

        `then` queues more writes on the same round trip, after the routing: the job's message to its
        next stage, which so never waits on a second trip and never runs before its route is recorded."""
        share = ""
        if cloud_allowed:
            share = "cloud" if route.target in (RouteTarget.CLOUD, RouteTarget.CLOUD_BATCH) else "local"
        keys = [self._job(batch_id, job_id), self._counters(batch_id), self.events_key(batch_id)]
        args = [
            tags.model_dump_json(),
            route.model_dump_json(),
            route.target.value,
            share,
            EVENTS_MAXLEN,
            job_id,
        ]
        if then is None:
            self._set_routed(keys=keys, args=args)
            return
        pipe = self.redis.pipeline(transaction=False)
        # EVAL with the script's text, not EVALSHA: after a Redis restart, a NOSCRIPT error would skip the
        # routing while the writes queued after it still ran. (A job that reaches a queue without its
        # route is failed there as `misrouted`, never run.)
        pipe.eval(_SET_ROUTED, len(keys), *keys, *args)
        then(pipe)
        pipe.execute()

    def cancel_attempt(self, batch_id: str, job_id: str) -> None:
        """The attempt never reached a backend (none was available): don't count it."""
        self.redis.hincrby(self._job(batch_id, job_id), "attempts", -1)

    def cancel_delivery(self, batch_id: str, job_id: str) -> None:
        """The delivery only waited (for a backend, or for budget) and re-scheduled itself: it must not
        count toward the poison limit (`max_deliveries`), or a long honest wait would dead-letter the job."""
        self.redis.hincrby(self._job(batch_id, job_id), "deliveries", -1)

    def waited_for_backend_s(self, batch_id: str, job_id: str) -> float:
        """Seconds since the job first found no backend available (starts the clock on the first call)."""
        key = self._job(batch_id, job_id)
        now = time.time()
        self.redis.hsetnx(key, "waiting_since", repr(now))
        return now - float(self.redis.hget(key, "waiting_since") or now)

    def reroute(self, batch_id: str, job_id: str, route: Route) -> None:
        pipe = self.redis.pipeline()
        pipe.hset(
            self._job(batch_id, job_id), mapping={"route": route.model_dump_json(), "status": "classified"}
        )
        self._event(pipe, batch_id, job_id, JobStatus.CLASSIFIED, route=route.target.value, fallback="1")
        pipe.execute()

    # resubmission: identical document + identical task = the finished result is reused, not re-run --------
    @staticmethod
    def _done_key(task: TaskSpec, doc_key: str) -> str:
        task_digest = hashlib.sha256(task.model_dump_json().encode()).hexdigest()[:16]
        return f"tn:done:{task_digest}:{doc_key.rsplit(':', 1)[-1]}"

    def find_done(self, task: TaskSpec, doc_keys: list[str]) -> list[JobResult | None]:
        """For each document, the earlier succeeded result of the same task, if any."""
        if not doc_keys:
            return []
        refs = self.redis.mget([self._done_key(task, key) for key in doc_keys])
        pipe = self.redis.pipeline(transaction=False)
        for ref in refs:
            if ref:
                batch_id, job_id = ref.split(" ", 1)
                pipe.hget(self._results(batch_id), job_id)
        found = iter(pipe.execute())
        results = [
            JobResult.model_validate_json(raw) if ref and (raw := next(found)) else None for ref in refs
        ]
        # Only a success is reused (the index is written next to the result, before its outcome is known).
        return [r if r is not None and r.status is JobStatus.SUCCEEDED else None for r in results]

    def start_attempt(self, batch_id: str, job_id: str) -> int:
        """Count one more backend attempt; returns the attempt number (1-based)."""
        pipe = self.redis.pipeline()
        pipe.hincrby(self._job(batch_id, job_id), "attempts", 1)
        pipe.hset(self._job(batch_id, job_id), "status", JobStatus.RUNNING.value)
        self._event(pipe, batch_id, job_id, JobStatus.RUNNING)
        attempts, *_ = pipe.execute()
        return int(attempts)

    def _event(self, pipe: Any, batch_id: str, job_id: str, status: JobStatus, **fields: str) -> None:
        pipe.xadd(
            self.events_key(batch_id),
            {"job_id": job_id, "status": status.value, **fields},
            maxlen=EVENTS_MAXLEN,
            approximate=True,
        )

    # results ----------------------------------------------------------------------------------------
    def has_result(self, batch_id: str, job_id: str) -> bool:
        return bool(self.redis.hexists(self._results(batch_id), job_id))

    def record_result(
        self,
        costed: CostedResult,
        *,
        remember: tuple[TaskSpec, str] | None = None,
        drop: tuple[str, ...] = (),
        also: RideAlong | None = None,
    ) -> bool:
        """Write a job's terminal result exactly once; False if it already had one (a re-delivery).

        In the same round trip: `remember` (task, doc key) names the job's document, which the job lets go
        of (its text goes when no other job holds it, worker/lifecycle.py), and indexes a succeeded result
        for reuse by a later submission of the same document and task, for the retention; the keys in
        `drop` (the job's call checkpoints) are deleted. All idempotent, so they need not wait for the
        write's answer: a duplicate's index entry names the same job, whose recorded result `find_done`
        checks before reusing it. `also` rides along (the slot of the job's last call, given back).
        """
        keys, args = self._record_call(costed)
        result = costed.result

        def queue(pipe: Any) -> None:
            pipe.evalsha(self._record_result.sha, len(keys), *keys, *args)
            if remember is not None and remember[1]:
                task, doc_key = remember
                release_document(pipe, doc_key, result.job_id, self.retention.document_keep_ms)
                if result.status is JobStatus.SUCCEEDED and result.reused_from is None:
                    done = f"{result.batch_id} {result.job_id}"
                    pipe.set(self._done_key(task, doc_key), done, px=self.retention.retention_ms)
            if drop:
                pipe.delete(*drop)

        outcome = self._pipelined(queue, _RECORD_RESULT, also=also)[0]
        if outcome == 3:  # this result finished a batch with a spending cap: its ledger goes with it
            expire_budget_ledger(self.redis, result.batch_id, self.retention)
        return bool(outcome)

    def _record_call(self, costed: CostedResult) -> tuple[list[str], list[object]]:
        """The record script's keys and arguments for one result."""
        result = costed.result
        batch_id = result.batch_id
        route = result.route.value if result.route is not None else ""
        footprint, local = costed.footprint, costed.footprint.local
        return (
            [
                self._results(batch_id),
                self._counters(batch_id),
                self.events_key(batch_id),
                self._job(batch_id, result.job_id),
                self._batch(batch_id),
                self._models(batch_id),
                self._jobs(batch_id),
            ],
            [
                result.job_id,
                result.model_dump_json(),
                result.status.value,
                route,
                result.usage.input_tokens,
                result.usage.output_tokens,
                costed.cost_pico,
                costed.baseline_pico,
                EVENTS_MAXLEN,
                repr(time.time()),
                "1" if local.calls else "0",
                local.gpu_us,
                local.input_tokens,
                local.output_tokens,
                local.cost_pico,
                local.baseline_pico,
                footprint.fleet_hosts,
                footprint.host_pico_per_hour,
                "".join(f"{model}\t{license}\n" for model, license in footprint.models),
                self.retention.retention_ms,
                batch_route_prefix(batch_id),
                " ".join(BATCH_ROUTE_KEYS),
            ],
        )

    def iter_results(self, batch_id: str, chunk: int = 500) -> Iterator[JobResult]:
        """Results in submission order (rejections included), streamed in chunks."""
        job_ids_key = self._jobs(batch_id)
        start = 0
        while True:
            ids = self.redis.lrange(job_ids_key, start, start + chunk - 1)
            if not ids:
                return
            for raw in self.redis.hmget(self._results(batch_id), ids):
                if raw is not None:
                    yield JobResult.model_validate_json(raw)
            start += chunk

    def terminal_count(self, batch_id: str) -> int:
        values = self.redis.hmget(self._counters(batch_id), [s.value for s in _COUNTED_STATUSES])
        return sum(int(v or 0) for v in values)

    def report(self, batch_id: str) -> BatchReport:
        """Totals over what has reached a terminal state so far; works during the batch too."""
        manifest = self.manifest(batch_id)
        counters = {k: int(v) for k, v in self.redis.hgetall(self._counters(batch_id)).items()}
        submitted = self.submitted_count(batch_id)
        jobs = manifest.jobs_expected if manifest.jobs_expected is not None else submitted
        succeeded, failed, rejected = (counters.get(s.value, 0) for s in _COUNTED_STATUSES)
        by_route = {
            target.value: RouteTotals(
                jobs=counters.get(f"{target.value}:jobs", 0),
                input_tokens=counters.get(f"{target.value}:input_tokens", 0),
                output_tokens=counters.get(f"{target.value}:output_tokens", 0),
                cost_usd=pico_to_usd(counters.get(f"{target.value}:cost_pico", 0)),
                baseline_cost_usd=pico_to_usd(counters.get(f"{target.value}:baseline_pico", 0)),
                savings_usd=pico_to_usd(
                    counters.get(f"{target.value}:baseline_pico", 0)
                    - counters.get(f"{target.value}:cost_pico", 0)
                ),
            )
            for target in RouteTarget
        }
        cost_pico = counters.get("cost_pico", 0)
        baseline_pico = counters.get("baseline_pico", 0)
        savings_pico = baseline_pico - cost_pico
        end = manifest.finished_at if manifest.finished_at is not None else time.time()
        return BatchReport(
            batch_id=batch_id,
            jobs=jobs,
            succeeded=succeeded,
            failed=failed,
            rejected=rejected,
            pending=max(0, jobs - succeeded - failed - rejected),
            by_route=by_route,
            cost_usd=pico_to_usd(cost_pico),
            baseline_cost_usd=pico_to_usd(baseline_pico),
            savings_usd=pico_to_usd(savings_pico),
            savings_pct=round(100.0 * savings_pico / baseline_pico, 2) if baseline_pico else 0.0,
            duration_s=round(max(0.0, end - manifest.created_at), 3),
            done=manifest.finished_at is not None,
            sealed=manifest.jobs_expected is not None,
            cloud_share=self._cloud_share(batch_id, counters),
            local_cost=local_cost(counters, max(0.0, end - manifest.created_at)),
            models=models_used(counters, self.redis.hgetall(self._models(batch_id))),
            second_line=second_line_totals(counters),
        )

    def _cloud_share(self, batch_id: str, counters: dict[str, int]) -> CloudShare:
        target, threshold = self.redis.hmget(self._batch(batch_id), ["cloud_share_target", "cloud_min_score"])
        allowed, cloud = counters.get("share:allowed", 0), counters.get("share:cloud", 0)
        return CloudShare(
            cloud_allowed_jobs=allowed,
            cloud_jobs=cloud,
            achieved=round(cloud / allowed, 4) if allowed else 0.0,
            target=float(target) if target is not None else None,
            threshold=round(float(threshold), 6) if threshold is not None else None,  # display
        )


@dataclass(frozen=True)
class NewJob:
    """A document to enqueue; `text` is None for one rejected at submission."""

    job_id: str
    source: str
    text: str | None
    floor: Sensitivity | None = None
    rejected: str | None = None  # the reason, for a document rejected at submission
