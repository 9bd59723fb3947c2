"""Chaos run: push ~1,000 documents through real workers while faults fire on a schedule, then account.

    .venv/bin/python -m tests.chaos.run [--docs 1000] [--seed 7]

Faults (on a schedule): a 429 storm on the cloud API, one Ollama host answering 503, malformed cloud
answers, local timeouts, every Ollama host down while sensitive jobs are queued, a local worker SIGKILLed
mid-job, and a Redis restart (append-only persistence). Prints one line:

    submitted N, succeeded S, failed F (by reason), lost 0, billed twice 0, sensitive sent to cloud 0
"""

from __future__ import annotations

import argparse
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
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, wait_until
from producer.submit import submit_batch
from tests.conftest import config_dir_with, stack_settings, start_workers
from worker.celery_app import create_app
from worker.schema import TaskKind, TaskSpec
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


def schedule(events: list[tuple[float, str, Callable[[], None]]], log: list[str]) -> threading.Thread:
    def run() -> None:
        started = time.monotonic()
        for at_s, label, action in sorted(events, key=lambda e: e[0]):
            time.sleep(max(0.0, at_s - (time.monotonic() - started)))
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
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="turnout-chaos-") as tmp:
        base = Path(tmp)
        redis = RedisServer(appendonly=True, data_dir=base).start()
        ollama = [OllamaSimulator().start(), OllamaSimulator().start()]
        openai = OpenAISimulator().start()
        for sim in ollama:
            sim.set_config(latency_ms=250)  # 2 hosts x 4 slots: ~30 local jobs/s, so faults land mid-batch
        openai.set_config(latency_ms=300)
        settings = stack_settings(
            redis.url,
            ollama[0],
            openai,
            ollama_hosts=(ollama[0].url, ollama[1].url),
            config_dir=config_dir_with(base, cloud_min_complexity="moderate"),
            request_timeout_s=2.0,
            retry_backoff_s=0.1,
            retry_backoff_max_s=1.0,
            max_attempts=6,
            visibility_timeout_s=10,
            backend_wait_max_s=30,
            ollama_parallel=4,
            cloud_concurrency=4,
        )
        (base / "logs").mkdir()
        workers = start_workers(settings, base / "logs")
        store = Store.from_url(redis.url)
        docs, markers = make_documents(args.docs, rng)

        def kill_local_worker() -> None:
            victim = next(w for w in workers if w.pool == "local")
            workers.remove(victim)
            victim.kill()
            fresh_dir = base / "logs" / "restarted"
            fresh_dir.mkdir(exist_ok=True)
            workers.extend(start_workers(settings, fresh_dir, pools=("local",)))

        def restart_redis() -> None:
            redis.stop()
            redis.start()

        def both(change: dict[str, object]) -> Callable[[], None]:
            return lambda: [sim.set_config(**change) for sim in ollama]  # type: ignore[func-returns-value]

        fault_log: list[str] = []
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
        started = time.monotonic()
        thread = schedule(faults, fault_log)
        batch_id = submit_batch(store, create_app(settings), docs, TaskSpec(kind=TaskKind.SUMMARIZE)).batch_id
        try:
            wait_until(lambda: store.report(batch_id).done, args.timeout_s, "the chaos batch", interval_s=0.5)
        finally:
            elapsed_s = time.monotonic() - started
            thread.join(timeout=60)

        report = store.report(batch_id)
        results = list(store.iter_results(batch_id))
        failures = Counter(r.error.type for r in results if r.status == "failed" and r.error)
        lost = len(docs) - len({r.job_id for r in results})
        # Billed twice: counters moved more than once for some job, so they exceed the sum of the results.
        billed_twice = (len(results) - len({r.job_id for r in results})) + int(
            abs(report.cost_usd - sum(r.cost_usd for r in results)) > 1e-9
        )
        cloud_traffic = json.dumps(openai.requests)
        leaked = sum(1 for marker in markers if marker in cloud_traffic)
        for worker in workers:
            worker.stop()
        for sim in (*ollama, openai):
            sim.stop()
        store.redis.close()
        redis.close()

    print("\n".join(fault_log), file=sys.stderr)
    print(
        f"batch finished at t={elapsed_s:.1f}s; fallbacks {sum(1 for r in results if r.fallback_from)}; "
        f"retried jobs {sum(1 for r in results if r.attempts > 1)}",
        file=sys.stderr,
    )
    reasons = ", ".join(f"{kind} {n}" for kind, n in failures.most_common()) or "none"
    print(
        f"submitted {len(docs)}, succeeded {report.succeeded}, failed {report.failed} ({reasons}), "
        f"lost {lost}, billed twice {billed_twice}, sensitive sent to cloud {leaked}"
    )
    return 0 if lost == 0 and billed_twice == 0 and leaked == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
