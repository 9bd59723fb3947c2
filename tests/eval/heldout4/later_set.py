"""One later held-out set (E, F, ...) through the heldout4 evaluator: corpus, run, manifest freeze and check,
and the CLI. Each later package (heldout5, heldout6) names its set, specs, categories and document helpers
here instead of copying this code."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .evaluate import Result, manifest_entry
from .evaluate import run as _run


@dataclass(frozen=True)
class LaterSet:
    package: str  # "heldout5": the CLI's name and its error line
    name: str  # "E"
    specs: Sequence[Any]
    category: Mapping[str, str]  # kind -> sensitive category
    manifest: Path
    build: Callable[[str, Sequence[Any]], list[Any]]
    canonical: Callable[[Sequence[Any]], str]
    fingerprint: Callable[[Sequence[Any]], str]
    sensitive: str

    @property
    def sets(self) -> dict[str, Sequence[Any]]:
        return {self.name: self.specs}

    def corpus(self, name: str) -> list[Any]:
        return self.build(name, self.sets[name])

    def run(self, name: str, docs: Sequence[Any] | None = None) -> Result:
        """The heldout4 run over set ``name`` (generated here when ``docs`` is not given)."""
        return _run(name, self.corpus(name) if docs is None else docs)

    def freeze(self) -> dict[str, object]:
        docs = self.corpus(self.name)
        entry = manifest_entry(docs)
        entry["sensitive_categories"] = dict(
            sorted(Counter(self.category[d.kind] for d in docs if d.label == self.sensitive).items())
        )
        entry["labels_by_kind"] = {s.kind: s.label for s in sorted(self.specs, key=lambda s: s.kind)}
        data: dict[str, object] = {
            "faker": version("faker"),
            "python-stdnum": version("python-stdnum"),
            "sets": {self.name: entry},
        }
        self.manifest.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        return data

    def frozen_sha(self, name: str) -> str:
        return str(json.loads(self.manifest.read_text())["sets"][name]["sha256"])

    def main(self, argv: list[str] | None = None) -> int:
        from .__main__ import report

        p = argparse.ArgumentParser(
            prog=f"python -m tests.eval.{self.package}",
            description=f"Evaluate the classifier on held-out set {self.name}, write it out, or freeze "
            "the manifest (heldout4's report).",
        )
        p.add_argument("--set", choices=sorted(self.sets), required=False)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument("--write", type=Path, help="write the set as JSONL into this directory and stop")
        p.add_argument(
            "--freeze", action="store_true", help="rewrite MANIFEST.json from the generator (before any run)"
        )
        p.add_argument("--no-misses", action="store_true", help="aggregate figures only")
        a = p.parse_args(argv)
        if a.freeze:
            print(json.dumps(self.freeze(), indent=1, ensure_ascii=False))
            return 0
        if not a.set:
            p.error("--set is required")
        docs = self.corpus(a.set)
        if self.fingerprint(docs) != self.frozen_sha(a.set):
            print(
                f"{self.package}: set {a.set} no longer matches MANIFEST.json (generator or Faker/stdnum changed)",
                file=sys.stderr,
            )
            return 2
        if a.write:
            a.write.mkdir(parents=True, exist_ok=True)
            (a.write / f"{a.set}.jsonl").write_text(self.canonical(docs))
            print(a.write / f"{a.set}.jsonl")
            return 0
        res = self.run(a.set, docs)
        if a.json:
            j = res.as_json()
            if a.no_misses:
                j.pop("misses"), j.pop("fps")
            print(json.dumps(j, indent=1, ensure_ascii=False))
        else:
            print(report(res, not a.no_misses))
        return 0
