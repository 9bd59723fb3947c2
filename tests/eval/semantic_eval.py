"""The measured embedding classifier on a heldout4 set, from the embedding cache: recall and false-positive rate alone,
the rules alone, and both OR-combined (the second line only ever raises a verdict), overall and per language.

    python -m tests.eval.semantic_eval /tmp/embedcache/D.npz MODEL.npz
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

import numpy as np

from worker.classifier import Classifier, ClassifierConfig
from worker.schema import Sensitivity, TaskKind, TaskSpec

from .semantic_train import doc_scores, load


def rules_verdicts(set_name: str) -> dict[str, bool]:
    from .heldout4.evaluate import corpus

    clf = Classifier(ClassifierConfig())
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    return {
        d.id: clf.classify(d.text, task=task, source=d.source, floor=None).sensitivity.at_least(
            Sensitivity.CONFIDENTIAL
        )
        for d in corpus(set_name)
    }


def rate(flags: np.ndarray, labels: np.ndarray, sel: np.ndarray, label: int) -> str:
    pool = sel & (labels == label)
    return f"{int(flags[pool].sum())}/{int(pool.sum())}"


def main() -> None:
    emb, owner, meta = load(sys.argv[1])
    model = np.load(sys.argv[2])
    scores = doc_scores(emb, owner, len(meta), model["w"].astype(np.float64), float(model["b"]))
    sem = scores >= float(model["threshold"])  # logits (tests/eval/semantic_train.py)
    rules_by_id = rules_verdicts(str(meta[0]["group"]))
    rules = np.array([rules_by_id[str(m["id"])] for m in meta])
    labels = np.array([int(m["label"]) for m in meta])
    both = rules | sem
    everything = np.ones(len(meta), dtype=bool)
    print(f"threshold {float(model['threshold']):.3f}")
    print("             recall      fpr")
    for name, flags in (("semantic", sem), ("rules", rules), ("rules OR sem", both)):
        print(f"{name:12} {rate(flags, labels, everything, 1):>9} {rate(flags, labels, everything, 0):>9}")
    by_lang: dict[str, list[str]] = defaultdict(list)
    for lang in sorted({str(m["lang"]) for m in meta}):
        sel = np.array([m["lang"] == lang for m in meta])
        by_lang[lang] = [rate(f, labels, sel, lab) for f in (sem, rules, both) for lab in (1, 0)]
    print("lang  sem rec  sem fpr  rules rec  rules fpr  OR rec  OR fpr")
    for lang, cells in by_lang.items():
        print(f"{lang:5} " + " ".join(f"{c:>8}" for c in cells))
    caught = [m for m, s, r in zip(meta, sem, rules, strict=True) if s and not r and m["label"] == 1]
    added_fp = [m for m, s, r in zip(meta, sem, rules, strict=True) if s and not r and m["label"] == 0]
    print("rules misses the second line catches:", json.dumps([(m["id"], m["kind"]) for m in caught]))
    print("false positives it adds:", json.dumps([(m["id"], m["kind"]) for m in added_fp]))
    missed = [m for m, b in zip(meta, both, strict=True) if not b and m["label"] == 1]
    print("missed by both:", json.dumps([(m["id"], m["kind"]) for m in missed]))


if __name__ == "__main__":
    main()
