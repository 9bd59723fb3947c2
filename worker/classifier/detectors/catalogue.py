"""National, tax and bank identifiers of every country python-stdnum knows, found the way Presidio's
recognizers find them: a context word for the format nearby ("CPF", "Steuer-ID", "PESEL", "SIN"), then a
value whose check digits the format's validator accepts (issue 18, item 1).

The catalogue is built once from `stdnum.util.get_number_modules()`: each module that identifies a
person (not a company, a VAT registration, a product or a security) contributes its validator and the
context words of its name (acronyms and the distinctive words of its title, e.g. "CPF (Cadastro de
Pessoas Físicas ...)" gives "cpf", "cadastro", "pessoas", "físicas"). Values are looked for in the
40 characters after a context word on its line, and in the column a CSV/TSV header names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import util as stdnum_util

from worker.classifier.detectors.base import Doc, Finding, word_forms
from worker.classifier.detectors.national_extra import (
    CHAT_MESSAGE,
    EXTRA_CONTEXT,
    EXTRA_FORMATS,
    GENERIC_ID_LABELS,
    QUESTION_TAIL,
)

# Titles naming a person's number; titles naming an organisation's number exclude the module.
_PERSONAL = re.compile(
    r"personal|person\b|persoa|pessoas|individual|citizen|identity|identit|birth|social\s+security|"
    r"social\s+insurance|versicherungsnummer|resident|passport|health|patient|pupil|student|foreigner|"
    r"national\s+identifi|national\s+identity|national\s+number|id\s+number|identification\s+number|tax\s+file|taxpayer|"
    r"tax\s+number|tax\s+code|tax\s+identifi|tax\s+identification|bank\s+account|konto",
    re.IGNORECASE,
)
_ORGANISATION = re.compile(
    r"company|business|enterprise|corporat|organi[sz]ation|vat\b|value\s+added|\bentity\b|commercial|"
    r"economic\s+units|jur[íi]dica|school|establishment|employer|preparer|adoption|association|excise|"
    r"receipt|trade\s+regist|memorandum|postal|postcode|routing",
    re.IGNORECASE,
)
# Modules whose title names a company number but which also validate a person's code (the Latvian VAT
# module checks personal codes, "personas kods", too).
_ALSO_PERSONAL = frozenset({"lv.pvn", "pt.nif", "nz.ird"})
# Modules already handled with stricter shapes elsewhere, or whose formats are too loose to use on
# context alone (any 4-9 digits validate).
# cn.uscc: the Unified Social Credit Code is issued to organisations (companies, associations, sole
# businesses as registered entities), not to people; its title does not say so (issue 18, set C).
_SKIP = frozenset(
    {"cn.uscc", "iban", "us.rtn", "us.ssn", "us.itin", "us.tin", "us.atin", "us.ptin", "us.ein"}
)
# Words of titles that say nothing about which format is meant.
_GENERIC = frozenset(
    ["number", "numbers", "nr", "no", "code", "codes", "identifier", "identifiers", "identification", "identity", "national", "personal", "tax", "taxpayer", "the", "of", "for", "and", "de", "da", "do", "del", "di", "du", "des", "la", "le", "el", "a", "an", "card", "id", "cards", "individual", "individuals", "unique", "single", "uniform", "numero", "número", "numer", "nomor", "nummer", "numri", "registration", "register", "registry", "system", "citizen", "citizens", "foreigner", "foreigners", "resident", "residents", "public", "service", "social", "insurance", "security", "bank", "account", "health", "patient", "persons", "person", "pupil", "student", "birth", "master", "physical", "local", "state", "identifikation", "identifikacijski", "identifikationsnummer", "identificación", "identificação", "identifikimit", "identifier", "nro", "ner", "card's", "also", "called", "sometimes", "short", "or", "en", "in", "credit", "document", "electronic", "federal", "file", "income", "international", "new", "north", "south", "united", "kingdom", "islands", "reference", "permanent", "photo", "virtual", "unified", "commun", "computerised", "numerical", "entities", "corriente", "cod", "código", "numéro", "número", "номер", "број", "αριθμός", "מספר", "algeria", "andorra", "argentine", "china", "columbia", "costa", "rica", "czech", "dutch", "egypt", "faroe", "french", "ghana", "greek", "guatemala", "guinea", "kenya", "liechtenstein", "macedonia", "marino", "montenegro", "morocco", "mozambique", "paraguay", "salvador", "slovak", "swiss", "thailand", "tunisia", "ukraine", "uruguay", "vietnam", "zealand", "nacional", "única", "único", "unique"]
)  # fmt: skip
# Everyday words in some language that happen to name a format ("ice", "rol"): not context.
_AMBIGUOUS = frozenset(
    {
        "ice",
        "rol",
        "in",
        "registro",
        "registre",
        "persona",
        "documento",
        "passport",
        "n.i.f",
        "t.c",
        "v-number",
    }
)
_NATIONALITY = re.compile(r"(?:an|ian|ese|ish|ic|i)$")
_WORD = re.compile(r"[^\W\d_][\w\-.]*[^\W_]|[^\W\d_]{2,}")
_VALUE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-/]|[ .](?=[0-9])){3,22}[A-Za-z0-9]")
_CSV_DELIMITERS = (",", ";", "\t", "|")
_COMPANY_FORM = re.compile(
    r"(?<![\w])(?:SpA|S\.?A\.?S?|S\.?p\.?A\.?|Ltda\.?|S\.?L\.?|S\.?R\.?L\.?|GmbH|AG|Ltd\.?|Limited|Inc\.?|LLC|"
    r"B\.?V\.?|N\.?V\.?|Oy|AB|A/S|ASA|Sp\.\s?z\s?o\.o\.|s\.r\.o\.|Kft\.?|d\.o\.o\.|EIRL|SAC|E\.I\.R\.L\.)"
    # then only the label: "Comercial Andes SpA, RUT 76.086.428-5". Anything more between (a person's
    # name: "Juan Pérez of Andes SpA, his RUT") and the number stays a person's.
    r"(?![\w])[,;:]?[ \t]*\(?[ \t]*[^\W\d_][\w.\-]*[ \t]*(?:n[º°o]\.?|no\.?|nr\.?|#)?[ \t]*[:#]?[ \t]*$"
)
_EXTRA_CONTEXT = {
    "de.idnr": ("steuer-id", "steuerid", "steuer", "idnr", "steueridentifikationsnummer", "tin"),
    "au.tfn": ("tfn", "tax file"),
    "ca.sin": ("sin", "nas"),
    "br.cpf": ("cpf",),
    "gb.nhs": ("nhs",),
    "nl.bsn": ("bsn", "sofinummer"),
    "it.codicefiscale": ("codice", "fiscale", "cf"),
    "es.dni": ("dni",),
    "pl.pesel": ("pesel",),
    # The names people use, missing from stdnum's titles.
    "ch.ssn": ("ahv", "avs", "ahv-nummer", "ahv-nr", "sozialversicherungsnummer"),
    "si.emso": ("emšo", "emso"),
    "lv.pvn": ("personas kods", "personas"),
    # Portugal's NIF is every resident's tax number, not only a company's VAT registration.
    "pt.nif": ("nif", "contribuinte"),
    # New Zealand's IRD number is every taxpayer's, people included.
    "nz.ird": ("ird",),
    "gr.amka": ("αμκα", "amka"),
    "ua.rntrc": ("рнокпп", "іпн", "ідентифікаційний код"),
    "be.nn": ("rijksregisternummer", "rijksregister", "numéro national", "registre national", "niss"),
    "cn.ric": ("身份证", "身份证号", "身份证号码", "居民身份证"),
    "kr.rrn": ("주민등록번호",),
    "th.pin": ("เลขประจำตัวประชาชน", "บัตรประชาชน"),
}
# Context words of scripts written without spaces (CJK, Thai): looked for as substrings, in documents
# with non-ASCII text only.
_UNSPACED_CONTEXT = ("身份证", "居民身份证", "주민등록번호", "เลขประจำตัวประชาชน", "บัตรประชาชน")
_UNSPACED = frozenset(_UNSPACED_CONTEXT)
# Formats distinctive enough to count without a context word: an 18-character Chinese resident id (birth
# date and ISO 7064 check), a Thai id in its printed grouping, a Swiss AHV number (756 and EAN-13 check).
_SHAPES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
            r"(?![0-9A-Za-z])"
        ),
        "cn.ric",
        "national_id",
    ),
    (re.compile(r"(?<![0-9\-])[1-8]-[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9](?![0-9\-])"), "th.pin", "national_id"),
    (re.compile(r"(?<![0-9.])756\.[0-9]{4}\.[0-9]{4}\.[0-9]{2}(?![0-9.])"), "ch.ssn", "national_id"),
)


@dataclass(frozen=True, slots=True)
class _Format:
    module: str
    kind: str
    is_valid: Callable[[str], bool]


def _kind(module: str, title: str) -> str:
    lowered = title.lower()
    if "bank" in lowered or "konto" in lowered:
        return "bank_account"
    if "health" in lowered or "patient" in lowered:
        return "health_insurance_id"
    if "tax" in lowered or "fiscal" in lowered or "tribut" in lowered:
        return "tax_id"
    return "national_id"


def _context_words(module: str, title: str) -> set[str]:
    words = {module.rsplit(".", 1)[-1].rstrip("_")}
    for word in _WORD.findall(title):
        lowered = word.lower().strip(".")
        if len(lowered) < 3 or lowered in _GENERIC:
            continue
        if word[0].isupper() and not word.isupper() and _NATIONALITY.search(lowered):
            continue  # "Brazilian", "Swiss"-like adjectives say which country, not which number
        words.add(lowered)
    words = {w for w in words if len(w) >= 2 and w not in _GENERIC and w not in _AMBIGUOUS}
    return words | set(_EXTRA_CONTEXT.get(module, ()))


def _build() -> dict[str, list[_Format]]:
    by_word: dict[str, list[_Format]] = {}
    for module in stdnum_util.get_number_modules():
        name = getattr(module, "__name__", "").removeprefix("stdnum.")
        title = (module.__doc__ or "").strip().splitlines()[0]
        if "." not in name or name in _SKIP or not hasattr(module, "is_valid"):
            continue  # country-less modules are algorithms, products and securities, not people
        personal = _PERSONAL.search(title) and not (
            _ORGANISATION.search(title) and "individual" not in title.lower()
        )
        if not personal and name not in _ALSO_PERSONAL:
            continue
        fmt = _Format(name, _kind(name, title), module.is_valid)
        words = set(_EXTRA_CONTEXT[name]) if name in _ALSO_PERSONAL else _context_words(name, title)
        for word in words | set(EXTRA_CONTEXT.get(name, ())):
            by_word.setdefault(word, []).append(fmt)
    for name, (kind, is_valid, labels) in EXTRA_FORMATS.items():
        for word in labels:
            by_word.setdefault(word, []).append(_Format(name, kind, is_valid))
    # A generic id label ("national_id": ...) may hold any person's format: every one is tried.
    every = {f.module: f for formats in by_word.values() for f in formats if f.kind != "bank_account"}
    every.pop("ph.tin", None)  # a shape without a check digit counts only under its own label
    for word in GENERIC_ID_LABELS:
        by_word.setdefault(word, []).extend(every[m] for m in sorted(every))
    return by_word


_CATALOGUE = _build()
_MODULES = {fmt.module: fmt.is_valid for formats in _CATALOGUE.values() for fmt in formats}
_PERSONAL_FORMATS = {
    fmt.module: (fmt.kind, fmt.is_valid)
    for formats in _CATALOGUE.values()
    for fmt in formats
    if fmt.kind != "bank_account" and fmt.module != "ph.tin"  # a shape, no check: only under its label
}
# Single words gate on `Doc.words`; multi-word and hyphenated context words gate on their first part.
_BY_GATE: dict[bytes, list[str]] = {}
for _word in _CATALOGUE:
    for _form in word_forms(next(p for p in re.split(r"[\W\d_]+", _word) if p)):
        _BY_GATE.setdefault(_form, []).append(_word)
_GATES = frozenset(_BY_GATE)
# Literal-led (the letter before is checked in code): the regex engine then skips at string-search speed.
# Unspaced scripts glue particles to the label ("주민등록번호는"): no word end is asked of them.
_LABEL = {
    word: re.compile(re.escape(word) if word in _UNSPACED else rf"{re.escape(word)}(?![^\W\d_])")
    for word in _CATALOGUE
}


def catalogue_modules() -> list[str]:
    """The stdnum modules detection covers (for docs/classifier.md and the evaluation)."""
    modules = {fmt.module for formats in _CATALOGUE.values() for fmt in formats}
    return sorted(modules - set(EXTRA_FORMATS))


def extra_modules() -> list[str]:
    """The formats python-stdnum lacks that detection covers (national_extra.py)."""
    return sorted(EXTRA_FORMATS)


def personal_formats() -> dict[str, tuple[str, Callable[[str], bool]]]:
    """module -> (kind, validator) of every personal format of the catalogue, bank accounts left out."""
    return _PERSONAL_FORMATS


def context_words(module: str) -> list[str]:
    """The context words that lead to `module`'s validator."""
    return sorted(word for word, formats in _CATALOGUE.items() if any(f.module == module for f in formats))


class CatalogueDetector:
    """Identifiers of any stdnum format next to one of that format's context words."""

    def find(self, doc: Doc) -> list[Finding]:
        found = _shapes(doc)
        words = set().union(*(_BY_GATE[gate] for gate in doc.words & _GATES))
        if not doc.text.isascii():
            words.update(word for word in _UNSPACED_CONTEXT if word in doc.lower)
        lower, text = doc.lower, doc.text
        for word in words:
            formats = _CATALOGUE[word]
            for label in _LABEL[word].finditer(lower):
                if label.start() and lower[label.start() - 1].isalpha():
                    continue
                if len(word) <= 3 and not _label_like(text, label.start(), label.end()):
                    continue  # "sin embargo", "the nas drive": short acronyms count only as labels
                found.extend(_after_label(text, label.end(), formats))
                found.extend(_csv_column(text, label.start(), label.end(), formats))
        return found


def _shapes(doc: Doc) -> list[Finding]:
    found = []
    for run in doc.runs:
        if run.digits not in (13, 17, 18):
            continue
        for pattern, module, kind in _SHAPES:
            for m in pattern.finditer(doc.text, max(0, run.start - 1), min(len(doc.text), run.end + 1)):
                if _MODULES[module](m.group()):
                    found.append(Finding(kind, m.start(), m.end()))
    return found


def _label_like(text: str, start: int, end: int) -> bool:
    """Written as a label: in capitals ("SIN"), or followed by ":", "#", "=" or a table-cell separator."""
    label = text[start:end]
    # "TIN", or "TlN" as OCR reads it: capitals at both ends
    if label.isupper() or (label[:1].isupper() and label[-1:].isupper()):
        return True
    if label.upper() == label.lower():
        return True  # a script without case (Hebrew ת"ז, Arabic, Thai): no everyday-word ambiguity to fear
    following = text[end : end + 4].lstrip(" ")
    # a key or element name: "egn": ..., label="ЕГН">...
    return following[:1] in (":", "#", "=", ",", ";", "\t", "|", "\n", "", '"', "'", ">")


def _after_label(text: str, end: int, formats: list[_Format]) -> list[Finding]:
    line_end = text.find("\n", end)
    limit = min(len(text), end + 40, line_end if line_end != -1 else len(text))
    for m in _VALUE.finditer(text, end, limit):
        # "RUT es 12.345.678-5", "CPF nº 529...": a short word the value pattern swallowed is dropped.
        value, start = m.group(), m.start()
        kind = _validate(value, formats)
        if not kind and " " in value and not value.split(" ", 1)[0].isdigit():
            skipped = value.index(" ") + 1
            value, start = value[skipped:], start + skipped
            kind = _validate(value, formats)
        if kind:
            # Many formats (Chilean RUT, Colombian NIT, ...) number companies and people alike: one
            # labelled right after a company's legal form is the company's, reported as public.
            company = _COMPANY_FORM.search(text, max(0, end - 80), end)
            return [Finding("organisation_id" if company else kind, start, m.end())]
    if line_end != -1 and QUESTION_TAIL.fullmatch(text, end, line_end):
        return _answer_on_next_line(text, line_end + 1, formats)
    return []


def _answer_on_next_line(text: str, start: int, formats: list[_Format]) -> list[Finding]:
    """A label ends its line: a request ("ID number?") answered by the next chat message, the id alone, or
    a label whose value a PDF's line break pushed to the start of the next line."""
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    message = CHAT_MESSAGE.search(text, start, end)
    value = message.group(1).strip() if message else ""
    if message and _VALUE.fullmatch(value) and (kind := _validate(value, formats)):
        at = text.find(value, message.start(1), end)
        return [Finding(kind, at, at + len(value))]
    # PDF text broken after the label ("... personas kods\n100364-10511, ..."): the next line's first value
    first = _VALUE.match(text, start + len(text[start:end]) - len(text[start:end].lstrip()), end)
    if first and (kind := _validate(first.group(), formats)):
        return [Finding(kind, first.start(), first.end())]
    return []


def _csv_column(text: str, start: int, end: int, formats: list[_Format]) -> list[Finding]:
    """Values in the column a header cell names ("name,sin,email" then one row per person)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end == -1:
        return []
    header = text[line_start:line_end]
    delimiter = next((d for d in _CSV_DELIMITERS if header.count(d) >= 2), None)
    if delimiter is None:
        return []
    cells = header.split(delimiter)
    position = start - line_start
    column = len(header[:position].split(delimiter)) - 1
    if not re.search(r"[^\W\d_]", cells[column]) or len(cells[column]) > 40:
        return []
    found, offset = [], line_end + 1
    for row in text[line_end + 1 :].split("\n")[:5000]:
        row_cells = row.split(delimiter)
        if len(row_cells) > column:
            cell = row_cells[column].strip().strip('"')
            kind = _validate(cell, formats) if 4 <= len(cell) <= 24 else None
            if kind:
                at = text.find(cell, offset)
                found.append(Finding(kind, at, at + len(cell)))
        offset += len(row) + 1
    return found


def _validate(value: str, formats: list[_Format]) -> str | None:
    if sum(c.isdigit() for c in value) < 4:
        return None
    for fmt in formats:
        try:
            if fmt.is_valid(value):
                return fmt.kind
        except Exception:  # noqa: BLE001 - a third-party validator must never take the document down
            continue
    return None
