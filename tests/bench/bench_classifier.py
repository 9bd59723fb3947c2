"""Benchmark the classifier: per-kind recall, false-positive rate, docs/s per core on ~4 KB documents,
and memory before and after a long run. A script, not a test:

    .venv/bin/python -m tests.bench.bench_classifier [--docs 20000]

Throughput is documents per CPU-second of this (single-threaded) process, i.e. per core.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
import tracemalloc

from tests.eval.corpus import generate, split
from tests.eval.evaluate import TASK, evaluate
from worker.classifier import CLASSIFIER_VERSION, Classifier


def rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000, help="documents classified in the long run")
    args = parser.parse_args()

    started = time.process_time()
    classifier = Classifier()
    print(f"classifier {CLASSIFIER_VERSION}: built in {(time.process_time() - started) * 1000:.0f} ms CPU")

    cases = generate(sizes_chars=(4000,))
    _, holdout = split(cases)
    print(f"\nheld-out corpus, ~4 KB documents ({len(holdout)} docs)")
    print(evaluate(classifier, holdout).table())

    texts = [case.text for case in cases]
    mean_kb = sum(len(t.encode()) for t in texts) / len(texts) / 1024
    for text in texts[:200]:  # warm caches and lazy metadata before measuring
        classifier.classify(text, task=TASK)
    gc.collect()
    rss_before = rss_mib()
    tracemalloc.start()
    heap_before = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()

    started = time.process_time()
    for index in range(args.docs):
        classifier.classify(texts[index % len(texts)], task=TASK)
    cpu_s = time.process_time() - started

    gc.collect()
    rss_after = rss_mib()
    tracemalloc.start()
    for index in range(2_000):
        classifier.classify(texts[index % len(texts)], task=TASK)
    gc.collect()
    heap_growth_kib = (tracemalloc.get_traced_memory()[0] - heap_before) / 1024
    tracemalloc.stop()

    print(
        f"\nthroughput: {args.docs / cpu_s:,.0f} docs/s per core ({args.docs} docs, mean {mean_kb:.1f} KB, "
        f"{cpu_s * 1e6 / args.docs:.0f} us/doc CPU)"
    )
    print(
        f"memory: RSS {rss_before:.1f} MiB before, {rss_after:.1f} MiB after {args.docs} docs; "
        f"Python heap growth over 2,000 more docs: {heap_growth_kib:.0f} KiB"
    )


if __name__ == "__main__":
    main()
