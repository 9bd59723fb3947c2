"""EDI interchanges (ANSI X12, UN/EDIFACT): segments that carry a person, read by their tags.

An X12 834 enrolment or 837 claim, or an EDIFACT passenger list, names people and gives their dates of
birth and ids in positional segments with no label a reader would see ("NM1*IL*1*DOE*JANE~",
"DMG*D8*19610507*F~"); the rules written for "Date of birth: ..." miss them (issue 18, set F). The
segment tags are fixed by the standards, so they are read directly:

- X12: NM1 with entity type 1 (a person) -> person_name; DMG (demographics) with a D8 date ->
  date_of_birth; REF with qualifier SY (social security number) -> national_id.
- EDIFACT: DTM with qualifier 329 (date of birth) -> date_of_birth; PNA (party name) and NAD with a
  name in its fourth element -> person_name; DOC with a document number -> passport_number.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding

# The element separator is whatever follows the tag; the segment ends at "~" (or "'" in EDIFACT), or
# a line end. Segments are anchored at a line start or after a terminator, so the scan is one pass.
_X12_SEGMENT = re.compile(r"(?:^|(?<=[~\n]))(NM1|DMG|REF)\*([^~\n]{1,200})", re.MULTILINE)
_EDIFACT_SEGMENT = re.compile(r"(?:^|(?<=['\n]))(DTM|PNA|NAD|DOC)\+([^'\n]{1,200})", re.MULTILINE)
_DATE8 = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$")


def _x12(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _X12_SEGMENT.finditer(text):
        tag, elements = m.group(1), m.group(2).split("*")
        if tag == "NM1" and len(elements) >= 3 and elements[1] == "1" and elements[2].strip():
            out.append(Finding("person_name", m.start(), m.end()))
        elif tag == "DMG" and len(elements) >= 2 and elements[0] == "D8" and _DATE8.match(elements[1]):
            out.append(Finding("date_of_birth", m.start(), m.end()))
        elif tag == "REF" and len(elements) >= 2 and elements[0] == "SY" and elements[1].strip():
            out.append(Finding("national_id", m.start(), m.end()))
    return out


def _edifact(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _EDIFACT_SEGMENT.finditer(text):
        tag, elements = m.group(1), m.group(2).split("+")
        first = elements[0].split(":")
        if tag == "DTM" and first[0] == "329" and len(first) >= 2 and first[1][:8].isdigit():
            out.append(Finding("date_of_birth", m.start(), m.end()))
        elif (
            tag == "PNA"
            and len(elements) >= 5
            and any(e.strip(": ") for e in elements[4:])
            or tag == "NAD"
            and len(elements) >= 4
            and any(c.isalpha() for c in elements[3])
        ):
            out.append(Finding("person_name", m.start(), m.end()))
        elif tag == "DOC" and len(elements) >= 2 and first[0] in ("P", "I", "IP", "V") and elements[1]:
            out.append(Finding("passport_number", m.start(), m.end()))
    return out


class EdiDetector:
    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        if "ISA*" in text or "ST*" in text:
            found += _x12(text)
        if "UNB+" in text or "UNH+" in text:
            found += _edifact(text)
        return found
