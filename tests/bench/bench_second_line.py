"""What the second line costs per cloud-bound document: latency, tokens and dollars of one check.

    .venv/bin/python -m tests.bench.bench_second_line                # simulator, and llama.cpp if installed
    .venv/bin/python -m tests.bench.bench_second_line --docs 12 --no-real

Each check is the function the classify stage calls (worker/second_line_check.py `screen`), in process, on
a Runtime built from settings as a worker builds it: the fleet-wide slot taken and given back in Redis, the
HTTP call, the answer read, the call and the batch's counters recorded. Against the Ollama simulator
(answers at once) the figure is Turnout's own overhead; against llama.cpp's server with SmolLM2-135M on
CPU (the `real` extra) it is a real, small model's. Documents of three sizes: the check reads the first
`max_chars` (6,000) characters, so the longest is cut. The rules' own time per document is printed beside
it for scale. A script, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ops.simulators import OllamaSimulator
from producer.local_stack import RedisServer
from tests.conftest import REPO_ROOT
from worker.routing import load_routing_policy
from worker.runtime import build_runtime
from worker.schema import Complexity, JobMessage, Route, RouteTarget, Sensitivity, Tags, TaskKind, TaskSpec
from worker.second_line import COUNTER_PREFIX
from worker.second_line_check import screen
from worker.settings import Settings

PARAGRAPH = (
    "The regional office reviewed the supplier contracts for the coming season and compared delivery "
    "times, prices and service levels across the three shortlisted vendors. The committee will publish "
    "its recommendation with the quarterly newsletter after the board meeting in June. "
)
SIZES = {"short (0.3 KB)": 1, "medium (2 KB)": 8, "long (12 KB, read 6 KB)": 48}
TAGS = Tags(
    sensitivity=Sensitivity.PUBLIC,
    complexity=Complexity.COMPLEX,
    complexity_score=0.7,
    classifier_version="b",
)
CLOUD = Route(target=RouteTarget.CLOUD, model="gpt-4o-mini", reasons=("complexity:complex",))


def documents(n: int, paragraphs: int) -> list[str]:
    return [f"Memo {i}. " + PARAGRAPH * paragraphs for i in range(n)]


def measure(settings: Settings, label: str, n: int) -> None:
    rt = build_runtime(settings)
    classifier = rt.policies.classifier
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    try:
        for size, paragraphs in SIZES.items():
            docs = documents(n, paragraphs)
            batch_id = f"bench-{label}-{paragraphs}-{time.time_ns()}"
            screen(rt, JobMessage(job_id=f"{batch_id}.warm", batch_id=batch_id + "w"), docs[0], TAGS, CLOUD)
            latencies, routes = [], []
            for i, text in enumerate(docs):
                started = time.perf_counter()
                route = screen(rt, JobMessage(job_id=f"{batch_id}.{i}", batch_id=batch_id), text, TAGS, CLOUD)
                latencies.append((time.perf_counter() - started) * 1000)
                routes.append(route.reasons[-1].removeprefix("second_line: "))
            started = time.process_time()
            for text in docs:
                classifier.classify(text, task=task, source="memo.txt", floor=None)
            rules_ms = (time.process_time() - started) * 1000 / len(docs)
            raw = rt.store.redis.hgetall(rt.store.counters_key(batch_id))
            counts = {k.removeprefix(COUNTER_PREFIX): int(v) for k, v in raw.items()}
            checked = max(1, counts.get("checked", 0))
            verdicts = {v: routes.count(v) for v in sorted(set(routes))}
            print(
                f"| {label} | {size} | {len(docs)} | {statistics.mean(latencies):,.1f} | "
                f"{statistics.median(latencies):,.1f} | {max(latencies):,.1f} | "
                f"{counts.get('input_tokens', 0) / checked:,.0f} | {counts.get('output_tokens', 0) / checked:,.1f} | "
                f"{counts.get('cost_pico', 0) / checked / 1e6:,.3f} | {rules_ms:.2f} | {verdicts} |",
                flush=True,
            )
    finally:
        rt.close()


@contextmanager
def configs(tmp: Path, real: bool) -> Iterator[Path]:
    if real:
        from tests.real.configs import tier_configs

        yield tier_configs(tmp / "configs", {"enabled": True})
        return
    target = tmp / "configs"
    shutil.copytree(REPO_ROOT / "configs", target)
    assert load_routing_policy(target / "routing.yaml").second_line.enabled == "auto"
    yield target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=20, help="documents per size")
    parser.add_argument("--no-real", action="store_true", help="skip llama.cpp even when installed")
    args = parser.parse_args()
    print(
        "| server | document | checks | mean ms | median ms | max ms | input tokens | output tokens "
        "| cost per check (micro-USD) | rules ms/doc (CPU) | verdicts |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    redis_server = RedisServer().start()
    try:
        run(redis_server.url, args.docs, not args.no_real)
    finally:
        redis_server.close()


def run(redis_url: str, docs: int, real: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with OllamaSimulator() as ollama, configs(tmp / "sim", real=False) as config_dir:
            settings = Settings(broker_url=redis_url, config_dir=config_dir, ollama_hosts=(ollama.url,))
            measure(settings, "Ollama simulator", docs)
        if not real:
            return
        from tests.real.server import missing_packages, running_llama_server

        if missing_packages():
            print(f"(llama.cpp not measured: {', '.join(missing_packages())} not installed)")
            return
        with (
            running_llama_server(tmp / "llama.log") as server,
            configs(tmp / "real", real=True) as config_dir,
        ):
            settings = Settings(
                broker_url=redis_url,
                config_dir=config_dir,
                local_openai_hosts=(f"{server.url}/v1",),
                local_openai_parallel=1,
            )
            measure(settings, "llama.cpp SmolLM2-135M (CPU)", max(4, docs // 4))


if __name__ == "__main__":
    main()
