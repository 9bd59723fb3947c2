"""Turnout's throughput benchmark: prints a table of figures measured side by side on one Redis.

    .venv/bin/python -m tests.bench.bench_throughput            # everything, ~5 min on 2 cores
    .venv/bin/python -m tests.bench.bench_throughput --quick    # scaled down, ~2 min
    .venv/bin/python -m tests.bench.bench_throughput --parts 3,4

Parts: 1 raw Celery no-op vs Turnout end to end; 2 the fleet-wide slots alone (200 ms backends, K slots
per host, more threads than slots; Turnout's pools against such hosts: bench_slots.py); 3 cloud
rate-limit adherence (3 processes sharing worker.flow.ratelimit); 4 producer enqueue rate and peak RSS;
5 worker RSS over 10,000 jobs. A script, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import redis

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, WorkerProcess, wait_for_workers, wait_until
from producer.submit import submit_batch
from tests.bench import drivers
from tests.bench.limited_openai import LimitedOpenAISimulator
from tests.bench.noop_app import DONE_KEY, NOOP_TASK, make_app, worker_command
from tests.bench.procstat import cpu_s, rss_mb
from tests.conftest import stack_settings, start_workers
from worker.celery_app import create_app
from worker.flow.publish import BulkPublisher
from worker.schema import TaskKind, TaskSpec
from worker.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
ROWS: list[tuple[str, str, str, str]] = []  # (part, measure, value, target)


def row(part: str, measure: str, value: str, target: str = "") -> None:
    ROWS.append((part, measure, value, target))
    print(f"  {measure}: {value}" + (f"   (target {target})" if target else ""), flush=True)


def docs(n: int, tag: str) -> Iterator[LoadedDocument]:
    for i in range(n):
        text = f"Note {tag}-{i}: the team lunch moved to Thursday at noon; bring ideas for the offsite."
        yield LoadedDocument(source=f"{tag}-{i}.txt", text=text, metadata={"format": "txt"})


def run_batch(store: Store, app: object, n: int, tag: str, timeout_s: float) -> float:
    """Submit n small local-bound documents (pipelined) and wait until the batch is done: seconds taken."""
    started = time.perf_counter()
    summary = submit_batch(store, app, docs(n, tag), SUMMARIZE)  # type: ignore[arg-type]
    # A cheap check every 20 ms (one HGETALL), as the anchor's is: the full report costs the CPU it measures.
    finished = lambda: store.manifest(summary.batch_id).finished_at is not None  # noqa: E731
    wait_until(finished, timeout_s, f"batch {tag}", interval_s=0.02)
    elapsed = time.perf_counter() - started
    report = store.report(summary.batch_id)
    if report.succeeded != n:
        print(f"  ! batch {tag}: {report.succeeded}/{n} succeeded, {report.failed} failed", flush=True)
    return elapsed


def timed_with_cpu(pids: dict[str, int], work: Callable[[], object]) -> tuple[float, dict[str, float]]:
    """Run `work`; return its wall seconds and the CPU seconds each process tree (and this one) spent."""
    before = {name: cpu_s(pid) for name, pid in pids.items()}
    own = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    spent = {name: cpu_s(pid) - before[name] for name, pid in pids.items()}
    spent["bench+sims"] = after.ru_utime + after.ru_stime - own.ru_utime - own.ru_stime
    return elapsed, spent


def cpu_row(spent: dict[str, float], n: int) -> str:
    return ", ".join(f"{name} {seconds * 1000 / n:.1f}" for name, seconds in spent.items())


@contextmanager
def turnout_workers(settings: object, pools: tuple[str, ...]) -> Iterator[list[WorkerProcess]]:
    with tempfile.TemporaryDirectory(prefix="turnout-bench-") as log_dir:
        workers = start_workers(settings, Path(log_dir), pools)  # type: ignore[arg-type]
        try:
            yield workers
        finally:
            for worker in workers:
                worker.stop()


# ----------------------------------------------------------------------------------------------- parts


@contextmanager
def noop_worker(server: RedisServer, args: argparse.Namespace) -> Iterator[tuple[Callable[[int], None], int]]:
    """Raw Celery: one worker with Turnout's Celery settings and a no-op task, on kombu's own transport;
    yields `drain(n)`, which publishes n tasks (pipelined) and returns when all have run, and its pid."""
    client = redis.Redis.from_url(server.url)
    node = f"bench-noop-{uuid.uuid4().hex[:6]}@localhost"
    command = worker_command(server.url, node, args.noop_pool, args.classify_concurrency)
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            app = make_app(server.url)
            wait_for_workers(app, [node], timeout_s=60)
            publisher = BulkPublisher(app, NOOP_TASK)

            def drain(n: int) -> None:
                client.set(DONE_KEY, 0)
                pipe = client.pipeline(transaction=False)
                for i in range(n):
                    publisher.publish(pipe, f"noop-{uuid.uuid4().hex}", [None])
                    if i % 1000 == 999:
                        pipe.execute()
                pipe.execute()
                done = lambda: int(client.get(DONE_KEY) or 0) >= n  # noqa: E731
                wait_until(done, 300, "no-op tasks", interval_s=0.02)

            drain(WARMUP)
            yield drain, proc.pid
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
            client.close()


WARMUP = 200  # per measured run: imports, connections and scripts are loaded before the clock starts


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def part1_and_5(server: RedisServer, args: argparse.Namespace) -> None:
    ollama, openai_sim = OllamaSimulator().start(), OpenAISimulator().start()
    settings = stack_settings(
        server.url,
        ollama,
        openai_sim,
        classify_concurrency=args.classify_concurrency,
        ollama_parallel=4,
        log_format="json",
    )
    redis.Redis.from_url(server.url).flushall()
    store = Store.from_url(server.url)
    app = create_app(settings)
    try:
        with turnout_workers(settings, ("classify", "local")) as workers:
            if "1" in args.parts:
                part1(server, args, store, app, workers)
            if "5" in args.parts:
                print(f"[5] worker RSS over {args.rss_jobs:,} jobs", flush=True)
                rounds = 5
                samples: list[dict[str, float]] = []
                for r in range(rounds):
                    run_batch(store, app, args.rss_jobs // rounds, f"rss{r}", 600)
                    samples.append({w.pool: rss_mb(w.process.pid) for w in workers if w.process})
                for pool in samples[0]:
                    series = " -> ".join(f"{s[pool]:.0f}" for s in samples)
                    growth = samples[-1][pool] - samples[1][pool]
                    row("5", f"RSS MB of pool {pool} after each {args.rss_jobs // rounds:,} jobs", series)
                    row("5", f"growth of pool {pool} after the first round", f"{growth:+.1f} MB", "flat")
    finally:
        store.redis.close()
        ollama.stop()
        openai_sim.stop()


def part1(
    server: RedisServer, args: argparse.Namespace, store: Store, app: object, workers: list[WorkerProcess]
) -> None:
    """Interleaved rounds (the raw Celery anchor, then Turnout), each measured after a warm-up, so a slow
    minute of a noisy machine lands on both alike; the ratio is of medians."""
    print(
        f"[1] raw Celery no-op vs Turnout end to end (zero-latency simulators), {args.rounds} rounds",
        flush=True,
    )
    rates: dict[str, list[float]] = {"kombu": [], "turnout": []}
    cpu: dict[str, dict[str, float]] = {name: {} for name in rates}
    redis_pid = server.process.pid  # type: ignore[union-attr]

    def add_cpu(name: str, spent: dict[str, float]) -> None:
        for proc, seconds in spent.items():
            cpu[name][proc] = cpu[name].get(proc, 0.0) + seconds

    run_batch(store, app, WARMUP, "warmup", 120)
    turnout_pids = {w.pool: w.process.pid for w in workers if w.process}
    for r in range(args.rounds):
        with noop_worker(server, args) as (drain, pid):
            pids = {"worker": pid, "redis": redis_pid}
            elapsed, spent = timed_with_cpu(pids, lambda: drain(args.noop_tasks))
        rates["kombu"].append(args.noop_tasks / elapsed)
        add_cpu("kombu", spent)
        elapsed, spent = timed_with_cpu(
            {**turnout_pids, "redis": redis_pid}, partial(run_batch, store, app, args.jobs, f"e2e{r}", 600)
        )
        rates["turnout"].append(args.jobs / elapsed)
        add_cpu("turnout", spent)
        print(
            f"  round {r + 1}: raw Celery {rates['kombu'][-1]:,.0f} tasks/s; "
            f"Turnout {rates['turnout'][-1]:,.0f} jobs/s",
            flush=True,
        )

    def series(name: str) -> str:
        return f"{median(rates[name]):,.0f}  ({' / '.join(f'{v:,.0f}' for v in rates[name])})"

    rounds = args.rounds
    pool = f"{args.noop_pool} x{args.classify_concurrency}"
    row("1", f"raw Celery no-op tasks/s ({pool}, kombu's transport), median", series("kombu"))
    row("1", "  CPU ms per no-op task", cpu_row(cpu["kombu"], args.noop_tasks * rounds))
    row("1", "Turnout jobs/s end to end (classify -> local), median", series("turnout"))
    row("1", "  CPU ms per job", cpu_row(cpu["turnout"], args.jobs * rounds))
    ratio = median(rates["turnout"]) / median(rates["kombu"])
    paired = [t / k for t, k in zip(rates["turnout"], rates["kombu"], strict=True)]
    per_round = " / ".join(f"{r:.2f}" for r in paired)
    row("1", "Turnout / raw Celery, ratio of the medians", f"{ratio:.2f}")
    # Each round's pair ran minutes apart at most: the median of their ratios is the less drift-prone.
    row("1", "Turnout / raw Celery, median of each round's", f"{median(paired):.2f}  ({per_round})")


def part2(server: RedisServer, args: argparse.Namespace) -> None:
    """`HostSlots` alone, shared by 3 driver processes with more threads than slots. How busy Turnout's
    pools keep the same kind of hosts end to end is bench_slots.py's measurement, not this one's."""
    k, hosts, latency_s = args.slots, 2, 0.2
    ideal = k * hosts / latency_s
    print(
        f"[2] concurrency: {hosts} hosts x {k} slots, 200 ms latency (ideal {ideal:.0f} jobs/s)", flush=True
    )
    client = redis.Redis.from_url(server.url)
    sims = [OllamaSimulator(config=SimConfig(latency_ms=200, max_parallel=k)).start() for _ in range(hosts)]
    try:
        client.flushall()
        start_at = time.time() + 4  # spawned processes import first
        run = drivers.SlotsRun(
            server.url,
            "bench",
            tuple(s.url for s in sims),
            k,
            args.slot_threads,
            start_at,
            start_at + args.seconds,
        )
        results = drivers.run_processes(drivers.slots_process, [(run,)] * 3, timeout_s=args.seconds + 60)
        calls = sum(r["calls"] for r in results)
        busy = sum(r.get("busy_503", 0) for r in results)
        label = f"HostSlots, 3 processes x {args.slot_threads} threads: jobs/s / ideal"
        row("2", label, f"{calls / args.seconds / ideal:.2f}", ">= 0.9")
        row("2", "503 busy answers (a host over its slots)", str(busy), "0")
    finally:
        for sim in sims:
            sim.stop()
        client.close()


def part3(server: RedisServer, args: argparse.Namespace) -> None:
    window, rpm, tpm = args.window_s, args.rpm, args.tpm
    print(
        f"[3] rate limit: {rpm} requests and {tpm:,} tokens per {window:g} s window, 3 processes", flush=True
    )
    redis.Redis.from_url(server.url).flushall()
    sim = LimitedOpenAISimulator(rpm=rpm, tpm=tpm, window_s=window, config=SimConfig(latency_ms=100)).start()
    try:
        started = time.time() + 4
        seconds = args.windows * window
        run = drivers.LimiterRun(
            redis_url=server.url,
            key_prefix="bench",
            rpm=rpm,
            tpm=tpm,
            window_s=window,
            slack_s=args.slack_s,
            base_url=sim.base_url,
            threads=args.cloud_threads,
            stop_at=started + seconds,
            acquire_timeout_s=window / 2,
            max_output_tokens=150,
        )
        results = drivers.run_processes(drivers.limiter_process, [(run, i) for i in range(3)], seconds + 120)
    finally:
        sim.stop()
    arrivals = [t for t, _ in sim.log]
    first = arrivals[0]
    full = int((run.stop_at - first) // window)
    in_full = [(t, tokens) for t, tokens in sim.log if t < first + full * window]
    max_req = drivers.max_in_any_window([(t, 1) for t in arrivals], window)
    max_tok = int(drivers.max_in_any_window([(t, int(tokens)) for t, tokens in sim.log], window))
    row("3", f"max requests in any {window:g} s window", f"{max_req} / {rpm}", "<= limit")
    row("3", f"max tokens in any {window:g} s window", f"{max_tok:,} / {tpm:,}", "<= limit")
    use = max(len(in_full) / (rpm * full), sum(tokens for _, tokens in in_full) / (tpm * full))
    row("3", f"limit used over {full} full windows with a backlog", f"{use:.2f}", ">= 0.9")
    row("3", "429s from the provider", str(sim.refused), "0")
    row("3", "re-schedules (wait > acquire timeout)", str(sum(r["reschedules"] for r in results)))
    delay_ms = max(r["max_send_delay_ms"] for r in results)
    arrival_ms = round(sim.max_arrival_delay_s * 1000)
    row(
        "3",
        "longest delay booked -> sent / -> arrived",
        f"{delay_ms} / {arrival_ms} ms",
        f"< slack {run.slack_s * 1000:.0f} ms",
    )


def producer_child(n: int, url: str) -> None:
    """Runs `producer.submit.submit_batch` in a fresh process, so its peak RSS is the producer's own."""
    from worker.settings import Settings

    app = create_app(Settings(broker_url=url))
    store = Store.from_url(url)
    started = time.perf_counter()
    submit_batch(store, app, docs(n, "producer"), SUMMARIZE)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"docs_per_s": n / elapsed, "peak_rss_mb": peak_mb}))


def part4(server: RedisServer, args: argparse.Namespace) -> None:
    print("[4] producer: enqueue rate and peak RSS (no workers consuming)", flush=True)
    n = args.producer_docs
    redis.Redis.from_url(server.url).flushall()
    command = [sys.executable, "-m", "tests.bench.bench_throughput", "--producer-child", str(n), server.url]
    out = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    row("4", f"submit_batch, {n:,} docs: docs/s", f"{figures['docs_per_s']:,.0f}", ">= 2,000")
    row("4", f"submit_batch, {n:,} docs: peak RSS", f"{figures['peak_rss_mb']:.0f} MB", "< 200 MB")
    redis.Redis.from_url(server.url).flushall()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default="1,2,3,4,5", help="comma-separated parts to run")
    parser.add_argument("--quick", action="store_true", help="scale everything down (~2 min)")
    parser.add_argument("--noop-pool", default="prefork", choices=["prefork", "threads"])
    parser.add_argument("--classify-concurrency", type=int, default=2)
    parser.add_argument("--noop-tasks", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5, help="part 1: interleaved rounds (median)")
    parser.add_argument("--jobs", type=int, default=1500, help="part 1: Turnout jobs end to end, per round")
    parser.add_argument("--slots", type=int, default=4, help="part 2: K slots per host")
    parser.add_argument("--slot-threads", type=int, default=4, help="part 2: threads per driver process")
    parser.add_argument("--seconds", type=float, default=10.0, help="part 2: measured seconds")
    parser.add_argument("--window-s", type=float, default=10.0, help="part 3: limiter window (60 = real)")
    parser.add_argument("--slack-s", type=float, default=0.25, help="part 3: limiter slack (real: 1.0)")
    parser.add_argument("--windows", type=int, default=3, help="part 3: windows to run")
    parser.add_argument("--rpm", type=int, default=60, help="part 3: requests per window")
    parser.add_argument("--tpm", type=int, default=20_000, help="part 3: tokens per window")
    parser.add_argument("--cloud-threads", type=int, default=4, help="part 3: threads per process")
    parser.add_argument("--producer-docs", type=int, default=100_000)
    parser.add_argument("--rss-jobs", type=int, default=10_000)
    parser.add_argument("--producer-child", nargs=2, metavar=("N", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.producer_child:
        n, url = args.producer_child
        producer_child(int(n), url)
        return
    args.parts = set(args.parts.split(","))
    if args.quick:
        args.noop_tasks, args.jobs, args.seconds, args.windows, args.rounds = 1000, 600, 5.0, 2, 1
        args.window_s, args.rpm, args.tpm = 5.0, 30, 10_000
        args.producer_docs, args.rss_jobs = 20_000, 2_500
    started = time.perf_counter()
    server = RedisServer().start()
    try:
        if args.parts & {"1", "5"}:
            part1_and_5(server, args)
        if "2" in args.parts:
            part2(server, args)
        if "3" in args.parts:
            part3(server, args)
        if "4" in args.parts:
            part4(server, args)
    finally:
        server.close()
    print(f"\nTurnout throughput benchmark ({os.cpu_count()} CPUs, {time.perf_counter() - started:.0f} s)\n")
    widths = [max(len(r[i]) for r in [("part", "measure", "value", "target"), *ROWS]) for i in range(4)]
    for r in [("part", "measure", "value", "target"), *ROWS]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
