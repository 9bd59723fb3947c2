"""Where a person lives and when they were born: postal addresses and dates of birth.

An address is personal when a person is named nearby or when it is labelled as someone's home
("home address", "lives at", "ship to", "wohnhaft", "domicilié"); a company's address ("our office is
at ...") is not reported. A date is a date of birth only next to its label ("DOB", "born on",
"geboren am", "né le"; birth_labels.py reads ~60 more languages).

Street addresses are found from their street word ("Street", "Straße", "rue", "Via") outwards, so
documents without one cost a set lookup.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, before, wordset
from worker.classifier.detectors.birth_labels import labelled_birth_dates

_CAP = r"[A-Z][A-Za-zà-öø-ÿ'\-]+"
# "742 Evergreen Terrace", "1600 N. Main St." — the text before an English street word.
_EN_SUFFIXES = (
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Boulevard",
    "Blvd",
    "Lane",
    "Ln",
    "Drive",
    "Dr",
    "Court",
    "Ct",
    "Way",
    "Place",
    "Pl",
    "Terrace",
    "Ter",
    "Circle",
    "Cir",
    "Parkway",
    "Pkwy",
    "Highway",
    "Hwy",
    "Close",
    "Crescent",
    "Square",
    "Sq",
    "Gardens",
    "Grove",
    "Row",
    "Mews",
    "Trail",
)
_EN_GATES = tuple((suffix, suffix.lower().encode()) for suffix in _EN_SUFFIXES)
_EN_BEFORE = re.compile(rf"[0-9]{{1,6}}[A-Za-z]?,?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:{_CAP}[ \t]+){{1,4}}$")
# "Hauptstraße 5", "Berliner Str. 12a", "Am Lindenweg 3": a German street word inside the name, a number after.
_DE_SUFFIXES = (
    "straße",
    "strasse",
    "str.",
    "weg",
    "platz",
    "allee",
    "gasse",
    "ring",
    "damm",
    "ufer",
    "chaussee",
)
_DE_WORDS = wordset("straße", "strasse", "str", "weg", "platz", "allee", "gasse", "ring", "damm", "ufer")
_DE_AFTER = re.compile(r"[ \t]+[0-9]{1,4}[ \t]?[a-z]?\b")
_DE_WORD_BEFORE = re.compile(r"(?:[A-ZÄÖÜ][a-zäöüß\-]*[ \t]?){1,2}$")
# "12 rue de la Paix", "5 bis, avenue Victor Hugo": a number before a French street word.
_FR_WORDS = (
    "rue",
    "avenue",
    "boulevard",
    "bd",
    "chemin",
    "allée",
    "impasse",
    "quai",
    "route",
    "cours",
    "place",
)
_FR_GATES = tuple((word, word.encode()) for word in _FR_WORDS)
_FR_BEFORE = re.compile(r"[0-9]{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+$")
_FR_AFTER = re.compile(r"[ \t]+(?:(?:de|du|des|la|le|l'|d')[ \t]*)*[A-Za-zÀ-ÿ'\-]+")
# "Calle Mayor 12", "Via Roma 10", "Piazza Navona, 5": a Spanish/Italian/Portuguese street word first.
_SOUTH_WORDS = (
    "Calle",
    "Avenida",
    "Avda.",
    "Plaza",
    "Paseo",
    "Via",
    "Viale",
    "Piazza",
    "Corso",
    "Largo",
    "Rua",
)
_SOUTH_GATES = tuple((word, word.lower().rstrip(".").encode()) for word in _SOUTH_WORDS)
_SOUTH_AFTER = re.compile(
    rf"[ \t]+(?:(?:de|del|la|los|dei|della|di|do|da)[ \t]+)*(?:{_CAP}[ \t]*){{1,4}},?[ \t]*(?:n[º°o]\.?[ \t]*)?"
    r"[0-9]{1,4}\b"
)
_PO_BOX = re.compile(r"P\.?[ \t]?O\.?[ \t]+Box[ \t]+[0-9]+")
# Postcode lines: "Springfield, IL 62704" (from the numeric run) and UK postcodes "SW1A 2AA".
_US_CITY_STATE = re.compile(rf"{_CAP}(?:[ \t]{_CAP})*,[ \t]+[A-Z]{{2}}[ \t]+$")
_UK_POSTCODE_GATE = wordset(
    "london",
    "uk",
    "united",
    "kingdom",
    "england",
    "scotland",
    "wales",
    "postcode",
    "manchester",
    "birmingham",
    "leeds",
    "glasgow",
    "edinburgh",
    "bristol",
    "liverpool",
    "cardiff",
    "belfast",
)
# Found from its first digit (rarer than capitals, so the scan is cheaper), then the letters before it.
_UK_POSTCODE = re.compile(r"[0-9][A-Z0-9]?[ \t]?[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])")
_UK_AREA = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}$")

_HOME_LABEL = re.compile(
    r"(?:home|residential|private|mailing|postal|shipping|billing|delivery|permanent|current)\s+address|"
    r"lives\s+at|living\s+at|resid(?:es|ing|e)\s+at|ship\s+to|deliver\s+to|send\s+to|address\s*:|"
    r"wohnhaft|wohnt\s+in|anschrift|privatanschrift|domicili[ée]e?|demeurant|adresse\s*:|domicilio|residente\s+in"
)
# An addressee written directly above or before the address: "Kenji Rossi, 66 rue du Bac", "Dr. Weber\n...".
_ADDRESSEE = re.compile(
    r"(?:^|[\n:;(]|\bto\s)[ \t]*((?:Mr|Ms|Mrs|Dr|Prof|Herr|Frau|Mme|M)\.?[ \t]+)?[A-Z][a-zà-öø-ÿ'\-]+"
    r"(?:[ \t]+[A-Z]\.)?(?:[ \t]+([A-Z][a-zà-öø-ÿ'\-]+))?[ \t]*[,\n][ \t]*(?:Apt\.?[ \t]+\w+,[ \t]*)?$",
    re.MULTILINE,
)
_COMPANY_WORDS = frozenset(
    {
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "corp",
        "co",
        "plc",
        "ag",
        "sa",
        "sas",
        "srl",
        "bv",
        "nv",
        "limited",
        "group",
        "bank",
        "office",
        "hq",
        "headquarters",
        "team",
        "department",
        "traders",
        "logistics",
        "industries",
    }
)
# A company's premises: "our office is at", "headquarters:", "visit us at", "registered office".
_BUSINESS_LABEL = re.compile(
    r"(?:office|offices|headquarters|hq|warehouse|store|shop|branch|campus|factory|plant|showroom|site|"
    r"premises|venue|hotel|restaurant|located|visit\s+us|registered|head\s+office|our\s+address|reception)"
    r"\b[^.\n]{0,25}$"
)

# Date-of-birth labels, each led by a literal and gated by a word of the document.
_DOB_LABELS: tuple[tuple[bytes, re.Pattern[str]], ...] = tuple(
    (gate.encode(), re.compile(label + r"\s*[:\-]?\s*"))
    for gate, label in (
        ("birth", r"date\s+of\s+birth"),
        ("birth", r"birth\s*date"),
        ("birthdate", r"birthdate"),
        ("birthday", r"birthday"),
        ("dob", r"dob\b"),
        ("d", r"d\.o\.b\.?"),
        ("born", r"born(?:\s+on)?"),
        ("b", r"\(b\."),
        ("geburtsdatum", r"geburtsdatum"),
        ("geboren", r"geboren(?:\s+am)?"),
        ("geb", r"geb\."),
        ("naissance", r"date\s+de\s+naissance"),
        ("le", r"n[ée]e?\s+le"),
        ("nacimiento", r"fecha\s+de\s+nacimiento"),
        ("el", r"nacid[oa]\s+el"),
        ("nascita", r"data\s+di\s+nascita"),
        ("il", r"nat[oa]\s+il"),
    )
)
_MONTHS = (
    r"(?:jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|f[ée]vr?(?:ier)?|m[äa]r(?:ch|z|s)?|apr(?:il)?|avr(?:il)?|"
    r"may|mai|jun(?:e|i)?|juin|jul(?:y|i)?|juil(?:let)?|aug(?:ust)?|ao[ûu]t|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|d[ée]c(?:embre)?|enero|febrero|"
    r"marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|"
    r"maggio|giugno|luglio|settembre|ottobre|dicembre|janvier|f[ée]vrier|avril|juillet|septembre|octobre|"
    r"novembre)\.?"
)
# Born before 1910: nobody alive (issue 18: birth dates of historical figures read as personal data).
_HISTORICAL_YEAR = re.compile(r"(?<![0-9])(?:1[0-8][0-9]{2}|190[0-9])(?![0-9])")
_DATE = re.compile(
    r"[0-9]{1,4}[./\-][0-9]{1,2}[./\-][0-9]{2,4}|"
    rf"[0-9]{{1,2}}(?:st|nd|rd|th|er|\.)?\s+(?:of\s+|de\s+|di\s+)?{_MONTHS},?\s+(?:de\s+)?[0-9]{{4}}|"
    rf"{_MONTHS}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+[0-9]{{4}}|"
    r"[0-9]{8}"
)


class PersonalDetector:
    """Postal addresses (candidates unless labelled as a home) and labelled dates of birth."""

    def find(self, doc: Doc) -> list[Finding]:
        found = self._streets(doc)
        if not found:
            found = self._postcode_lines(doc)
        for gate, label in _DOB_LABELS:
            if gate in doc.words:
                for m in label.finditer(doc.lower):
                    date = _DATE.match(doc.lower, m.end())
                    if date and _HISTORICAL_YEAR.search(date.group()):
                        continue  # "Marie Curie (born 7 November 1867)": a biography, not a living person
                    if date and (m.start() == 0 or not doc.lower[m.start() - 1].isalpha()):
                        found.append(Finding("date_of_birth", m.start(), date.end()))
        found.extend(labelled_birth_dates(doc))  # the other languages' labels, date first
        return found

    def _streets(self, doc: Doc) -> list[Finding]:
        text, words, spans = doc.text, doc.words, []
        for suffix, gate in _EN_GATES:
            if gate in words:
                for at in _word_occurrences(text, suffix):
                    m = _EN_BEFORE.search(text, max(0, at - 70), at)
                    if m:
                        spans.append((m.start(), at + len(suffix)))
        lower = doc.lower
        # German street words hide inside compounds ("Hauptstraße"), so they need substring searches; only
        # worth it where a postcode-sized number or a separate street word makes an address possible.
        german = not _DE_WORDS.isdisjoint(words) or any(
            run.digits == 5 and run.text.isdigit() for run in doc.runs
        )
        for suffix in _DE_SUFFIXES if german else ():
            if suffix in lower:
                for at in _occurrences(lower, suffix):
                    end = at + len(suffix)
                    after = _DE_AFTER.match(text, end)
                    word = _DE_WORD_BEFORE.search(text, max(0, at - 30), at) if after else None
                    if after and word:
                        spans.append((word.start(), after.end()))
        for street, gate in _FR_GATES:
            if gate in words:
                for at in _word_occurrences(lower, street):
                    before_number = _FR_BEFORE.search(lower, max(0, at - 12), at)
                    after = _FR_AFTER.match(text, at + len(street))
                    if before_number and after:
                        spans.append((before_number.start(), after.end()))
        for street, gate in _SOUTH_GATES:
            if gate in words:
                for at in _word_occurrences(text, street):
                    after = _SOUTH_AFTER.match(text, at + len(street))
                    if after:
                        spans.append((at, after.end()))
        if b"box" in words:
            spans.extend(m.span() for m in _PO_BOX.finditer(text))
        return [f for start, end in spans if (f := self._address(doc, start, end))]

    def _postcode_lines(self, doc: Doc) -> list[Finding]:
        """City/postcode lines without a street line: "Springfield, IL 62704", "London SW1A 2AA"."""
        text, spans = doc.text, []
        for run in doc.runs:
            state = text[max(0, run.start - 3) : run.start - 1]  # "IL" in "Springfield, IL 62704"
            if (
                run.digits in (5, 9)
                and state.isalpha()
                and state.isupper()
                and _US_CITY_STATE.search(text, max(0, run.start - 40), run.start)
            ):
                spans.append((run.start, run.end))
        if doc.has(_UK_POSTCODE_GATE):
            for m in _UK_POSTCODE.finditer(text):
                area = _UK_AREA.search(text, max(0, m.start() - 2), m.start())
                if area:
                    spans.append((area.start(), m.end()))
        return [f for start, end in spans if (f := self._address(doc, start, end))]

    @staticmethod
    def _address(doc: Doc, start: int, end: int) -> Finding | None:
        context = before(doc, start, 60)
        if _HOME_LABEL.search(context):
            return Finding("postal_address", start, end)
        addressee = _ADDRESSEE.search(doc.text, max(0, start - 60), start)
        # A title ("Dr. Weber") or a two-word name whose last word is not a company word ("Acme Corp").
        if addressee and (addressee.group(1) or (addressee.group(2) or "corp").lower() not in _COMPANY_WORDS):
            return Finding("postal_address", start, end)
        if _BUSINESS_LABEL.search(context[-40:]):
            return None
        return Finding("postal_address", start, end, needs_person=True)


def _occurrences(text: str, literal: str) -> list[int]:
    out, at = [], text.find(literal)
    while at != -1:
        out.append(at)
        at = text.find(literal, at + len(literal))
    return out


def _word_occurrences(text: str, word: str) -> list[int]:
    """Occurrences of `word` as a whole word ("St" in "St." but not in "Start")."""
    return [
        at
        for at in _occurrences(text, word)
        if (at == 0 or not text[at - 1].isalnum())
        and (at + len(word) >= len(text) or not text[at + len(word)].isalpha())
    ]
