"""Person references: names (by title, by label, or as a known given name + surname) and, for health
information, role references such as "the patient".

A person alone is not sensitive; these spans confirm candidates that need a person nearby (an
address, a diagnosis) and are reported as `person_name` when they sit next to other personal data.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding
from worker.classifier.detectors.names import GIVEN_NAMES

_NAME = r"[A-Z][a-zà-öø-ÿ'\-]+"
_TITLED = re.compile(
    r"(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\.ra|Dott|Dott\.ssa)\.?"
    rf"\s+(?:{_NAME}\s+)?{_NAME}"
)
_LABELLED = re.compile(
    r"(?i:(?:(?:full\s+)?name|patient|employee|customer|client|applicant|candidate|tenant|member|cardholder|"
    r"account\s+holder|insured|beneficiary|policyholder|guest|passenger|student|resident|claimant|"
    r"attn|attention|dear|signed|sincerely|regards|nom|nombre|vorname|nachname|name\s+des|"
    r"empfänger|destinataire|titular)\s*[:,]?)[ \t]+"
    rf"({_NAME}(?:[ \t]+{_NAME}){{0,2}})"
)
# Lookahead, so "Contact Maria Schmidt" yields both "Contact Maria" and "Maria Schmidt".
_PAIR = re.compile(rf"(?<![A-Za-zà-ÿ])(?=({_NAME}(?:[ \t]+[A-Z]\.)?[ \t]+{_NAME}))")
_ROLE = re.compile(
    r"\b(?:the|this|our|my|your|his|her)\s+(?:patient|employee|claimant|member|client|son|daughter|wife|"
    r"husband|partner|mother|father|child)\b|\bpatient\s*:|\bpt\.?\s*:|\bi\s+(?:was|am|have|had|'ve|'m)\b|"
    r"\bi'(?:ve|m)\b|\bmy\s+(?:diagnosis|doctor|therapist|condition|treatment|medication)|"
    r"\b(?:he|she)\s+(?:was|is|has|had)\b"
)


class PersonDetector:
    """Finds person references; run lazily, only when some candidate needs one."""

    def names(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found = [Finding("person_name", m.start(), m.end()) for m in _TITLED.finditer(text)]
        found.extend(
            Finding("person_name", m.start(1), m.end(1))
            for m in _LABELLED.finditer(text)
            if m.group(1).split()[0].lower() not in _NOT_NAMES
        )
        if any(word.decode("utf-8", "ignore") in GIVEN_NAMES for word in doc.words):
            for match in _PAIR.finditer(text):
                first = match.group(1).split()[0].lower()
                if first in GIVEN_NAMES:
                    found.append(Finding("person_name", match.start(1), match.end(1)))
        return _merge(found)

    def roles(self, doc: Doc) -> list[Finding]:
        return [Finding("person_role", m.start(), m.end()) for m in _ROLE.finditer(doc.lower)]


# Capitalised words that follow a label but are not names ("Dear Sir", "Name: The").
_NOT_NAMES = frozenset(
    {
        "sir",
        "madam",
        "team",
        "all",
        "customer",
        "the",
        "a",
        "an",
        "to",
        "and",
        "or",
        "of",
        "for",
        "our",
        "your",
        "colleagues",
        "friends",
        "valued",
        "hiring",
        "manager",
        "support",
        "regards",
        "best",
        "kind",
        "thanks",
        "number",
        "id",
        "address",
        "date",
        "portal",
        "service",
        "services",
        "success",
        "data",
        "satisfaction",
    }
)


def _merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping spans of the same person count once."""
    merged: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and finding.start < merged[-1].end:
            continue
        merged.append(finding)
    return merged
