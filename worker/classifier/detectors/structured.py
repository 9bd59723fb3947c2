"""Personal data in structured records, found by the record's standard shape rather than by words around a
value (issue 18, set D): the formats are international standards or table shapes, not any one template.

- IATA passenger data (`SSR DOCS .../P/GBR/<passport>/GBR/<birth date>/<sex>/<expiry>/<surname>/<given>`),
  the APIS/PNR line a passport is carried in -> `passport_number`.
- HL7 v2 patient identification (`PID|...|SURNAME^GIVEN||<birth date>`), the segment every admission,
  lab and billing message carries -> `medical_record_number`.
- A card number spoken or typed digit by digit ("5 5 1 3 3 7 ..."): issuer prefix, length and Luhn.
- A column of identifiers that all pass the same checksum of a personal format of python-stdnum's
  catalogue (an SQL dump, a CSV export without a header word): three or more values whose joint chance of
  passing at random is below 1 in 10,000 (estimated once per format and length), in rows that also carry a
  capitalised name.
- HGVS variant notation ("BRCA2 c.5946delT") about a named patient -> `health_condition` (genetic data);
  the Emirates ID (784-YYYY-NNNNNNN-C, Luhn) -> `national_id`.
- A table whose header names a pay column (salary, Gehalt, salário, jaarsalaris, lön, ...) or a birth-date
  column, with capitalised names in its rows -> `pay_information` / `date_of_birth`.
"""

from __future__ import annotations

import random
import re
from functools import cache

from worker.classifier.detectors.base import Doc, Finding, luhn_ok
from worker.classifier.detectors.catalogue import personal_formats
from worker.classifier.detectors.contact import COMPANY_HEADER, LEGAL_FORM_LINE
from worker.classifier.detectors.statements_world import WorldStatementDetector

_about_a_person = WorldStatementDetector.about_a_person

_SSR_DOCS = re.compile(
    r"DOCS\b[^\n/]{0,30}/[PIAC][A-Z]?/[A-Z]{3}/[A-Z0-9]{5,15}/[A-Z]{3}/[0-9]{2}[A-Z]{3}[0-9]{2}/[MFUX]I?/"
)
_HL7_PID = re.compile(
    r"PID\|[^|\n]*\|[^|\n]*\|[^|\n]*\|[^|\n]*\|[^|\n^]+\^[^|\n]+\|[^|\n]*\|(?:18|19|20)[0-9]{6}"
)
# HGVS sequence-variant notation (c./g./p. with a position and a change: "c.68_69delAG", "c.5946delT",
# "p.Arg1443Ter"): a person's genetic test result wherever it names a patient.
_HGVS = re.compile(
    r"[cgmnr]\.(?:[0-9]+[0-9_+\-*]*(?:del[ACGT]*|dup[ACGT]*|ins[ACGT]+|[ACGT]>[ACGT])|"
    r"[0-9]+[+\-][0-9]+[ACGT]>[ACGT])(?![\w])|p\.\(?[A-Z][a-z]{2}[0-9]+(?:[A-Z][a-z]{2}|Ter|\*|fs)"
)
# Emirates ID: 784 (the UAE's ISO code), birth year, serial, Luhn check digit.
_EMIRATES_ID = re.compile(r"(?<![0-9\-])784-(?:19|20)[0-9]{2}-[0-9]{7}-[0-9](?![0-9\-])")
_SPOKEN_DIGITS = re.compile(r"(?<![0-9])[0-9](?:[ .\-][0-9]){12,18}(?![0-9])")
_CARD_LENGTHS = (("4", (13, 16, 19)), ("34", (15,)), ("37", (15,)), ("5", (16,)), ("2", (16,)), ("6", (16, 19)), ("35", (16,)))  # fmt: skip
# A cell value: digits with the separators ids are written with, not part of a word, hash or decimal.
_CELL = re.compile(r"(?<![\w.\-/:+])[0-9](?:[0-9]|[.\-/ ](?=[0-9])){7,15}(?![\w\-/:]|\.[0-9])")
_CAPITALISED_PAIR = re.compile(
    r"(?<!\w)([^\W\d_][^\W\d_'’\-]+)[ \t]+(?:[^\W\d_]{1,3}[ \t]+)?([^\W\d_][^\W\d_'’\-]+)"
)
_MAX_CHANCE = 1e-4
_PAY_HEADER = re.compile(
    r"salary|salaries|\bwages?\b|\bpay\b|compensation|\bbonus|gehalt|\blohn|vergütung|salaire|rémunération|"
    r"prime\b|sueldo|salario|salário|salari|prémio|stipendio|retribuzione|salaris|\bloon|premie|wynagrodzeni|"
    r"pensja|\bplat\b|mzda|lön|\bløn|lønn|palkka|fizetés|\bbér\b|salariu|μισθ|зарплат|заробітн|оклад|maaş|"
    r"\bgaji|lương|راتب|वेतन|給与|给与|工资|薪|급여|연봉"
)
_BIRTH_HEADER = re.compile(
    r"birth|\bdob\b|geburt|naissance|nacimiento|nascita|nascimento|geboorte|födelse|fødsel|syntym|urodzeni|"
    r"narozen|születés|nașter|γέννησ|народжен|рождени|doğum|lahir|sinh|ميلاد|जन्म|生年月日|出生|생년월일"
)
_DATE = re.compile(
    r"(?<![0-9])(?:(?:18|19|20)[0-9]{2}[-./](?:0?[1-9]|1[0-2])[-./][0-9]{1,2}|[0-9]{1,2}[-./][0-9]{1,2}[-./](?:18|19|20)[0-9]{2})(?![0-9])"
)
_AMOUNT = re.compile(r"(?<![\w.])[0-9][0-9 .,']{2,}[0-9](?![\w])")
_SPLIT = re.compile(r"\t|\s*[,;|]\s*|\s{2,}")
_ROWS = 12


class StructuredDetector:
    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        if "DOCS" in text:
            found += [Finding("passport_number", m.start(), m.end()) for m in _SSR_DOCS.finditer(text)]
        if "PID|" in text:
            found += [Finding("medical_record_number", m.start(), m.end()) for m in _HL7_PID.finditer(text)]
        for run in doc.runs:
            if 13 <= run.digits <= 19 and run.digits * 2 - 1 <= len(run.text) <= run.digits * 2 + 1:
                for m in _SPOKEN_DIGITS.finditer(text, run.start, run.end):
                    if _card(m.group()[::2]):
                        found.append(Finding("credit_card", m.start(), m.end()))
        found += _hgvs(doc)
        for run in doc.runs:
            if run.digits == 15 and run.text.startswith("784"):
                found += [
                    Finding("national_id", m.start(), m.end())
                    for m in _EMIRATES_ID.finditer(text, max(0, run.start - 1), run.end + 1)
                    if luhn_ok(m.group().replace("-", ""))
                ]
        found += _checksum_column(doc)
        if "\n" in text:
            found += _named_table(doc)
        return found


def _hgvs(doc: Doc) -> list[Finding]:
    """HGVS variants, looked for only where "c." (or g./m./n./r./p.) is followed by a digit or "(": a find
    per prefix, no scan of the whole text by a pattern."""
    text, found = doc.text, []
    for prefix in ("c.", "g.", "m.", "n.", "r.", "p."):
        at = text.find(prefix)
        while at != -1:
            following = text[at + 2 : at + 3]
            if (following.isdigit() or following in "(ACDEFGHIKLMNPQRSTVWY") and following:
                m = _HGVS.match(text, at)
                if m and not (at and (text[at - 1].isalnum() or text[at - 1] == ".")):
                    about = _about_a_person(doc, m.start(), m.end())
                    found.append(Finding("health_condition", m.start(), m.end(), needs_person=not about))
            at = text.find(prefix, at + 2)
    return found


def _card(digits: str) -> bool:
    if not luhn_ok(digits):
        return False
    return any(digits.startswith(prefix) and len(digits) in lengths for prefix, lengths in _CARD_LENGTHS)


@cache
def _chance(module: str, length: int) -> float:
    """How often a random string of `length` digits passes `module`'s validator (at least 1 in 1,000)."""
    rng = random.Random(f"{module}:{length}")
    is_valid = personal_formats()[module][1]
    passed = 0
    for _ in range(1000):
        try:
            passed += bool(is_valid("".join(rng.choice("0123456789") for _ in range(length))))
        except Exception:  # noqa: BLE001 - a third-party validator must never take the document down
            continue
    return max(passed / 1000, 0.001)


def _valid(is_valid: object, value: str) -> bool:
    try:
        return bool(is_valid(value))  # type: ignore[operator]
    except Exception:  # noqa: BLE001
        return False


def _is_cell(text: str, start: int, end: int) -> bool:
    """The value fills a cell: quotes, a cell separator, a bracket or the line's end on both sides (an SQL
    row, a CSV/TSV line), not a number inside a sentence."""
    lo = start
    while lo and text[lo - 1] in " ":
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] == " ":
        hi += 1
    return (not lo or text[lo - 1] in "'\"\t,;|(\n") and (hi == len(text) or text[hi] in "'\"\t,;|)\n\r")


def _checksum_column(doc: Doc) -> list[Finding]:
    """Three or more values, one per line, of one length that all pass one personal format's checksum."""
    if sum(1 for run in doc.runs if 8 <= run.digits <= 13) < 3:
        return []
    groups: dict[int, list[re.Match[str]]] = {}
    lines_seen: dict[int, set[int]] = {}
    text = doc.text
    for run in doc.runs:
        if not 8 <= run.digits <= 13:
            continue
        for m in _CELL.finditer(text, max(0, run.start - 1), min(len(text), run.end + 1)):
            value = m.group()
            if not _is_cell(text, m.start(), m.end()) or value.count(" ") > 3 or _DATE.fullmatch(value):
                continue
            digits = sum(c.isdigit() for c in value)
            line = text.rfind("\n", 0, m.start())
            if line in lines_seen.setdefault(digits, set()):
                continue
            lines_seen[digits].add(line)
            groups.setdefault(digits, []).append(m)
    found: list[Finding] = []
    for digits, matches in groups.items():
        if len(matches) < 3 or not _rows_name_people(text, matches):
            continue
        values = [re.sub(r"[ .\-/]", "", m.group()) for m in matches]
        for module, (kind, is_valid) in personal_formats().items():
            if not _valid(is_valid, values[0]):
                continue
            passed = [m for m, v in zip(matches, values, strict=True) if _valid(is_valid, v)]
            if (
                len(passed) >= 3
                and len(passed) >= 0.8 * len(matches)
                and _chance(module, digits) ** len(passed) <= _MAX_CHANCE
            ):
                found += [Finding(kind, m.start(), m.end()) for m in passed]
                break
    return found


def _line_of(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start : end if end != -1 else len(text)]


def _has_name(line: str) -> bool:
    """A capitalised name pair on the line, and no company's legal form (a supplier list names firms)."""
    if LEGAL_FORM_LINE.search(line.lower()):
        return False
    return any(
        m.group(1)[0].isupper() and m.group(2)[0].isupper() and not m.group(1).isupper()
        for m in _CAPITALISED_PAIR.finditer(line)
    )


def _rows_name_people(text: str, matches: list[re.Match[str]]) -> bool:
    first = text.rfind("\n", 0, matches[0].start())
    if first > 0 and COMPANY_HEADER.search(_line_of(text, first - 1).lower()):
        return False
    return sum(_has_name(_line_of(text, m.start())) for m in matches) >= 2


def _header_like(line: str, following: str) -> bool:
    """A short line with cell separators (tabs, commas, semicolons, pipes) that the next line repeats, or
    columns aligned by runs of spaces in both: the shape of a table's header, checked before any word."""
    if len(line) > 200:
        return False
    for separator in "\t,;|":
        count = line.count(separator)
        if count >= 2 and abs(following.count(separator) - count) <= 1:
            return True
    return "  " in line.strip() and "  " in following.strip()


def _named_table(doc: Doc) -> list[Finding]:
    """A header line naming a pay or birth-date column, then rows that each name a person. Only header-like
    lines are searched for the column words (a whole-text search costs milliseconds per document)."""
    lines = doc.text.split("\n")
    found: list[Finding] = []
    done: set[str] = set()
    offset = 0
    in_table = False
    for index, line in enumerate(lines[:-2]):
        # Only a table's first line can be its header: its rows are header-shaped too.
        header, in_table = not in_table, _header_like(line, lines[index + 1])
        if header and in_table:
            lowered = line.lower()
            for pattern, kind, value in _TABLES:
                if kind in done or not pattern.search(lowered) or len(_SPLIT.split(line.strip())) < 3:
                    continue
                rows = lines[index + 1 : index + 1 + _ROWS]
                if sum(1 for row in rows if _has_name(row) and value.search(row)) >= 2:
                    found.append(Finding(kind, offset, offset + len(line)))
                    done.add(kind)
        offset += len(line) + 1
    return found


_TABLES = ((_PAY_HEADER, "pay_information", _AMOUNT), (_BIRTH_HEADER, "date_of_birth", _DATE))


# An issuer's block: the lines before the first blank line of a receipt, invoice or letterhead whose first
# line names a company by its legal form and which carries a business-registration label (VAT, NIF,
# USt-IdNr, Org.nr, CVR, KvK, ...). Its phone and tax numbers are the company's.
_REGISTRATION = re.compile(
    r"(?<![^\W\d_])(?:vat|ust-?id(?:nr)?|ust\.?-?idnr|uid|nif|nipc|cif|cui|p\.?\s?iva|partita iva|org\.?\s?nr|"
    r"organisasjonsnummer|organisationsnummer|cvr|kvk|btw|siret|siren|tva|nip|ičo|dič|adószám|abn|gst|ein|"
    r"st\.?-?nr|steuernummer|y-tunnus|reg\.?\s?nr)(?![^\W\d_])"
)
_VCARD = re.compile(r"BEGIN:VCARD.*?END:VCARD", re.DOTALL)
_VCARD_FIELD = re.compile(r"^(FN|ORG)[;:][^\n]*?:?([^\n:]*)$", re.MULTILINE)


def issuer_spans(doc: Doc) -> list[tuple[int, int]]:
    """Where phone and tax numbers are an organisation's: an issuer's block (above), and vCards whose
    name is the organisation's or one of its departments ("FN:Press Office – Acme" with "ORG:Acme")."""
    text = doc.text
    spans: list[tuple[int, int]] = []
    block_end = text.find("\n\n", 0, 400)
    block = text[: block_end if block_end != -1 else min(len(text), 400)]
    first = block.split("\n", 1)[0].lower()
    if LEGAL_FORM_LINE.search(first) and _REGISTRATION.search(block.lower()):
        spans.append((0, len(block)))
    if "BEGIN:VCARD" in text:
        for card in _VCARD.finditer(text):
            fields = {name: value.strip() for name, value in _VCARD_FIELD.findall(card.group())}
            org, name = fields.get("ORG", ""), fields.get("FN", "")
            if org and name and (org in name or LEGAL_FORM_LINE.search(name.lower())):
                spans.append(card.span())
    return spans


# GS1 product codes (EAN-13, GTIN, UPC) labelled as such or in a column headed so: check digit valid,
# they are products, not cards or tax ids (issue 18: product lists, logistics manifests).
_PRODUCT_LABEL = re.compile(
    r"(?<![^\W\d_])(?:ean(?:-?1[34])?|gtin(?:-?1[234])?|upc|barcode|isbn)(?![^\W\d_])"
)
_PRODUCT_VALUE = re.compile(r"[\s:#=\-]*([0-9]{8,14})(?![0-9])")


def _gs1_ok(digits: str) -> bool:
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def product_code_spans(doc: Doc) -> list[tuple[int, int]]:
    lower = doc.lower
    if not any(word in lower for word in ("ean", "gtin", "upc", "barcode", "isbn")):
        return []
    text, spans = doc.text, []
    for label in _PRODUCT_LABEL.finditer(lower):
        m = _PRODUCT_VALUE.match(text, label.end())
        if m and _gs1_ok(m.group(1)):
            spans.append(m.span(1))
        line_start = lower.rfind("\n", 0, label.start()) + 1
        line_end = lower.find("\n", label.end())
        header = lower[line_start : line_end if line_end != -1 else len(lower)]
        delimiter = next((d for d in ("\t", ",", ";", "|") if header.count(d) >= 2), None)
        if delimiter is None or line_end == -1:
            continue
        column = header[: label.start() - line_start].count(delimiter)
        offset = line_end + 1
        for row in text[line_end + 1 :].split("\n")[:5000]:
            cells = row.split(delimiter)
            if len(cells) > column:
                cell = cells[column].strip().strip('"')
                if 8 <= len(cell) <= 14 and cell.isdigit() and _gs1_ok(cell):
                    at = offset + sum(len(c) + 1 for c in cells[:column]) + cells[column].find(cell)
                    spans.append((at, at + len(cell)))
            offset += len(row) + 1
    return spans
