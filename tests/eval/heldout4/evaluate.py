"""Running the classifier over a held-out set: recall, false-positive rate, per kind and per language,
the misses (ids, kinds, levels and reasons; never document text), and throughput on one core."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from worker.classifier import Classifier, ClassifierConfig
from worker.schema import Sensitivity, TaskKind, TaskSpec

from . import set_c, set_d
from .doc import NEGATIVE, SENSITIVE, Doc, build, fingerprint

MANIFEST = Path(__file__).with_name("MANIFEST.json")
SETS = {"C": set_c.SPECS, "D": set_d.SPECS}
# Tags.reasons carries the complexity note too; a document is "silent" when nothing else is there.
COMPLEXITY_PREFIX = "complexity"


def corpus(name: str) -> list[Doc]:
    return build(name, SETS[name])


def manifest_entry(docs: Sequence[Doc]) -> dict[str, object]:
    def counts(attr: str) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for d in docs:
            out[getattr(d, attr)] += 1
        return dict(sorted(out.items()))

    return {
        "docs": len(docs),
        "sensitive": sum(d.label == SENSITIVE for d in docs),
        "negative": sum(d.label == NEGATIVE for d in docs),
        "sha256": fingerprint(docs),
        "kinds": counts("kind"),
        "languages": counts("lang"),
    }


def freeze() -> dict[str, object]:
    data: dict[str, object] = {
        "faker": version("faker"),
        "python-stdnum": version("python-stdnum"),
        "sets": {name: manifest_entry(corpus(name)) for name in SETS},
    }
    MANIFEST.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return data


def frozen_sha(name: str) -> str:
    return str(json.loads(MANIFEST.read_text())["sets"][name]["sha256"])


@dataclass
class Row:
    doc_id: str
    kind: str
    lang: str
    label: str
    level: str
    reasons: tuple[str, ...]


@dataclass
class Result:
    set_name: str
    rows: list[Row]
    cpu_s: float
    wall_s: float
    groups: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    @property
    def flagged(self) -> list[Row]:
        return [r for r in self.rows if Sensitivity(r.level).at_least(Sensitivity.CONFIDENTIAL)]

    def rate(self, label: str, rows: Sequence[Row] | None = None) -> tuple[int, int]:
        rows = self.rows if rows is None else rows
        pool = [r for r in rows if r.label == label]
        return sum(Sensitivity(r.level).at_least(Sensitivity.CONFIDENTIAL) for r in pool), len(pool)

    def misses(self) -> list[Row]:
        return [
            r
            for r in self.rows
            if r.label == SENSITIVE and not Sensitivity(r.level).at_least(Sensitivity.CONFIDENTIAL)
        ]

    def false_positives(self) -> list[Row]:
        return [
            r
            for r in self.rows
            if r.label == NEGATIVE and Sensitivity(r.level).at_least(Sensitivity.CONFIDENTIAL)
        ]

    def silent(self) -> list[Row]:
        """Documents whose reasons say nothing about sensitivity (the complexity note alone does not count)."""
        return [r for r in self.rows if not [x for x in r.reasons if not x.startswith(COMPLEXITY_PREFIX)]]

    def by(self, attr: str) -> dict[str, dict[str, tuple[int, int]]]:
        keys = sorted({getattr(r, attr) for r in self.rows})
        out = {}
        for k in keys:
            rows = [r for r in self.rows if getattr(r, attr) == k]
            out[k] = {SENSITIVE: self.rate(SENSITIVE, rows), NEGATIVE: self.rate(NEGATIVE, rows)}
        return out

    def as_json(self) -> dict[str, object]:
        fl_s, n_s = self.rate(SENSITIVE)
        fl_n, n_n = self.rate(NEGATIVE)

        def rows(rs: Sequence[Row]) -> list[dict[str, object]]:
            return [
                {"id": r.doc_id, "kind": r.kind, "lang": r.lang, "level": r.level, "reasons": list(r.reasons)}
                for r in rs
            ]

        return {
            "set": self.set_name,
            "docs": len(self.rows),
            "recall": fl_s / n_s,
            "recall_hits": fl_s,
            "sensitive": n_s,
            "fpr": fl_n / n_n,
            "false_positives": fl_n,
            "negatives": n_n,
            "docs_per_s_cpu": len(self.rows) / self.cpu_s,
            "docs_per_s_wall": len(self.rows) / self.wall_s,
            "silent": len(self.silent()),
            "by_kind": self.by("kind"),
            "by_lang": self.by("lang"),
            "misses": rows(self.misses()),
            "fps": rows(self.false_positives()),
        }


def run(name: str, docs: Sequence[Doc] | None = None) -> Result:
    docs = corpus(name) if docs is None else docs
    clf = Classifier(ClassifierConfig())
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    for d in docs[:5]:  # warm any lazy compilation so it is not billed to the first documents
        clf.classify(d.text, task=task, source=d.source, floor=None)
    rows = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for d in docs:
        tags = clf.classify(d.text, task=task, source=d.source, floor=None)
        rows.append(Row(d.id, d.kind, d.lang, d.label, str(tags.sensitivity), tuple(tags.reasons)))
    return Result(name, rows, time.process_time() - cpu0, time.perf_counter() - wall0)
