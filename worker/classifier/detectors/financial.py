"""Financial account numbers: payment cards (Luhn), IBAN (mod-97), ABA routing and bank accounts."""

from __future__ import annotations

import re

from stdnum import iban as _iban
from stdnum.us import rtn as _rtn

from worker.classifier.detectors.base import (
    Doc,
    Finding,
    before,
    char_after,
    char_before,
    luhn_ok,
    near,
    words_re,
    wordset,
)
from worker.classifier.detectors.testdata import is_documented_test_value

_GROUP = re.compile(r"[0-9]+")
_NON_DIGITS = re.compile(r"[^0-9]")
_CARD_SEPARATORS = frozenset({"", " ", "-", ".", "/", "  ", " - ", " . ", "_"})
_UPPER = re.compile(r"[A-Z]")
_CARD_WORDS = words_re(
    r"card",
    r"cc",
    r"visa",
    r"mastercard",
    r"amex",
    r"american express",
    r"discover",
    r"maestro",
    r"jcb",
    r"diners",
    r"unionpay",
    r"credit",
    r"debit",
    r"karte",
    r"kreditkarte",
    r"carte",
    r"tarjeta",
    r"pan",
)
_NOT_CARD_LABELS = re.compile(
    r"(?:order|invoice|tracking|part|sku|serial|isbn|ref|reference|ticket|po|shipment|parcel|imei|"
    r"transaction|txn|confirmation|booking|ean|gtin|upc|barcode|imei|asin)\s*(?:no\.?|number|nr\.?|#|id)?\s*[:#]?\s*$"
)
# Country code, check digits, then 11-30 alphanumerics in groups of up to four (spaces or dashes).
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}(?:[ \-]?[A-Z0-9]{1,4}){3,8}")
_ABA = re.compile(r"(?<![0-9\-])([0-9]{4})(-?)([0-9]{4})\2([0-9])(?![0-9]|-[0-9])")
_ABA_WORDS = words_re(r"routing", r"aba", r"rtn", r"transit", r"bank", r"wire", r"ach", r"fedwire")
# An account number is only recognisable by its label; one literal-led pattern per label word keeps the
# scan cheap (only labels present in the document are searched).
_ACCOUNT_TAIL = r"\.?\s*(?:number|no\.?|nr\.?|num|#|n°)?\s*[:#]?\s*([0-9][0-9 \-]{4,22}[0-9])(?![0-9a-z])"
_ACCOUNT_LABELS: tuple[tuple[bytes, re.Pattern[str]], ...] = tuple(
    (gate.encode(), re.compile(label + _ACCOUNT_TAIL))
    for gate, label in (
        ("account", "account"),
        ("acct", "acct"),
        ("c", "a/c"),
        ("konto", "konto"),
        ("kontonummer", "kontonummer"),
        ("compte", "compte"),
        ("cuenta", "cuenta"),
        ("conto", "conto"),
    )
)
_ACCOUNT_FINANCE_WORDS = words_re(
    r"bank",
    r"banking",
    r"routing",
    r"aba",
    r"sort code",
    r"swift",
    r"bic",
    r"iban",
    r"wire",
    r"ach",
    r"transfer",
    r"deposit",
    r"checking",
    r"savings",
    r"payroll",
    r"direct debit",
    r"blz",
    r"bsb",
    r"bankverbindung",
    r"überweisung",
    r"virement",
    r"rib",
    r"transferencia",
    r"beneficiary",
    r"remit",
)
_SORT_CODE_GATE = wordset("sort")
_SORT_CODE = re.compile(r"sort\s*code\s*[:#]?\s*[0-9]{2}[- ][0-9]{2}[- ][0-9]{2}(?![0-9])")


def _card_brand_ok(digits: str) -> bool:
    """Whether the issuer prefix and length belong to a real card scheme (Visa, Mastercard, ...)."""
    n = len(digits)
    two, three, four, six = int(digits[:2]), int(digits[:3]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4":  # 13-digit Visa numbers are no longer issued; 13 digits starting 4 are EANs
        return n in (16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16
    if two in (34, 37):
        return n == 15
    if 300 <= three <= 305 or two in (36, 38, 39):
        return 14 <= n <= 19
    if four == 6011 or two == 65 or 644 <= three <= 649 or 622126 <= six <= 622925:
        return 16 <= n <= 19
    if 3528 <= four <= 3589 or two == 62:
        return 16 <= n <= 19
    if two == 50 or 56 <= two <= 69:  # Maestro and other debit schemes
        return 12 <= n <= 19
    if digits[0] == "1":  # UATP (airline cards)
        return n == 15
    return False


def _card_grouping_ok(sizes: tuple[int, ...]) -> bool:
    """How cards are written: one block, fours (the last may be shorter), or 4-6-5 / 4-6-4 (Amex, Diners).
    "1 75 04 95 869 504 83" (a French social security number) is not a card, whatever its Luhn digit."""
    if len(sizes) == 1:
        return True
    if sizes in ((4, 6, 5), (4, 6, 4)):
        return True
    return all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4


class FinancialDetector:
    """Card numbers, IBANs, routing and account numbers, each confirmed by its checksum or its label."""

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        for run in doc.runs:
            if run.digits >= 12:
                found.extend(self._cards(doc, run.start, run.text))
            if run.digits >= 9:
                for match in _ABA.finditer(run.text):
                    start, end = run.start + match.start(), run.start + match.end()
                    digits = match.group(1) + match.group(3) + match.group(4)
                    labelled = _ABA_WORDS.search(near(doc, start, end, 60))
                    if _aba_ok(digits) and (match.group(2) or labelled):
                        found.append(Finding("aba_routing", start, end))
            if run.digits >= 6:
                found.extend(self._ibans(doc, run.start, run.end))
        for gate, pattern in _ACCOUNT_LABELS:
            if gate not in doc.words:
                continue
            for match in pattern.finditer(doc.lower):
                digits = sum(c.isdigit() for c in match.group(1))
                banking = _ACCOUNT_FINANCE_WORDS.search(near(doc, match.start(), match.end(), 120))
                if 6 <= digits <= 18 and banking:
                    found.append(Finding("bank_account", match.start(1), match.end(1)))
        if doc.has(_SORT_CODE_GATE):
            found.extend(Finding("bank_account", m.start(), m.end()) for m in _SORT_CODE.finditer(doc.lower))
        return found

    def _cards(self, doc: Doc, offset: int, run: str) -> list[Finding]:
        """Card numbers inside one numeric run: any window of digit groups holding 13-19 digits."""
        groups = [m for m in _GROUP.finditer(run)]
        out = []
        i = 0
        while i < len(groups):
            total, hit = 0, None
            for j in range(i, len(groups)):
                # Any separator people write cards with: spaces, dashes, dots, slashes, or a pair of them.
                if j > i and run[groups[j - 1].end() : groups[j].start()] not in _CARD_SEPARATORS:
                    break
                total += groups[j].end() - groups[j].start()
                if total > 19:
                    break
                if total >= 13:
                    sizes = tuple(g.end() - g.start() for g in groups[i : j + 1])
                    digits = _NON_DIGITS.sub("", run[groups[i].start() : groups[j].end()])
                    if _card_grouping_ok(sizes) and _card_brand_ok(digits) and luhn_ok(digits):
                        hit = j
                        break
            if hit is None:
                i += 1
                continue
            start, end = offset + groups[i].start(), offset + groups[hit].end()
            if self._labelled_as_card_or_unlabelled(doc, start) and _standalone(doc.text, start, end):
                test = is_documented_test_value(doc, start, end, _NON_DIGITS.sub("", doc.text[start:end]))
                out.append(Finding("test_card_number" if test else "credit_card", start, end))
            i = hit + 1
        return out

    @staticmethod
    def _labelled_as_card_or_unlabelled(doc: Doc, start: int) -> bool:
        if not _NOT_CARD_LABELS.search(before(doc, start, 30)):
            return True
        return _CARD_WORDS.search(before(doc, start, 60)) is not None

    @staticmethod
    def _ibans(doc: Doc, run_start: int, run_end: int) -> list[Finding]:
        """IBANs whose digits include this run: look back for the country code, then validate."""
        text = doc.text
        window_start = max(0, run_start - 16)
        out: list[Finding] = []
        if not _UPPER.search(text, window_start, run_start + 1):  # no country code can precede this run
            return out
        for match in _IBAN.finditer(text, window_start, min(len(text), run_end + 40)):
            if match.start() > run_start:
                break
            if char_before(text, match.start()).isalnum():
                continue
            length = _valid_iban_prefix(match.group())
            if length and not char_after(text, match.start() + length).isalnum():
                end = match.start() + length
                compact = re.sub(r"[ \-]", "", text[match.start() : end])
                test = is_documented_test_value(doc, match.start(), end, compact)
                out.append(Finding("example_iban" if test else "iban", match.start(), end))
                break
        return out


def _standalone(text: str, start: int, end: int) -> bool:
    """Not glued to letters or more digits (a card inside "PN-4111..." or "x4111..." is not a card)."""
    return not char_before(text, start).isalnum() and not char_after(text, end).isalnum()


def _valid_iban_prefix(candidate: str) -> int:
    """Length of the longest prefix of `candidate` that is a valid IBAN (0 if none): trailing words drop.

    Valid means ISO 13616: mod-97 check digits and the country's length and structure. Some countries
    add national check digits inside the BBAN; those are not required (recall first)."""
    while True:
        compact = candidate.replace(" ", "").replace("-", "")
        if len(compact) < 15:
            return 0
        if _iban.is_valid(compact, check_country=False):
            return len(candidate)
        cut = max(candidate.rfind(" "), candidate.rfind("-"))
        if cut <= 4:
            return 0
        candidate = candidate[:cut]


def _aba_ok(digits: str) -> bool:
    prefix = int(digits[:2])
    in_range = prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80
    return in_range and digits != "000000000" and _rtn.is_valid(digits)
