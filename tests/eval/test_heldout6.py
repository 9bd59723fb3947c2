"""Held-out set F (tests/eval/heldout6, issue 18): the corpus is the one frozen in MANIFEST.json, it is the
same under any PYTHONHASHSEED, and it is new material next to sets C, D and E.

Set F was written without reading the classifier. Nothing here runs the classifier or asserts a figure: the
first run of F is the coordinator's (`python -m tests.eval.heldout6 --set F`).
"""

from __future__ import annotations

from pathlib import Path

from tests.eval.heldout6.doc import NEGATIVE
from tests.eval.heldout6.evaluate import SET_F

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "eval"


def test_the_corpus_is_the_frozen_one() -> None:
    """The generator writes, byte for byte, the corpus whose sha256 is frozen, with the same counts per kind,
    language and sensitive category, and about half of it sensitive."""
    SET_F.check_frozen(NEGATIVE)


def test_the_corpus_does_not_depend_on_the_hash_seed() -> None:
    SET_F.check_hash_seed_free(ROOT)


def test_set_f_is_new_material_next_to_the_earlier_sets() -> None:
    """None of its kinds, and none of its natural languages, is in an earlier later set."""
    SET_F.check_new_next_to(
        [EVAL / "heldout4" / "MANIFEST.json", EVAL / "heldout5" / "MANIFEST.json"], languages=12
    )


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
