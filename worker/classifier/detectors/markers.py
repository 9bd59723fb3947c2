"""Confidentiality markers: banners, legends and labels that say what a document is.

Decision on the bare word "confidential": it is a marker when it labels the document — a banner or
heading line, all capitals, a "Confidential:" label, a classification field, or a phrase whose subject
is the document ("this email is confidential", "treat this as confidential", "confidential and
proprietary"). In ordinary prose about something else ("we keep your data confidential", "a
confidential hotline") it is not, unless `prose_confidential_is_marker` is set.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding

_HINTS = (
    "confiden", "privileg", "internal", "secret", "restricted", "classif", "distribut", "vertraulich",
    "intern", "nda", "non-disclosure", "eyes only", "noforn", "official", "riservat", "forward", "disclos",
    "proprietary", "reservad", "diffusion", "weitergabe",
)
_DOC_NOUNS = (
    r"(?:document|email|e-mail|mail|message|memo|memorandum|report|presentation|file|communication|letter|"
    r"material|transmission|attachment|deck|information|contents?|page|draft|data room|note|minutes|"
    r"briefing|proposal|agreement|term sheet|spreadsheet|slides?)s?"
)
_ML = re.MULTILINE
# Patterns over the lower-cased text unless noted; (kind, pattern).
_LOWER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("marker:privileged", re.compile(
        r"attorney[\s\-–]+client|legally privileged|privileged\s*(?:&|and)\s*confidential|"
        r"confidential\s*(?:&|and)\s*privileged|attorney work[\s\-]product|privileged communication|"
        r"subject to (?:legal|litigation|solicitor)[\s\-]?(?:client )?privilege|anwaltsgeheimnis|"
        r"secret professionnel|without prejudice")),
    ("marker:internal_only", re.compile(
        r"\binternal(?:\s+use)?\s+only\b|\bfor\s+internal\s+(?:use|distribution|purposes)\b|"
        r"\binternal\s+distribution\s+only\b|\bnot\s+for\s+external\s+(?:use|distribution|release)\b|"
        r"\bcompany[\s\-]internal\b|nur\s+f[üu]r\s+(?:den\s+)?interne|\bintern\s*(?:[:\-–—|]|$)|"
        r"usage\s+interne|uso\s+interno|"
        r"\bdo\s+not\s+(?:distribute|forward|share)\s+(?:externally|outside)", _ML)),
    ("marker:restricted", re.compile(
        r"(?:security\s+|data\s+|information\s+|document\s+)?classification\s*[:\-–]\s*(?:restricted|secret|"
        r"top\s+secret|highly\s+confidential|strictly\s+confidential)\b|"
        r"(?:protective\s+marking|classified|sensitivity(?:\s+label)?)\s*[:\-–]\s*(?:restricted|secret|top\s+secret)\b")),
    ("marker:confidential", re.compile(
        r"(?:security\s+|data\s+|information\s+|document\s+)?classification\s*[:\-–]\s*confidential\b|"
        r"(?:protective\s+marking|sensitivity(?:\s+label)?)\s*[:\-–]\s*confidential\b|"
        r"strictly\s+confidential|private\s*(?:&|and)\s*confidential|confidential\s*(?:&|and)\s*proprietary|"
        r"proprietary\s*(?:&|and)\s*confidential|(?:company|business|commercial(?:ly)?|highly)[\s\-]+confidential|"
        r"confidentiality\s+(?:notice|statement|legend|warning)|confidential\s+(?:information|material)\s+of\b|"
        r"\b(?:this|the|these|attached|enclosed)\s+(?:\w+\s+){0,3}?" + _DOC_NOUNS
        + r"(?:\s+and\s+(?:any\s+)?(?:its\s+)?(?:attachments|contents|files))?"
        r"\s+(?:is|are|contains?|remains?)\s+"
        r"(?:strictly\s+|highly\s+)?(?:confidential|privileged)|"
        r"\b(?:treat|keep|handle|regard)\s+(?:this|these|it|them|the\s+(?:\w+\s+){0,2}?"
        + _DOC_NOUNS
        + r")\s+"
        r"(?:\w+\s+){0,2}?(?:as\s+)?(?:strictly\s+)?confidential|"
        r"\bfor\s+your\s+eyes\s+only\b|\bdo\s+not\s+(?:distribute|forward|disclose|circulate)\b|"
        r"\bnot\s+for\s+(?:distribution|circulation|publication|public\s+release)\b|"
        r"\b(?:under|subject\s+to|covered\s+by)\s+(?:an?\s+|the\s+|our\s+)?(?:nda|non[\s\-]disclosure)|"
        r"^[\W_]*(?:streng\s+)?vertraulich[\W_]*$|\bstreng\s+vertraulich|\bvertraulich\s*[:\-–—|]|"
        r"^[\W_]*(?:strictement\s+)?confidentiel(?:le)?[\W_]*$|\bconfidentiel(?:le)?\s*[:\-–—|]|"
        r"^[\W_]*(?:estrictamente\s+)?confidencial[\W_]*$|^[\W_]*riservato[\W_]*$|"
        r"^[\W_]*confidential[\W_]*$|^[\W_]*confidential\s*[:\-–—|]", _ML)),
)
# Banners in capitals, over the original text: CONFIDENTIAL anywhere, TOP SECRET / SECRET / RESTRICTED
# as a line of their own or a slash-delimited banner, INTERNAL as a line of its own.
_UPPER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("marker:restricted", re.compile(
        r"\bTOP\s+SECRET\b|\bSECRET//|//\s*(?:NOFORN|REL TO|ORCON)\b|\bNOFORN\b|"
        r"^[\W_]*(?:SECRET|RESTRICTED|HIGHLY\s+CONFIDENTIAL|OFFICIAL[\s\-]SENSITIVE)[\W_]*$", _ML)),
    ("marker:confidential", re.compile(r"\bCONFIDENTIAL\b|\bVERTRAULICH\b|\bCONFIDENTIEL(?:LE)?\b")),
    ("marker:internal_only", re.compile(r"^[\W_]*INTERNAL[\W_]*$", _ML)),
)
_PROSE_CONFIDENTIAL = re.compile(r"\bconfidential\b")


class MarkerDetector:
    """Finds confidentiality markers; see the module docstring for what counts."""

    def __init__(self, *, prose_confidential_is_marker: bool = False) -> None:
        self._prose = prose_confidential_is_marker

    def find(self, doc: Doc) -> list[Finding]:
        lower = doc.lower
        if not any(hint in lower for hint in _HINTS):
            return []
        found: list[Finding] = []
        for kind, pattern in _LOWER_PATTERNS:
            found.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(lower))
        for kind, pattern in _UPPER_PATTERNS:
            found.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(doc.text))
        if self._prose:
            prose = _PROSE_CONFIDENTIAL.finditer(lower)
            found.extend(Finding("marker:confidential", m.start(), m.end()) for m in prose)
        return found
