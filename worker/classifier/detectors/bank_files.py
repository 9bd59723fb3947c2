"""Bank statement files (OFX/QFX, SWIFT MT940/MT942, ISO 20022 camt.052/053/054), read by their tags.

A statement export names an account and lists what went through it: salary, rent, a clinic, a casino.
Its account number carries no label a reader would see ("<ACCTID>84412093", ":25:DEUTDEFF/0532013000"),
and a domestic account number has no checksum to find it by, so the label rules miss it (issue 18, set H:
0/8 OFX statements). The tags are fixed by the standards, so they are read directly, and an account is
reported only in a statement, i.e. next to at least one transaction of the same format: an OFX price list
(<SECLIST>) or a camt message with no entry names no account's dealings.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding

# OFX is SGML (v1, unclosed tags) or XML (v2); both write the account inside <BANKACCTFROM>/<CCACCTFROM>/
# <INVACCTFROM> as <ACCTID>value, and each transaction as <STMTTRN> or <INVBANKTRAN>/<BUYSTOCK>/...
_OFX_ACCOUNT = re.compile(
    r"<(?:BANK|CC|INV)ACCTFROM>.{0,200}?<ACCTID>\s*([^<\s]{4,34})", re.DOTALL | re.IGNORECASE
)
_OFX_TRANSACTION = re.compile(r"<(?:STMTTRN|INVTRAN)>", re.IGNORECASE)
# MT940/942: ":25:" is the account (optionally BIC/ before it), ":61:" a statement line.
_MT_ACCOUNT = re.compile(r"^:25P?:\s*([A-Z0-9/ \-]{6,40})$", re.MULTILINE)
_MT_TRANSACTION = re.compile(r"^:61:[0-9]{6}", re.MULTILINE)
# camt.05x: the statement's <Acct><Id> holds an <IBAN> (found on its own by its checksum) or <Othr><Id>.
_CAMT_ACCOUNT = re.compile(r"<Acct>\s*<Id>\s*<Othr>\s*<Id>\s*([^<\s]{4,34})\s*</Id>", re.IGNORECASE)
_CAMT_TRANSACTION = re.compile(r"<Ntry>", re.IGNORECASE)


def _accounts(text: str, account: re.Pattern[str], transaction: re.Pattern[str]) -> list[Finding]:
    if transaction.search(text) is None:
        return []
    return [
        Finding("bank_account", m.start(1), m.end(1))
        for m in account.finditer(text)
        if any(c.isdigit() for c in m.group(1))
    ]


class BankStatementDetector:
    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        if "ACCTFROM>" in text or "acctfrom>" in text:
            found += _accounts(text, _OFX_ACCOUNT, _OFX_TRANSACTION)
        if ":25" in text:
            found += _accounts(text, _MT_ACCOUNT, _MT_TRANSACTION)
        if "<Acct>" in text:
            found += _accounts(text, _CAMT_ACCOUNT, _CAMT_TRANSACTION)
        return found
