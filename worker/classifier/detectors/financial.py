"""Financial account numbers: payment cards (Luhn), IBAN (mod-97), ABA routing and bank accounts."""

from __future__ import annotations

import re

from stdnum import iban as _iban
from stdnum.us import rtn as _rtn

from worker.classifier.detectors.base import Doc, Finding, before, luhn_ok, near, words_re

# 13-19 digits, optionally grouped by single spaces or dashes (4-4-4-4, 4-6-5, ...).
_CARD = re.compile(r"(?<![\w.\-])\d{4}(?:[ \-]?\d){9,15}(?![\w]|[.\-]\d)")
_CARD_WORDS = words_re(
    r"card", r"cc", r"visa", r"mastercard", r"amex", r"american express", r"discover", r"maestro", r"jcb",
    r"diners", r"unionpay", r"credit", r"debit", r"karte", r"kreditkarte", r"carte", r"tarjeta", r"pan",
)
_NOT_CARD_LABELS = re.compile(
    r"(?:order|invoice|tracking|part|sku|serial|isbn|ref|reference|ticket|po|shipment|parcel|imei|"
    r"transaction|txn|confirmation|booking)\s*(?:no\.?|number|nr\.?|#|id)?\s*[:#]?\s*$"
)
# Country code, check digits, then 11-30 alphanumerics in groups of up to four (spaces or dashes).
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{1,4}){3,8}\b")
_ABA = re.compile(r"(?<![\w\-])(\d{4})(-?)(\d{4})\2(\d)(?![\w]|-\d)")
_ABA_WORDS = words_re(r"routing", r"aba", r"rtn", r"transit", r"routing number", r"bank", r"wire", r"ach")
_ACCOUNT = re.compile(
    r"(?i:\b(?:bank\s+account|checking\s+account|savings\s+account|account|acct|a/c|kontonummer|konto|"
    r"compte|num[ée]ro\s+de\s+compte|cuenta|conto)\b\.?\s*(?:number|no\.?|nr\.?|num|#|n°)?\s*[:#]?\s*)"
    r"(\d[\d \-]{4,22}\d)(?![\w])"
)
_ACCOUNT_FINANCE_WORDS = words_re(
    r"bank", r"banking", r"routing", r"aba", r"sort code", r"swift", r"bic", r"iban", r"wire", r"ach",
    r"transfer", r"deposit", r"checking", r"savings", r"payroll", r"direct debit", r"blz", r"bsb",
    r"bankverbindung", r"überweisung", r"virement", r"rib", r"transferencia", r"beneficiary", r"remit",
)
_SORT_CODE = re.compile(r"(?i:sort\s*code)\s*[:#]?\s*\d{2}[- ]\d{2}[- ]\d{2}\b")


def _card_brand_ok(digits: str) -> bool:
    """Whether the issuer prefix and length belong to a real card scheme (Visa, Mastercard, ...)."""
    n = len(digits)
    two, four, six = int(digits[:2]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4":
        return n in (13, 16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16
    if two in (34, 37):
        return n == 15
    if 300 <= int(digits[:3]) <= 305 or two in (36, 38, 39):
        return 14 <= n <= 19
    if four == 6011 or two == 65 or 644 <= int(digits[:3]) <= 649 or 622126 <= six <= 622925:
        return 16 <= n <= 19
    if 3528 <= four <= 3589 or two == 62:
        return 16 <= n <= 19
    if two == 50 or 56 <= two <= 69:  # Maestro and other debit schemes
        return 12 <= n <= 19
    if digits[0] == "1":  # UATP
        return n == 15
    return False


class FinancialDetector:
    """Card numbers, IBANs, routing and account numbers, each confirmed by its checksum or its label."""

    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        for match in _CARD.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if 13 <= len(digits) <= 19 and _card_brand_ok(digits) and luhn_ok(digits):
                labelled_other = _NOT_CARD_LABELS.search(before(doc, match.start(), 30))
                if not labelled_other or _CARD_WORDS.search(before(doc, match.start(), 60)):
                    found.append(Finding("credit_card", match.start(), match.end()))
        for match in _IBAN.finditer(text):
            span = _valid_iban_prefix(match.group())
            if span:
                found.append(Finding("iban", match.start(), match.start() + span))
        for match in _ABA.finditer(text):
            digits = match.group(1) + match.group(3) + match.group(4)
            labelled = _ABA_WORDS.search(near(doc, match.start(), match.end(), 60))
            if _aba_ok(digits) and (match.group(2) or labelled):
                found.append(Finding("aba_routing", match.start(), match.end()))
        for match in _ACCOUNT.finditer(text):
            digits = re.sub(r"\D", "", match.group(1))
            banking = _ACCOUNT_FINANCE_WORDS.search(near(doc, match.start(), match.end(), 120))
            if 6 <= len(digits) <= 18 and banking:
                found.append(Finding("bank_account", match.start(1), match.end(1)))
        for match in _SORT_CODE.finditer(text):
            found.append(Finding("bank_account", match.start(), match.end()))
        return found


def _valid_iban_prefix(candidate: str) -> int:
    """Length of the longest prefix of `candidate` that is a valid IBAN (0 if none): trailing words drop."""
    while True:
        compact = candidate.replace(" ", "").replace("-", "")
        if len(compact) < 15:
            return 0
        if _iban.is_valid(compact):
            return len(candidate)
        cut = max(candidate.rfind(" "), candidate.rfind("-"))
        if cut <= 4:
            return 0
        candidate = candidate[:cut]


def _aba_ok(digits: str) -> bool:
    prefix = int(digits[:2])
    in_range = prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80
    return in_range and digits != "000000000" and _rtn.is_valid(digits)
