"""Held-out set F (tests/eval/heldout6, issue 18): the corpus is the one frozen in MANIFEST.json, it is the
same under any PYTHONHASHSEED, and it is new material next to sets C, D and E.

Set F was written without reading the classifier. Nothing here runs the classifier or asserts a figure: the
first run of F is the coordinator's (`python -m tests.eval.heldout6 --set F`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.eval.heldout6.doc import NEGATIVE, SENSITIVE, fingerprint
from tests.eval.heldout6.evaluate import MANIFEST, corpus, frozen_sha
from tests.eval.heldout6.set_f import CATEGORY, SPECS

ROOT = Path(__file__).resolve().parents[2]
_SHA = "from tests.eval.heldout6.evaluate import corpus; from tests.eval.heldout6.doc import fingerprint; print(fingerprint(corpus('F')))"


def test_the_corpus_is_the_frozen_one() -> None:
    """The generator writes, byte for byte, the corpus whose sha256 is frozen, with the same counts per kind,
    language and sensitive category, and about half of it sensitive."""
    docs = corpus("F")
    assert fingerprint(docs) == frozen_sha("F")
    frozen = json.loads(MANIFEST.read_text())["sets"]["F"]
    assert frozen["docs"] == len(docs)
    assert frozen["kinds"] == dict(sorted(Counter(d.kind for d in docs).items()))
    assert frozen["languages"] == dict(sorted(Counter(d.lang for d in docs).items()))
    cats = Counter(CATEGORY[d.kind] for d in docs if d.label == SENSITIVE)
    assert frozen["sensitive_categories"] == dict(sorted(cats.items()))
    assert frozen["sensitive"] + frozen["negative"] == len(docs)
    assert 0.4 <= frozen["sensitive"] / len(docs) <= 0.6
    assert {s.kind for s in SPECS if s.label == SENSITIVE} == set(CATEGORY)
    assert len({d.id for d in docs}) == len(docs) and {d.label for d in docs} == {SENSITIVE, NEGATIVE}


def test_the_corpus_does_not_depend_on_the_hash_seed() -> None:
    """Two fresh interpreters with different PYTHONHASHSEED write the frozen corpus."""
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _SHA],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        assert out.stdout.strip() == frozen_sha("F")


def test_set_f_shares_no_kind_or_language_with_sets_c_d_and_e() -> None:
    """F is new material: none of its kinds, and none of its natural languages, is in set C, D or E."""
    eval_dir = MANIFEST.parent.parent
    old = {
        **json.loads((eval_dir / "heldout4" / "MANIFEST.json").read_text())["sets"],
        **json.loads((eval_dir / "heldout5" / "MANIFEST.json").read_text())["sets"],
    }
    assert set(old) == {"C", "D", "E"}
    f = json.loads(MANIFEST.read_text())["sets"]["F"]
    for name, s in old.items():
        assert not set(f["kinds"]) & set(s["kinds"]), name
        assert not (set(f["languages"]) - {"code"}) & set(s["languages"]), name
    assert len(set(f["languages"]) - {"code"}) == 12


def test_the_identifiers_pass_their_own_check_digits() -> None:
    """Where python-stdnum knows the format, every id in a sensitive id document validates."""
    import importlib
    import random

    from tests.eval.heldout6 import f_ids

    mods = {"ru": "ru.inn", "is": "is_.kennitala", "ga": "ie.pps", "sq": "al.nipt", "az": "az.voen",
            "ta": "in_.epic", "zu": "za.tin"}  # fmt: skip
    for lang, mod in mods.items():
        valid = importlib.import_module(f"stdnum.{mod}").is_valid
        for s in range(20):
            assert valid(f_ids.ID_OF[lang](random.Random(s))), (lang, s)
