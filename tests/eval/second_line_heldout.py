"""Held-out sets F, G, H and I with the second line on: the rules, then the local model's check on every document
they would let leave, as the second line's stage runs it (worker/second_line_check.py `screen`).

    .venv/bin/python -m tests.eval.second_line_heldout [--sets F G H I] [--limit N]

Needs the `real` extra: it starts llama.cpp's server with the packaged SmolLM2-135M (CPU), the only model
this machine has. A document counts as caught when the rules tag it confidential or above, or the check
keeps it local (a "sensitive" verdict, or a check that failed or gave no verdict: fail closed); a clean
document so held back counts against the false-positive rate. Confidential and restricted documents never
reach the check. The figure measures the protocol with a 135M model, not what a capable model would judge.
A script, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import structlog

from producer.local_stack import RedisServer
from worker.classifier import Classifier, ClassifierConfig
from worker.runtime import build_runtime
from worker.schema import JobMessage, Route, RouteTarget, Sensitivity, TaskKind, TaskSpec
from worker.second_line_check import screen
from worker.settings import Settings

CLOUD = Route(target=RouteTarget.CLOUD, model="gpt-4o-mini", reasons=("complexity:complex",))
SENSITIVE = "sensitive"


def corpus(name: str) -> list:  # type: ignore[type-arg]
    package = {"F": "heldout6", "G": "heldout7", "H": "heldout8", "I": "heldout9"}[name]
    return list(importlib.import_module(f"tests.eval.{package}.evaluate").corpus(name))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", nargs="+", default=["G", "F"], choices=["F", "G", "H", "I"])
    parser.add_argument("--limit", type=int, default=0, help="checks per set at most (0: all)")
    args = parser.parse_args()
    # One line per check at info level would bury the figures.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    from tests.real.configs import tier_configs
    from tests.real.server import running_llama_server

    redis = RedisServer().start()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with running_llama_server(tmp / "llama.log") as server:
            settings = Settings(
                broker_url=redis.url,
                config_dir=tier_configs(tmp / "configs", {"enabled": True}),
                local_openai_hosts=(f"{server.url}/v1",),
                local_openai_parallel=1,
            )
            rt = build_runtime(settings)
            try:
                for name in args.sets:
                    evaluate(rt, name, args.limit)
            finally:
                rt.close()
                redis.close()


def evaluate(rt, name: str, limit: int) -> None:  # type: ignore[no-untyped-def]
    docs = corpus(name)
    clf, task = Classifier(ClassifierConfig()), TaskSpec(kind=TaskKind.SUMMARIZE)
    rules: dict[str, bool] = {}
    checked: dict[str, str] = {}
    latency_ms: list[float] = []
    for n, d in enumerate(docs):
        tags = clf.classify(d.text, task=task, source=d.source, floor=None)
        rules[d.id] = Sensitivity(tags.sensitivity).at_least(Sensitivity.CONFIDENTIAL)
        if rules[d.id] or (limit and len(checked) >= limit):
            continue
        started = time.perf_counter()
        message = JobMessage(job_id=f"{name}-{n}", batch_id=f"second-line-{name}")
        route = screen(rt, message, d.text, tags, CLOUD)
        latency_ms.append((time.perf_counter() - started) * 1000)
        checked[d.id] = "local" if route.target is RouteTarget.LOCAL else "cloud"
        checked[d.id] += " " + route.reasons[-1].removeprefix("second_line: ")
    seen = [d for d in docs if rules[d.id] or d.id in checked]
    caught = {d.id for d in seen if rules[d.id] or checked[d.id].startswith("local")}
    pos = [d for d in seen if d.label == SENSITIVE]
    neg = [d for d in seen if d.label != SENSITIVE]
    tp, fp = sum(d.id in caught for d in pos), sum(d.id in caught for d in neg)
    rules_tp = sum(rules[d.id] for d in pos)
    rules_fp = sum(rules[d.id] for d in neg)
    verdicts = Counter(v.split(" ", 1)[1].split(",")[0].split("(")[0].strip() for v in checked.values())
    print(f"set {name}: {len(seen)} docs ({len(checked)} checked by the local model)")
    print(
        f"  rules alone:          recall {rules_tp / len(pos):.3f} ({rules_tp}/{len(pos)})  FPR {rules_fp / len(neg):.3f} ({rules_fp}/{len(neg)})"
    )
    print(
        f"  with the second line: recall {tp / len(pos):.3f} ({tp}/{len(pos)})  FPR {fp / len(neg):.3f} ({fp}/{len(neg)})"
    )
    print(
        f"  check verdicts: {dict(verdicts)}; check latency median {statistics.median(latency_ms or [0]):,.0f} ms"
    )
    leaving = [d for d in pos if d.id not in caught]
    print(
        f"  sensitive documents that would still leave: {len(leaving)} ({dict(Counter(d.kind for d in leaving))})"
    )


if __name__ == "__main__":
    main()
