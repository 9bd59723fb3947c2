"""A job's record from submission to its result: stored, opened by each stage's delivery, routed, attempted,
and the calls it has had answered so far."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from worker.schema import JobStatus, Route, RouteTarget, Sensitivity, Tags
from worker.store import keys
from worker.store.batches import Batches
from worker.store.connection import EVENTS_MAXLEN
from worker.store.guard import if_batch, queue_if_batch, split
from worker.store.lifecycle import hold_document
from worker.store.lua import source
from worker.store.records import (
    ClassifyOpening,
    DocumentMissing,
    ExecutionOpening,
    JobInputs,
    JobMissing,
    JobRecord,
    NewJob,
    StoredJob,
)

_UNFINISHED_FIELDS = ["status", "enqueued", "source", "doc", "rejected", "floor"]
CALLS_TTL_S = 7 * 24 * 3600  # a job's answered calls outlive any retry of it
BUDGET_WAIT_TTL_S = 40 * 86_400  # the budget refusal clocks: longer than the longest hold (a month)


class Jobs(Batches):
    # submission ---------------------------------------------------------------------------------------
    def add_jobs(self, batch_id: str, jobs: Iterable[NewJob]) -> None:
        """Store new jobs in one round trip, in submission order: text once per distinct document, a hash
        per job. A rejected document (no text) gets only its hash and its place in the order.

        In one MULTI/EXEC: a Redis that refuses writes (full, read-only) then refuses the chunk whole,
        where a plain pipeline could keep a job's record and lose its text, or its place in the order and
        lose its record: jobs no resume could complete."""
        pipe = self.redis.pipeline(transaction=True)
        for job in jobs:
            fields = {"batch_id": batch_id, "source": job.source, "status": JobStatus.QUEUED.value}
            if job.text is not None:
                doc_key = keys.document(job.text)
                hold_document(pipe, doc_key, job.job_id, job.text)
                fields["doc"] = doc_key
            if job.floor is not None:
                fields["floor"] = job.floor.value
            if job.rejected is not None:  # kept with the job, so a resume can record it if we die first
                fields["rejected"] = job.rejected
            pipe.hset(keys.job(batch_id, job.job_id), mapping=fields)
            pipe.rpush(keys.jobs(batch_id), job.job_id)
        pipe.execute()

    def mark_enqueued(self, pipe: Any, batch_id: str, job_id: str) -> None:
        """Queue the note that a job's classify message is out, on the pipeline that sends it (a MULTI, so
        both or neither happen, `one_trip`): a resumed submission must not send a second one. The job goes
        on the sweeper's work list in the same write: a message lost before any worker received it (taken
        by a consumer that died, or dropped by a Redis restart) is then found and re-issued too
        (worker/liveness.py), not only one lost after."""
        pipe.hset(keys.job(batch_id, job_id), "enqueued", "1")
        pipe.zadd(keys.HELD, {f"{batch_id} {job_id}": time.time()})

    def job_ids(self, batch_id: str, chunk: int = 1000) -> Iterator[list[str]]:
        """The batch's job ids in submission order, `chunk` at a time."""
        start = 0
        while ids := self.redis.lrange(keys.jobs(batch_id), start, start + chunk - 1):
            yield ids
            start += chunk

    def enqueued(self, batch_id: str, job_ids: list[str]) -> list[bool]:
        """Per job: whether the producer marked its classify message as sent."""
        pipe = self.redis.pipeline(transaction=False)
        for job_id in job_ids:
            pipe.hget(keys.job(batch_id, job_id), "enqueued")
        return [bool(flag) for flag in pipe.execute()]

    def unfinished_jobs(self, batch_id: str, chunk: int = 1000) -> Iterator[StoredJob]:
        """The jobs a killed producer stored but left unfinished: not enqueued and without a result, each
        with what finishing it needs (its document, or its rejection's reason). Streamed in chunks."""
        for ids in self.job_ids(batch_id, chunk):
            pipe = self.redis.pipeline(transaction=False)
            for job_id in ids:
                pipe.hmget(keys.job(batch_id, job_id), _UNFINISHED_FIELDS)
            pipe.hmget(keys.results(batch_id), ids)
            *fields, results = pipe.execute()
            for job_id, (status, enqueued, source_, doc, rejected, floor), result in zip(
                ids, fields, results, strict=True
            ):
                if (
                    status == JobStatus.QUEUED.value
                    and not enqueued
                    and result is None
                    and source_ is not None
                ):
                    yield StoredJob(
                        job_id=job_id,
                        source=source_,
                        doc_key=doc or None,
                        rejected=rejected,
                        floor=Sensitivity(floor) if floor else None,
                    )

    # a stage's delivery -------------------------------------------------------------------------------
    def open_classify(self, batch_id: str, job_id: str, doc_key: str | None) -> ClassifyOpening:
        """One round trip at the start of a classify delivery: terminal already?, the delivery count, the
        job and, when the message names the job's document, `classify_inputs`. The job's floor is at least
        its batch's (`--sensitivity`, on the manifest): a job stored without its own floor is still never
        tagged below it."""
        pipe = self.redis.pipeline(transaction=False)
        queue_if_batch(
            pipe,
            batch_id,
            ("HEXISTS", keys.results(batch_id), job_id),
            ("HINCRBY", keys.job(batch_id, job_id), "deliveries", 1),
            ("HGETALL", keys.job(batch_id, job_id)),
            ("HGET", keys.batch(batch_id), "floor"),
        )
        if doc_key is not None:
            self._queue_classify_inputs(pipe, batch_id, doc_key)
        opened, *inputs = pipe.execute()
        if not opened:  # the batch is gone (purged): nothing to do, and nothing written
            raise JobMissing(job_id)
        _, terminal, deliveries, flat, batch_floor = opened
        job = self._job_record(batch_id, job_id, dict(zip(flat[::2], flat[1::2], strict=True)))
        if batch_floor:
            job = replace(job, floor=Sensitivity.max(job.floor, Sensitivity(batch_floor)))
        read = self._classify_inputs_of(*inputs) if inputs and doc_key == job.doc_key else None
        return ClassifyOpening(terminal=bool(terminal), deliveries=int(deliveries), job=job, inputs=read)

    def open_execution(
        self,
        batch_id: str,
        job_id: str,
        max_deliveries: int,
        *,
        document: str | None = None,
        generation: int = 0,
    ) -> ExecutionOpening:
        """One round trip at the start of a local or cloud delivery, which also starts the attempt: the
        delivery count and the job (None when it already has its result). The attempt is counted only
        when the delivery count is within `max_deliveries`.

        `document` (the key the message names) is read in the same trip, with the job's answered calls.
        A message older than the job's `generation`
        opens nothing either: the delivery count is then -1."""
        keys_ = [
            keys.results(batch_id),
            keys.job(batch_id, job_id),
            keys.events(batch_id),
            keys.batch(batch_id),
        ]
        args = [job_id, max_deliveries, EVENTS_MAXLEN, generation]

        def queue(pipe: Any) -> None:
            pipe.evalsha(self._open_execution.sha, len(keys_), *keys_, *args)
            if document is not None:
                pipe.get(document)
                pipe.hgetall(keys.calls(batch_id, job_id))

        (terminal, deliveries, flat), *fetched = self._pipelined(queue, source("open_execution"))
        if terminal:
            return ExecutionOpening(deliveries=int(deliveries), job=None, inputs=None)
        raw = dict(zip(flat[::2], flat[1::2], strict=True))
        text = fetched[0] if document is not None else None
        return ExecutionOpening(
            deliveries=int(deliveries),
            job=self._job_record(batch_id, job_id, raw),
            inputs=JobInputs(str(text), fetched[1]) if text is not None else None,
        )

    def job_inputs(self, batch_id: str, job_id: str, doc_key: str) -> JobInputs:
        """A job's document text and its answered calls, in one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.get(doc_key)
        pipe.hgetall(keys.calls(batch_id, job_id))
        text, answered = pipe.execute()
        if text is None:
            raise DocumentMissing(doc_key)
        return JobInputs(str(text), answered)

    def job(self, batch_id: str, job_id: str) -> JobRecord:
        return self._job_record(batch_id, job_id, self.redis.hgetall(keys.job(batch_id, job_id)))

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
            joins=raw.get("joins") or None,
        )

    def text(self, doc_key: str) -> str:
        text = self.redis.get(doc_key)
        if text is None:
            raise DocumentMissing(doc_key)
        return str(text)

    @staticmethod
    def doc_key(text: str) -> str:
        return keys.document(text)

    # routing and attempts -----------------------------------------------------------------------------
    def set_routed(
        self,
        batch_id: str,
        job_id: str,
        tags: Tags,
        route: Route,
        *,
        cloud_allowed: bool = False,
    ) -> None:
        """Record the classifier's tags and the route. A cloud-allowed job also counts, once however
        often it is classified, towards the batch's cloud share (cloud-allowed jobs sent to the cloud)."""
        share = ""
        if cloud_allowed:
            share = "cloud" if route.target in (RouteTarget.CLOUD, RouteTarget.CLOUD_BATCH) else "local"
        keys_ = [
            keys.job(batch_id, job_id),
            keys.counters(batch_id),
            keys.events(batch_id),
            keys.batch(batch_id),
        ]
        args = [
            tags.model_dump_json(),
            route.model_dump_json(),
            route.target.value,
            share,
            EVENTS_MAXLEN,
            job_id,
        ]
        self._set_routed(keys=keys_, args=args)

    def reroute(self, batch_id: str, job_id: str, route: Route) -> None:
        if_batch(
            self.redis,
            batch_id,
            ("HSET", keys.job(batch_id, job_id), "route", route.model_dump_json(), "status", "classified"),
            self._event_command(
                batch_id, job_id, JobStatus.CLASSIFIED, route=route.target.value, fallback="1"
            ),
        )

    def start_attempt(self, batch_id: str, job_id: str) -> int:
        """Count one more backend attempt; returns the attempt number (1-based)."""
        replies = if_batch(
            self.redis,
            batch_id,
            ("HINCRBY", keys.job(batch_id, job_id), "attempts", 1),
            ("HSET", keys.job(batch_id, job_id), "status", JobStatus.RUNNING.value),
            self._event_command(batch_id, job_id, JobStatus.RUNNING),
        )
        return int(replies[0]) if replies else 1  # a batch gone meanwhile: its result will write nothing

    def cancel_attempt(self, batch_id: str, job_id: str) -> None:
        """The attempt never reached a backend (none was available): don't count it."""
        if_batch(self.redis, batch_id, ("HINCRBY", keys.job(batch_id, job_id), "attempts", -1))

    def cancel_delivery(self, batch_id: str, job_id: str) -> None:
        """The delivery only waited (for a backend, or for budget) and re-scheduled itself: it must not
        count toward the poison limit (`max_deliveries`), or a long honest wait would dead-letter the job."""
        if_batch(self.redis, batch_id, ("HINCRBY", keys.job(batch_id, job_id), "deliveries", -1))

    def waited_for_backend_s(self, batch_id: str, job_id: str) -> float:
        """Seconds since the job first found no backend available (starts the clock on the first call)."""
        key = keys.job(batch_id, job_id)
        now = time.time()
        replies = if_batch(
            self.redis, batch_id, ("HSETNX", key, "waiting_since", repr(now)), ("HGET", key, "waiting_since")
        )
        return now - float((replies or [0, None])[1] or now)

    def waited_for_budget_s(self, batch_id: str, job_id: str) -> float:
        """Seconds since a budget first refused the job's call (starts the clock on the first call)."""
        key = keys.budget_waiting(batch_id)
        now = time.time()
        replies = if_batch(
            self.redis,
            batch_id,
            ("HSETNX", key, job_id, repr(now)),
            ("HGET", key, job_id),
            ("EXPIRE", key, BUDGET_WAIT_TTL_S),
        )
        return max(0.0, now - float((replies or [0, None])[1] or now))

    # the job's answered calls (worker/calls.py) --------------------------------------------------------
    def answered_calls(self, batch_id: str, job_id: str) -> dict[str, str]:
        """The job's answered calls so far, from every delivery and route: call field -> its answer."""
        return dict(self.redis.hgetall(keys.calls(batch_id, job_id)))

    def record_check(
        self, batch_id: str, job_id: str, field: str, answer: str, counts: dict[str, int]
    ) -> bool:
        """The second line's answered check joins the job's calls, and `counts` the batch's counters, in one
        round trip; once per job (False, and nothing counted, when it already had one)."""
        args: list[str | int] = [field, answer, CALLS_TTL_S]  # KEYS[3]: the manifest (gone: nothing)
        for name, value in counts.items():
            args += [name, value]
        return bool(
            self._record_check(
                keys=[keys.calls(batch_id, job_id), keys.counters(batch_id), keys.batch(batch_id)], args=args
            )
        )

    def count(self, batch_id: str, counter: str) -> None:
        """One more in one of the batch's counters (the report reads them all)."""
        if_batch(self.redis, batch_id, ("HINCRBY", keys.counters(batch_id), counter, 1))

    def save_answered_calls(self, batch_id: str, job_id: str, answers: dict[str, str]) -> None:
        """Checkpoint answered calls (one round trip); they outlive any retry of the job."""
        key = keys.calls(batch_id, job_id)
        flat = [item for pair in answers.items() for item in pair]
        if_batch(self.redis, batch_id, *split("HSET", key, flat), ("EXPIRE", key, CALLS_TTL_S))
