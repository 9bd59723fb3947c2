"""CLI: evaluate the classifier on held-out set C or D, write a set out, or freeze the manifest."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .doc import NEGATIVE, SENSITIVE, canonical, fingerprint
from .evaluate import SETS, Result, corpus, freeze, frozen_sha, run


def _pct(hit: int, n: int) -> str:
    return f"{hit / n:.3f} ({hit}/{n})" if n else "-"


def report(res: Result, show_misses: bool) -> str:
    j = res.as_json()
    out = [
        f"set {res.set_name}: {j['docs']} docs",
        f"recall (sensitive flagged >= confidential): {_pct(*res.rate(SENSITIVE))}",
        f"false-positive rate (negatives flagged >= confidential): {_pct(*res.rate(NEGATIVE))}",
        f"documents with no sensitivity reason (a silent miss): {j['silent']}",
        f"throughput, one core: {j['docs_per_s_cpu']:.0f} docs/s CPU time ({j['docs_per_s_wall']:.0f} docs/s wall)",
        "",
    ]
    for attr, title in (("kind", "per kind"), ("lang", "per language")):
        out.append(f"{title}:  {'':<22} {'recall':>16} {'FPR':>16}")
        for key, v in res.by(attr).items():
            out.append(f"  {key:<30} {_pct(*v[SENSITIVE]):>16} {_pct(*v[NEGATIVE]):>16}")
        out.append("")
    if show_misses:
        for title, rows in (("misses", res.misses()), ("false positives", res.false_positives())):
            out.append(f"{title} ({len(rows)}):")
            for r in rows:
                out.append(
                    f"  {r.doc_id} {r.kind} [{r.lang}] -> {r.level}: {'; '.join(r.reasons) or '(no reason)'}"
                )
            out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.eval.heldout4", description=__doc__)
    p.add_argument("--set", choices=sorted(SETS), required=False)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--write", type=Path, help="write the set as JSONL into this directory and stop")
    p.add_argument(
        "--freeze", action="store_true", help="rewrite MANIFEST.json from the generator (before any run)"
    )
    p.add_argument(
        "--no-misses", action="store_true", help="aggregate figures only (what may be shown for set D)"
    )
    a = p.parse_args(argv)
    if a.freeze:
        print(json.dumps(freeze(), indent=1, ensure_ascii=False))
        return 0
    if not a.set:
        p.error("--set is required")
    docs = corpus(a.set)
    if fingerprint(docs) != frozen_sha(a.set):
        print(
            f"heldout4: set {a.set} no longer matches MANIFEST.json (generator or Faker/stdnum changed)",
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
