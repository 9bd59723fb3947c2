"""Chaos run: push ~1,000 documents through real workers while faults fire on a schedule, then account.

    .venv/bin/python -m tests.chaos.run [--docs 1000] [--seed 7]

Faults (on a schedule): a 429 storm on the cloud API, one Ollama host answering 503, malformed cloud
answers, local timeouts, every Ollama host down while sensitive jobs are queued, a local worker SIGKILLed
mid-job, and a Redis restart (append-only persistence). With the shipped visibility timeout (an hour): a
killed worker's jobs come back through worker liveness (docs/deploy.md). Prints one line, pass or fail,
and stops everything it started (the workers' process groups included):

    submitted N, succeeded S, failed F (by reason), lost 0, billed twice 0, sensitive sent to cloud 0; finished in Ts

Every timeout, backoff and lease is the shipped one (tests/conftest.py `shipped_settings`).
"""

# ruff: noqa: E402 - the imports follow the early SIGTERM handler on purpose (below)
from __future__ import annotations

import signal

# A SIGTERM during the imports below (a second or more, before `main` installs the real handler) would
# kill the run with no summary line: until then it is only noted, and the run stops before it starts.
_TERMINATED_EARLY: list[int] = []
signal.signal(signal.SIGTERM, lambda signum, frame: _TERMINATED_EARLY.append(signum))

import argparse
import contextlib
import json
import random
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.interrupts import exit_cleanly_on_sigterm
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from producer.submit import submit_batch
from tests.conftest import config_dir_with, shipped_settings, start_workers
from worker.celery_app import create_app
from worker.schema import JobResult, TaskKind, TaskSpec
from worker.store import Store

NAMES = ["Olivia Harrington", "Dana Whitfield", "Marcus Oyelaran", "Priya Raman", "Jonas Becker"]
CARDS = ["4539 1488 0343 6467", "5555-5555-5555-4444", "4111111111111111"]


def make_documents(count: int, rng: random.Random) -> tuple[list[LoadedDocument], set[str]]:
    """A realistic mix; returns the documents and the secret markers that must never reach the cloud."""
    docs: list[LoadedDocument] = []
    markers: set[str] = set()
    for n in range(count):
        kind = rng.choice(["simple", "simple", "complex", "sensitive"])
        if kind == "sensitive":
            marker = f"chaos-{n}-{secrets.token_hex(3)}@example-mail.com"
            card = rng.choice(CARDS)
            text = (
                f"{rng.choice(NAMES)} ({marker}) asks us to refund card {card} for order {1000 + n}. "
                "Compare the two invoices and analyse why the totals differ."
            )
            markers.add(marker)
        elif kind == "complex":
            text = f"# Review {n}\n\n" + "".join(
                f"## Part {p}\n\nCompare the options and evaluate the trade-offs; analyse the risks and "
                f"reason about which dominates.\n\n| a | b |\n|---|---|\n| {p} | {n} |\n\n"
                for p in range(8)
            )
        else:
            text = f"Note {n}: the warehouse count moved to Thursday; bring the updated rota."
        docs.append(LoadedDocument(source=f"chaos/{kind}-{n:05d}.txt", text=text, metadata={}))
    return docs, markers


def schedule(
    events: list[tuple[float, str, Callable[[], None]]], log: list[str], stopping: threading.Event
) -> threading.Thread:
    """Fire the faults on time, until `stopping` (the run is over: nothing more is started)."""

    def run() -> None:
        started = time.monotonic()
        for at_s, label, action in sorted(events, key=lambda e: e[0]):
            if stopping.wait(max(0.0, at_s - (time.monotonic() - started))):
                return
            log.append(f"t={time.monotonic() - started:5.1f}s {label}")
            action()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout-s", type=float, default=900)
    args = parser.parse_args()
    exit_cleanly_on_sigterm()  # `timeout` or a kill: the summary is printed and the stack stopped all the same
    with tempfile.TemporaryDirectory(prefix="turnout-chaos-") as tmp, contextlib.ExitStack() as started:
        return run(Path(tmp), args.docs, random.Random(args.seed), args.timeout_s, started)


def run(base: Path, count: int, rng: random.Random, timeout_s: float, started: contextlib.ExitStack) -> int:
    """The chaos run; everything it starts is stopped through `started`, pass or fail, and the summary line
    is printed whatever happened, a failed start included (with the jobs then unfinished counted as lost)."""
    docs, markers = make_documents(count, rng)
    state: dict[str, object] = {}
    fault_log: list[str] = []
    started_at = time.monotonic()
    outcome = "finished"
    try:
        if _TERMINATED_EARLY:  # while the modules loaded: start nothing
            raise SystemExit(128 + signal.SIGTERM)
        _run(base, docs, timeout_s, started, state, fault_log)
    except BaseException as exc:  # noqa: BLE001 - the summary is printed whatever stopped the run
        outcome = f"stopped: {type(exc).__name__}"
    # From here a further SIGTERM is only noted: the summary line and the stack's cleanup must finish.
    signal.signal(signal.SIGTERM, lambda signum, frame: _TERMINATED_EARLY.append(signum))
    elapsed_s = time.monotonic() - started_at
    store, openai, batch_id = state.get("store"), state.get("openai"), state.get("batch_id")
    return summarize(store, batch_id, docs, markers, openai, fault_log, elapsed_s, outcome)  # type: ignore[arg-type]


def _run(
    base: Path,
    docs: list[LoadedDocument],
    timeout_s: float,
    started: contextlib.ExitStack,
    state: dict[str, object],
    fault_log: list[str],
) -> None:
    redis = RedisServer(appendonly=True, data_dir=base).start()
    started.callback(redis.close)
    ollama = [OllamaSimulator().start(), OllamaSimulator().start()]
    openai = OpenAISimulator().start()
    state["openai"] = openai
    for sim in (*ollama, openai):
        started.callback(sim.stop)
    for sim in ollama:
        sim.set_config(latency_ms=250)  # 2 hosts x 4 slots: ~30 local jobs/s, so faults land mid-batch
    openai.set_config(latency_ms=300)
    settings = shipped_settings(  # every timeout, backoff and lease as shipped: recovery is worker liveness
        redis.url,
        ollama[0],
        openai,
        ollama_hosts=(ollama[0].url, ollama[1].url),
        config_dir=config_dir_with(base, cloud_min_complexity="moderate"),
        ollama_parallel=4,
        cloud_concurrency=4,
    )
    (base / "logs").mkdir()
    workers: list[WorkerProcess] = []
    stopping = threading.Event()

    def kill_workers() -> None:  # their process groups: pool children too
        stopping.set()
        for worker in list(workers):
            worker.kill()

    started.callback(kill_workers)
    workers.extend(start_workers(settings, base / "logs"))
    store = Store.from_url(redis.url)
    state["store"] = store
    started.callback(store.redis.close)

    def kill_local_worker() -> None:
        victim = next(w for w in workers if w.pool == "local")
        workers.remove(victim)
        victim.kill()
        fresh_dir = base / "logs" / "restarted"
        fresh_dir.mkdir(exist_ok=True)
        fresh = start_workers(settings, fresh_dir, pools=("local",))
        workers.extend(fresh)
        if stopping.is_set():  # the run ended while it started: stop it here, kill_workers has run
            for worker in fresh:
                worker.kill()

    def restart_redis() -> None:
        redis.stop()
        redis.start()

    def both(change: dict[str, object]) -> Callable[[], None]:
        def apply() -> None:
            for sim in ollama:
                sim.set_config(**change)

        return apply

    faults = [
        (
            1.0,
            "429 storm on the cloud API",
            lambda: openai.set_config(error_rate=0.7, error_kind="429", retry_after_s=0.5),
        ),
        (5.0, "429 storm over", lambda: openai.set_config(error_rate=0.0)),
        (
            3.0,
            "ollama host 1 answers 503",
            lambda: ollama[0].set_config(error_rate=1.0, error_kind="busy"),
        ),
        (9.0, "ollama host 1 healthy", lambda: ollama[0].set_config(error_rate=0.0)),
        (
            6.0,
            "malformed cloud answers",
            lambda: openai.set_config(error_rate=0.3, error_kind="malformed"),
        ),
        (8.0, "cloud answers well-formed", lambda: openai.set_config(error_rate=0.0)),
        (10.0, "SIGKILL a local worker mid-job", kill_local_worker),
        (14.0, "local timeouts", both({"error_rate": 0.3, "error_kind": "timeout", "timeout_hang_s": 3})),
        (17.0, "all ollama hosts down", both({"error_rate": 1.0, "error_kind": "500"})),
        (21.0, "ollama hosts back", both({"error_rate": 0.0})),
        (24.0, "restart redis", restart_redis),
    ]
    thread = schedule(faults, fault_log, stopping)
    batch_id = submit_batch(store, create_app(settings), docs, TaskSpec(kind=TaskKind.SUMMARIZE)).batch_id
    state["batch_id"] = batch_id
    wait_until(lambda: store.report(batch_id).done, timeout_s, "the chaos batch", interval_s=0.5)
    thread.join(timeout=120)


def summarize(
    store: Store | None,
    batch_id: str | None,
    docs: list[LoadedDocument],
    markers: set[str],
    openai: OpenAISimulator | None,
    fault_log: list[str],
    elapsed_s: float,
    outcome: str,
) -> int:
    """Print the fault log and the one summary line; the exit status says whether the promise held."""
    results: list[JobResult] = []
    report = None
    with contextlib.suppress(Exception):  # Redis itself may be what failed
        if store is not None and batch_id is not None:
            report = store.report(batch_id)
            results = list(store.iter_results(batch_id))
    failures = Counter(r.error.type for r in results if r.status == "failed" and r.error)
    lost = len(docs) - len({r.job_id for r in results})
    # Billed twice: counters moved more than once for some job, so they exceed the sum of the results.
    billed_twice = (len(results) - len({r.job_id for r in results})) + int(
        report is not None and abs(report.cost_usd - sum(r.cost_usd for r in results)) > 1e-9
    )
    cloud_traffic = json.dumps(openai.requests if openai is not None else [])
    leaked = sum(1 for marker in markers if marker in cloud_traffic)
    print("\n".join(fault_log), file=sys.stderr)
    print(
        f"batch {outcome} at t={elapsed_s:.1f}s; fallbacks {sum(1 for r in results if r.fallback_from)}; "
        f"retried jobs {sum(1 for r in results if r.attempts > 1)}",
        file=sys.stderr,
    )
    if lost and batch_id is not None:
        every = {f"{batch_id}.{n:06d}" for n in range(1, len(docs) + 1)}  # job ids number from 1
        unfinished = sorted(every - {r.job_id for r in results})
        print(f"unfinished: {', '.join(unfinished[:20])}", file=sys.stderr)
    reasons = ", ".join(f"{kind} {n}" for kind, n in failures.most_common()) or "none"
    succeeded = report.succeeded if report is not None else 0
    failed = report.failed if report is not None else 0
    print(
        f"submitted {len(docs)}, succeeded {succeeded}, failed {failed} ({reasons}), "
        f"lost {lost}, billed twice {billed_twice}, sensitive sent to cloud {leaked}; "
        f"{outcome} in {elapsed_s:.0f}s",
        flush=True,
    )
    return 0 if lost == 0 and billed_twice == 0 and leaked == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
