"""Vehicle identification numbers (ISO 3779 VIN) next to a VIN label: a vehicle on a registration,
insurance or DMV notice points at its keeper (issue 18: an upper-case DMV notice was missed).

The North American check digit (position 9) is verified when the label is absent from the line but
the word "vehicle" is near; with a "VIN" label any well-formed 17-character VIN counts (European
VINs carry no check digit).
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, wordset

_GATE = wordset("vin", "vehicle", "fahrgestellnummer", "chassis")
_LABEL = re.compile(
    r"(?:vin|vehicle\s+identification\s+(?:number|no\.?)|fahrgestellnummer|fin|chassis\s+(?:number|no\.?))"
    r"\s*(?:number|no\.?|#)?\s*[:#]?\s*"
)
_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])")
_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True))}
_VALUES.update(dict(zip("JKLMN", range(1, 6), strict=True)) | {"P": 7, "R": 9})
_VALUES.update(dict(zip("STUVWXYZ", range(2, 10), strict=True)))
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit_ok(vin: str) -> bool:
    remainder = sum(_VALUES[c] * w for c, w in zip(vin, _WEIGHTS, strict=True)) % 11
    return vin[8] == ("X" if remainder == 10 else str(remainder))


class VehicleDetector:
    """VINs after their label (any well-formed VIN) or near "vehicle" (check digit verified)."""

    def find(self, doc: Doc) -> list[Finding]:
        if not doc.has(_GATE):
            return []
        found: list[Finding] = []
        text, lower = doc.text, doc.lower
        for label in _LABEL.finditer(lower):
            if label.start() and lower[label.start() - 1].isalnum():
                continue
            m = _VIN.match(text.upper(), label.end())
            if m and sum(c.isdigit() for c in m.group()) >= 4:
                found.append(Finding("vehicle_id", m.start(), m.end()))
        if b"vehicle" in doc.words:
            upper = text.upper()
            for m in _VIN.finditer(upper):
                near_vehicle = "vehicle" in lower[max(0, m.start() - 80) : m.start()]
                if (
                    near_vehicle
                    and (m.start() == 0 or not upper[m.start() - 1].isalnum())
                    and vin_check_digit_ok(m.group())
                ):
                    found.append(Finding("vehicle_id", m.start(), m.end()))
        return found
