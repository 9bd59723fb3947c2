"""Results: each job's written once, with the batch's counters, cost and report; a succeeded one indexed
for reuse by a later submission of the same document and task."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from worker.pricing import pico_to_usd
from worker.schema import BatchReport, CloudShare, JobResult, JobStatus, RouteTarget, RouteTotals, TaskSpec
from worker.second_line import totals as second_line_totals
from worker.store import keys
from worker.store.batches import COUNTED_STATUSES, Batches
from worker.store.connection import EVENTS_MAXLEN
from worker.store.lifecycle import expire_budget_ledger, release_document
from worker.store.lua import source
from worker.store.records import CostedResult
from worker.tco import local_cost, models_used


class Results(Batches):
    def has_result(self, batch_id: str, job_id: str) -> bool:
        return bool(self.redis.hexists(keys.results(batch_id), job_id))

    def record_result(
        self,
        costed: CostedResult,
        *,
        remember: tuple[TaskSpec, str] | None = None,
        drop: tuple[str, ...] = (),
    ) -> bool:
        """Write a job's terminal result exactly once; False if it already had one (a re-delivery).

        In the same round trip: `remember` (task, doc key) names the job's document, which the job lets go
        of (its text goes when no other job holds it, store/lifecycle.py), and indexes a succeeded result
        for reuse by a later submission of the same document and task, for the retention; the keys in
        `drop` (the job's call checkpoints) are deleted. All idempotent, so they need not wait for the
        write's answer: a duplicate's index entry names the same job, whose recorded result `find_done`
        checks before reusing it.
        """
        keys_, args = self._record_call(costed)
        result = costed.result

        def queue(pipe: Any) -> None:
            pipe.evalsha(self._record_result.sha, len(keys_), *keys_, *args)
            if remember is not None and remember[1]:
                task, doc_key = remember
                release_document(pipe, doc_key, result.job_id, self.retention.document_keep_ms)
                if result.status is JobStatus.SUCCEEDED and result.reused_from is None:
                    done = f"{result.batch_id} {result.job_id}"
                    pipe.set(keys.done(task, doc_key), done, px=self.retention.retention_ms)
            if drop:
                pipe.delete(*drop)

        outcome = self._pipelined(queue, source("record_result"))[0]
        if outcome == -1:  # the batch is gone (purged, worker/store/guard.py): no reuse entry names it
            if remember is not None and remember[1]:
                done = f"{result.batch_id} {result.job_id}"
                self.redis.eval(source("delete_if_equal"), 1, keys.done(remember[0], remember[1]), done)
            return False
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
                keys.results(batch_id),
                keys.counters(batch_id),
                keys.events(batch_id),
                keys.job(batch_id, result.job_id),
                keys.batch(batch_id),
                keys.models(batch_id),
                keys.jobs(batch_id),
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
                keys.batch_route(batch_id),
                " ".join(keys.BATCH_ROUTE_PARTS),
                ("joined" if result.joined else "reused") if result.reused_from is not None else "",
            ],
        )

    # resubmission: identical document + identical task = the finished result is reused, not re-run --------
    def find_done(self, task: TaskSpec, doc_keys: list[str]) -> list[JobResult | None]:
        """For each document, the earlier succeeded result of the same task, if any."""
        if not doc_keys:
            return []
        refs = self.redis.mget([keys.done(task, key) for key in doc_keys])
        pipe = self.redis.pipeline(transaction=False)
        for ref in refs:
            if ref:
                batch_id, job_id = ref.split(" ", 1)
                pipe.hget(keys.results(batch_id), job_id)
        found = iter(pipe.execute())
        results = [
            JobResult.model_validate_json(raw) if ref and (raw := next(found)) else None for ref in refs
        ]
        # Only a success is reused (the index is written next to the result, before its outcome is known).
        return [r if r is not None and r.status is JobStatus.SUCCEEDED else None for r in results]

    # reading them back --------------------------------------------------------------------------------
    def iter_results(self, batch_id: str, chunk: int = 500) -> Iterator[JobResult]:
        """Results in submission order (rejections included), streamed in chunks."""
        job_ids_key = keys.jobs(batch_id)
        start = 0
        while True:
            ids = self.redis.lrange(job_ids_key, start, start + chunk - 1)
            if not ids:
                return
            for raw in self.redis.hmget(keys.results(batch_id), ids):
                if raw is not None:
                    yield JobResult.model_validate_json(raw)
            start += chunk

    def report(self, batch_id: str) -> BatchReport:
        """Totals over what has reached a terminal state so far; works during the batch too."""
        manifest = self.manifest(batch_id)
        counters = {k: int(v) for k, v in self.redis.hgetall(keys.counters(batch_id)).items()}
        submitted = self.submitted_count(batch_id)
        jobs = manifest.jobs_expected if manifest.jobs_expected is not None else submitted
        succeeded, failed, rejected = (counters.get(s.value, 0) for s in COUNTED_STATUSES)
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
            reused=counters.get("reused", 0),
            joined=counters.get("joined", 0),
            cloud_share=self._cloud_share(batch_id, counters),
            local_cost=local_cost(counters, max(0.0, end - manifest.created_at)),
            models=models_used(counters, self.redis.hgetall(keys.models(batch_id))),
            second_line=second_line_totals(counters),
        )

    def _cloud_share(self, batch_id: str, counters: dict[str, int]) -> CloudShare:
        target, threshold = self.redis.hmget(keys.batch(batch_id), ["cloud_share_target", "cloud_min_score"])
        allowed, cloud = counters.get("share:allowed", 0), counters.get("share:cloud", 0)
        return CloudShare(
            cloud_allowed_jobs=allowed,
            cloud_jobs=cloud,
            achieved=round(cloud / allowed, 4) if allowed else 0.0,
            target=float(target) if target is not None else None,
            threshold=round(float(threshold), 6) if threshold is not None else None,  # display
        )
