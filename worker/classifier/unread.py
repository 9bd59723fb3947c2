"""The `unread_language` abstention: prose about a person in a language the meaning-level rules cannot read.

The health, pay, debt, special-category and privilege rules read only the languages their lexicons were
written for (docs/classifier.md, "Languages"). In any other language a statement about a named person
with no identifier or marker in it comes back `public: nothing_found`, which there means "not looked"
(issue 18, set F: 0/30 such documents caught). This module decides, cheaply and in one pass over the
document's distinct words, whether a document is such a case, so the classifier can abstain (raise it to
the `unread_language` level, confidential by default) with the reason `unread_language:<script>`.

It abstains only when all of these hold (docs/classifier.md, "Residual risk", has the full list):
1. **Not a covered language.** Fewer than `_CLEARLY_COVERED` function words of the covered languages, a
   dominant script that is not one only covered languages use (Greek, Hebrew, Thai, CJK, Hangul), and
   positive evidence of an unread language: a script no covered language uses, letters only unread
   languages use (Latin ə þ ð ë ..., Cyrillic ы э і ј ..., Persian/Urdu letters), or, in Latin script and
   Devanagari, no function word at all (and, in Latin, no letter only covered languages use).
2. **About a person**, in one of three shapes: a birth-like full date (year 1915-2010); a roster (3+
   lines opening with a capitalised pair in that script and carrying an 8+ digit number); or, in prose
   (a line of 7+ words, mostly letters), a run of two or three capitalised words in that script inside a
   line that is not a speaker label. Scripts without letter case have no name shape: there only a
   birth-like date counts.

All checks are set lookups or linear scans; the whole gate runs only for documents the rules left
below confidential.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice

from worker.classifier.detectors.base import Doc
from worker.classifier.detectors.birth_labels import full_dates

_MIN_WORDS = 10
# The script tally and the lower-cased function-word check read at most this many distinct words:
# enough to tell a script's share, and a cap on the cost for long documents.
_SAMPLE_WORDS = 120
# Sentences and name shapes are looked for in the first this many characters (the gate's cost is bounded).
_SCAN_CHARS = 6000
# This many distinct function words of covered languages: a covered language, decided in C.
_CLEARLY_COVERED = 4

# Function words of the covered languages, one line each: en de fr es pt it nl, sv/da/no, fi et pl cs sk sl
# hr hu ro tr, id/ms vi bg ar hi; as they appear in Doc.words (ASCII lower-cased; others lower-cased in
# _unread_evidence). One-letter words are left out: every language has them.
_COVERED_WORDS = frozenset(
    w.encode()
    for w in """
        the and of to in is that for with was are this it on as be by have from not but they you
        der die das und ist nicht ein eine zu den von mit sich des auf für dem im wird sind auch
        le la les et est une des du que pour dans pas qui au sur avec il elle sont ce
        el los las es una por con para del se su al lo como más pero fue
        os um uma não em do da dos das ao à com é foi são mais
        il di che non un per gli della nel sono alla anche
        de het een en van niet op zijn dat voor met ook
        och att det som är på för inte med har av til ikke af er jeg og
        ja on ei se että oli hän ovat kanssa mutta
        ja on ei see ning et oli kui ka mis
        i w nie na się z jest że do to jak ale od po są
        a je v se na že s z do to jako ale by není jsou
        sa je na že s z do ako ale nie sú bol
        in je na da se z za so ki pa ni
        i je u na da se za su od ili ali nije
        a az és hogy nem egy is van volt meg mint
        și în de la cu nu o un pe este sunt care
        ve bir bu için ile da de çok olan gibi değil
        dan yang di ini itu dengan untuk tidak dari ke akan adalah
        và của là có không được trong cho với những người
        и на е да се в за от не че с по са като
        في من على إلى أن هذا التي الذي عن مع كان هذه
        है हैं में के की और था थी नहीं यह
    """.split()  # noqa: SIM905 - one line per language reads better than 250 quoted words
    if len(w) > 1
)

# Scripts by code-point range (start, name); letters outside every range are "other".
_SCRIPT_STARTS = [
    (0x0041, "latin"), (0x0250, "other"), (0x0370, "greek"), (0x0400, "cyrillic"), (0x0530, "armenian"),
    (0x0590, "hebrew"), (0x0600, "arabic"), (0x0700, "other"), (0x0900, "devanagari"), (0x0980, "bengali"),
    (0x0A00, "gurmukhi"), (0x0A80, "gujarati"), (0x0B00, "oriya"), (0x0B80, "tamil"), (0x0C00, "telugu"),
    (0x0C80, "kannada"), (0x0D00, "malayalam"), (0x0D80, "sinhala"), (0x0E00, "thai"), (0x0E80, "lao"),
    (0x0F00, "tibetan"), (0x1000, "myanmar"), (0x10A0, "georgian"), (0x1100, "hangul"), (0x1200, "ethiopic"),
    (0x13A0, "other"), (0x1780, "khmer"), (0x1800, "mongolian"), (0x18B0, "other"), (0x1C90, "georgian"),
    (0x1CC0, "other"), (0x1E00, "latin"), (0x1F00, "greek"), (0x2000, "other"), (0x2D00, "georgian"),
    (0x2D30, "other"), (0x3040, "kana"), (0x3100, "other"), (0x3400, "han"), (0xA000, "other"),
    (0xAC00, "hangul"), (0xD7B0, "other"), (0xF900, "han"), (0xFB00, "other"),
]  # fmt: skip
_STARTS = [start for start, _ in _SCRIPT_STARTS]
# Scripts only covered languages are written in: the lexicons read them.
_COVERED_SCRIPTS = frozenset({"greek", "hebrew", "thai", "han", "kana", "hangul"})
# Scripts no covered language is written in.
_UNCOVERED_SCRIPTS = frozenset(
    {"armenian", "bengali", "gurmukhi", "gujarati", "oriya", "tamil", "telugu", "kannada", "malayalam",
     "sinhala", "lao", "tibetan", "myanmar", "georgian", "ethiopic", "khmer", "mongolian"}
)  # fmt: skip
# Latin letters of languages the lexicons do not read (Azerbaijani, Icelandic, Albanian, Maltese,
# Lithuanian, Latvian, West African and Welsh letters): with at most one covered function word, unread.
_UNCOVERED_LATIN = re.compile("[əƏþÞðÐëËħĦġĠėĖųŲāĀēĒīĪķĶļĻņŅģĢŋɛƐɔƆɓɗƙƴŵŷ]")
# Latin letters only covered languages use (Czech, Polish, Hungarian, Romanian, Turkish, German, Spanish,
# Nordic, Slovak, Vietnamese): without function words (a list, a form), still a covered language.
_COVERED_LATIN = re.compile(
    "[řŘůŮěĚłŁőŐűŰșȘțȚßñÑąĄęĘśŚźŹżŻćĆńŃďĎťŤňŇľĽĺĹŕŔåÅøØơƠưƯăĂđĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]"
)
_UNCOVERED_CYRILLIC = re.compile("[ыЫэЭёЁіІїЇєЄґҐјЈљЉњЊѓЃќЌѕЅџЏћЋђЂўЎәӘғҒқҚңҢөӨұҰүҮһҺ]")
_UNCOVERED_ARABIC = re.compile("[پچژگکیےٹڈڑ]")
# Scripts without letter case: a name has no shape there.
_CASELESS = frozenset(
    {"arabic", "devanagari", "bengali", "gurmukhi", "gujarati", "oriya", "tamil", "telugu", "kannada",
     "malayalam", "sinhala", "lao", "tibetan", "myanmar", "georgian", "ethiopic", "khmer", "mongolian",
     "hebrew", "thai", "han", "kana", "hangul"}
)  # fmt: skip

# A full date (birth_labels.full_dates) with a year in this range reads as a birth date.
_BIRTH_YEARS = range(1915, 2011)


def _script(char: str) -> str:
    at = bisect_right(_STARTS, ord(char)) - 1
    return _SCRIPT_STARTS[at][1] if at >= 0 else "other"


def unread_language(doc: Doc) -> str | None:
    """The dominant script of a document the lexicons cannot read that looks like prose (or a record)
    about a person, or None. See the module docstring for the conditions."""
    words = doc.words
    if len(words) < _MIN_WORDS:
        return None
    ascii_hits = len(_COVERED_WORDS & words)
    if ascii_hits >= _CLEARLY_COVERED:
        return None
    tally: dict[str, int] = {}
    letter_words = 0
    for raw in islice(words, _SAMPLE_WORDS):
        word = raw.decode("utf-8", "replace")
        if len(word) < 2 or not _wordish(word):
            continue
        letter_words += 1
        script = _script(word[0])
        tally[script] = tally.get(script, 0) + 1
    if letter_words < _MIN_WORDS:
        return None
    script = max(tally, key=tally.__getitem__)
    if script in _COVERED_SCRIPTS or script == "other" or tally[script] * 2 < letter_words:
        return None
    if not _unread_evidence(doc, script, ascii_hits):
        return None
    if _birth_date(doc) or (script not in _CASELESS and _roster(doc, script)):
        return script
    if _prose(doc) and script not in _CASELESS and _name_shape(doc, script):
        return script
    return None


def _unread_evidence(doc: Doc, script: str, ascii_hits: int) -> bool:
    """Positive evidence that the language is not one the lexicons read."""
    if script in _UNCOVERED_SCRIPTS:
        return True
    # Doc.words lower-cases ASCII only: the other words are lower-cased here ("И" -> "и").
    lowered = {
        w.decode("utf-8", "replace").lower().encode()
        for w in islice(doc.words, 4 * _SAMPLE_WORDS)
        if not w.isascii()
    }
    hits = ascii_hits + len(_COVERED_WORDS & lowered)
    if script == "latin":
        if len(_UNCOVERED_LATIN.findall(doc.text, 0, 20_000)) >= 2:
            return True
        return hits == 0 and _COVERED_LATIN.search(doc.text, 0, 20_000) is None
    if script == "arabic":  # Persian, Urdu, Pashto letters Arabic does not use
        return hits == 0 and _UNCOVERED_ARABIC.search(doc.text) is not None
    if script == "cyrillic":  # letters Bulgarian does not use (Russian, Ukrainian, Macedonian, Serbian, ...)
        return _UNCOVERED_CYRILLIC.search(doc.text) is not None
    return hits == 0  # Devanagari other than Hindi


def _prose(doc: Doc) -> bool:
    """A sentence (a line of 7+ words, most of them words) and letters most of the text's non-space
    characters: not a form, a config file or a table of numbers."""
    text = doc.text
    if not any(_sentence(line) for line in text[:_SCAN_CHARS].splitlines()):
        return False
    sample = text[:8000]
    compact = len(_SPACE.sub("", sample))
    return compact > 0 and len(_NOT_LETTER.sub("", sample)) >= 0.6 * compact


def _sentence(line: str) -> bool:
    tokens = line.split()
    if len(tokens) < 7:
        return False
    return sum(1 for t in tokens if _wordish(t.strip(_PUNCT))) * 10 >= 7 * len(tokens)


_PUNCT = ".,;:!?()«»\"'“”„-—।։"
_SPACE = re.compile(r"\s+")
# Spaces, digits and ASCII punctuation and symbols: what is left is letters (with their vowel signs).
_NOT_LETTER = re.compile(r"[\s0-9!-/:-@\[-`{-~]+")


# Digits and ASCII punctuation other than a hyphen or an apostrophe: not inside a word ("GmbH,\"HRB").
_NOT_IN_WORD = re.compile(r"[0-9!-&(-,./:-@\[-`{-~]")


def _wordish(token: str) -> bool:
    """A word: starts with a letter, no digits (vowel signs and viramas of Indic scripts are not
    letters to str.isalpha, so it cannot be the test), no digits or punctuation inside."""
    return bool(token) and token[0].isalpha() and _NOT_IN_WORD.search(token) is None


def _birth_date(doc: Doc) -> bool:
    return any(year in _BIRTH_YEARS for _, year in full_dates(doc))


def _name_shape(doc: Doc, script: str) -> bool:
    """A run of two or three capitalised words (a given name and a surname) inside a line: not opening
    it, not a chat's or a transcript's speaker label ("Elif Kaya: ..."), not a longer run (a title, an
    organisation), not two short abbreviations ("Wed Jul"), and written in the unread script (a name in
    an English sentence inside Russian text is in text the rules read)."""
    for line in doc.text[:_SCAN_CHARS].splitlines():
        tokens = line.split()
        run: list[str] = []
        for index, token in enumerate(tokens):
            if index and _capitalised(token) and _script(token[0]) == script:
                run.append(token)
                if token[-1] not in _PUNCT:
                    continue
            if _person_like(run):
                return True
            run = []
        if _person_like(run):
            return True
    return False


_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{8,}(?![0-9])")


def _roster(doc: Doc, script: str) -> bool:
    """A table of people with numbers: three or more lines that open with a name shape (two capitalised
    words in the unread script) and carry an 8+ digit number (an id, an account)."""
    rows = 0
    for line in doc.text[:_SCAN_CHARS].splitlines():
        tokens = line.split(None, 2)
        if (
            len(tokens) == 3
            and all(_capitalised(t) and _script(t[0]) == script for t in tokens[:2])
            and _LONG_NUMBER.search(line)
        ):
            rows += 1
            if rows >= 3:
                return True
    return False


def _person_like(run: list[str]) -> bool:
    return (
        2 <= len(run) <= 3
        and not run[-1].endswith(":")
        and all(token[-1] not in _PUNCT for token in run[:-1])
        and max(len(token) for token in run) >= 4
    )


def _capitalised(token: str) -> bool:
    token = token.rstrip(".,;:!?»”\"')")
    return len(token) >= 2 and token[0].isupper() and token[1:].islower() and token.isalpha()
