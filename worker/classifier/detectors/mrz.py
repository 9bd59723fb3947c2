"""Machine-readable zones of passports, identity cards and visas (ICAO Doc 9303), as found in OCR dumps,
passenger-data logs and crew lists.

A line counts when its check digits hold (7-3-1 weights over document number, birth date and expiry
date): TD3 (passports, 2 x 44), TD2 (2 x 36) and TD1 (ID cards, 3 x 30). The name line ("P<UTOERIKSSON
<<ANNA<MARIA") counts when it starts a document code and a three-letter issuer, with "<<" between names.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding

_LINE = re.compile(r"^[ \t]*([A-Z0-9<]{30,44})[ \t]*$", re.MULTILINE)
_NAME_LINE = re.compile(r"[PIACV][A-Z<][A-Z<]{3}[A-Z]+<<[A-Z<]+")
_WEIGHTS = (7, 3, 1)


def _value(char: str) -> int:
    if char.isdigit():
        return ord(char) - 48
    if char == "<":
        return 0
    return ord(char) - 55  # A=10 ... Z=35


def check_digit_ok(field: str, check: str) -> bool:
    if not (check.isdigit() or check == "<"):
        return False
    total = sum(_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field))
    return total % 10 == (0 if check == "<" else int(check))


def _data_line_ok(line: str) -> bool:
    """Document number, birth date and expiry check digits of a TD3/TD2 second line or a TD1 pair."""
    fields: tuple[tuple[int, int, int], ...]
    if len(line) in (44, 36):
        fields = ((0, 9, 9), (13, 19, 19), (21, 27, 27))
    elif len(line) == 30 and line[:1].isalpha():  # TD1 first line: document number at 5-14
        fields = ((5, 14, 14),)
    elif len(line) == 30:  # TD1 second line: birth date and expiry
        fields = ((0, 6, 6), (8, 14, 14))
    else:
        return False
    digits_in_dates = sum(c.isdigit() for c in line)
    return digits_in_dates >= 6 and all(check_digit_ok(line[a:b], line[c]) for a, b, c in fields)


class MrzDetector:
    """MRZ lines with valid check digits, and MRZ name lines."""

    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        if "<<" not in text:
            return []
        found: list[Finding] = []
        for m in _LINE.finditer(text):
            line = m.group(1)
            if len(line) not in (30, 36, 44):
                continue
            if _data_line_ok(line) or (_NAME_LINE.match(line) and line.count("<") >= 3):
                found.append(Finding("machine_readable_zone", m.start(1), m.end(1)))
        return found
