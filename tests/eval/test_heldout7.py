"""Held-out set G (tests/eval/heldout7, issue 18): the corpus is the one frozen in MANIFEST.json, it is the
same under any PYTHONHASHSEED, and it is new material next to sets C, D, E and F (and A, B's languages).

Set G was written without reading the classifier. Nothing here runs the classifier or asserts a figure: the
first run of G is the coordinator's (`python -m tests.eval.heldout7 --set G`).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

from stdnum import luhn, verhoeff

from tests.eval.heldout7 import g_ids
from tests.eval.heldout7.doc import NEGATIVE, SENSITIVE, fingerprint
from tests.eval.heldout7.evaluate import MANIFEST, corpus, frozen_sha
from tests.eval.heldout7.set_g import CATEGORY, SPECS

ROOT = Path(__file__).resolve().parents[2]
_SHA = "from tests.eval.heldout7.evaluate import corpus; from tests.eval.heldout7.doc import fingerprint; print(fingerprint(corpus('G')))"


def test_the_corpus_is_the_frozen_one() -> None:
    """The generator writes, byte for byte, the corpus whose sha256 is frozen, with the same counts per kind,
    language and sensitive category, and about half of it sensitive."""
    docs = corpus("G")
    assert fingerprint(docs) == frozen_sha("G")
    frozen = json.loads(MANIFEST.read_text())["sets"]["G"]
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
        assert out.stdout.strip() == frozen_sha("G")


def test_set_g_shares_no_kind_or_language_with_earlier_sets() -> None:
    """G is new material: none of its kinds, and none of its natural languages, is in set C, D, E or F, nor
    among the languages of sets A and B (tests/eval/heldout*_templates.py, prose.py)."""
    eval_dir = MANIFEST.parent.parent
    old = {
        **json.loads((eval_dir / "heldout4" / "MANIFEST.json").read_text())["sets"],
        **json.loads((eval_dir / "heldout5" / "MANIFEST.json").read_text())["sets"],
        **json.loads((eval_dir / "heldout6" / "MANIFEST.json").read_text())["sets"],
    }
    assert set(old) == {"C", "D", "E", "F"}
    g = json.loads(MANIFEST.read_text())["sets"]["G"]
    langs = set(g["languages"]) - {"code"}
    for name, s in old.items():
        assert not set(g["kinds"]) & set(s["kinds"]), name
        assert not langs & set(s["languages"]), name
    assert len(langs) == 8


def test_the_identifiers_pass_their_own_check_digits() -> None:
    """Where python-stdnum knows the format, every id validates; the Luxembourg matricule carries its Luhn
    and Verhoeff digits and the Spanish affiliation number its mod-97 pair."""
    import importlib

    mods = {"ca": "ad.nrt", "cy": "gb.utr", "ms": "my.nric", "ur": "pk.cnic"}
    for lang, mod in mods.items():
        valid = importlib.import_module(f"stdnum.{mod}").is_valid
        for s in range(20):
            assert valid(g_ids.ID_OF[lang](random.Random(s))), (lang, s)
    for s in range(20):
        lu = g_ids.lu_matricule(random.Random(s))
        assert len(lu) == 13 and luhn.is_valid(lu[:12]) and verhoeff.is_valid(lu[:11] + lu[12])
        prov, serial, check = g_ids.es_naf(random.Random(s)).split("/")
        assert int(check) == (int(prov) * 10**8 + int(serial)) % 97
