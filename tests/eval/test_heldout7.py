"""Held-out set G (tests/eval/heldout7, issue 18): the corpus is the one frozen in MANIFEST.json, it is the
same under any PYTHONHASHSEED, and it is new material next to sets C, D, E and F (and A, B's languages).

Set G was written without reading the classifier. Nothing here runs the classifier or asserts a figure: the
first run of G is the coordinator's (`python -m tests.eval.heldout7 --set G`).
"""

from __future__ import annotations

import random
from pathlib import Path

from stdnum import luhn, verhoeff

from tests.eval.heldout7 import g_ids
from tests.eval.heldout7.doc import NEGATIVE
from tests.eval.heldout7.evaluate import SET_G

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "eval"


def test_the_corpus_is_the_frozen_one() -> None:
    """The generator writes, byte for byte, the corpus whose sha256 is frozen, with the same counts per kind,
    language and sensitive category, and about half of it sensitive."""
    SET_G.check_frozen(NEGATIVE)


def test_the_corpus_does_not_depend_on_the_hash_seed() -> None:
    SET_G.check_hash_seed_free(ROOT)


def test_set_g_is_new_material_next_to_the_earlier_sets() -> None:
    """None of its kinds, and none of its natural languages, is in an earlier later set."""
    SET_G.check_new_next_to(
        [
            EVAL / "heldout4" / "MANIFEST.json",
            EVAL / "heldout5" / "MANIFEST.json",
            EVAL / "heldout6" / "MANIFEST.json",
        ],
        languages=8,
    )


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
