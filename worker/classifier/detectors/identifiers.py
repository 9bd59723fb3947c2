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
from worker.classifier.detectors.base import Doc, Finding, Run, char_after, char_before

# Guards: a match must not be part of a longer grouped number ("5132-6671-0878-2308" holds no Aadhaar).
_B = r"(?<![0-9])(?<![0-9][ .\-:/])"
_A = r"(?![0-9]|[ .\-:/][0-9])"
_SSN = re.compile(_B + r"([0-9]{3})([ .\-])([0-9]{2})\2([0-9]{4})" + _A)
_AADHAAR = re.compile(_B + r"[2-9][0-9]{3}([ \-:])[0-9]{4}\1[0-9]{4}" + _A)
_RRN = re.compile(_B + r"[0-9]{6}-[1-4][0-9]{6}" + _A)
_SE_PNR = re.compile(_B + r"(?:(?:19|20)?[0-9]{6}[\-+][0-9]{4}|(?:18|19|20)[0-9]{10})" + _A)
_NIR = re.compile(_B + r"[12](?: ?[0-9]{2}){2} ?[0-9]{2} ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}" + _A)
_NINO = re.compile(
    r"(?i:(?!bg|gb|kn|nk|nt|tn|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[a-d])"
)
_HETU = re.compile(r"[0-9]{6}[+\-A-FU-Y][0-9]{3}[0-9A-Y]")
_LETTER_IDS = re.compile(r"(?i:[xyz]-?[0-9]{7}-?[a-z]|[0-9]{7,8}-?[a-z]|[stfgm][0-9]{7}[a-z])")
# UK driving licence: surname (padded with 9s), decade, month (+50 for women), day, year, initials, check.
_UK_DRIVING = re.compile(r"(?i:[A-Z9]{5}[0-9](?:[0156][0-9])(?:[0-3][0-9])[0-9][A-Z9]{2}[0-9][A-Z]{2})")


def _uk_driving_ok(value: str) -> bool:
    month, day = int(value[6:8]) % 50, int(value[8:10])
    return 1 <= month <= 12 and 1 <= day <= 31


# Every id of `_letter_ids` has a letter (or a sign) within three characters before or right after.
_LETTER_NEAR = re.compile(r"[A-Za-z+\-]")
# A number labelled as something else is not an id even if its digits happen to check out.
_NOT_ID_LABELS = re.compile(
    r"(?i:order|invoice|tracking|part|sku|serial|s/n|isbn|ean|gtin|upc|imei|barcode|batch|lot|ticket|"
    r"shipment|po|ref|reference|build|version|model)\.?\s*(?:no\.?|number|nr\.?|#|id)?\s*[:#]?\s*$"
)


def _compact(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


_SUFFIX = r"(?:\s+(?:number|no\.?|nr\.?|num[ée]ro|n[º°o]\.?|#))?\s*(?:is\s*)?[:#]?"


class _Label:
    """An identifier recognised by its label: a literal-led label, then a value within a few characters."""

    def __init__(
        self,
        kind: str,
        gate: str,
        label: str,
        value: re.Pattern[str],
        valid: Callable[[str], bool] | None = None,
        min_digits: int = 4,
    ) -> None:
        self.kind, self.gate, self.valid, self.min_digits, self.value = (
            kind,
            gate.encode(),
            valid,
            min_digits,
            value,
        )
        self.label = re.compile(label + (r"\b" if label[-1].isalnum() else "") + _SUFFIX)

    def find(self, doc: Doc) -> list[Finding]:
        out, lower, text = [], doc.lower, doc.text
        for label in self.label.finditer(lower):
            if label.start() and lower[label.start() - 1].isalpha():
                continue
            if len(self.gate) <= 3 and not _short_label_ok(text, label.start(), label.end(), len(self.gate)):
                continue  # "sin embargo", "tin roof", "pan de muerto": a short word, not a label
            end = label.end()
            for match in self.value.finditer(text, end, min(len(text), end + 40)):
                value = _compact(match.group())
                if sum(c.isdigit() for c in value) < self.min_digits:
                    continue
                if (self.valid is None or self.valid(value)) and _standalone(
                    text, match.start(), match.end()
                ):
                    out.append(Finding(self.kind, match.start(), match.end()))
                    break
        return out


def _short_label_ok(text: str, start: int, end: int, word_length: int) -> bool:
    """A two- or three-letter label counts in capitals ("SIN"), with a suffix ("sin number"), or
    followed by ":", "#", "=" or a table-cell separator."""
    if text[start : start + word_length].isupper() or end - start > word_length + 2:
        return True
    following = text[end : end + 3].lstrip(" ")
    return text[start + word_length : end].strip(" ") in (":", "#", ":#", "=") or following[:1] in (
        ":", "#", "=", ",", ";", "\t", "|", "\n", "",
    )  # fmt: skip


# An id value: letters, digits and dashes, with spaces or dots only between digit groups ("130 692 544").
_ALNUM_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-/]|[ .](?=[0-9])){4,22}[A-Za-z0-9]")
_SSN_VALUE = re.compile(r"[0-9]{3}[ .\-]?[0-9]{2}[ .\-]?[0-9]{4}(?![0-9])")
_PASSPORT_VALUE = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9]{6,10}(?![A-Za-z0-9])")
_DE_PASSPORT = re.compile(r"[CFGHJK][CFGHJKLMNPRTVWXYZ0-9]{8}")


def _passport_ok(value: str) -> bool:
    """Any 6-10 character value with a digit after a passport label, or the German all-letters format."""
    return any(c.isdigit() for c in value) or _DE_PASSPORT.fullmatch(value) is not None


def _ssn_ok(value: str) -> bool:
    return len(value) == 9 and checksums.us_ssn(value[:3], value[3:5], value[5:])


def _itin_ok(value: str) -> bool:
    return len(value) == 9 and checksums.us_itin(value[:3], value[3:5])


def _labels(
    kind: str, value: re.Pattern[str], entries: tuple[tuple[str, str], ...], **kwargs: object
) -> list[_Label]:
    return [_Label(kind, gate, label, value, **kwargs) for gate, label in entries]  # type: ignore[arg-type]


_LABELLED: tuple[_Label, ...] = (
    *_labels(
        "us_ssn",
        _SSN_VALUE,
        (
            ("ssn", "ssn"),
            ("social", r"social\s+security"),
            ("ss", r"ss\s*(?:#|no\.?)"),
            ("soc", r"soc\.?\s*sec\.?"),
        ),
        valid=_ssn_ok,
    ),
    *_labels(
        "us_itin",
        _SSN_VALUE,
        (
            ("itin", "itin"),
            ("taxpayer", r"individual\s+taxpayer\s+identification\s+number"),
        ),
        valid=_itin_ok,
    ),
    *_labels(
        "passport_number",
        _PASSPORT_VALUE,
        (
            ("passport", "passport"),
            ("reisepass", "reisepass"),
            ("passeport", "passeport"),
            ("pasaporte", "pasaporte"),
            ("passaporto", "passaporto"),
            ("travel", r"travel\s+document"),
            ("pass", r"pass-nr\.?"),
            ("passnummer", "passnummer"),
        ),
        valid=_passport_ok,
        min_digits=0,
    ),
    *_labels(
        "driver_license",
        _ALNUM_ID,
        (
            ("driver", r"driver'?s?\s+licen[cs]e"),
            ("drivers", r"drivers\s+licen[cs]e"),
            ("driving", r"driving\s+licen[cs]e"),
            ("license", r"license\s+(?:number|no\.?|#)"),
            ("licence", r"licence\s+(?:number|no\.?|#)"),
            ("dl", r"dl\s*(?:#|no\.?|number)"),
            ("führerschein", "führerschein(?:nummer)?"),
            ("permis", r"permis\s+de\s+conduire"),
            ("licencia", r"licencia\s+de\s+conducir"),
            ("patente", r"patente\s+di\s+guida"),
        ),
    ),
    *_labels(
        "national_id",
        _ALNUM_ID,
        (
            ("national", r"national\s+id(?:entity)?(?:\s+(?:card|number|no\.?))?"),
            ("identity", r"identity\s+(?:card|number|no\.?)"),
            ("id", r"id\s+(?:card|number|no\.?)"),
            ("personalausweis", "personalausweis(?:nummer)?"),
            ("ausweisnummer", "ausweisnummer"),
            ("carte", r"carte\s+d'identit[ée]"),
            ("documento", r"documento\s+de\s+identidad"),
            ("dni", "dni"),
            ("nie", "nie"),
            ("bsn", "bsn"),
            ("burgerservicenummer", "burgerservicenummer"),
            ("sofinummer", "sofinummer"),
            ("pesel", "pesel"),
            ("cpr", "cpr(?:-nummer)?"),
            ("fødselsnummer", "fødselsnummer"),
            ("personnummer", "personnummer"),
            ("hetu", "hetu"),
            ("henkilötunnus", "henkilötunnus"),
            ("kimlik", r"kimlik\s+(?:no|numarası)"),
            ("tckn", "tckn"),
            ("nric", "nric"),
            ("aadhaar", "aadhaar"),
            ("uid", "uid"),
            ("sin", "sin"),
            ("social", r"social\s+insurance"),
            ("nas", "nas"),
            ("resident", r"resident\s+registration"),
            ("rrn", "rrn"),
        ),
    ),
    *_labels(
        "tax_id",
        _ALNUM_ID,
        (
            ("steuer", r"steuer-?id(?:entifikationsnummer)?"),
            ("steuerid", "steuerid"),
            ("steueridentifikationsnummer", "steueridentifikationsnummer"),
            ("idnr", r"idnr\.?"),
            ("tax", r"tax\s+(?:id|file\s+number|identification\s+number|reference)"),
            ("tfn", "tfn"),
            ("utr", "utr"),
            ("pan", r"pan(?:\s+card)?"),
            ("codice", r"codice\s+fiscale"),
            ("cf", r"c\.?f\."),
            ("f", r"c\.f\."),
            ("fiscal", r"fiscal\s+code"),
            ("nif", "nif"),
            ("tin", "tin"),
        ),
    ),
)

_LABEL_GATES = frozenset(label.gate for label in _LABELLED)


class IdentifierDetector:
    """National ids: distinctive shapes anywhere (with their check digits), the rest next to a label."""

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        text = doc.text
        for run in doc.runs:
            # Short runs matter only with a letter or sign beside them (NINO, DNI, HETU, licences).
            if run.digits >= 9 or _LETTER_NEAR.search(
                text, max(0, run.start - 3), min(len(text), run.end + 1)
            ):
                found.extend(self._from_run(text, run))
        words = doc.words
        present = words & _LABEL_GATES
        for label in _LABELLED if present else ():
            if label.gate in present:
                found.extend(label.find(doc))
        return found

    def _from_run(self, text: str, run: Run) -> list[Finding]:
        out: list[Finding] = []
        digits, body, offset = run.digits, run.text, run.start

        def add(kind: str, start: int, end: int) -> None:
            labelled_other = _NOT_ID_LABELS.search(text, max(0, start - 30), start)
            if _standalone(text, start, end) and not labelled_other:
                out.append(Finding(kind, start, end))

        if digits >= 9:
            for m in _SSN.finditer(body):
                area, group, serial = m.group(1), m.group(3), m.group(4)
                if checksums.us_ssn(area, group, serial):
                    add("us_ssn", offset + m.start(), offset + m.end())
                elif checksums.us_itin(area, group):
                    add("us_itin", offset + m.start(), offset + m.end())
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
        if digits <= 10 and _LETTER_NEAR.search(text, max(0, run.start - 3), min(len(text), run.end + 1)):
            out.extend(self._letter_ids(text, run))
        return out

    @staticmethod
    def _letter_ids(text: str, run: Run) -> list[Finding]:
        """Ids mixing letters and digits around a short run: NINO, HETU, DNI/NIE, NRIC, UK licence."""
        out: list[Finding] = []
        follower = char_after(text, run.end)
        lo, hi = max(0, run.start - 5), min(len(text), run.end + 7)
        window = text[lo:hi]
        if run.digits == 6:
            for m in _NINO.finditer(window):
                if _standalone(text, lo + m.start(), lo + m.end()):
                    out.append(Finding("uk_nino", lo + m.start(), lo + m.end()))
        if 6 <= run.digits <= 10 and char_before(text, run.start).isalpha():
            for m in _UK_DRIVING.finditer(text, max(0, run.start - 5), min(len(text), run.end + 6)):
                if _uk_driving_ok(m.group()) and _standalone(text, m.start(), m.end()):
                    out.append(Finding("driver_license", m.start(), m.end()))
        if run.digits in (6, 9):
            for m in _HETU.finditer(text, max(0, run.start - 7), hi):
                if checksums.fi_hetu(m.group()) and _standalone(text, m.start(), m.end()):
                    out.append(Finding("national_id", m.start(), m.end()))
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
