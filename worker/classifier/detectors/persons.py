"""Person references: names (by title, by label, or as a known given name + surname) and, for health
information, role references such as "the patient".

A person alone is not sensitive; these spans confirm candidates that need a person nearby (an
address, a diagnosis) and are reported as `person_name` when they sit next to other personal data.
Each pattern starts with a literal (a title, a label, a given name present in the document), so the
scan costs little even on long documents.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding
from worker.classifier.detectors.names import GIVEN_NAMES

_NAME = r"[A-Z][a-zà-öø-ÿ'\-]+"
_NAME_AFTER = re.compile(rf"[ \t]*(?:{_NAME}[ \t]+)?{_NAME}")
_TITLES = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Prof",
    "Herr",
    "Frau",
    "Mme",
    "Mlle",
    "Sr",
    "Sra",
    "Srta",
    "Dott",
)
# Courtesy titles written out, often in lower case mid-sentence ("La señora García", "monsieur Dupont").
_SPELLED_TITLES = ("Señora", "Señor", "Madame", "Monsieur", "Signora", "Signor", "Senhora", "Senhor", "Pani", "Mevrouw", "Meneer")  # fmt: skip
_TITLED = tuple(
    (title.lower().encode(), re.compile(rf"(?<![A-Za-z]){title}\.?[ \t]+(?:{_NAME}[ \t]+)?{_NAME}"))
    for title in _TITLES
) + tuple(
    (
        title.lower().encode(),
        re.compile(rf"(?<![A-Za-z])[{title[0]}{title[0].lower()}]{title[1:]}[ \t]+{_NAME}"),
    )
    for title in _SPELLED_TITLES
)
# Labels followed by a name: "Patient: Maria Garcia", "Dear Mr Smith", "Regards, Jane Doe".
_LABELS = (
    "name",
    "patient",
    "employee",
    "customer",
    "client",
    "applicant",
    "candidate",
    "tenant",
    "member",
    "cardholder",
    "holder",
    "insured",
    "beneficiary",
    "policyholder",
    "guest",
    "passenger",
    "student",
    "resident",
    "claimant",
    "attn",
    "attention",
    "dear",
    "signed",
    "sincerely",
    "regards",
    "nom",
    "nombre",
    "vorname",
    "nachname",
    "empfänger",
    "destinataire",
    "titular",
)
_LABELLED = tuple((label.encode(), re.compile(rf"{label}\s*[:,]?(?=[ \t])")) for label in _LABELS)
_PAIR_TAIL = re.compile(rf"(?:[ \t]+[A-Z]\.)?[ \t]+{_NAME}")
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
_ROLE_GATE = frozenset(
    w.encode()
    for w in (
        "patient",
        "employee",
        "claimant",
        "member",
        "client",
        "son",
        "daughter",
        "wife",
        "husband",
        "partner",
        "mother",
        "father",
        "child",
        "pt",
        "defendant",
        "applicant",
        "suspect",
        "accused",
        "candidate",
        "colleague",
        "i",
        "my",
        "he",
        "she",
    )
)
_ROLE = re.compile(
    r"\b(?:the|this|our|my|your|his|her)\s+(?:patient|employee|claimant|member|client|son|daughter|wife|"
    r"husband|partner|mother|father|child|defendant|applicant|suspect|accused|candidate|colleague)\b|\bpatient\s*:|\bpt\.?\s*:|\bi\s+(?:was|am|have|had|'ve|'m)\b|"
    r"\bi'(?:ve|m)\b|\bmy\s+(?:diagnosis|doctor|therapist|condition|treatment|medication)|"
    r"\b(?:he|she)\s+(?:was|is|has|had)\b"
)


# "Kenji Martin was diagnosed with ...", "Ana Souza joined the union": a capitalised name as the subject of
# a statement about a person counts as the person even when the name is not in the given-names list. Up to
# three words may stand between the name and the statement ("is now taking", "received a").
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'\-]+"
_SUBJECT = re.compile(
    r"(?:^|[.!?;:\n]\s*|,\s+)(?!(?:The|This|That|Our|Their|Its|A|An|Each|Every|All|No|Some)\b)"
    rf"(?:{_NAME_WORD}\s+){{1,2}}{_NAME_WORD},?\s+(?:(?:[A-Z]\.?|Jr\.?|Sr\.?|II|III|IV|V)\s+)?"
    r"(?:[a-zà-öø-ÿ'’]+\s+|[A-Z][a-z]+\s+){0,3}$"
)
# A name written in the statement's own line: "Results for Tracy Atkinson: HbA1c 9.1%", "Handover bed 12:
# Micaela Zurita, 67, on IV morphine", "Settlement agreement: Phillip Bray will receive £38,500".
_NAME_IN_LINE = re.compile(
    rf"(?<![\w.])({_NAME_WORD})(?:[ \t]+(?:de[ \t]+|del[ \t]+|van[ \t]+|von[ \t]+)?{_NAME_WORD}){{1,3}}"
)
# Capitalised words that start pairs which are not names ("Annual Report", "Monday Morning").
_NOT_NAME_STARTS = frozenset(
    ["the", "this", "that", "these", "those", "our", "their", "its", "a", "an", "each", "every", "all", "no", "some", "and", "or", "but", "for", "with", "from", "to", "in", "on", "at", "by", "of", "as", "if", "when", "while", "after", "before", "during", "results", "result", "session", "settlement", "handover", "report", "annual", "quarterly", "monthly", "weekly", "daily", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "please", "note", "dear", "hello", "thanks", "thank", "kind", "best", "regards", "subject", "re", "fwd", "update", "summary", "agenda", "minutes", "action", "next", "new", "north", "south", "east", "west", "united", "great", "human", "mental", "public", "private", "general", "central", "national", "international", "european", "american", "british", "german", "french", "spanish", "italian", "chinese"]
)  # fmt: skip


def named_subject(doc: Doc, start: int, end: int | None = None) -> bool:
    """Whether a statement about a person (starting at `start`) names that person: as its capitalised
    subject, or as a capitalised full name elsewhere in its line or paragraph."""
    if _SUBJECT.search(doc.text, max(0, start - 80), start) is not None:
        return True
    # The statement's block: its line, or its paragraph for notes written over several lines ("S: ... /
    # A: ... / P: ..."), at most 250 characters either side.
    text = doc.text
    block_start = text.rfind("\n\n", 0, start)
    block_start = max(start - 250, 0 if block_start == -1 else block_start + 2)
    block_end = text.find("\n\n", end if end is not None else start)
    block_end = min(start + 250, len(text) if block_end == -1 else block_end)
    for m in _NAME_IN_LINE.finditer(text, block_start, block_end):
        if m.group(1).lower() not in _NOT_NAME_STARTS and m.start() != start:
            return True
    return False


class PersonDetector:
    """Finds person references; run lazily, only when some candidate needs one."""

    def names(self, doc: Doc) -> list[Finding]:
        text, words = doc.text, doc.words
        found: list[Finding] = []
        for gate, pattern in _TITLED:
            if gate in words:
                found.extend(Finding("person_name", m.start(), m.end()) for m in pattern.finditer(text))
        for gate, pattern in _LABELLED:
            if gate in words:
                found.extend(self._after_labels(doc, pattern))
        for word in words:
            given = word.decode("utf-8", "ignore")
            if given in GIVEN_NAMES:
                found.extend(self._pairs(text, given.capitalize()))
        return _merge(found)

    def roles(self, doc: Doc) -> list[Finding]:
        if _ROLE_GATE.isdisjoint(doc.words):
            return []
        return [Finding("person_role", m.start(), m.end()) for m in _ROLE.finditer(doc.lower)]

    @staticmethod
    def _after_labels(doc: Doc, pattern: re.Pattern[str]) -> list[Finding]:
        out = []
        for label in pattern.finditer(doc.lower):
            if label.start() and doc.lower[label.start() - 1].isalpha():
                continue  # "username", "surname": not the label
            name = _NAME_AFTER.match(doc.text, label.end())
            if name and name.group().split()[0].lower() not in _NOT_NAMES:
                start = name.start() + len(name.group()) - len(name.group().lstrip())
                out.append(Finding("person_name", start, name.end()))
        return out

    @staticmethod
    def _pairs(text: str, given: str) -> list[Finding]:
        """ "Maria Schmidt", "Maria J. Schmidt": a known given name followed by a capitalised surname."""
        out, at = [], text.find(given)
        while at != -1:
            end = at + len(given)
            if (at == 0 or not text[at - 1].isalpha()) and not (end < len(text) and text[end].isalpha()):
                tail = _PAIR_TAIL.match(text, end)
                if tail:
                    out.append(Finding("person_name", at, tail.end()))
            at = text.find(given, end)
        return out


def _merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping spans of the same person count once."""
    merged: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and finding.start < merged[-1].end:
            continue
        merged.append(finding)
    return merged
