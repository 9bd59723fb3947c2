"""What every detector shares: the finding record, the document view, and small context helpers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected entity: its kind and where it is. The matched value is never kept."""

    kind: str
    start: int
    end: int


class Doc:
    """A document prepared once for all detectors: NFKC-normalised text plus a lower-cased copy."""

    __slots__ = ("text", "__dict__")

    def __init__(self, text: str) -> None:
        # NFKC folds full-width digits and no-break spaces to ASCII, so "４１１１" and "01\u00a023" match
        # the same patterns as their plain forms. ASCII text is already normal: skip the call.
        self.text = text if text.isascii() else unicodedata.normalize("NFKC", text)

    @cached_property
    def lower(self) -> str:
        return self.text.lower()


class Detector(Protocol):
    """Finds entities of one concern (contact, secrets, ...) in a document."""

    def find(self, doc: Doc) -> list[Finding]: ...


def before(doc: Doc, start: int, chars: int) -> str:
    """The lower-cased text in the `chars` characters before `start`."""
    return doc.lower[max(0, start - chars) : start]


def after(doc: Doc, end: int, chars: int) -> str:
    return doc.lower[end : end + chars]


def near(doc: Doc, start: int, end: int, chars: int) -> str:
    return doc.lower[max(0, start - chars) : end + chars]


def words_re(*words: str) -> re.Pattern[str]:
    """A lower-case whole-word alternation, for context checks on `Doc.lower` slices."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z0-9])")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
