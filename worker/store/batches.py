"""A batch's manifest and counters: created before its jobs, sealed when the submission ends, done when
every job is terminal (its records then expire together, store/lifecycle.py)."""

from __future__ import annotations

import time
from typing import Any

from worker.schema import JobStatus, SubmitOptions, TaskSpec
from worker.store import keys
from worker.store.connection import Connection
from worker.store.lifecycle import expire_batch_extras, prune_batch_index
from worker.store.lua import source
from worker.store.records import (
    BatchManifest,
    BatchMissing,
    BatchRoutingFacts,
    ClassifyInputs,
    DocumentMissing,
)

COUNTED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.REJECTED)


class Batches(Connection):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._tasks: dict[str, TaskSpec] = {}

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
        if not self.redis.eval(source("create_batch"), 1, keys.batch(batch_id), *flat):
            raise ValueError(f"batch {batch_id} already exists")
        self.redis.zadd(keys.BATCHES_INDEX, {batch_id: time.time()})
        prune_batch_index(self.redis)

    def batch_exists(self, batch_id: str) -> bool:
        return bool(self.redis.exists(keys.batch(batch_id)))

    def seal_batch(self, batch_id: str, jobs_expected: int) -> None:
        """Submission finished: from now on the batch is done when this many jobs are terminal."""
        key = keys.batch(batch_id)
        self.redis.hset(key, "jobs_expected", jobs_expected)
        if self.terminal_count(batch_id) >= jobs_expected and self.redis.hsetnx(
            key, "finished_at", repr(time.time())
        ):
            self._expire_batch(batch_id)

    @staticmethod
    def batch_keys(batch_id: str) -> list[str]:
        """The keys of a batch that exist once per batch (per-job ones hang off its job list), the job
        list last (a purge deletes them in this order)."""
        return [
            keys.results(batch_id),
            keys.counters(batch_id),
            keys.events(batch_id),
            keys.batch(batch_id),
            keys.models(batch_id),
            keys.retrying(batch_id),
            keys.jobs(batch_id),
        ]

    def _expire_batch(self, batch_id: str) -> None:
        """The batch is done: its records expire the retention from now (store/lifecycle.py)."""
        pipe = self.redis.pipeline(transaction=False)
        for key in self.batch_keys(batch_id):
            pipe.pexpire(key, self.retention.retention_ms)
        pipe.execute()
        expire_batch_extras(self.redis, batch_id, self.retention)

    def task(self, batch_id: str) -> TaskSpec:
        """A batch's task: immutable once the batch exists, so each worker process reads it once."""
        task = self._tasks.get(batch_id)
        if task is None:
            raw = self.redis.hget(keys.batch(batch_id), "task")
            if raw is None:
                raise BatchMissing(batch_id)
            if len(self._tasks) > 1024:
                self._tasks.clear()
            task = self._tasks[batch_id] = TaskSpec.model_validate_json(raw)
        return task

    def classify_inputs(self, batch_id: str, doc_key: str) -> ClassifyInputs:
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
        pipe.hmget(keys.batch(batch_id), ["jobs_expected", "deadline_s", "cloud_min_score"])
        pipe.llen(keys.jobs(batch_id))

    @staticmethod
    def _classify_inputs_of(
        text: str | None, facts: list[str | None], submitted: int
    ) -> ClassifyInputs | None:
        if text is None:
            return None
        expected, deadline, threshold = facts
        return ClassifyInputs(
            str(text),
            BatchRoutingFacts(
                jobs=int(expected) if expected is not None else int(submitted),
                deadline_s=float(deadline) if deadline is not None else None,
                cloud_min_score=float(threshold) if threshold is not None else None,
            ),
        )

    def manifest(self, batch_id: str) -> BatchManifest:
        raw = self.redis.hgetall(keys.batch(batch_id))
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

    def submitted_count(self, batch_id: str) -> int:
        return int(self.redis.llen(keys.jobs(batch_id)))

    def terminal_count(self, batch_id: str) -> int:
        values = self.redis.hmget(keys.counters(batch_id), [s.value for s in COUNTED_STATUSES])
        return sum(int(v or 0) for v in values)

    # the index of batches ----------------------------------------------------------------------------
    def latest_batch(self) -> str | None:
        newest = self.redis.zrevrange(keys.BATCHES_INDEX, 0, 0)
        return newest[0] if newest else None

    def batches_created_before(self, cutoff: float) -> list[str]:
        """The batches created before `cutoff` (epoch seconds), oldest first."""
        return list(self.redis.zrangebyscore(keys.BATCHES_INDEX, "-inf", cutoff))

    def forget_batch(self, batch_id: str) -> None:
        """Take a batch whose records have expired off the index of batches."""
        self.redis.zrem(keys.BATCHES_INDEX, batch_id)
