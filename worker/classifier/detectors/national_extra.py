"""National identifiers python-stdnum does not know, and the labels stdnum's titles do not give
(issue 18, set E): the catalogue (catalogue.py) adds these to its formats and context words.

- Iranian national code (کد ملی): 10 digits, the last a published mod-11 check.
- Philippine TIN: no check digit at all, so only its 3-3-3(-3..5) shape right after a TIN label counts.
- Labels in the scripts people write them in: Hebrew ת.ז. (teudat zehut), Bulgarian ЕГН is stdnum's own.
- Generic id labels, as field names or keys in any format ("national_id", "id_number", "personal_code"):
  the value under one is checked against every personal format of the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def ir_national_code_ok(value: str) -> bool:
    """Iran's national code: 9 digits, then c = (sum of d_i * (10 - i)) mod 11; check digit c if c < 2,
    else 11 - c. Ten equal digits are not issued."""
    digits = value.replace("-", "")
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11
    return int(digits[9]) == (total if total < 2 else 11 - total)


_PH_TIN = re.compile(r"[0-9]{3}-?[0-9]{3}-?[0-9]{3}(?:-?[0-9]{3,5})?")


def ph_tin_ok(value: str) -> bool:
    """The Philippine TIN has no check digit: its shape is all there is (used only after a TIN label)."""
    return _PH_TIN.fullmatch(value) is not None


# module -> (kind, validator, context words). Words with a space gate on their first part.
EXTRA_FORMATS: dict[str, tuple[str, Callable[[str], bool], tuple[str, ...]]] = {
    "ir.melli": (
        "national_id",
        ir_national_code_ok,
        ("کد ملی", "کدملی", "شماره ملی", "کد ملّی", "melli", "national code", "code melli"),
    ),
    # "tln", "t1n": the same label read by OCR with an l or a 1 for the I.
    "ph.tin": ("tax_id", ph_tin_ok, ("tin", "tln", "t1n", "taxpayer identification")),
}

# Extra labels of stdnum formats, in the scripts and spellings of the people who write them.
EXTRA_CONTEXT: dict[str, tuple[str, ...]] = {
    "il.idnr": ("ת.ז.", 'ת"ז', "תעודת זהות", "מספר זהות", "teudat"),
    "bg.egn": ("егн",),
}

# Field names and keys that say "a person's identity number" without naming a format.
GENERIC_ID_LABELS = (
    "national_id", "nationalid", "national id", "national-id", "id_number", "idnumber", "id number",
    "personal_id", "personalid", "personal_code", "personal code", "personal_number", "personal number",
    "citizen_id", "identity_number", "identity number", "id_no", "id no",
)  # fmt: skip

# A request for an id at the end of a line ("מספר זהות?", "کد ملی?"): the answer may be the next message.
QUESTION_TAIL = re.compile(r"[\s?؟:.\-*]*")
# A chat line's prefix: "26/11/2026, 17:02 - Name: " or "[17:02] Name: ".
CHAT_MESSAGE = re.compile(r"(?:^|:\s)([^:\n]*?)\s*$", re.MULTILINE)
