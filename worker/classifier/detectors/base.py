"""What every detector shares: the finding record, the prepared document, and small helpers.

Speed comes from preparing each document once: a lower-cased copy, the set of its words (for cheap
"is this keyword anywhere?" gates before any expensive pattern runs) and its numeric runs (every
identifier with digits is looked for only around those), so most detectors never scan the full text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple, Protocol

from worker.classifier.normalize import Normalised, normalise

_WORD_TABLE = bytearray(range(256))
for _byte in b"!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~-0123456789\t\n\r\x0b\x0c":
    _WORD_TABLE[_byte] = 0x20
for _byte in range(ord("A"), ord("Z") + 1):
    _WORD_TABLE[_byte] = _byte + 32
_WORD_BYTES = bytes(_WORD_TABLE)

# Digits with the separators identifiers are written with; trimmed and split further by detectors.
_NUMERIC_RUN = re.compile(r"[0-9](?:[ ()\-./]{0,3}[0-9]){3,}\)?")
_SEPARATORS = b" ()-./"


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected entity: its kind and where it is. The matched value is never kept.

    `needs_person` marks a candidate that only counts when a person is named nearby (an address, a
    diagnosis); the engine confirms or drops it.
    """

    kind: str
    start: int
    end: int
    needs_person: bool = False


class Run(NamedTuple):
    """A run of 4+ digits with the separators between them, e.g. "415) 555-0132" or "4111 1111 1111"."""

    start: int
    end: int
    text: str
    digits: int


class Doc:
    """A document prepared once for all detectors."""

    def __init__(self, text: str) -> None:
        # Full-width digits, look-alike dashes, zero-width and bidi characters folded (normalize.py), so
        # "４１１１", "078–05–1123" and "4111\u200b1111" match the same patterns as their plain forms.
        normalised = normalise(text)
        self.text = normalised.text
        self.normalised: Normalised = normalised

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @cached_property
    def words(self) -> frozenset[bytes]:
        """Lower-case words (letters only, UTF-8), for keyword gates: `doc.has(WORDS)`."""
        return frozenset(self.text.encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split())

    @cached_property
    def long_tokens(self) -> str:
        """Whitespace-free stretches of 15+ characters, one per line: where keys, hashes and URLs live."""
        tokens = self.text.split()
        if max(map(len, tokens), default=0) < 15:  # the common case, decided in C
            return ""
        return "\n".join([token for token in tokens if len(token) >= 15])

    @cached_property
    def runs(self) -> list[Run]:
        return [
            Run(m.start(), m.end(), text, len(text.encode().translate(None, _SEPARATORS)))
            for m in _NUMERIC_RUN.finditer(self.text)
            for text in (m.group(),)
        ]

    def has(self, words: frozenset[bytes]) -> bool:
        return not words.isdisjoint(self.words)


def wordset(*words: str) -> frozenset[bytes]:
    return frozenset(word.encode() for word in words)


def word_forms(word: str) -> frozenset[bytes]:
    """How `word` appears in `Doc.words` in lower case, Title case and CAPITALS: only ASCII letters are
    lower-cased there, so "DŮVĚRNÉ" and "Ściśle" need their own entries."""
    return frozenset(
        form.encode("utf-8", "surrogatepass").translate(_WORD_BYTES)
        for form in (word.lower(), word.capitalize(), word.upper())
    )


class Detector(Protocol):
    """Finds entities of one concern (contact, secrets, ...) in a document."""

    def find(self, doc: Doc) -> list[Finding]: ...


def before(doc: Doc, start: int, chars: int) -> str:
    """The lower-cased text in the `chars` characters before `start`, from a word boundary on (a window
    that cuts "upside" must not leave "de" to look like a word)."""
    lo = max(0, start - chars)
    if lo and doc.lower[lo - 1].isalnum():
        while lo < start and doc.lower[lo].isalnum():
            lo += 1
    return doc.lower[lo:start]


def after(doc: Doc, end: int, chars: int) -> str:
    return doc.lower[end : end + chars]


def near(doc: Doc, start: int, end: int, chars: int) -> str:
    return doc.lower[max(0, start - chars) : end + chars]


_POSSESSIVE_BEFORE = re.compile(r"(?:(?<![a-z])(?:his|her|their|my)|'s)\s+$")


def possessed(doc: Doc, start: int) -> bool:
    """Whether the words at `start` follow a possessive ("her oncologist", "Jorge's visa"): patterns stay
    led by their literal (fast) and the possessive is checked here, only where they match."""
    return _POSSESSIVE_BEFORE.search(doc.lower, max(0, start - 8), start) is not None


def words_re(*words: str) -> re.Pattern[str]:
    """A lower-case whole-word alternation, for context checks on short `Doc.lower` slices."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z0-9])")


def char_before(text: str, index: int) -> str:
    return text[index - 1] if index > 0 else " "


def char_after(text: str, index: int) -> str:
    return text[index] if index < len(text) else " "


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
