"""A full date right after a word for "birth" in any of ~60 languages: a date of birth.

personal.py reads the English, German, French, Spanish and Italian labels as phrases ("date of birth:",
"geboren am"). Everywhere else a birth date went unread ("gebore 08/05/1980", "datum rođenja 01.09.1972",
`Geboortedatum: "22/04/1995"` in YAML front matter; issue 18, set H). This pass goes date first: each
full date in the document (few per document) looks back along its own line, at most 40 characters, for
a birth word with nothing but letters, spaces and punctuation between. The stems are written from
general knowledge of each language, not from any corpus; the last letters may inflect
("rođenja", "urodzony", "narozen(a)").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from worker.classifier.detectors.base import Doc, Finding

_STEMS = (
    # en de nl af fr es gl pt ca eu cy it
    "birth", "born", "geburt", "geboren", "geb.", "gebore", "geboorte", "naissance", "nacimiento", "nacid",
    "nacemento", "nascimento", "nascid", "naixement", "jaiotz", "dyddiad geni", "nascita", "nato il", "nata il",
    # sv da no is fo fi et
    "födelse", "född", "fødsel", "født", "fædd", "fæðing", "føddur", "fødd", "føðing", "syntym", "sünni",
    "sündinud",
    # pl cs sk sl hr sr bs mk bg ru uk be
    "urodzon", "urodzeni", "data ur.", "narozen", "naroden", "dátum nar", "datum nar", "rojstv", "rojen",
    "rođen", "rodjen", "рођен", "роден", "раѓање", "раждане", "рожден", "родил", "народжен", "нараджэн",
    # hu ro lt lv sq el hy ka mt ga tr az kk ky uz mn
    "születés", "szül.", "naște", "născut", "nascut", "gimim", "gimęs", "gimusi", "dzimš", "dzimis",
    "dzimusi", "lindj", "lindur", "γέννησ", "γεννήθ", "ծննդ", "დაბად", "twelid", "breithe", "doğum", "doğul",
    "туған", "туулган", "tug'ilgan", "tugʻilgan", "төрсөн",
    # he ar fa ur hi bn ta id ms tl vi sw
    "לידה", "נולד", "ميلاد", "مواليد", "الولادة", "تولد", "پیدائش", "जन्म", "জন্ম", "பிறந்", "lahir",
    "kapanganakan", "ipinanganak", "ngày sinh", "sinh ngày", "kuzaliwa",
    # th zh ja ko
    "เกิด", "出生", "生年月日", "생년월일", "출생",
)  # fmt: skip
# A stem not glued to a letter before it, then only non-digits to the date on the same line.
_LABEL = re.compile(r"(?<![^\W\d_])(?:" + "|".join(re.escape(s) for s in _STEMS) + r")[^\n0-9]{0,30}$")
_LOOK_BACK = 40
# A full date: day first, month first or year first, with a four-digit year.
_DATE = re.compile(
    r"(?<![0-9])(?:[0-3]?[0-9][./-][01]?[0-9][./-]((?:19|20)[0-9]{2})|((?:19|20)[0-9]{2})[./-][01]?[0-9][./-][0-3]?[0-9])(?![0-9])"
)
# Born before 1910: nobody alive (a biography's dates, not personal data).
_FIRST_YEAR = 1910


def full_dates(doc: Doc) -> Iterator[tuple[re.Match[str], int]]:
    """Every full date with a four-digit year in the document, and its year: read from the numeric runs
    (6-8 digits with their separators), so a document without one costs nothing. Also unread.py's."""
    for run in doc.runs:
        if 6 <= run.digits <= 8:
            date = _DATE.search(doc.text, max(0, run.start - 1), run.end + 1)
            if date is not None:
                yield date, int(date.group(1) or date.group(2))


def labelled_birth_dates(doc: Doc) -> list[Finding]:
    found: list[Finding] = []
    lower = doc.lower
    for date, year in full_dates(doc):
        if year < _FIRST_YEAR:
            continue
        line_start = lower.rfind("\n", 0, date.start()) + 1
        window_start = max(line_start, date.start() - _LOOK_BACK)
        if _LABEL.search(lower, window_start, date.start()):
            found.append(Finding("date_of_birth", date.start(), date.end()))
    return found
