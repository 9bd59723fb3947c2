"""One later held-out set (E, F, ...) through the heldout4 evaluator: corpus, run, manifest freeze and check,
and the CLI. Each later package (heldout5, heldout6) names its set, specs, categories and document helpers
here instead of copying this code."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
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

    # ---- the checks each later set's test file runs (they run no classifier) ------------------------
    def check_frozen(self, negative: str) -> None:
        """The generator writes, byte for byte, the corpus whose sha256 is frozen, with the same counts per
        kind, language and sensitive category, and about half of it sensitive."""
        docs = self.corpus(self.name)
        assert self.fingerprint(docs) == self.frozen_sha(self.name)
        frozen = json.loads(self.manifest.read_text())["sets"][self.name]
        assert frozen["docs"] == len(docs)
        assert frozen["kinds"] == dict(sorted(Counter(d.kind for d in docs).items()))
        assert frozen["languages"] == dict(sorted(Counter(d.lang for d in docs).items()))
        cats = Counter(self.category[d.kind] for d in docs if d.label == self.sensitive)
        assert frozen["sensitive_categories"] == dict(sorted(cats.items()))
        assert frozen["sensitive"] + frozen["negative"] == len(docs)
        assert 0.4 <= frozen["sensitive"] / len(docs) <= 0.6
        assert {s.kind for s in self.specs if s.label == self.sensitive} == set(self.category)
        assert len({d.id for d in docs}) == len(docs)
        assert {d.label for d in docs} == {self.sensitive, negative}

    def check_hash_seed_free(self, root: Path) -> None:
        """Two fresh interpreters with different PYTHONHASHSEED write the frozen corpus."""
        code = (
            f"from tests.eval.{self.package}.evaluate import corpus, SET_{self.name}; "
            f"print(SET_{self.name}.fingerprint(corpus({self.name!r})))"
        )
        for seed in ("0", "4242"):
            out = subprocess.run(
                [sys.executable, "-c", code],
                cwd=root,
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
                text=True,
                check=True,
                timeout=300,
            )
            assert out.stdout.strip() == self.frozen_sha(self.name)

    def check_new_next_to(self, earlier: Sequence[Path], languages: int) -> None:
        """None of this set's kinds, and none of its natural languages (`languages` of them), is in the
        sets of the `earlier` manifests."""
        old: dict[str, Any] = {}
        for path in earlier:
            old.update(json.loads(path.read_text())["sets"])
        this = json.loads(self.manifest.read_text())["sets"][self.name]
        langs = set(this["languages"]) - {"code"}
        for name, other in old.items():
            assert not set(this["kinds"]) & set(other["kinds"]), name
            assert not langs & set(other["languages"]), name
        assert len(langs) == languages

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
