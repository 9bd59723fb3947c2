"""Set F through the heldout4 evaluator (same Result, same run): corpus, manifest freeze and check."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from ..heldout4.evaluate import Result, manifest_entry
from ..heldout4.evaluate import run as _run
from . import set_f
from .doc import SENSITIVE, Doc, build

__all__ = ["MANIFEST", "SETS", "Result", "corpus", "freeze", "frozen_sha", "run"]

MANIFEST = Path(__file__).with_name("MANIFEST.json")
SETS = {"F": set_f.SPECS}


def corpus(name: str) -> list[Doc]:
    return build(name, SETS[name])


def run(name: str, docs: Sequence[Doc] | None = None) -> Result:
    """The heldout4 run over set ``name`` (generated here when ``docs`` is not given)."""
    return _run(name, corpus(name) if docs is None else docs)


def freeze() -> dict[str, object]:
    sets: dict[str, object] = {}
    for name in SETS:
        docs = corpus(name)
        entry = manifest_entry(docs)
        entry["sensitive_categories"] = dict(
            sorted(Counter(set_f.CATEGORY[d.kind] for d in docs if d.label == SENSITIVE).items())
        )
        entry["labels_by_kind"] = {s.kind: s.label for s in sorted(SETS[name], key=lambda s: s.kind)}
        sets[name] = entry
    data: dict[str, object] = {
        "faker": version("faker"),
        "python-stdnum": version("python-stdnum"),
        "sets": sets,
    }
    MANIFEST.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return data


def frozen_sha(name: str) -> str:
    return str(json.loads(MANIFEST.read_text())["sets"][name]["sha256"])
