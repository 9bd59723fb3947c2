"""National and personal identifiers: US SSN/ITIN, UK NINO, passports, driving licences, and national
id numbers of other countries, each confirmed by its check digit where it has one.

Two ways in: numbers with a distinctive shape and a checksum are recognised anywhere, from the
document's numeric runs; numbers that look like any other number (a bare 9 or 11 digits) only count
next to their label ("SSN", "passport no.", "Steuer-ID", ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from worker.classifier.detectors import checksums
from worker.classifier.detectors.base import Doc, Finding, Run, char_after, char_before, wordset

_SSN = re.compile(r"(?<![0-9])([0-9]{3})([ .\-])([0-9]{2})\2([0-9]{4})(?![0-9])")
_SIN = re.compile(r"(?<![0-9])[0-9]{3}([ \-])[0-9]{3}\1[0-9]{3}(?![0-9])")
_AADHAAR = re.compile(r"(?<![0-9])[2-9][0-9]{3}([ \-:])[0-9]{4}\1[0-9]{4}(?![0-9])")
_RRN = re.compile(r"(?<![0-9])[0-9]{6}-[1-4][0-9]{6}(?![0-9])")
_SE_PNR = re.compile(
    r"(?<![0-9])(?:19|20)?[0-9]{6}[\-+][0-9]{4}(?![0-9])|(?<![0-9])(?:18|19|20)[0-9]{10}(?![0-9])"
)
_NIR = re.compile(r"(?<![0-9])[12378](?: ?[0-9]{2}){2} ?[0-9]{2} ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}(?![0-9])")
_NINO = re.compile(
    r"(?i:(?!bg|gb|kn|nk|nt|tn|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[a-d])"
)
_HETU = re.compile(r"[0-9]{6}[+\-A-FU-Y][0-9]{3}[0-9A-Y]")
_LETTER_IDS = re.compile(r"(?i:[xyz]-?[0-9]{7}-?[a-z]|[0-9]{7,8}-?[a-z]|[stfgm][0-9]{7}[a-z])")
_UK_DRIVING = re.compile(r"[A-Z9]{5}[0-9]{6}[A-Z9]{2}[0-9][A-Z]{2}")


def _compact(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


class _Labelled:
    """An identifier recognised by its label: a label pattern, then a value within a few characters."""

    def __init__(
        self,
        kind: str,
        gate: frozenset[bytes],
        label: str,
        value: str,
        valid: Callable[[str], bool] | None = None,
        window: int = 40,
    ) -> None:
        self.kind, self.gate, self.window, self.valid = kind, gate, window, valid
        self.label = re.compile(label)
        self.value = re.compile(value)

    def find(self, doc: Doc) -> list[Finding]:
        out = []
        for label in self.label.finditer(doc.lower):
            end = label.end()
            for match in self.value.finditer(doc.text, end, min(len(doc.text), end + self.window)):
                value = _compact(match.group())
                if sum(c.isdigit() for c in value) < 4:
                    continue
                if (self.valid is None or self.valid(value)) and _standalone(
                    doc.text, match.start(), match.end()
                ):
                    out.append(Finding(self.kind, match.start(), match.end()))
                    break
        return out


_ALNUM_ID = r"[A-Za-z0-9][A-Za-z0-9\-]{4,18}[A-Za-z0-9]"
_DIGITS_ID = r"[0-9][0-9 \-.]{6,16}[0-9]"
_LABELLED: tuple[_Labelled, ...] = (
    _Labelled(
        "us_ssn",
        wordset("ssn", "social", "ss", "ssa"),
        r"\b(?:ssn|social security(?: number| no\.?| #)?|ss#|ss no\.?|soc\.? sec\.?(?: no\.?)?)\s*[:#]?",
        r"[0-9]{3}[ .\-]?[0-9]{2}[ .\-]?[0-9]{4}(?![0-9])",
        lambda v: len(v) == 9 and checksums.us_ssn(v[:3], v[3:5], v[5:]),
    ),
    _Labelled(
        "us_itin",
        wordset("itin", "taxpayer"),
        r"\b(?:itin|individual taxpayer identification number)\s*[:#]?",
        r"9[0-9]{2}[ .\-]?[0-9]{2}[ .\-]?[0-9]{4}(?![0-9])",
        lambda v: len(v) == 9 and checksums.us_itin(v[:3], v[3:5]),
    ),
    _Labelled(
        "passport_number",
        wordset(
            "passport", "passports", "reisepass", "passeport", "pasaporte", "passaporto", "travel", "pass"
        ),
        r"(?:passport|reisepass|passeport|pasaporte|passaporto|travel document|pass-nr\.?|passnummer)"
        r"(?:\s+(?:number|no\.?|nr\.?|num[ée]ro|n[º°o]\.?|#))?\s*(?:is\s*)?[:#]?",
        r"(?<![A-Za-z0-9])[A-Za-z]{0,2}[0-9][A-Za-z0-9]{4,9}(?![A-Za-z0-9])",
        None,
    ),
    _Labelled(
        "driver_license",
        wordset(
            "driver",
            "drivers",
            "driving",
            "dl",
            "führerschein",
            "permis",
            "licencia",
            "patente",
            "licence",
            "license",
        ),
        r"(?:driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|licen[cs]e\s+(?:number|no\.?|#)|\bdl\s*(?:#|no\.?|number)|"
        r"führerschein(?:nummer)?|permis\s+de\s+conduire|licencia\s+de\s+conducir|patente\s+di\s+guida)"
        r"(?:\s+(?:number|no\.?|nr\.?|#))?\s*(?:is\s*)?[:#]?",
        _ALNUM_ID,
        None,
    ),
    _Labelled(
        "national_id",
        wordset(
            "id",
            "identity",
            "national",
            "personalausweis",
            "ausweisnummer",
            "identité",
            "identidad",
            "dni",
            "nie",
            "bsn",
            "burgerservicenummer",
            "sofinummer",
            "pesel",
            "cpr",
            "fødselsnummer",
            "personnummer",
            "hetu",
            "henkilötunnus",
            "kimlik",
            "tckn",
            "nric",
            "fin",
            "aadhaar",
            "uid",
            "sin",
            "nas",
            "insurance",
            "rrn",
            "registration",
        ),
        r"(?:national\s+id(?:entity)?(?:\s+(?:card|number|no\.?))?|identity\s+(?:card|number|no\.?)|\bid\s+(?:card|number|no\.?)|"
        r"personalausweis(?:nummer)?|ausweisnummer|carte\s+d'identit[ée]|documento\s+de\s+identidad|"
        r"\bdni\b|\bnie\b|\bbsn\b|burgerservicenummer|sofinummer|\bpesel\b|\bcpr(?:-nummer)?\b|"
        r"f[øo]dselsnummer|personnummer|\bhetu\b|henkil[öo]tunnus|kimlik\s+(?:no|numarası)|\btckn\b|\bnric\b|"
        r"\baadhaar(?:\s+(?:number|no\.?|card))?|\buid\b|\bsin\b|social\s+insurance\s+(?:number|no\.?)|\bnas\b|"
        r"resident\s+registration\s+number|\brrn\b)(?:\s+(?:number|no\.?|nr\.?|#))?\s*(?:is\s*)?[:#]?",
        _ALNUM_ID,
        None,
    ),
    _Labelled(
        "tax_id",
        wordset(
            "steuer",
            "steuerid",
            "idnr",
            "steueridentifikationsnummer",
            "tax",
            "tfn",
            "utr",
            "pan",
            "codice",
            "fiscale",
            "cf",
            "nif",
            "tin",
        ),
        r"(?:steuer-?id(?:entifikationsnummer)?|steueridentifikationsnummer|\bidnr\.?|tax\s+(?:id|file\s+number|"
        r"identification\s+number|reference)|\btfn\b|\butr\b|\bpan(?:\s+(?:number|no\.?|card))?\b|"
        r"codice\s+fiscale|\bc\.?f\.|fiscal\s+code|\bnif\b|\btin\b)(?:\s+(?:number|no\.?|#))?\s*(?:is\s*)?[:#]?",
        _ALNUM_ID,
        None,
    ),
)


class IdentifierDetector:
    """National ids: distinctive shapes anywhere (with their check digits), the rest next to a label."""

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        text = doc.text
        for run in doc.runs:
            found.extend(self._from_run(text, run))
        for family in _LABELLED:
            if doc.has(family.gate):
                found.extend(family.find(doc))
        return found

    def _from_run(self, text: str, run: Run) -> list[Finding]:
        out: list[Finding] = []
        digits, body, offset = run.digits, run.text, run.start

        def add(kind: str, start: int, end: int) -> None:
            if _standalone(text, start, end):
                out.append(Finding(kind, start, end))

        if digits >= 9:
            for m in _SSN.finditer(body):
                area, group, serial = m.group(1), m.group(3), m.group(4)
                if checksums.us_ssn(area, group, serial):
                    add("us_ssn", offset + m.start(), offset + m.end())
                elif checksums.us_itin(area, group):
                    add("us_itin", offset + m.start(), offset + m.end())
            for m in _SIN.finditer(body):
                if checksums.ca_sin(_compact(m.group())):
                    add("national_id", offset + m.start(), offset + m.end())
        if digits == 11 and body.isdigit() and checksums.tr_tckn(body):
            add("national_id", run.start, run.end)
        if digits >= 10:
            for pattern, valid in ((_AADHAAR, checksums.in_aadhaar), (_RRN, checksums.kr_rrn)):
                for m in pattern.finditer(body):
                    if valid(_compact(m.group())):
                        add("national_id", offset + m.start(), offset + m.end())
            for m in _SE_PNR.finditer(body):
                if _se_personnummer(m.group()):
                    add("national_id", offset + m.start(), offset + m.end())
        if 13 <= digits <= 15:
            for m in _NIR.finditer(body):
                if checksums.fr_nir(_compact(m.group())):
                    add("national_id", offset + m.start(), offset + m.end())
        if digits <= 9:
            out.extend(self._letter_ids(text, run))
        return out

    @staticmethod
    def _letter_ids(text: str, run: Run) -> list[Finding]:
        """Ids mixing letters and digits around a short run: NINO, HETU, DNI/NIE, NRIC, UK licence."""
        out = []
        lo, hi = max(0, run.start - 5), min(len(text), run.end + 7)
        window = text[lo:hi]
        if run.digits == 6:
            for m in _NINO.finditer(window):
                if _standalone(text, lo + m.start(), lo + m.end()):
                    out.append(Finding("uk_nino", lo + m.start(), lo + m.end()))
            for m in _UK_DRIVING.finditer(window):
                if _standalone(text, lo + m.start(), lo + m.end()):
                    out.append(Finding("driver_license", lo + m.start(), lo + m.end()))
        if run.digits in (6, 9):
            for m in _HETU.finditer(text, max(0, run.start - 7), hi):
                if checksums.fi_hetu(m.group()) and _standalone(text, m.start(), m.end()):
                    out.append(Finding("national_id", m.start(), m.end()))
        follower = char_after(text, run.end)
        if run.digits in (7, 8) and (follower.isalpha() or follower == "-"):
            for m in _LETTER_IDS.finditer(window):
                value = _compact(m.group())
                valid = checksums.es_nie(value) or checksums.es_dni(value) or checksums.sg_nric(value)
                if valid and _standalone(text, lo + m.start(), lo + m.end()):
                    out.append(Finding("national_id", lo + m.start(), lo + m.end()))
        return out


def _se_personnummer(value: str) -> bool:
    from worker.classifier.detectors.base import luhn_ok

    compact = re.sub(r"[\-+]", "", value)
    ten = compact[-10:]
    month, day = int(ten[2:4]), int(ten[4:6])
    return 1 <= month <= 12 and 1 <= day <= 91 and luhn_ok(ten)


def _standalone(text: str, start: int, end: int) -> bool:
    return not char_before(text, start).isalnum() and not char_after(text, end).isalnum()
