"""Text normalisation before detection: the evasions that make "078–05–1123" or "4111\u200b1111..."
look like something else to a pattern but the same to a reader (issue 19, row 2).

- Unicode NFKC: full-width digits and letters, no-break and other compatibility spaces become ASCII.
- Dash and hyphen look-alikes (en/em dash, non-breaking hyphen, minus sign, ...) become "-".
- Invisible characters (zero-width spaces and joiners, the byte-order mark, soft hyphens, word
  joiners) and bidirectional controls are removed: they change nothing a reader sees.
- Cyrillic and Greek letters that look like Latin ones ("ѕk-" with a Cyrillic dze) become Latin, but only
  inside a word that also has Latin letters: a Bulgarian or Greek word is left as it is (its markers must
  still read), a mixed-script token is an evasion. Only the detectors see the folded text.
- iCalendar and vCard content lines are unfolded (RFC 5545 3.1, RFC 6350 3.2): a writer breaks every line
  at 75 octets and starts the rest with one space, so an address, an IBAN or an id in a DESCRIPTION or an
  ORGANIZER is cut wherever the 75th octet fell ("office85@offic" / " e.example"; issue 18, set I).

Findings are positions in the normalised text (offsets shift where characters were removed); the
matched values never leave the classifier, so only the counts of what was normalised are reported.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from worker.classifier.markup import is_latex, is_rtf, strip_latex, strip_rtf

# Everything that reads as a dash: hyphen (2010), non-breaking hyphen (2011), figure dash (2012),
# en/em dash (2013/2014), horizontal bar (2015), minus sign (2212), small and full-width hyphen-minus,
# hyphen bullet, Armenian/Hebrew/Mongolian hyphens, two-em/three-em dashes, wave dash.
_DASHES = (
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043\u058a\u05be\u1806\u2e3a\u2e3b\u301c"
)
# Zero-width and formatting characters a reader never sees; removing them joins what they split.
# The Hangul fillers (115F, 1160, 3164, FFA0) are letters to Unicode but draw nothing: the same evasion.
_INVISIBLE = (
    "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f\u115f\u1160\u3164\uffa0"
)
# Bidirectional controls (LRM/RLM/ALM, embeddings, overrides, isolates): "Trojan Source" reordering.
_BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Spaces NFKC leaves alone or that sit between digit groups in typeset numbers.
_SPACES = "\u2028\u2029\u3000\u202f\u2007\u2008\u2009\u200a\u205f"

_TABLE = str.maketrans(
    {
        **{ord(c): "-" for c in _DASHES},
        **{ord(c): None for c in _INVISIBLE + _BIDI},
        **{ord(c): " " for c in _SPACES},
    }
)
_DROP_INVISIBLE = str.maketrans({ord(c): None for c in _INVISIBLE + _BIDI})
_SPECIAL = re.compile(f"[{_DASHES}{_INVISIBLE}{_BIDI}{_SPACES}]")
_DASH_RE = re.compile(f"[{_DASHES}]")
# Decimal digits of other scripts (Arabic-Indic, Devanagari, ...): NFKC keeps them, a reader and
# int() read them as 0-9, the detectors' [0-9] patterns would not. (In a str pattern, \d is any Nd; a
# plain class, "not a non-digit, not 0-9", where a lookahead at every character cost 4x as much.)
_FOREIGN_DIGIT = re.compile(r"[^\D0-9]")
# Combining marks stacked on a digit ("1\u0301") draw an accent on it and hide it from [0-9]{3}. Led by
# the digit, not a lookbehind tried at every character.
_MARK_ON_DIGIT = re.compile(r"([0-9])[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


# Cyrillic and Greek look-alikes of Latin letters (Unicode confusables, the unambiguous ones).
_CONFUSABLES = {
    "а": "a", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k", "ӏ": "l", "о": "o",
    "р": "p", "ԛ": "q", "ѕ": "s", "ԝ": "w", "х": "x", "у": "y", "А": "A", "В": "B", "С": "C", "Е": "E",
    "Н": "H", "І": "I", "Ј": "J", "К": "K", "М": "M", "О": "O", "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X",
    "У": "Y", "Ү": "Y", "ο": "o", "ν": "v", "κ": "k", "ρ": "p", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z",
    "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
# A word (letters, digits, _ and -) with a look-alike in it and a Latin letter in the same word: markup around a
# Cyrillic word (label="ЕГН">) does not make the word a mixed-script evasion (issue 18, set E).
_CONFUSABLE_RE = re.compile(f"[{''.join(_CONFUSABLES)}]")
_MIXED_TOKEN = re.compile(
    f"(?<![\\w\\-])(?=[\\w\\-]*[A-Za-z])(?=[\\w\\-]*[{''.join(_CONFUSABLES)}])[\\w\\-]+"
)


def _fold_confusables(text: str) -> tuple[str, int]:
    """Look-alikes folded to Latin inside mixed-script tokens; how many were folded."""
    folded = 0

    def fold(match: re.Match[str]) -> str:
        nonlocal folded
        token = match.group()
        latin = token.translate(_CONFUSABLE_TABLE)
        folded += sum(a != b for a, b in zip(token, latin, strict=True))
        return latin

    return _MIXED_TOKEN.sub(fold, text), folded


def _fits_latin1(text: str) -> bool:
    """Accented Western text (no Cyrillic or Greek possible): decided by a C copy, cheaper than a search."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _ascii_digits(text: str) -> tuple[str, int]:
    """Other scripts' digits as 0-9 and the marks stacked on digits removed; how many marks went.
    Latin-1 text has neither (its only decimal digits are 0-9; combining marks start at U+0300)."""
    if _fits_latin1(text):
        return text, 0
    text = _FOREIGN_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), text)
    marks = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal marks
        marks += len(match.group()) - 1
        return match.group(1)

    return _MARK_ON_DIGIT.sub(drop, text), marks


class Normalised(NamedTuple):
    text: str
    # How many look-alike dashes were folded and invisible/bidi characters removed: reported as
    # reasons ("normalised:invisible x3"), so an evasion attempt is visible in the audit trail.
    dashes: int
    invisible: int
    # Cyrillic/Greek look-alikes folded to Latin inside mixed-script tokens.
    confusables: int = 0
    # JSON/JavaScript "\\uXXXX" escapes of non-ASCII characters decoded (a ticket or log written with
    # ensure_ascii: "\\u0420\\u041d\\u041e\\u041a\\u041f\\u041f" is "РНОКПП" to every reader of it).
    escapes: int = 0
    # RTF control words or LaTeX commands removed (markup.py): "rtf" or "latex", and how many.
    markup: str = ""
    markup_count: int = 0


_ESCAPE = re.compile(
    r"\\u(?:d[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}|0(?:0[89a-f]|[1-9a-f][0-9a-f])[0-9a-f]|[1-9a-f][0-9a-f]{3})",
    re.IGNORECASE,
)


def _unescape(match: re.Match[str]) -> str:
    return (
        match.group()
        .encode("ascii")
        .decode("unicode_escape", "ignore")
        .encode("utf-16", "surrogatepass")
        .decode("utf-16", "replace")
    )


# A calendar or a contact card: its folded lines are joined before anything else reads it.
_FOLDING_CONTAINER = re.compile(r"^BEGIN:(?:VCALENDAR|VCARD)\r?$", re.MULTILINE | re.IGNORECASE)
_FOLD = re.compile(r"\r?\n[ \t]")


def normalise(text: str) -> Normalised:
    """The text detectors see. ASCII text is already normal: returned as is, at no cost."""
    if "BEGIN:V" in text and _FOLDING_CONTAINER.search(text):
        unfolded, count = _FOLD.subn("", text)
        if count:
            return normalise(unfolded)._replace(markup="unfolded", markup_count=count)
    if text[:1] in "{ \n\t\ufeff" and is_rtf(text):
        plain, count = strip_rtf(text)
        return _plain(plain)._replace(markup="rtf", markup_count=count)
    if "\\begin{" in text and is_latex(text):
        plain, count = strip_latex(text)
        return _plain(plain)._replace(markup="latex", markup_count=count)
    return _plain(text)


def _plain(text: str) -> Normalised:
    if "\\u" in text:
        decoded, escapes = _ESCAPE.subn(_unescape, text)
        if escapes:
            return _plain(decoded)._replace(escapes=escapes)
    if text.isascii():
        return Normalised(text, 0, 0)
    if not _SPECIAL.search(text):  # accents, CJK, Cyrillic ...: nothing to fold or remove
        folded, marks = _ascii_digits(unicodedata.normalize("NFKC", text))
        return _latin(Normalised(folded, 0, marks))
    # Counted on the original, in C. NFKC maps the non-breaking hyphen to U+2010 and full-width forms to
    # ASCII, so the dash table is applied after it.
    visible = text.translate(_DROP_INVISIBLE)
    dashes = len(_DASH_RE.findall(visible))
    folded, marks = _ascii_digits(unicodedata.normalize("NFKC", visible).translate(_TABLE))
    return _latin(Normalised(folded, dashes, len(text) - len(visible) + marks))


def _latin(normalised: Normalised) -> Normalised:
    """Look-alike letters folded, only when the text has any (most non-ASCII text has none mixed in)."""
    if _fits_latin1(normalised.text) or not _CONFUSABLE_RE.search(normalised.text):
        return normalised
    text, folded = _fold_confusables(normalised.text)
    return normalised._replace(text=text, confusables=folded)
