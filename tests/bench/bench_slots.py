"""Every GPU slot busy: Turnout against the limit a plain client reaches on the same hosts, in the same run.

    .venv/bin/python -m tests.bench.bench_slots                          # 8 cells, ~32 min on 2 shared cores
    .venv/bin/python -m tests.bench.bench_slots --quick                  # fewer jobs per cell, ~12 min
    .venv/bin/python -m tests.bench.bench_slots --cells 250:3:32,2000:1:4   # LATENCY_MS:HOSTS:K

Each cell is simulated Ollama hosts (tests/bench/slot_sim.py, one process each) answering every call after
a fixed latency and refusing (503) a request above K at once. On them, with the same documents (~4.5 KB
of business prose) and the same number of calls:

- plain client: hosts x K threads calling through the official `ollama` client, each bound to one host,
  with the messages and options Turnout sends: the limit this machine actually reaches. The ideal is
  hosts x K / latency.
- local route: the local pool alone. The jobs are submitted (submit_batch) and classified by the real
  classify pool while the local pool consumes nothing (Celery's cancel_consumer); once every job waits
  in the local queue, the local pool is let go (add_consumer) and timed to the last result.
- end to end: submit_batch -> classify pool -> local pool -> results, timed from the submission's start
  to the last result, with 1 and with 2 classify worker processes (`turnout worker --pool classify`,
  each with TURNOUT_CLASSIFY_CONCURRENCY = --classify-concurrency prefork children).

Ratios are Turnout / plain client. CPU ms per job per stage comes from /proc: the producer's thread
(submit_batch), each pool's process tree, redis-server, the simulated hosts. A script, not a test: it
asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis

from producer.local_stack import RedisServer, wait_until
from producer.stalls import queue_view
from producer.submit import submit_batch
from tests.bench.procstat import machine_line
from tests.bench.slot_parts import TASK, Cell, Hosts, PlainClient, Pools, cpu_by_group, documents, jobs_for
from worker.celery_app import create_app
from worker.logging import configure_logging
from worker.settings import Settings
from worker.store import Store

CELLS = "250:1:4,250:1:32,250:3:4,250:3:32,2000:1:4,2000:1:32,2000:3:4,2000:3:32"


@dataclass
class Phase:
    jobs: int
    seconds: float
    cpu_s: dict[str, float]  # per stage
    sims: dict[str, int] = field(default_factory=dict)  # what the hosts counted
    failed: int = 0
    retries: int = 0  # Turnout: attempts beyond one per job

    @property
    def rate(self) -> float:
        return self.jobs / self.seconds

    def cpu_ms(self) -> str:
        return ", ".join(f"{name} {s * 1000 / self.jobs:.1f}" for name, s in self.cpu_s.items())


def timed(groups: dict[str, list[int]], work: Callable[[], object]) -> tuple[float, dict[str, float]]:
    before = cpu_by_group(groups)
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    after = cpu_by_group(groups)
    return elapsed, {name: after[name] - before[name] for name in groups}


def wait_for_batch(store: Store, batch_id: str, jobs: int) -> None:
    # One HGETALL every 20 ms, as bench_throughput: the full report costs the CPU being measured.
    finished = lambda: store.manifest(batch_id).finished_at is not None  # noqa: E731
    wait_until(finished, max(600.0, jobs / 2), f"batch {batch_id}", interval_s=0.02)


def outcome(store: Store, batch_id: str, phase: Phase) -> Phase:
    results = list(store.iter_results(batch_id))
    phase.failed = sum(r.status != "succeeded" for r in results)
    phase.retries = sum(max(0, r.attempts - 1) for r in results)
    return phase


def end_to_end(store: Store, app: object, pools: Pools, hosts: Hosts, redis_pid: int, docs: list) -> Phase:
    groups = {**pools.pids(), "redis": [redis_pid], "sims": hosts.pids}
    hosts.stats()
    submitted: dict[str, float] = {}

    def work() -> None:
        started = time.thread_time()
        summary = submit_batch(store, app, docs, TASK, force=True)  # type: ignore[arg-type]
        submitted["cpu"] = time.thread_time() - started
        submitted["batch"] = summary.batch_id  # type: ignore[assignment]
        wait_for_batch(store, summary.batch_id, len(docs))

    elapsed, cpu = timed(groups, work)
    phase = Phase(len(docs), elapsed, {"submit": submitted["cpu"], **cpu}, hosts.stats())
    return outcome(store, str(submitted["batch"]), phase)


def local_route(store: Store, app: object, pools: Pools, hosts: Hosts, redis_pid: int, docs: list) -> Phase:
    n = len(docs)
    with pools.local_paused() as resume:
        summary = submit_batch(store, app, docs, TASK, force=True)  # type: ignore[arg-type]

        def classified() -> bool:
            view = queue_view(app, store)
            return view.waiting.get("local") == n and not view.waiting.get("classify") and not view.unacked

        wait_until(classified, max(600.0, n / 2), "every job to wait in the local queue", interval_s=0.2)
        hosts.stats()
        groups = {"local": pools.pids()["local"], "redis": [redis_pid], "sims": hosts.pids}

        def work() -> None:
            resume()
            wait_for_batch(store, summary.batch_id, n)

        elapsed, cpu = timed(groups, work)
    return outcome(store, summary.batch_id, Phase(n, elapsed, cpu, hosts.stats()))


def run_cell(cell: Cell, args: argparse.Namespace, server: RedisServer, docs: list) -> dict[str, Phase]:
    load = os.getloadavg()[0]
    print(
        f"[{cell.label}] {len(docs):,} jobs, ideal {cell.ideal_jobs_s:.1f} jobs/s (load {load:.1f})",
        flush=True,
    )
    phases: dict[str, Phase] = {}
    assert server.process is not None
    redis_pid = server.process.pid
    redis.Redis.from_url(server.url).flushall()
    hosts = Hosts(cell)
    try:
        settings = Settings(
            broker_url=server.url,
            ollama_hosts=tuple(hosts.urls),
            ollama_parallel=cell.slots,
            classify_concurrency=args.classify_concurrency,
            log_format="json",
            log_level="warning",
        )
        client = PlainClient(settings, hosts.urls, cell.slots)
        try:
            client.run(docs[: cell.concurrency])  # warm-up: connections
            hosts.stats()
            before = cpu_by_group({"sims": hosts.pids})
            seconds, client_cpu, failed = client.run(docs)
            sims_cpu = cpu_by_group({"sims": hosts.pids})["sims"] - before["sims"]
        finally:
            client.close()
        cpu = {"client": client_cpu, "sims": sims_cpu}
        phases["plain"] = Phase(len(docs), seconds, cpu, hosts.stats(), failed)
        report("plain client", phases["plain"])
        store, app = Store.from_url(server.url), create_app(settings)
        with tempfile.TemporaryDirectory(prefix="bench-slots-") as log_dir:
            pools = Pools(settings, app, Path(log_dir), args.local_procs)
            try:
                for procs in range(1, max(args.classify_procs) + 1):
                    pools.add_classify()
                    end_to_end(store, app, pools, hosts, redis_pid, docs[: 2 * cell.concurrency])
                    if procs in args.classify_procs:
                        phase = end_to_end(store, app, pools, hosts, redis_pid, docs)
                        phases[f"e2e{procs}"] = phase
                        report(f"end to end, {procs} classify process(es)", phase)
                phase = local_route(store, app, pools, hosts, redis_pid, docs)
                phases["local"] = phase
                report("local route", phase)
            finally:
                pools.close()
                store.redis.close()
    finally:
        hosts.close()
    return phases


def report(name: str, phase: Phase) -> None:
    extra = f", {phase.failed} failed" if phase.failed else ""
    extra += f", {phase.retries} retries" if phase.retries else ""
    print(
        f"  {name}: {phase.rate:.1f} jobs/s ({phase.seconds:.1f} s); CPU ms/job {phase.cpu_ms()}; "
        f"hosts saw {phase.sims.get('calls')} calls, peak {phase.sims.get('peak_in_flight')} at once, "
        f"{phase.sims.get('refused_503')} 503s{extra}",
        flush=True,
    )


def ratio(phases: dict[str, Phase], name: str) -> str:
    if name not in phases:
        return "-"
    return f"{phases[name].rate:.1f} ({phases[name].rate / phases['plain'].rate:.2f})"


def markdown(head: list[str], rows: list[list[str]]) -> None:
    print("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")


PHASE_NAMES = {"plain": "plain client", "local": "local route"}


def print_tables(results: list[tuple[Cell, dict[str, Phase]]], classify_procs: list[int]) -> None:
    e2e = [f"e2e{p}" for p in classify_procs]
    head = ["cell", "jobs", "ideal jobs/s", "plain client jobs/s", "local route (ratio)"]
    head += [f"end to end, {p} classify proc{'s' * (p > 1)} (ratio)" for p in classify_procs]
    head.append(f"CPU ms/job: submit, classify, local, redis (end to end, {classify_procs[0]} proc)")
    rows = []
    for cell, phases in results:
        first = phases[e2e[0]]
        stages = ("submit", "classify", "local", "redis")
        cpu = ", ".join(f"{first.cpu_s[s] * 1000 / first.jobs:.1f}" for s in stages)
        plain = phases["plain"]
        rows.append(
            [cell.label, f"{plain.jobs:,}", f"{cell.ideal_jobs_s:.1f}", f"{plain.rate:.1f}"]
            + [ratio(phases, name) for name in ("local", *e2e)]
            + [cpu]
        )
    markdown(head, rows)
    print("\nEvery phase (client: the plain client's process; sims: the simulated hosts' processes):")
    head = ["cell", "phase", "jobs/s", "CPU ms/job", "calls", "503s", "peak at once", "retries", "failed"]
    rows = []
    for cell, phases in results:
        for name, phase in phases.items():
            label = PHASE_NAMES.get(name) or f"end to end, {name[3:]} classify"
            sims = [str(phase.sims.get(key)) for key in ("calls", "refused_503", "peak_in_flight")]
            rows.append(
                [cell.label, label, f"{phase.rate:.1f}", phase.cpu_ms(), *sims]
                + [str(phase.retries), str(phase.failed)]
            )
    markdown(head, rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cells", default=CELLS, help="comma-separated LATENCY_MS:HOSTS:K")
    parser.add_argument("--quick", action="store_true", help="fewer jobs per cell (ramp-up ~10%% of a run)")
    parser.add_argument("--waves", type=int, default=25, help="calls per slot, at least")
    parser.add_argument(
        "--min-seconds", type=float, default=20.0, help="a run's length at the ideal rate, at least"
    )
    parser.add_argument(
        "--classify-procs", default="1,2", help="classify worker processes, per end-to-end column"
    )
    parser.add_argument(
        "--local-procs",
        type=int,
        default=1,
        help="local worker processes (each a thread per slot, plus spares)",
    )
    parser.add_argument(
        "--classify-concurrency", type=int, default=1, help="prefork children per classify worker"
    )
    args = parser.parse_args()
    if args.quick:
        args.waves, args.min_seconds = 8, 4.0
    args.classify_procs = sorted({int(p) for p in args.classify_procs.split(",")})
    cells = [Cell.parse(text) for text in args.cells.split(",")]
    counts = {cell: jobs_for(cell, args.waves, args.min_seconds) for cell in cells}
    configure_logging("console", "warning")  # the producer's per-batch lines would interleave the report
    started_line, started = machine_line(), time.perf_counter()
    print(f"start: {started_line}", flush=True)
    docs = documents(max(counts.values()))
    mean_kb = sum(len(d.text.encode()) for d in docs) / len(docs) / 1024
    print(f"{len(docs):,} documents, {mean_kb:.1f} KiB on average", flush=True)
    server = RedisServer().start()
    results = []
    try:
        for cell in cells:
            results.append((cell, run_cell(cell, args, server, docs[: counts[cell]])))
    finally:
        server.close()
    print(f"\nTurnout against the plain-client limit ({time.perf_counter() - started:.0f} s)")
    print(f"start: {started_line}\nend:   {machine_line()}")
    print(
        f"classify pool: {', '.join(str(p) for p in args.classify_procs)} worker process(es), "
        f"TURNOUT_CLASSIFY_CONCURRENCY={args.classify_concurrency} each; "
        f"local pool: {args.local_procs} worker process(es), hosts x K threads plus spares each"
    )
    print_tables(results, args.classify_procs)


if __name__ == "__main__":
    main()
