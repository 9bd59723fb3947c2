"""Redis memory per job, and the bound back-pressure keeps a large submission under.

    .venv/bin/python -m tests.bench.bench_memory                          # 100,000 documents, ~2 min
    .venv/bin/python -m tests.bench.bench_memory --documents 1000000      # the issue's figure, ~16 min

Anchor: Redis's own `INFO memory` `used_memory`, on a fresh redis-server of our own (no persistence).

Part 1, per in-flight job: N documents of 4.5 KB are submitted with nothing consuming them, so each holds
its text, its job hash, its place in the job list, its holder entry and its classify message.
Part 2, per finished job: each of those jobs then ends as the workers end it (two events on the way,
a result with a 600-character output, the text let go of, the message consumed).
Part 3, the stream: a large submission with `max_in_flight` = the window, while a drainer finishes jobs
as fast as it can. Its peak `used_memory` is printed next to the bound

    baseline + window x (in-flight cost) + documents x (finished cost)

Finished jobs' records (results, events) stay for TURNOUT_RETENTION_S: they grow with the batch; the
texts do not. A script, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Iterator

import redis

from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer
from producer.submit import submit_batch
from worker.celery_app import create_app
from worker.schema import JobResult, JobStatus, RouteTarget, TaskKind, TaskSpec, Usage
from worker.settings import Settings
from worker.store import CostedResult, Store, keys

TASK = TaskSpec(kind=TaskKind.SUMMARIZE)
DOCUMENT_BYTES = 4500
OUTPUT = "A summary of the document in a few sentences. " * 13  # ~600 characters


def documents(count: int, offset: int = 0) -> Iterator[LoadedDocument]:
    """`count` distinct documents of about 4.5 KB of plain prose."""
    filler = "The quarterly review covers logistics, staffing and the new warehouse layout. "
    body = (filler * (DOCUMENT_BYTES // len(filler) + 1))[: DOCUMENT_BYTES - 24]
    for n in range(offset, offset + count):
        yield LoadedDocument(source=f"memo-{n:07d}.txt", text=f"Memo {n:07d}. {body}")


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


class Drainer:
    """Finishes a batch's jobs the way the workers do, as fast as one thread can."""

    def __init__(self, store: Store, batch_id: str) -> None:
        self.store, self.batch_id, self.done = store, batch_id, 0
        self.stop = threading.Event()
        self.queues: list[str] = []

    def finish_available(self) -> int:
        ids = self.store.redis.lrange(f"tn:{{{self.batch_id}}}:jobs", self.done, self.done + 499)
        for job_id in ids:
            job = self.store.job(self.batch_id, job_id)
            pipe = self.store.redis.pipeline(transaction=False)
            for status in ("classified", "running"):
                pipe.xadd(keys.events(self.batch_id), {"job_id": job_id, "status": status})
            pipe.execute()
            result = JobResult(
                job_id=job_id,
                batch_id=self.batch_id,
                source=job.source,
                status=JobStatus.SUCCEEDED,
                route=RouteTarget.LOCAL,
                model="llama3.2:3b",
                output=OUTPUT,
                usage=Usage(input_tokens=1200, output_tokens=150),
                latency_ms=812.5,
                attempts=1,
            )
            self.store.record_result(CostedResult(result, 1000, 5000), remember=(TASK, job.doc_key))
        self.consume_messages(len(ids))
        self.done += len(ids)
        return len(ids)

    def consume_messages(self, count: int) -> None:
        if not self.queues:
            self.queues = [key for key in self.store.redis.scan_iter(match="classify*") if key]
        left = count
        for queue in self.queues:
            while left and self.store.redis.rpop(queue) is not None:
                left -= 1

    def run(self) -> None:
        while not self.stop.is_set():
            if self.finish_available() == 0:
                time.sleep(0.01)


def measure_per_job(count: int) -> tuple[int, float, float]:
    """(baseline, bytes per in-flight job, bytes per finished job) on a fresh Redis."""
    server = RedisServer().start()
    try:
        store = Store.from_url(server.url)
        app = create_app(Settings(broker_url=server.url))
        submit_batch(store, app, documents(1), TASK)  # scripts loaded, queues created: not per job
        baseline = used_memory(store.redis)
        summary = submit_batch(store, app, documents(count, offset=1), TASK)
        in_flight = (used_memory(store.redis) - baseline) / count
        drainer = Drainer(store, summary.batch_id)
        while drainer.finish_available():
            pass
        finished = (used_memory(store.redis) - baseline) / count
        store.redis.close()
        return baseline, in_flight, finished
    finally:
        server.close()


def stream(count: int, window: int, in_flight: float, finished: float) -> None:
    server = RedisServer().start()
    try:
        store = Store.from_url(server.url)
        app = create_app(Settings(broker_url=server.url))
        baseline = used_memory(store.redis)
        peak, peak_in_flight = [baseline], [0]
        created: list[str] = []
        sampling = threading.Event()
        drainer: list[Drainer] = []

        def on_created(batch_id: str) -> None:
            created.append(batch_id)
            drainer.append(Drainer(Store.from_url(server.url), batch_id))
            threading.Thread(target=drainer[0].run, daemon=True).start()

        def sample() -> None:
            probe = redis.Redis.from_url(server.url, decode_responses=True)
            while not sampling.is_set():
                peak[0] = max(peak[0], used_memory(probe))
                if created:
                    waiting = probe.llen(f"tn:{{{created[0]}}}:jobs") - sum(
                        int(v or 0)
                        for v in probe.hmget(
                            f"tn:{{{created[0]}}}:counters", ["succeeded", "failed", "rejected"]
                        )
                    )
                    peak_in_flight[0] = max(peak_in_flight[0], waiting)
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()
        submit_batch(store, app, documents(count), TASK, max_in_flight=window, on_created=on_created)
        while drainer[0].done < count:
            time.sleep(0.1)
        elapsed = time.monotonic() - started
        drainer[0].stop.set()
        sampling.set()
        sampler.join()
        bound = baseline + window * in_flight + count * finished
        print(
            f"stream: {count:,} documents of 4.5 KB, window {window:,}: {elapsed:.0f} s; "
            f"peak unfinished jobs {peak_in_flight[0]:,}; peak used_memory {peak[0] / 2**20:,.1f} MiB "
            f"(baseline {baseline / 2**20:.1f} MiB); bound {bound / 2**20:,.1f} MiB "
            f"= baseline + window x {in_flight / 1024:.2f} KiB + documents x {finished / 1024:.2f} KiB; "
            f"texts alone would be {count * DOCUMENT_BYTES / 2**20:,.0f} MiB without the window"
        )
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--window", type=int, default=Settings.model_fields["max_in_flight_jobs"].default)
    parser.add_argument("--sample", type=int, default=5_000, help="jobs measured in parts 1 and 2")
    args = parser.parse_args()
    baseline, in_flight, finished = measure_per_job(args.sample)
    print(
        f"per job ({args.sample:,} documents of 4.5 KB, used_memory delta): in flight {in_flight / 1024:.2f} KiB, "
        f"finished {finished / 1024:.2f} KiB (result with a 600-character output, events, job hash)"
    )
    stream(args.documents, args.window, in_flight, finished)


if __name__ == "__main__":
    main()
