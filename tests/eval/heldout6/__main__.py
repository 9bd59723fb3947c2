"""CLI: evaluate the classifier on held-out set F, write it out, or freeze the manifest (heldout4's report)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..heldout4.__main__ import report
from .doc import canonical, fingerprint
from .evaluate import SETS, corpus, freeze, frozen_sha, run


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.eval.heldout6", description=__doc__)
    p.add_argument("--set", choices=sorted(SETS), required=False)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--write", type=Path, help="write the set as JSONL into this directory and stop")
    p.add_argument(
        "--freeze", action="store_true", help="rewrite MANIFEST.json from the generator (before any run)"
    )
    p.add_argument("--no-misses", action="store_true", help="aggregate figures only")
    a = p.parse_args(argv)
    if a.freeze:
        print(json.dumps(freeze(), indent=1, ensure_ascii=False))
        return 0
    if not a.set:
        p.error("--set is required")
    docs = corpus(a.set)
    if fingerprint(docs) != frozen_sha(a.set):
        print(
            f"heldout6: set {a.set} no longer matches MANIFEST.json (generator or Faker/stdnum changed)",
            file=sys.stderr,
        )
        return 2
    if a.write:
        a.write.mkdir(parents=True, exist_ok=True)
        (a.write / f"{a.set}.jsonl").write_text(canonical(docs))
        print(a.write / f"{a.set}.jsonl")
        return 0
    res = run(a.set, docs)
    if a.json:
        j = res.as_json()
        if a.no_misses:
            j.pop("misses"), j.pop("fps")
        print(json.dumps(j, indent=1, ensure_ascii=False))
    else:
        print(report(res, not a.no_misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
