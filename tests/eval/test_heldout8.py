"""Held-out set H (tests/eval/heldout8, issue 18): the corpus is the one frozen in MANIFEST.json, it is the
same under any PYTHONHASHSEED, and it is new material next to sets C, D, E, F and G (and A, B's languages).

Set H was written without reading the classifier. Nothing here runs the classifier or asserts a figure: the
first run of H is the coordinator's (`python -m tests.eval.heldout8 --set H`).
"""

from __future__ import annotations

import random
from pathlib import Path

from stdnum.es import ccc

from tests.eval.heldout8 import h_ids
from tests.eval.heldout8.doc import NEGATIVE
from tests.eval.heldout8.evaluate import SET_H

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "eval"


def test_the_corpus_is_the_frozen_one() -> None:
    """The generator writes, byte for byte, the corpus whose sha256 is frozen, with the same counts per kind,
    language and sensitive category, and about half of it sensitive."""
    SET_H.check_frozen(NEGATIVE)


def test_the_corpus_does_not_depend_on_the_hash_seed() -> None:
    SET_H.check_hash_seed_free(ROOT)


def test_set_h_is_new_material_next_to_the_earlier_sets() -> None:
    """None of its kinds, and none of its natural languages, is in an earlier later set."""
    SET_H.check_new_next_to(
        [EVAL / f"heldout{n}" / "MANIFEST.json" for n in (4, 5, 6, 7)],
        languages=6,
    )


def _mod11(digits: str, weights: list[int]) -> int:
    return sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11


def test_the_identifiers_pass_their_own_check_digits() -> None:
    """The CCC passes stdnum's es.ccc; the JMBG, the IIN and the P-tal carry their published mod-11 digits;
    the Namibian and Mongolian numbers start with a real date of birth."""
    for s in range(30):
        assert ccc.is_valid(h_ids.es_ccc(random.Random(s)))
        j = h_ids.sr_jmbg(random.Random(s))
        k = 11 - _mod11(j[:12], [7, 6, 5, 4, 3, 2] * 2)
        assert len(j) == 13 and int(j[12]) == (0 if k == 11 else k) and 71 <= int(j[7:9]) <= 79
        iin = h_ids.kz_iin(random.Random(s))
        k = _mod11(iin[:11], list(range(1, 12)))
        if k == 10:
            k = _mod11(iin[:11], [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])
        assert len(iin) == 12 and int(iin[11]) == k
        p = h_ids.fo_ptal(random.Random(s)).replace("-", "")
        assert len(p) == 9 and _mod11(p, [3, 2, 7, 6, 5, 4, 3, 2, 1]) == 0
        na = h_ids.na_id(random.Random(s))
        assert len(na) == 11 and 1 <= int(na[2:4]) <= 12 and 1 <= int(na[4:6]) <= 31
        mn = h_ids.mn_register(random.Random(s))
        assert len(mn) == 10 and mn[:2].isalpha() and 1 <= int(mn[4:6]) % 20 <= 12
