"""Contact PII: email addresses and phone numbers (national and international formats)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

from worker.classifier.detectors.base import Doc, Finding, Run, before, char_after, char_before, words_re

_EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@((?:[A-Za-z0-9\-]{1,63}\.)+(?:[A-Za-z]{2,24}|xn--[a-z0-9]{2,20}))"
    r"(?![A-Za-z0-9\-])"
)
# Mailboxes that name a function, not a person: reported as email_address_role (public by default).
_ROLE_MAILBOXES = frozenset(
    {
        "info", "support", "sales", "help", "contact", "noreply", "no-reply", "donotreply", "do-not-reply",
        "admin", "webmaster", "press", "media", "marketing", "billing", "invoices", "accounts", "hello",
        "team", "careers", "jobs", "hr", "privacy", "security", "abuse", "postmaster", "hostmaster",
        "feedback", "service", "customerservice", "enquiries", "inquiries", "office", "git", "orders",
        "reception", "legal", "compliance", "dpo", "newsletter", "notifications", "alerts", "mailer-daemon",
        "pressoffice", "press-office", "mediarelations", "media-relations", "communications", "comms", "pr",
        "investors", "investor-relations", "ir", "dataprotection", "data-protection", "gdpr", "dsar",
        "datenschutz", "kontakt", "presse", "contacto", "prensa", "servicio", "kundenservice", "service-client",
        "helpdesk", "servicedesk", "customercare", "customer-care", "customer-service", "enquiry", "partners",
        "events", "recruiting", "talent", "procurement", "purchasing", "accounting", "finance", "treasury",
        # machines that sign commits and builds; careers/HR mailboxes in the languages of the job ads
        "ci", "bot", "build", "builds", "jenkins", "deploy", "devops", "automation", "robot", "kariera",
        "karriere", "carriere", "carrière", "carrera", "carreira", "empleo", "empleos", "trabajo", "lavoro",
        "vacatures", "werkenbij", "rekrytointi", "rekrytering", "jobb", "job", "recrutement", "bewerbung",
        "bewerbungen", "stellen", "kariyer", "ik", "lowongan", "rekrutmen", "tuyendung", "saiyo", "recruit",
        "recruitment", "praca", "rekrutacja", "nabor", "allasok", "munka", "cariere", "toimisto", "kansli",
        # senders and list addresses of newsletters; careers mailboxes in more languages
        "news", "newsletters", "unsubscribe", "list", "lists", "mailing", "bounce", "bounces", "karrier",
        "allas", "vagas", "emprego", "lavora", "jobs-it", "werken", "hiring", "talenti",
        "viestinta", "kommunikation", "kommunikasjon", "komunikace", "komunikacja", "comunicacao",
        "comunicazione", "comunicacion", "communicatie", "communication", "pressestelle", "medien", "prasa",
        # newsrooms and editorial desks (issue 18, set E: press e-mails to them)
        "newsroom", "newsdesk", "news-desk", "desk", "editor", "editors", "editorial", "tips", "redaktion",
        "redakcija", "redakcia", "redakce", "redakcja", "redakcio", "toimetus", "urednistvo", "redactie",
        "redazione", "redaccion", "redacao", "redaction",
    }
)  # fmt: skip

# "jane [at] example [dot] com", "jane (at) example.com", "jane at example dot com".
_AT = r"\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+)\s*"
_DOT = r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*"
_OBFUSCATED_EMAIL = re.compile(
    rf"[a-z0-9][a-z0-9._%+\-]*{_AT}[a-z0-9\-]+(?:(?:{_DOT}|\.)[a-z0-9\-]+)*{_DOT}"
    r"(?:com|org|net|edu|gov|io|co|info|biz|eu|de|fr|uk|es|it|nl|be|ch|at|ca|au|in)\b"
)

# Conventional national groupings, per numbering plan: a bare digit run is only a phone number if it is
# written the way people write phone numbers (or sits next to a phone word, see _PHONE_WORDS). Only
# plans with a trunk prefix ("0...") or NANP's 3-3-4 grouping are shapes of their own; numbers without
# either (Spanish "612 345 678", Italian mobiles) look like any code and need a phone word or "+".
_NATIONAL_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("US", re.compile(r"(?:1[ .\-]?)?(?:\([0-9]{3}\)[ ]?|[0-9]{3}[ .\-])[0-9]{3}[ .\-][0-9]{4}")),
    ("GB", re.compile(r"\(?0[0-9]{2,4}\)?[ ]?[0-9]{3,4}[ ]?[0-9]{3,4}")),
    ("FR", re.compile(r"0[1-9](?:[ .\-]?[0-9]{2}){4}")),
    ("DE", re.compile(r"\(?0[0-9]{2,5}\)?[ /\-]?[0-9]{2,4}[ \-]?[0-9]{2,6}")),
    ("NL", re.compile(r"0[0-9]{1,3}[ \-]?[0-9]{3,4}[ \-]?[0-9]{2,4}")),
    ("IT", re.compile(r"0[0-9]{1,3}[ ]?[0-9]{3,4}[ ]?[0-9]{3,4}")),
    ("JP", re.compile(r"0[0-9]{1,4}-[0-9]{1,4}-[0-9]{4}")),
    ("IL", re.compile(r"0[0-9]{1,2}-[0-9]{7}")),
)
# Regions tried for a digit string next to a phone word: the locales Turnout sees most.
_WORDED_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "CN", "JP")
# Words that make a bare digit string a phone number ("call 4155550132"); generic words such as
# "number" or "contact" are not enough.
_PHONE_WORDS = words_re(
    r"phone", r"tel", r"telephone", r"mobile", r"mob", r"cell", r"cellphone", r"call", r"called", r"fax",
    r"sms", r"whatsapp", r"signal", r"ph", r"handy", r"telefon", r"telefonnummer", r"rufnummer", r"mobil",
    r"t[ée]l", r"t[ée]l[ée]phone", r"portable", r"tel[ée]fono", r"m[óo]vil", r"cellulare", r"hotline",
    r"landline", r"dial",
)  # fmt: skip
_NOT_PHONE_LABELS = re.compile(
    r"(?:order|invoice|inv|tracking|part|p/n|pn|sku|serial|s/n|isbn|issn|ref|reference|ticket|po|case|"
    r"claim|batch|lot|model|version|build|release|item|article|art|product|account|acct|iban|routing|"
    r"policy|contract|shipment|booking|confirmation|id|ein|vat|ssn|nhs|code|pin|passcode|meeting id|"
    r"conference|access code|dial-in code|ean|gtin|upc|imei|barcode|asin)\.?\s*(?:no\.?|number|nr\.?|num|#|id)?"
    r"\s*[:#]?\s*$"
)
_DATE_OR_IP = re.compile(
    r"[0-9]{4}[\-/.][0-9]{1,2}[\-/.][0-9]{1,2}|[0-9]{1,2}[\-/.][0-9]{1,2}[\-/.][0-9]{2,4}|"
    r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|[0-9]+\.[0-9]{1,2}"
)
# An organisation's line, labelled as such just before the number: a switchboard, hotline or press line
# is published to be called and identifies no person (issue 18). Toll-free numbers are always one.
# A company's legal form earlier on the number's line ("Houle PLC,409 ...,(764)623-5511", "Acme GmbH
# Tel. ..."): a supplier list's switchboard, not a person's number (issue 18, set C company lists).
LEGAL_FORM_LINE = re.compile(
    r"(?:(?<![^\W\d_])(?:gmbh|ag|plc|ltd|inc|llc|l\.l\.c|s\.a|sa|sas|sarl|s\.l|s\.p\.a|spa|srl|s\.r\.l|b\.v|bv|"
    r"n\.v|nv|a\.s|s\.r\.o|oy|oyj|ab|a/s|as|asa|aps|kft|zrt|nyrt|a\.ş|şti|tbk|pt|gk|kk|co|corp|"
    r"sp\.\s?z\s?o\.o|spółka|s\.c|kg|ohg|e\.v|se|sà\s?rl|ltda|eireli|pty|bhd|sdn|s/a|scs|snc|sca|kkt|bt|kft)\.?(?![^\W\d_])|"
    r"株式会社|有限会社|合同会社|有限公司|股份|公司|주식회사|\(주\)|& co\b|and sons\b)[^\n]*$"
)
# A table of companies: its header row names a company column and a phone column ("société,SIRET,ville,
# standard"); every number in it is a company's.
COMPANY_HEADER = re.compile(
    r"(?:company|companies|supplier|vendor|firm|organi[sz]ation|société|entreprise|fournisseur|firma|"
    r"unternehmen|lieferant|empresa|proveedor|azienda|fornitore|bedrijf|leverancier|spółka|dostawca|"
    r"společnost|dodavatel|företag|leverantör|virksomhed|selskap|yritys|toimittaja|cég|societate|şirket|"
    r"tedarikçi|perusahaan|pemasok|công ty|公司|会社|企業|供应商|仕入先|회사|업체)"
    r"[^\n]*[,;\t|][^\n]*$"
)


def _company_table(doc: Doc) -> bool:
    first = doc.lower[: doc.lower.find("\n") if "\n" in doc.lower else len(doc.lower)]
    return len(first) < 200 and COMPANY_HEADER.search(first) is not None


_ORGANISATION_LINE = re.compile(
    r"(?:switchboard|hotline|helpline|help\s+line|help\s+desk|helpdesk|service\s+desk|customer\s+(?:service|care|"
    r"support|line)|support\s+(?:line|team|hotline|desk)|press\s+(?:office|line|desk|enquiries|inquiries)|"
    r"media\s+(?:enquiries|inquiries|relations|contact|line)|main\s+(?:line|office|number)|head\s+office|"
    r"headquarters|reception|front\s+desk|call\s+cent(?:er|re)|toll[\s\-]free|freephone|investor\s+relations|"
    r"privacy\s+(?:office|team|line)|data\s+protection\s+(?:officer|office)|zentrale|service-?hotline|"
    r"standard\s+t[ée]l[ée]phonique|centralita|servizio\s+clienti|kundenservice|klantenservice|"
    # switchboards in more languages ("Standard :", "Växel:", "Vaihde:", "Centralino:")
    r"standard\s*:|växel|vaxel|vaihde|sentralbord|omstilling|centralino|ústředna|centrala|központ|santral|"
    r"telefonzentrale|vermittlung)"
    r"[^\n]{0,40}$"
)
_TOLL_FREE = re.compile(
    r"\+?1?[ \-.(]*8(?:00|33|44|55|66|77|88)[ \-.)]|(?:\+44[ ]?|0)80[08]|\+?(?:49[ ]?|0)800|0800|1800"
)
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?[0-9]{1,6}(?![0-9A-Za-z])", re.IGNORECASE)
_SPLIT_NUMBERS = re.compile(r"\s*/\s+|\s+/\s*|\s{2,}")


_MESSAGE_ID = re.compile(
    r"(?:^|\n)(?:message-id|in-reply-to|references|content-id)\s*:[^\n]*<$", re.IGNORECASE
)
# An organisation's contact block ("Acme Ltd / Tel: ... / info@acme.example"): the phone on a short line
# of its own (a signature or footer line, not prose), a role mailbox within two lines and no personal
# mailbox there: the phone is the organisation's (issue 18, set E press e-mails).
_CONTACT_LINE = 60


def _lines_around(text: str, start: int, end: int, lines: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi == -1 else hi
    for _ in range(lines):
        if lo > 0:
            lo = text.rfind("\n", 0, lo - 1) + 1
        if hi < len(text):
            nxt = text.find("\n", hi + 1)
            hi = len(text) if nxt == -1 else nxt
    return lo, hi


def _organisation_blocks(text: str, found: list[Finding]) -> list[Finding]:
    emails = [f for f in found if f.kind in ("email_address", "email_address_role")]
    if not any(f.kind == "email_address_role" for f in emails):
        return found
    out = []
    for f in found:
        if f.kind == "phone_number":
            line_lo, line_hi = _lines_around(text, f.start, f.end, 0)
            if line_hi - line_lo <= _CONTACT_LINE and "\n\n" not in text[line_lo:line_hi]:
                lo, hi = _lines_around(text, f.start, f.end, 2)
                blank = text.rfind("\n\n", lo, f.start)
                lo = lo if blank == -1 else blank
                blank = text.find("\n\n", f.end, hi)
                hi = hi if blank == -1 else blank
                kinds = {e.kind for e in emails if lo <= e.start and e.end <= hi}
                if kinds == {"email_address_role"}:
                    f = Finding("phone_number_organisation", f.start, f.end)
        out.append(f)
    return out


class ContactDetector:
    """Emails and phone numbers; `phonenumbers` checks the country code and length of each candidate."""

    def __init__(self) -> None:
        # Load every country's numbering-plan metadata now (~60 ms, ~1 MB), in one thread, rather than
        # lazily inside concurrent classify() calls.
        PhoneMetadata.load_all()

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        if "@" in doc.text:
            found.extend(self._emails(doc))
        if b"at" in doc.words and b"dot" in doc.words:
            found.extend(
                Finding("email_address", m.start(), m.end()) for m in _OBFUSCATED_EMAIL.finditer(doc.lower)
            )
        for run in doc.runs:
            if run.digits >= 7:
                found.extend(self._phones(doc, run))
        return _organisation_blocks(doc.text, found) if "@" in doc.text else found

    @staticmethod
    def _emails(doc: Doc) -> list[Finding]:
        text, out, last_end = doc.text, [], 0
        at = text.find("@")
        while at != -1:
            match = _EMAIL.search(text, max(last_end, at - 64), at + 256)
            if match and match.start() < at < match.end() and _MESSAGE_ID.search(text, 0, match.start()):
                # "Message-ID: <123.456@mail.example.net>": a message's identifier, not anybody's mailbox
                out.append(Finding("email_message_id", match.start(), match.end()))
                last_end = match.end()
            elif match and match.start() < at < match.end():
                local = text[match.start() : at].lower()
                role = local in _ROLE_MAILBOXES or local.split("+")[0] in _ROLE_MAILBOXES
                # A forge's private commit address (…@users.noreply.github.com) stands for an account
                # that chose to hide its mailbox: a machine alias, not a reachable person's address.
                role = role or ".noreply." in text[at : match.end()].lower()
                # A mailing list's own addresses (announce@lists.…, dev-bounces@…, …-request@…): the list
                # software's, not a subscriber's (issue 18, set F: list archives).
                role = role or _list_address(local, text[at + 1 : match.end()].lower())
                kind = "email_address_role" if role else "email_address"
                out.append(Finding(kind, match.start(), match.end()))
                last_end = match.end()
            at = text.find("@", max(at + 1, last_end))
        return out

    def _phones(self, doc: Doc, run: Run) -> list[Finding]:
        text = doc.text
        pieces = [(run.start, run.text)]
        if run.digits > 15 or _SPLIT_NUMBERS.search(run.text):
            pieces, offset = [], run.start
            for part in _SPLIT_NUMBERS.split(run.text):
                index = text.index(part, offset)
                pieces.append((index, part))
                offset = index + len(part)
        out = []
        for start, candidate in pieces:
            if char_before(text, start) == "(":
                start -= 1
                candidate = "(" + candidate
            if char_before(text, start) == "+" or (
                char_before(text, start) == " " and text[start - 2 : start] == "+ "
            ):
                start = text.rindex("+", 0, start)
                candidate = "+" + candidate.lstrip()
            if char_before(text, start).isalnum() or char_before(text, start) in "-_/":
                continue
            if char_after(text, start + len(candidate)).isalnum() and not _EXTENSION.match(
                text, start + len(candidate)
            ):
                continue  # glued to letters or digits, unless an extension ("555-0132x44", "ext. 12")
            if self._is_phone(doc, candidate, start):
                line = before(doc, start, 160)
                line = line[line.rfind("\n") + 1 :]
                organisation = (
                    _TOLL_FREE.match(candidate)
                    or _ORGANISATION_LINE.search(before(doc, start, 80))
                    or LEGAL_FORM_LINE.search(line)
                    or _company_table(doc)
                )
                kind = "phone_number_organisation" if organisation else "phone_number"
                out.append(Finding(kind, start, start + len(candidate)))
        return out

    @staticmethod
    def _is_phone(doc: Doc, candidate: str, start: int) -> bool:
        digits = sum(c.isdigit() for c in candidate)
        if digits < 7 or digits > 15:
            return False
        if candidate.startswith(("+", "00")):
            number = "+" + candidate[2:] if candidate.startswith("00") else candidate
            return _possible(number, None) and not _NOT_PHONE_LABELS.search(before(doc, start, 40))
        if _DATE_OR_IP.fullmatch(candidate):
            return False
        context = before(doc, start, 40)
        # Without a phone word, a bare digit string ("078051121") is not a phone number: the national
        # shapes need at least one separator.
        if not candidate.isdigit():
            for region, shape in _NATIONAL_SHAPES:
                if shape.fullmatch(candidate) and _possible(candidate, region):
                    return not _NOT_PHONE_LABELS.search(context)
        if _PHONE_WORDS.search(context) is None:
            return False
        return any(
            _possible(candidate, region) for region in _WORDED_REGIONS
        ) and not _NOT_PHONE_LABELS.search(context)


def _possible(number: str, region: str | None) -> bool:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed)


_LIST_HOSTS = ("lists.", "list.", "mailman.", "listserv.", "groups.", "googlegroups.com")
_LIST_SUFFIXES = ("-bounces", "-request", "-owner", "-subscribe", "-unsubscribe", "-announce", "-digest")


def _list_address(local: str, domain: str) -> bool:
    return domain.startswith(_LIST_HOSTS) or domain == "googlegroups.com" or local.endswith(_LIST_SUFFIXES)
