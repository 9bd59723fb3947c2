"""Confidentiality markers: banners, legends and labels that say what a document is.

Decision on the bare word "confidential": it is a marker when it labels the document — a banner or
heading line, all capitals, a "Confidential:" label, a classification field, or a phrase whose subject
is the document ("this email is confidential", "treat this as confidential", "confidential and
proprietary"). In ordinary prose about something else ("we keep your data confidential", "a
confidential hotline") it is not, unless `prose_confidential_is_marker` is set.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, wordset

_ML = re.MULTILINE
_DOC_NOUNS = (
    r"(?:document|email|e-mail|mail|message|memo|memorandum|report|presentation|file|communication|letter|"
    r"material|transmission|attachment|deck|information|contents?|page|draft|data room|note|minutes|"
    r"briefing|proposal|agreement|term sheet|spreadsheet|slides?)s?"
)
_LEVEL_WORDS = r"(?:restricted|secret|top\s+secret|highly\s+confidential|strictly\s+confidential)"
_LABELS = (
    r"(?:(?:security|data|information|document)\s+)?classification|protective\s+marking|classified|"
    r"sensitivity(?:\s+label)?"
)

# (gate: any of these words must occur, kind, pattern over the lower-cased text)
_LOWER_RULES: tuple[tuple[frozenset[bytes], str, re.Pattern[str]], ...] = (
    (
        wordset("attorney"),
        "marker:privileged",
        re.compile(r"attorney[\s\-–]+client|attorney work[\s\-]product"),
    ),
    (
        wordset("privileged", "privilege"),
        "marker:privileged",
        re.compile(
            r"legally privileged|privileged\s*(?:&|and)\s*confidential|confidential\s*(?:&|and)\s*privileged|"
            r"privileged communication|subject to (?:legal|litigation|solicitor)[\s\-]?(?:client )?privilege"
        ),
    ),
    (wordset("prejudice"), "marker:privileged", re.compile(r"without prejudice")),
    (wordset("anwaltsgeheimnis"), "marker:privileged", re.compile(r"anwaltsgeheimnis")),
    (
        wordset("internal"),
        "marker:internal_only",
        re.compile(
            r"internal(?:\s+use)?\s+only\b|for\s+internal\s+(?:use|distribution|purposes)\b|"
            r"internal\s+distribution\s+only\b|company[\s\-]internal\b"
        ),
    ),
    (
        wordset("external", "externally", "outside"),
        "marker:internal_only",
        re.compile(
            r"not\s+for\s+external\s+(?:use|distribution|release)\b|"
            r"do\s+not\s+(?:distribute|forward|share)\s+(?:externally|outside)"
        ),
    ),
    (
        wordset("interne", "intern", "interno"),
        "marker:internal_only",
        re.compile(
            r"nur\s+f[üu]r\s+(?:den\s+)?interne|^[\W_]*intern[\W_]*$|\bintern\s*[:\-–—|]|usage\s+interne|"
            r"uso\s+interno",
            _ML,
        ),
    ),
    (
        wordset("classification", "marking", "classified", "sensitivity"),
        "marker:restricted",
        re.compile(rf"(?:{_LABELS})\s*[:\-–]\s*{_LEVEL_WORDS}\b"),
    ),
    (
        wordset("classification", "marking", "sensitivity"),
        "marker:confidential",
        re.compile(rf"(?:{_LABELS})\s*[:\-–]\s*confidential\b"),
    ),
    (
        wordset("confidential"),
        "marker:confidential",
        re.compile(
            r"strictly\s+confidential|private\s*(?:&|and)\s*confidential|confidential\s*(?:&|and)\s*proprietary|"
            r"proprietary\s*(?:&|and)\s*confidential|(?:company|business|commercial(?:ly)?|highly)[\s\-]+confidential|"
            r"confidential\s+(?:information|material)\s+of\b|^[\W_]*confidential[\W_]*$|"
            r"^[\W_]*confidential\s*[:\-–—|]",
            _ML,
        ),
    ),
    (
        wordset("confidentiality"),
        "marker:confidential",
        re.compile(r"confidentiality\s+(?:notice|statement|legend|warning)"),
    ),
    (
        wordset("confidential", "privileged"),
        "marker:confidential",
        re.compile(
            r"\b(?:this|the|these|attached|enclosed)\s+(?:\w+\s+){0,3}?"
            + _DOC_NOUNS
            + r"(?:\s+and\s+(?:any\s+)?(?:its\s+)?(?:attachments|contents|files))?"
            r"\s+(?:is|are|contains?|remains?)\s+(?:strictly\s+|highly\s+)?(?:confidential|privileged)"
        ),
    ),
    (
        wordset("confidential"),
        "marker:confidential",
        re.compile(
            r"\b(?:treat|keep|handle|regard)\s+(?:this|these|it|them|the\s+(?:\w+\s+){0,2}?"
            + _DOC_NOUNS
            + r")\s+(?:\w+\s+){0,2}?(?:as\s+)?(?:strictly\s+)?confidential"
        ),
    ),
    (wordset("eyes"), "marker:confidential", re.compile(r"for\s+your\s+eyes\s+only\b")),
    (
        wordset("distribute", "forward", "disclose", "circulate"),
        "marker:confidential",
        re.compile(r"do\s+not\s+(?:distribute|forward|disclose|circulate)\b"),
    ),
    (
        wordset("distribution", "circulation", "publication", "release"),
        "marker:confidential",
        re.compile(r"not\s+for\s+(?:distribution|circulation|publication|public\s+release)\b"),
    ),
    (
        wordset("nda", "non"),
        "marker:confidential",
        re.compile(
            r"(?:under|subject\s+to|covered\s+by)\s+(?:an?\s+|the\s+|our\s+)?(?:nda|non[\s\-]disclosure)"
        ),
    ),
    (
        wordset("vertraulich"),
        "marker:confidential",
        re.compile(
            r"^[\W_]*(?:streng\s+)?vertraulich[\W_]*$|streng\s+vertraulich|vertraulich\s*[:\-–—|]", _ML
        ),
    ),
    (
        wordset("confidentiel", "confidentielle"),
        "marker:confidential",
        re.compile(
            r"^[\W_]*(?:strictement\s+)?confidentiel(?:le)?[\W_]*$|confidentiel(?:le)?\s*[:\-–—|]", _ML
        ),
    ),
    (
        wordset("confidencial", "riservato"),
        "marker:confidential",
        re.compile(r"^[\W_]*(?:estrictamente\s+)?confidencial[\W_]*$|^[\W_]*riservato[\W_]*$", _ML),
    ),
)
# Banners in capitals, over the original text: CONFIDENTIAL anywhere, TOP SECRET / SECRET / RESTRICTED
# as a line of their own or a slash-delimited banner, INTERNAL as a line of its own.
_UPPER_RULES: tuple[tuple[frozenset[bytes], str, re.Pattern[str]], ...] = (
    (
        wordset("secret", "noforn", "restricted", "official", "confidential"),
        "marker:restricted",
        re.compile(
            r"TOP\s+SECRET\b|SECRET//|//\s*(?:NOFORN|REL TO|ORCON)\b|NOFORN\b|"
            r"^[\W_]*(?:SECRET|RESTRICTED|HIGHLY\s+CONFIDENTIAL|OFFICIAL[\s\-]SENSITIVE)[\W_]*$",
            _ML,
        ),
    ),
    (
        wordset("confidential", "vertraulich", "confidentiel", "confidentielle"),
        "marker:confidential",
        re.compile(r"CONFIDENTIAL\b|VERTRAULICH\b|CONFIDENTIEL(?:LE)?\b"),
    ),
    (wordset("internal"), "marker:internal_only", re.compile(r"^[\W_]*INTERNAL[\W_]*$", _ML)),
)
_PROSE_GATE = wordset("confidential")
_PROSE_CONFIDENTIAL = re.compile(r"\bconfidential\b")


class MarkerDetector:
    """Finds confidentiality markers; see the module docstring for what counts."""

    def __init__(self, *, prose_confidential_is_marker: bool = False) -> None:
        self._prose = prose_confidential_is_marker

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        for gate, kind, pattern in _LOWER_RULES:
            if doc.has(gate):
                found.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(doc.lower))
        for gate, kind, pattern in _UPPER_RULES:
            if doc.has(gate):
                found.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(doc.text))
        if self._prose and doc.has(_PROSE_GATE):
            prose = _PROSE_CONFIDENTIAL.finditer(doc.lower)
            found.extend(Finding("marker:confidential", m.start(), m.end()) for m in prose)
        return found
