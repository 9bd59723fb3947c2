"""Where a person lives and when they were born: postal addresses and dates of birth.

An address is personal when a person is named nearby or when it is labelled as someone's home
("home address", "lives at", "ship to", "wohnhaft", "domicilié"); a company's address on its own is
not reported. A date is a date of birth only next to its label ("DOB", "born on", "geboren am", "né le").
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, before, wordset

_CAP = r"[A-Z][A-Za-zà-öø-ÿ'\-]+"
_US_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|"
    r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Close|Crescent|Square|Sq|Gardens|Grove|Row|Mews|Trail|Trl)"
)
# (gate words, gate substrings, pattern): a pattern runs only if one gate word or substring is present.
_STREET_PATTERNS: tuple[tuple[frozenset[bytes], tuple[str, ...], re.Pattern[str]], ...] = (
    # 742 Evergreen Terrace / 10 Downing Street / 1600 N. Main St., Apt 4B
    (
        wordset(
            "street",
            "st",
            "avenue",
            "ave",
            "road",
            "rd",
            "boulevard",
            "blvd",
            "lane",
            "ln",
            "drive",
            "dr",
            "court",
            "ct",
            "way",
            "place",
            "pl",
            "terrace",
            "ter",
            "circle",
            "cir",
            "parkway",
            "pkwy",
            "highway",
            "hwy",
            "close",
            "crescent",
            "square",
            "sq",
            "gardens",
            "grove",
            "row",
            "mews",
            "trail",
        ),
        (),
        re.compile(
            rf"[0-9]{{1,6}}[A-Za-z]?,?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:{_CAP}[ \t]+){{1,4}}{_US_SUFFIX}\b\.?"
        ),
    ),
    # Hauptstraße 5 / Berliner Str. 12a / Am Markt 3 (with a German suffix)
    (
        wordset("str"),
        ("straße", "strasse", "weg ", "platz ", "allee ", "gasse ", "ring ", "damm ", "ufer ", "chaussee "),
        re.compile(
            r"[A-ZÄÖÜ][a-zäöüß\-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee)"
            r"[ \t]+[0-9]{1,4}[ \t]?[a-z]?\b|(?:[A-ZÄÖÜ][a-zäöüß\-]+[ \t])(?:Straße|Strasse|Str\.|Weg|Platz|"
            r"Allee|Gasse|Ring)[ \t]+[0-9]{1,4}[a-z]?\b"
        ),
    ),
    # 12 rue de la Paix / 5 bis, avenue Victor Hugo
    (
        wordset(
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
        ),
        (),
        re.compile(
            r"[0-9]{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:rue|avenue|av\.|boulevard|bd|chemin|allée|impasse|"
            r"quai|route|cours|place)[ \t]+(?:(?:de|du|des|la|le|l'|d')[ \t]*)*[A-Za-zÀ-ÿ'\-]+"
        ),
    ),
    # Calle Mayor 12 / Via Roma 10 / Piazza Navona, 5
    (
        wordset(
            "calle", "avenida", "avda", "plaza", "paseo", "via", "viale", "piazza", "corso", "largo", "rua"
        ),
        (),
        re.compile(
            r"(?:Calle|C/|Avenida|Avda\.|Plaza|Paseo|Via|Viale|Piazza|Corso|Largo|Rua)[ \t]+"
            rf"(?:(?:de|del|la|los|dei|della|di|do|da)[ \t]+)*(?:{_CAP}[ \t]*){{1,4}},?[ \t]*(?:n[º°o]\.?[ \t]*)?"
            r"[0-9]{1,4}\b"
        ),
    ),
    (wordset("box"), (), re.compile(r"P\.?[ \t]?O\.?[ \t]+Box[ \t]+[0-9]+")),
)
# Postcode lines: "Springfield, IL 62704", "SW1A 2AA", "10115 Berlin", "75008 Paris".
_POSTCODE_LINES = (
    re.compile(rf"{_CAP}(?:[ \t]{_CAP})*,[ \t]+[A-Z]{{2}}[ \t]+[0-9]{{5}}(?:-[0-9]{{4}})?\b"),
    re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)[ \t]?[0-9][ABD-HJLNP-UW-Z]{2}\b"),
    re.compile(rf"\b(?:D-|F-|[A-Z]-)?[0-9]{{5}}[ \t]+{_CAP}"),
)
_HOME_LABEL = re.compile(
    r"(?:home|residential|private|mailing|postal|shipping|billing|delivery|permanent|current)\s+address|"
    r"lives\s+at|living\s+at|resid(?:es|ing|e)\s+at|ship\s+to|deliver\s+to|send\s+to|address\s*:|"
    r"wohnhaft|wohnt\s+in|anschrift|privatanschrift|domicili[ée]e?|demeurant|adresse\s*:|domicilio|residente\s+in"
)

_DOB_GATE = wordset(
    "born",
    "birth",
    "dob",
    "birthday",
    "birthdate",
    "geburtsdatum",
    "geboren",
    "geb",
    "naissance",
    "né",
    "née",
    "ne",
    "nee",
    "nacimiento",
    "nacido",
    "nacida",
    "nato",
    "nata",
    "nascita",
    "b",
)
_DOB_LABEL = re.compile(
    r"(?:date\s+of\s+birth|birth\s*date|birthdate|birthday|\bdob\b|\bd\.o\.b\.?|\bborn(?:\s+on)?|\bb\.|geburtsdatum|"
    r"geboren(?:\s+am)?|\bgeb\.|date\s+de\s+naissance|\bn[ée]e?\s+le|fecha\s+de\s+nacimiento|nacid[oa]\s+el|"
    r"data\s+di\s+nascita|\bnat[oa]\s+il)\s*[:\-]?\s*"
)
_MONTHS = (
    r"(?:jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|f[ée]vr?(?:ier)?|m[äa]r(?:ch|z|s)?|apr(?:il)?|avr(?:il)?|"
    r"may|mai|jun(?:e|i)?|juin|jul(?:y|i)?|juil(?:let)?|aug(?:ust)?|ao[ûu]t|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|d[ée]c(?:embre)?|enero|febrero|"
    r"marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|"
    r"maggio|giugno|luglio|settembre|ottobre|dicembre|janvier|f[ée]vrier|avril|juillet|septembre|octobre|"
    r"novembre)\.?"
)
_DATE = re.compile(
    r"[0-9]{1,4}[./\-][0-9]{1,2}[./\-][0-9]{2,4}|"
    rf"[0-9]{{1,2}}(?:st|nd|rd|th|er|\.)?\s+(?:of\s+|de\s+|di\s+)?{_MONTHS},?\s+(?:de\s+)?[0-9]{{4}}|"
    rf"{_MONTHS}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+[0-9]{{4}}|"
    r"[0-9]{8}"
)


class PersonalDetector:
    """Postal addresses (candidates unless labelled as a home) and labelled dates of birth."""

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        for gate, substrings, pattern in _STREET_PATTERNS:
            if doc.has(gate) or any(sub in doc.lower for sub in substrings):
                found.extend(self._address(doc, m.start(), m.end()) for m in pattern.finditer(doc.text))
        if not found:
            found.extend(self._postcode_lines(doc))
        if doc.has(_DOB_GATE):
            for label in _DOB_LABEL.finditer(doc.lower):
                date = _DATE.match(doc.lower, label.end())
                if date:
                    found.append(Finding("date_of_birth", label.start(), date.end()))
        return found

    @staticmethod
    def _address(doc: Doc, start: int, end: int) -> Finding:
        labelled = _HOME_LABEL.search(before(doc, start, 60)) is not None
        return Finding("postal_address", start, end, needs_person=not labelled)

    def _postcode_lines(self, doc: Doc) -> list[Finding]:
        """City/postcode lines without a street line: only when runs or capitals make them possible."""
        if not any(run.digits in (5, 9) for run in doc.runs) and not doc.has(_UK_POSTCODE_GATE):
            return []
        out = []
        for pattern in _POSTCODE_LINES:
            out.extend(self._address(doc, m.start(), m.end()) for m in pattern.finditer(doc.text))
        return out


# Words that accompany UK addresses; the UK postcode pattern has no digits run to gate on.
_UK_POSTCODE_GATE = wordset(
    "london",
    "uk",
    "united",
    "kingdom",
    "england",
    "scotland",
    "wales",
    "postcode",
    "road",
    "street",
    "lane",
    "manchester",
    "birmingham",
    "leeds",
    "glasgow",
    "edinburgh",
    "bristol",
)
