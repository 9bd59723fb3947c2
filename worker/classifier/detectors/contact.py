"""Contact PII: email addresses and phone numbers (national and international formats)."""

from __future__ import annotations

import re

import phonenumbers

from worker.classifier.detectors.base import Doc, Finding, before, words_re

_EMAIL = re.compile(
    r"(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24})\b"
)
# Mailboxes that name a function, not a person: reported as email_address_role (public by default).
_ROLE_MAILBOXES = frozenset(
    {
        "info", "support", "sales", "help", "contact", "noreply", "no-reply", "donotreply", "do-not-reply",
        "admin", "webmaster", "press", "media", "marketing", "billing", "invoices", "accounts", "hello",
        "team", "careers", "jobs", "hr", "privacy", "security", "abuse", "postmaster", "hostmaster",
        "feedback", "service", "customerservice", "enquiries", "inquiries", "office", "git", "orders",
        "reception",
    }
)  # fmt: skip

# A run of digits with the separators phone numbers use; validated below, so it may over-match.
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w.+/-])(?:\+|\b00)?(?:\(\d{1,5}\)[ ]?)?\d[\d ().\-/]{5,22}\d(?![\w]|[.\-/]\d)"
)
# Conventional national groupings, per numbering plan: a bare digit run is only a phone number if it is
# written the way people write phone numbers (or sits next to a phone word, see _PHONE_WORDS).
_NATIONAL_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("US", re.compile(r"(?:1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{4}")),
    ("GB", re.compile(r"\(?0\d{2,4}\)?[ ]?\d{3,4}[ ]?\d{3,4}")),
    ("FR", re.compile(r"0[1-9](?:[ .-]?\d{2}){4}")),
    ("DE", re.compile(r"\(?0\d{2,5}\)?[ /-]?\d{2,4}[ -]?\d{2,6}")),
    ("NL", re.compile(r"0\d{1,3}[ -]?\d{3,4}[ -]?\d{2,4}")),
    ("ES", re.compile(r"[6-9]\d{2}[ ]?\d{2,3}[ ]?\d{2,3}[ ]?\d{0,3}")),
    ("IT", re.compile(r"0\d{1,3}[ ]?\d{3,4}[ ]?\d{3,4}|3\d{2}[ ]?\d{3}[ ]?\d{3,4}")),
)
_NATIONAL_REGIONS = ("US", "GB", "DE", "FR", "NL", "ES", "IT", "CA", "AU", "IE", "CH", "AT", "BE", "IN")
_PHONE_WORDS = words_re(
    r"phone", r"tel", r"tel\.", r"telephone", r"mobile", r"mob", r"cell", r"call", r"called", r"fax",
    r"text", r"sms", r"whatsapp", r"reach", r"contact", r"ph", r"direct", r"ext", r"handy", r"telefon",
    r"rufnummer", r"mobil", r"t[ée]l", r"t[ée]l[ée]phone", r"portable", r"tel[ée]fono", r"m[óo]vil",
    r"cellulare", r"numero", r"number", r"dial",
)
_NOT_PHONE_LABELS = re.compile(
    r"(?:order|invoice|inv|tracking|part|p/n|pn|sku|serial|s/n|isbn|issn|ref|reference|ticket|po|case|"
    r"claim|batch|lot|model|version|build|release|item|article|art|product|account|acct|iban|routing|"
    r"policy|contract|shipment|booking|confirmation|id)\.?\s*(?:no\.?|number|nr\.?|num|#|id)?\s*[:#]?\s*$"
)
_DATE_LIKE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")


class ContactDetector:
    """Emails and phone numbers; `phonenumbers` checks country codes and lengths of each candidate."""

    def __init__(self) -> None:
        # Load the numbering-plan metadata now, in one thread, rather than lazily inside workers.
        for region in _NATIONAL_REGIONS:
            phonenumbers.example_number(region)

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        if "@" in doc.text:
            found.extend(self._emails(doc))
        found.extend(self._phones(doc))
        return found

    def _emails(self, doc: Doc) -> list[Finding]:
        out = []
        for match in _EMAIL.finditer(doc.text):
            local = match.group(1).lower()
            role = local in _ROLE_MAILBOXES or local.split("+")[0] in _ROLE_MAILBOXES
            out.append(Finding("email_address_role" if role else "email_address", match.start(), match.end()))
        return out

    def _phones(self, doc: Doc) -> list[Finding]:
        out = []
        for match in _PHONE_CANDIDATE.finditer(doc.text):
            candidate = match.group().strip(" .-/")
            if self._is_phone(doc, candidate, match.start()):
                out.append(Finding("phone_number", match.start(), match.end()))
        return out

    def _is_phone(self, doc: Doc, candidate: str, start: int) -> bool:
        digits = sum(c.isdigit() for c in candidate)
        if digits < 7 or digits > 15:
            return False
        context = before(doc, start, 40)
        if _NOT_PHONE_LABELS.search(context):
            return False
        if candidate.startswith(("+", "00")):
            number = "+" + candidate[2:] if candidate.startswith("00") else candidate
            return _possible(number, None)
        if _DATE_LIKE.fullmatch(candidate):
            return False
        worded = _PHONE_WORDS.search(context) is not None
        for region, shape in _NATIONAL_SHAPES:
            if (worded or shape.fullmatch(candidate)) and _possible(candidate, region):
                return True
        return worded and any(_possible(candidate, region) for region in _NATIONAL_REGIONS)


def _possible(number: str, region: str | None) -> bool:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed)
