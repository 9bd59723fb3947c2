"""Turnout end to end against a real model server, next to a plain client sending the same requests.

    .venv/bin/python -m tests.bench.bench_real                   # 12 documents x 3 rounds, ~2 min idle
    .venv/bin/python -m tests.bench.bench_real --docs 8 --rounds 1

The server is llama.cpp's (`llama-cpp-python[server]`, SmolLM2-135M on CPU; needs the `real` extra). The
plain client is the limit: the official `openai` client sending each document's chat call (the same
messages, cap, temperature and seed Turnout sends) from `--concurrency` threads, nothing else. Turnout is
the whole job: submit, classify, route, the local pool's call through TURNOUT_LOCAL_OPENAI_HOSTS, the
result written to Redis. Rounds alternate (client, Turnout) so drift on a shared machine hits both. A
script, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openai

from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, wait_until
from producer.submit import submit_batch
from tests.conftest import start_workers
from tests.real.configs import tier_configs
from tests.real.server import MODEL_ALIAS, missing_packages, running_llama_server
from worker.celery_app import create_app
from worker.prompts import load_prompt_templates
from worker.schema import TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store

TASK = TaskSpec(kind=TaskKind.SUMMARIZE)


def documents(n: int, tag: str) -> list[LoadedDocument]:
    # Distinct texts (no reuse of earlier results), all of one shape so every call does the same work.
    return [
        LoadedDocument(
            source=f"{tag}-{i}.txt",
            text=f"Note {tag}-{i}: the team lunch moved to Thursday at noon in room {100 + i}; bring ideas "
            "for the offsite and tell Sam whether you need a vegetarian meal.",
            metadata={"format": "txt"},
        )
        for i in range(n)
    ]


def plain_client(
    base_url: str, config_dir: Path, docs: list[LoadedDocument], concurrency: int
) -> tuple[float, int]:
    """Seconds for every document's call, and the output tokens the server reported."""
    prompts = load_prompt_templates(config_dir / "prompts.yaml")
    sampling = prompts.sampling_for(TASK.kind)
    client = openai.OpenAI(base_url=base_url, api_key="not-needed", max_retries=0, timeout=300)

    def call(doc: LoadedDocument) -> int:
        response = client.chat.completions.create(
            model=MODEL_ALIAS,
            messages=prompts.messages(TASK, doc.text),  # type: ignore[arg-type]
            max_tokens=sampling.max_output_tokens,
            temperature=sampling.temperature,
            seed=sampling.seed,
        )
        return response.usage.completion_tokens if response.usage else 0

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        tokens = sum(pool.map(call, docs))
    elapsed = time.perf_counter() - started
    client.close()
    return elapsed, tokens


def turnout(store: Store, settings: Settings, docs: list[LoadedDocument]) -> tuple[float, int]:
    """Seconds from the first submission to the last result, and the output tokens billed."""
    app = create_app(settings)
    started = time.perf_counter()
    summary = submit_batch(store, app, docs, TASK, force=True)
    wait_until(lambda: store.report(summary.batch_id).done, 900, "the batch to finish", interval_s=0.02)
    elapsed = time.perf_counter() - started
    results = list(store.iter_results(summary.batch_id))
    failed = [r for r in results if r.status != "succeeded"]
    if failed:
        raise RuntimeError(f"{len(failed)} job(s) failed, e.g. {failed[0].error}")
    return elapsed, sum(r.usage.output_tokens for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=1, help="client threads = Turnout slots per host")
    args = parser.parse_args()
    if missing := missing_packages():
        raise SystemExit(f"needs the `real` extra ({', '.join(missing)} missing): see tests/real/server.py")
    with (
        tempfile.TemporaryDirectory(prefix="bench-real-") as tmp,
        running_llama_server(Path(tmp) / "llama.log") as server,
    ):
        config_dir = tier_configs(Path(tmp) / "configs")
        redis_server = RedisServer().start()
        settings = Settings(
            broker_url=redis_server.url,
            config_dir=config_dir,
            local_openai_hosts=(f"{server.url}/v1",),
            local_openai_parallel=args.concurrency,
            classify_concurrency=1,
            log_format="json",
            log_level="warning",
        )
        workers = start_workers(settings, Path(tmp))
        store = Store.from_url(redis_server.url)
        try:
            plain_client(f"{server.url}/v1", config_dir, documents(2, "warm"), args.concurrency)
            turnout(store, settings, documents(2, "warm-t"))
            plain_s: list[float] = []
            turnout_s: list[float] = []
            for n in range(args.rounds):
                # The same documents both ways: temperature 0 and a seed make the same answers, the same work.
                docs = documents(args.docs, f"r{n}")
                seconds, plain_tokens = plain_client(f"{server.url}/v1", config_dir, docs, args.concurrency)
                plain_s.append(seconds)
                seconds, turnout_tokens = turnout(store, settings, docs)
                turnout_s.append(seconds)
                print(
                    f"round {n + 1}: plain client {plain_s[-1]:.2f} s ({plain_tokens} output tokens), "
                    f"Turnout {turnout_s[-1]:.2f} s ({turnout_tokens} output tokens)",
                    flush=True,
                )
        finally:
            for worker in workers:
                worker.stop()
            store.redis.close()
            redis_server.close()
    plain, ours = statistics.median(plain_s), statistics.median(turnout_s)
    load = os.getloadavg()[0]
    print(
        f"\n(load average at the end {load:.1f} on {os.cpu_count()} cores: the server's CPU is shared)"
        f"\n{args.docs} summaries on llama.cpp (SmolLM2-135M, CPU), concurrency {args.concurrency}, "
        f"median of {args.rounds} round(s):\n"
        f"  plain openai client (the limit): {plain:.2f} s = {args.docs / plain:.2f} docs/s\n"
        f"  Turnout end to end:              {ours:.2f} s = {args.docs / ours:.2f} docs/s "
        f"({ours / plain:.2f}x the client's time; {(ours - plain) / args.docs * 1000:.0f} ms per document)"
    )


if __name__ == "__main__":
    main()
