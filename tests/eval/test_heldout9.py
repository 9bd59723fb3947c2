"""Held-out set I (tests/eval/heldout9, issue 18): the corpus is the one frozen in MANIFEST.json, it is the
same under any PYTHONHASHSEED, and it is new material next to sets C-H (and A, B's languages).

Set I was written without reading the classifier. Nothing here runs the classifier or asserts a figure: the
first run of I is the coordinator's (`python -m tests.eval.heldout9 --set I`).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from stdnum import iban, verhoeff
from stdnum.in_ import vid

from tests.eval.heldout9 import i_ids
from tests.eval.heldout9.doc import NEGATIVE
from tests.eval.heldout9.evaluate import SET_I

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "eval"


def test_the_corpus_is_the_frozen_one() -> None:
    """The generator writes, byte for byte, the corpus whose sha256 is frozen, with the same counts per kind,
    language and sensitive category, and about half of it sensitive."""
    SET_I.check_frozen(NEGATIVE)


def test_the_corpus_does_not_depend_on_the_hash_seed() -> None:
    SET_I.check_hash_seed_free(ROOT)


def test_set_i_is_new_material_next_to_the_earlier_sets() -> None:
    """None of its kinds, and none of its natural languages, is in an earlier later set."""
    SET_I.check_new_next_to(
        [EVAL / f"heldout{n}" / "MANIFEST.json" for n in (4, 5, 6, 7, 8)],
        languages=7,
    )


def _is_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def test_the_identifiers_pass_their_own_check_digits() -> None:
    """The Aadhaar VID passes stdnum's in_.vid; the Fayda FIN carries a Verhoeff digit; the Sri Lankan NIC and
    the Kyrgyz ПИН encode a real birth date (and sex); the Cambodian, Kenyan and Nigerian numbers have their
    published lengths; the camt.053 IBANs pass stdnum's iban."""
    for s in range(30):
        v = i_ids.in_vid(random.Random(s)).replace(" ", "")
        assert vid.is_valid(v) and len(v) == 16 and v[0] not in "01"
        fin = i_ids.et_fayda_fin(random.Random(s)).replace(" ", "")
        assert len(fin) == 12 and verhoeff.is_valid(fin)
        nic = i_ids.lk_nic(random.Random(s))
        day = int(nic[4:7]) % 500
        assert len(nic) == 12 and 1 <= day <= 366 and int(nic[4:7]) < 867 and nic[7] == "0"
        pin = i_ids.kg_pin(random.Random(s))
        assert len(pin) == 14 and pin[0] in "12" and _is_date(int(pin[1:3]), int(pin[3:5]), int(pin[5:9]))
        assert len(i_ids.kh_id(random.Random(s))) == 9
        assert len(i_ids.ke_id(random.Random(s))) == 8
        assert len(i_ids.ng_nin(random.Random(s))) == 11
    statements = [d for d in SET_I.corpus("I") if d.kind == "camt053_private_statement"]
    assert statements
    for d in statements:
        number = d.text.split("<IBAN>")[1].split("</IBAN>")[0]
        assert iban.is_valid(number)
