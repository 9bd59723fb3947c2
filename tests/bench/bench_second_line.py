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
from worker.backends.base import CompletionRequest
from worker.chunking import plan_job, run_task
from worker.routing import load_routing_policy
from worker.runtime import Runtime, build_runtime
from worker.schema import (
    Complexity,
    JobMessage,
    Route,
    RouteTarget,
    Sensitivity,
    Tags,
    TaskKind,
    TaskSpec,
    Usage,
)
from worker.second_line import COUNTER_PREFIX
from worker.second_line_check import screen
from worker.settings import Settings
from worker.store import keys

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
    """Per size: the check's latency, tokens and cost; the same document's summary on the same local
    server (the job's own call, for scale) and that call's price on the cloud model (what the job pays
    when the check clears it); the rules' CPU time per document."""
    rt = build_runtime(settings)
    classifier, prices = rt.policies.classifier, rt.policies.prices
    cloud_model = rt.policies.routing.models.cloud
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    try:
        for size, paragraphs in SIZES.items():
            docs = documents(n, paragraphs)
            batch_id = f"bench-{label}-{paragraphs}-{time.time_ns()}"
            screen(rt, JobMessage(job_id=f"{batch_id}.warm", batch_id=batch_id + "w"), docs[0], TAGS, CLOUD)
            checks_ms, tasks_ms, routes, task_usage = [], [], [], []
            for i, text in enumerate(docs):
                started = time.perf_counter()
                route = screen(rt, JobMessage(job_id=f"{batch_id}.{i}", batch_id=batch_id), text, TAGS, CLOUD)
                checks_ms.append((time.perf_counter() - started) * 1000)
                routes.append(route.reasons[-1].removeprefix("second_line: "))
                started = time.perf_counter()
                task_usage += local_summary(rt, text, f"{batch_id}.{i}")
                tasks_ms.append((time.perf_counter() - started) * 1000)
            started = time.process_time()
            for text in docs:
                classifier.classify(text, task=task, source="memo.txt", floor=None)
            rules_ms = (time.process_time() - started) * 1000 / len(docs)
            raw = rt.store.redis.hgetall(keys.counters(batch_id))
            counts = {k.removeprefix(COUNTER_PREFIX): int(v) for k, v in raw.items()}
            checked = max(1, counts.get("checked", 0))
            cloud_pico = sum(prices.cost_pico(cloud_model, u) for u in task_usage) / len(docs)
            verdicts = {v: routes.count(v) for v in sorted(set(routes))}
            print(
                f"| {label} | {size} | {len(docs)} | {statistics.median(checks_ms):,.0f} | {max(checks_ms):,.0f} | "
                f"{statistics.median(tasks_ms):,.0f} | "
                f"{counts.get('input_tokens', 0) / checked:,.0f} + {counts.get('output_tokens', 0) / checked:,.0f} | "
                f"{sum(u.input_tokens for u in task_usage) / len(docs):,.0f} + "
                f"{sum(u.output_tokens for u in task_usage) / len(docs):,.0f} | "
                f"{counts.get('cost_pico', 0) / checked / 1e6:,.2f} | {cloud_pico / 1e6:,.2f} | {rules_ms:.2f} | "
                f"{verdicts} |",
                flush=True,
            )
    finally:
        rt.close()


def local_summary(rt: Runtime, text: str, job_id: str) -> list[Usage]:
    """The job's own calls for `text` on the local route, as a local job makes them; their usage."""
    prompts, model, task = (
        rt.policies.prompts,
        rt.policies.routing.models.local,
        TaskSpec(kind=TaskKind.SUMMARIZE),
    )
    calls: list[Usage] = []

    def ask(step: str, messages: list[dict[str, str]]) -> str:
        request = CompletionRequest(
            job_id, model, messages, Sensitivity.PUBLIC, sampling=prompts.sampling_for(task.kind)
        )
        completion = rt.backend(RouteTarget.LOCAL).complete(request)
        calls.append(completion.usage)
        return completion.output

    run_task(task, plan_job(rt.policies.models, prompts, task, text, model), ask, prompts)
    return calls


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
        "| server | document | docs | check median ms | check max ms | local summary median ms "
        "| check tokens in + out | summary tokens in + out | check cost (uUSD) | summary on the cloud model (uUSD) "
        "| rules CPU ms/doc | verdicts |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
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
