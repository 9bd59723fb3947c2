"""Confidentiality markers: banners, legends and labels that say what a document is.

Decision on the bare word "confidential": it is a marker when it labels the document — a banner or
heading line, all capitals, a "Confidential:" label, a classification field, or a phrase whose subject
is the document ("this email is confidential", "treat this as confidential", "confidential and
proprietary"). In ordinary prose about something else ("we keep your data confidential", "a
confidential hotline") it is not, unless `prose_confidential_is_marker` is set.

Every pattern starts with a literal word and runs only when that word occurs in the document.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding

_ML = re.MULTILINE
_SEP = r"\s*[:\-–—|]"

# (gate word, kind, pattern over the lower-cased text; starts with the gate word or a literal).
_PHRASES: tuple[tuple[bytes, str, re.Pattern[str]], ...] = tuple(
    (gate.encode(), kind, re.compile(pattern))
    for gate, kind, pattern in (
        # A label ("Attorney-Client Communication", "attorney-client privileged"), not a court's discussion
        # of "the attorney-client privilege" (issue 18).
        (
            "attorney",
            "marker:privileged",
            r"attorney(?:[\s\-–]+client[\s\-–]+(?:communication|privileged)|\s+work[\s\-]product)",
        ),
        ("privileged", "marker:privileged", r"privileged(?:\s*(?:&|and)\s*confidential|\s+communication)"),
        ("privileged", "marker:privileged", r"legally\s+privileged"),
        ("privileged", "marker:privileged", r"confidential\s*(?:&|and)\s*privileged"),
        (
            "privilege",
            "marker:privileged",
            r"subject\s+to\s+(?:legal|litigation|solicitor)[\s\-]?(?:client\s+)?privilege",
        ),
        ("prejudice", "marker:privileged", r"without\s+prejudice"),
        # UK/Commonwealth protective markings ("COMMERCIAL IN CONFIDENCE", "STAFF IN CONFIDENCE").
        (
            "confidence",
            "marker:confidential",
            r"(?:commercial|staff|management|medical)[\s\-]+in[\s\-]+confidence",
        ),
        ("anwaltsgeheimnis", "marker:privileged", r"anwaltsgeheimnis"),
        ("internal", "marker:internal_only", r"internal(?:\s+use|\s+distribution)?\s+only\b"),
        ("internal", "marker:internal_only", r"for\s+internal\s+(?:use|distribution|purposes)\b"),
        ("internal", "marker:internal_only", r"company[\s\-]internal\b"),
        ("external", "marker:internal_only", r"not\s+for\s+external\s+(?:use|distribution|release)\b"),
        ("externally", "marker:internal_only", r"do\s+not\s+(?:distribute|forward|share)\s+externally"),
        ("outside", "marker:internal_only", r"do\s+not\s+(?:distribute|forward|share)\s+outside"),
        ("nur", "marker:internal_only", r"nur\s+f[üu]r\s+(?:den\s+)?interne"),
        ("interne", "marker:internal_only", r"usage\s+interne"),
        ("interno", "marker:internal_only", r"uso\s+interno"),
        ("strictly", "marker:confidential", r"strictly\s+confidential"),
        ("private", "marker:confidential", r"private\s*(?:&|and)\s*confidential"),
        (
            "confidential",
            "marker:confidential",
            r"confidential(?:\s*(?:&|and)\s*proprietary|\s+(?:information|material)\s+of\b)",
        ),
        ("proprietary", "marker:confidential", r"proprietary\s*(?:&|and)\s*confidential"),
        ("company", "marker:confidential", r"company[\s\-]+confidential"),
        ("business", "marker:confidential", r"business[\s\-]+confidential"),
        ("commercial", "marker:confidential", r"commercial[\s\-]+confidential"),
        ("commercially", "marker:confidential", r"commercially[\s\-]+confidential"),
        ("highly", "marker:confidential", r"highly[\s\-]+confidential"),
        ("confidentiality", "marker:confidential", r"confidentiality\s+(?:notice|statement|legend|warning)"),
        ("eyes", "marker:confidential", r"for\s+your\s+eyes\s+only\b"),
        ("distribute", "marker:confidential", r"do\s+not\s+distribute\b"),
        ("forward", "marker:confidential", r"do\s+not\s+forward\b"),
        ("disclose", "marker:confidential", r"do\s+not\s+disclose\b"),
        ("circulate", "marker:confidential", r"do\s+not\s+circulate\b"),
        ("distribution", "marker:confidential", r"not\s+for\s+distribution\b"),
        ("circulation", "marker:confidential", r"not\s+for\s+circulation\b"),
        ("publication", "marker:confidential", r"not\s+for\s+publication\b"),
        ("release", "marker:confidential", r"not\s+for\s+public\s+release\b"),
        ("vertraulich", "marker:confidential", r"streng\s+vertraulich"),
    )
)
_PHRASE_GATES = frozenset(gate for gate, _, _ in _PHRASES)
# Classification fields: "Classification: Restricted", "Protective marking - SECRET", "Sensitivity: Internal".
_FIELD_GATES = (b"classification", b"marking", b"classified", b"sensitivity")
_FIELD = re.compile(
    r"(?:classification|protective\s+marking|classified|sensitivity(?:\s+label)?)\s*[:\-–]\s*"
    r"(top\s+secret|secret|restricted|highly\s+confidential|strictly\s+confidential|confidential|internal)\b"
)
_FIELD_KIND = {"confidential": "marker:confidential", "internal": "marker:internal_only"}
# Words that are a marker when they form a banner line or a "Word:" label (checked per occurrence).
_LINE_WORDS: tuple[tuple[bytes, str, re.Pattern[str]], ...] = tuple(
    (word.encode(), kind, re.compile(word))
    for word, kind in (
        ("confidential", "marker:confidential"),
        ("vertraulich", "marker:confidential"),
        ("confidentiel", "marker:confidential"),
        ("confidentielle", "marker:confidential"),
        ("confidencial", "marker:confidential"),
        ("riservato", "marker:confidential"),
        ("intern", "marker:internal_only"),
    )
)
_BANNER_LINE = re.compile(
    r"[\W_]*(?:(?:strictly|streng|strictement|estrictamente)\s+)?(?:confidential|vertraulich|confidentiel(?:le)?|"
    r"confidencial|riservato|intern)(?:[\W_]*$|" + _SEP + ")",
    re.MULTILINE,
)
# "this email ... is confidential", "treat this memo as confidential": the text before "confidential".
_DOC_NOUNS = (
    r"(?:document|email|e-mail|mail|message|memo|memorandum|report|presentation|file|communication|letter|"
    r"material|transmission|attachment|deck|information|contents?|page|draft|data room|note|minutes|"
    r"briefing|proposal|agreement|term sheet|spreadsheet|slides?)s?"
)
_ABOUT_THE_DOCUMENT = re.compile(
    r"(?:(?:this|the|these|attached|enclosed)\s+(?:\w+\s+){0,3}?"
    + _DOC_NOUNS
    + r"(?:\s+and\s+(?:any\s+)?(?:its\s+)?(?:attachments|contents|files))?\s+(?:is|are|contains?|remains?)\s+"
    r"|(?:treat|keep|handle|regard)\s+(?:this|these|it|them|the\s+(?:\w+\s+){0,2}?" + _DOC_NOUNS + r")\s+"
    r"(?:\w+\s+){0,2}?(?:as\s+)?)(?:strictly\s+|highly\s+)?$"
)
_NDA = re.compile(r"nda\b|non[\s\-]disclosure")
_NDA_BEFORE = re.compile(r"(?:under|subject\s+to|covered\s+by)\s+(?:an?\s+|the\s+|our\s+)?$")
# Capitals, over the original text.
_UPPER: tuple[tuple[bytes, str, re.Pattern[str]], ...] = tuple(
    (gate.encode(), kind, re.compile(pattern))
    for gate, kind, pattern in (
        ("confidential", "marker:confidential", r"CONFIDENTIAL\b"),
        ("vertraulich", "marker:confidential", r"VERTRAULICH\b"),
        ("confidentiel", "marker:confidential", r"CONFIDENTIEL"),
        ("secret", "marker:restricted", r"TOP\s+SECRET\b"),
        ("secret", "marker:restricted", r"SECRET//"),
        ("noforn", "marker:restricted", r"NOFORN\b"),
    )
)
_UPPER_LINES: tuple[tuple[bytes, str, str], ...] = (
    (b"secret", "marker:restricted", "SECRET"),
    (b"restricted", "marker:restricted", "RESTRICTED"),
    (b"official", "marker:restricted", "OFFICIAL"),
    (b"internal", "marker:internal_only", "INTERNAL"),
)
_UPPER_BANNER = re.compile(
    r"[\W_]*(?:SECRET|RESTRICTED|OFFICIAL[\s\-]SENSITIVE|INTERNAL)(?:[\W_]*$|\s*//|" + _SEP + ")",
    re.MULTILINE,
)
_PROSE = re.compile(r"confidential")


class MarkerDetector:
    """Finds confidentiality markers; see the module docstring for what counts."""

    def __init__(self, *, prose_confidential_is_marker: bool = False) -> None:
        self._prose = prose_confidential_is_marker

    def find(self, doc: Doc) -> list[Finding]:
        words, lower, text = doc.words, None, doc.text
        found: list[Finding] = []
        present = words & _PHRASE_GATES
        for gate, kind, pattern in _PHRASES if present else ():
            if gate in present:
                lower = doc.lower
                found.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(lower))
        if any(gate in words for gate in _FIELD_GATES):
            for m in _FIELD.finditer(doc.lower):
                found.append(Finding(_FIELD_KIND.get(m.group(1), "marker:restricted"), m.start(), m.end()))
        for gate, kind, pattern in _LINE_WORDS:
            if gate in words:
                found.extend(self._labels(doc, kind, pattern))
        if b"nda" in words or b"disclosure" in words:
            lower = doc.lower
            for m in _NDA.finditer(lower):
                if _NDA_BEFORE.search(lower, max(0, m.start() - 40), m.start()):
                    found.append(Finding("marker:confidential", m.start(), m.end()))
        for gate, kind, pattern in _UPPER:
            if gate in words:
                found.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(text))
        for gate, kind, literal in _UPPER_LINES:
            if gate in words:
                found.extend(self._upper_banners(text, kind, literal))
        return found

    def _labels(self, doc: Doc, kind: str, pattern: re.Pattern[str]) -> list[Finding]:
        lower, out = doc.lower, []
        for m in pattern.finditer(lower):
            line_start = lower.rfind("\n", 0, m.start()) + 1
            # A label starts a line or a sentence: "Confidential: ...", "... today. Vertraulich – ...".
            sentence_start = max(
                line_start, max(lower.rfind(". ", 0, m.start()), lower.rfind("! ", 0, m.start())) + 2
            )
            if (
                _BANNER_LINE.match(lower, line_start)
                or _BANNER_LINE.match(lower, sentence_start)
                or kind == "marker:confidential"
                and (self._prose or _ABOUT_THE_DOCUMENT.search(lower, max(0, m.start() - 120), m.start()))
            ):
                out.append(Finding(kind, m.start(), m.end()))
        return out

    @staticmethod
    def _upper_banners(text: str, kind: str, literal: str) -> list[Finding]:
        out, at = [], text.find(literal)
        while at != -1:
            line_start = text.rfind("\n", 0, at) + 1
            if _UPPER_BANNER.match(text, line_start) and text[line_start:at].strip(" \t*#=-_[]()<>|") == "":
                out.append(Finding(kind, at, at + len(literal)))
            at = text.find(literal, at + len(literal))
        return out
