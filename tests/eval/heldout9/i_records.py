"""Set I's record files (language ``code``): GEDCOM 5.5.1 family trees and ISO 20022 camt.053 bank statements.

A GEDCOM export of a living family that records a child's adoption (the birth mother and why the child was
placed) is sensitive; a GEDCOM of a published eighteenth- and nineteenth-century lineage is its look-alike. A
private person's camt.053 statement (IBAN with valid check digits from python-stdnum's ``iban``, salary
credit, pharmacy and loan lines) is sensitive; the sample statement from a bank's implementation guide, marked
as test data with a placeholder IBAN, is its look-alike."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from ..heldout4.ids import _mod, _n, _solve
from .doc import Ctx, Out

_GIVEN_M = ("Karim", "Moussa", "Samuel", "Yannick", "Tariq", "Omar", "Denis", "Brahim")
_GIVEN_F = ("Leïla", "Aminata", "Grace", "Salma", "Mariam", "Inès", "Wanjiru", "Fatou")
_SURN = ("Ben Salah", "Trabelsi", "Ould Ahmed", "Diallo", "Mwangi", "Haddad", "Kamara", "Bouzid")
_PLACES = (
    "Sfax, Tunisia",
    "Nouakchott, Mauritania",
    "Sousse, Tunisia",
    "Kiffa, Mauritania",
    "Bizerte, Tunisia",
)
# Towns that existed in the eighteenth century (Nouakchott did not).
_OLD_PLACES = (
    "Kairouan, Tunisia",
    "Chinguetti, Mauritania",
    "Ouadane, Mauritania",
    "Tunis, Tunisia",
    "Lamu, Kenya",
)
_MON = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _gdate(ctx: Ctx, lo: int, hi: int) -> str:
    d = ctx.day(lo, hi)
    return f"{d.day} {_MON[d.month - 1]} {d.year}"


def _indi(xref: str, name: str, sex: str, birth: str, place: str, extra: str = "") -> str:
    given, surname = name.split(" ", 1)
    return f"0 {xref} INDI\n1 NAME {given} /{surname}/\n1 SEX {sex}\n1 BIRT\n2 DATE {birth}\n2 PLAC {place}\n{extra}"


def _head(ctx: Ctx, source: str) -> str:
    return (
        f"0 HEAD\n1 SOUR {source}\n2 VERS {ctx.rng.randrange(2, 9)}.{ctx.rng.randrange(0, 10)}\n"
        "1 GEDC\n2 VERS 5.5.1\n2 FORM LINEAGE-LINKED\n1 CHAR UTF-8\n"
        f"1 DATE {_gdate(ctx, 2025, 2026)}\n"
    )


def gedcom_adoption(ctx: Ctx) -> Out:
    sur = ctx.pick(_SURN)
    dad, mum = f"{ctx.pick(_GIVEN_M)} {sur}", f"{ctx.pick(_GIVEN_F)} {ctx.pick(_SURN)}"
    child_sex = ctx.pick(("F", "M"))
    child = f"{ctx.pick(_GIVEN_F if child_sex == 'F' else _GIVEN_M)} {sur}"
    birth_mother = f"{ctx.pick(_GIVEN_F)} {ctx.pick(_SURN)}"
    home = ctx.pick(_PLACES)
    adopted = ctx.rng.randrange(2014, 2023)
    text = (
        _head(ctx, "FamilyTreeBuilder")
        + _indi(
            "@I1@",
            dad,
            "M",
            _gdate(ctx, 1975, 1990),
            home,
            f"1 RESI\n2 ADDR {ctx.rng.randrange(1, 90)} Rue {ctx.pick(_SURN)}, {home}\n1 FAMS @F1@\n",
        )
        + _indi("@I2@", mum, "F", _gdate(ctx, 1977, 1992), ctx.pick(_PLACES), "1 FAMS @F1@\n")
        + _indi(
            "@I3@",
            child,
            child_sex,
            _gdate(ctx, adopted - 4, adopted - 1),
            ctx.pick(_PLACES),
            f"1 FAMC @F1@\n2 PEDI adopted\n1 ADOP\n2 DATE {_gdate(ctx, adopted, adopted)}\n2 ADOP BOTH\n"
            f"1 NOTE Birth mother: {birth_mother}. Placed by the children's court after neglect and her\n"
            "2 CONT alcohol dependence; the child does not know yet. Do not share this tree outside the family.\n",
        )
        + "0 @F1@ FAM\n1 HUSB @I1@\n1 WIFE @I2@\n1 CHIL @I3@\n"
        + f"1 MARR\n2 DATE {_gdate(ctx, 2005, 2013)}\n0 TRLR\n"
    )
    return Out(text, "a living family's tree recording a child's adoption, birth mother and why", "ged")


def gedcom_historical(ctx: Ctx) -> Out:
    sur = ctx.pick(_SURN)
    people = []
    father_born = ctx.rng.randrange(1760, 1820)
    born_of = {
        1: father_born,
        2: father_born + ctx.rng.randrange(-3, 8),
        3: father_born + ctx.rng.randrange(22, 36),
    }
    for n, sex in ((1, "M"), (2, "F"), (3, ctx.pick(("M", "F")))):
        born = born_of[n]
        given = _GIVEN_F if sex == "F" else _GIVEN_M
        people.append(
            _indi(
                f"@I{n}@",
                f"{ctx.pick(given)} {sur if n != 2 else ctx.pick(_SURN)}",
                sex,
                _gdate(ctx, born, born),
                ctx.pick(_OLD_PLACES),
                f"1 DEAT\n2 DATE {_gdate(ctx, born + 35, born + 70)}\n"
                f"1 SOUR @S1@\n2 PAGE register {ctx.rng.randrange(1, 40)}, folio {ctx.rng.randrange(1, 300)}\n"
                + ("1 FAMC @F1@\n" if n == 3 else "1 FAMS @F1@\n"),
            )
        )
    text = (
        _head(ctx, "LineageArchive")
        + "".join(people)
        + "0 @F1@ FAM\n1 HUSB @I1@\n1 WIFE @I2@\n1 CHIL @I3@\n"
        + "0 @S1@ SOUR\n1 TITL Published parish and civil registers, digitised edition\n"
        "1 NOTE Everyone in this file died before 1930; the lineage is published in the society's journal.\n0 TRLR\n"
    )
    return Out(text, "a published lineage of people who died over a century ago", "ged")


# ---- ISO 20022 camt.053 ----------------------------------------------------------------------------------
_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def _iban(ctx: Ctx) -> tuple[str, str]:
    country = ctx.pick(("TN", "MR"))
    body = _n(ctx.rng, 20) if country == "TN" else _n(ctx.rng, 23)
    return _solve(ctx.rng, _mod("iban"), lambda r: f"{country}??{body}"), country


def _entry(ctx: Ctx, amount: int, ccy: str, credit: bool, text: str) -> str:
    d = ctx.day(2025, 2025).replace(month=_STMT_MONTH)
    return (
        f'   <Ntry><Amt Ccy="{ccy}">{amount}.{ctx.rng.randrange(100):02d}</Amt>'
        f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{d.isoformat()}</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>{escape(text)}"
        "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
    )


_STMT_MONTH = 9  # every statement covers September 2025 and is created on 1 October


def _statement(ctx: Ctx, iban: str, ccy: str, owner: str, addr: str, entries: str, note: str) -> str:
    d = date(2025, 10, 1)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{_NS}">\n <BkToCstmrStmt>\n'
        f"  <GrpHdr><MsgId>STMT{ctx.rng.randrange(10**9, 10**10)}</MsgId>"
        f"<CreDtTm>{d.isoformat()}T06:00:00</CreDtTm></GrpHdr>\n"
        f"  <Stmt><Id>{ctx.rng.randrange(10**5, 10**6)}</Id><ElctrncSeqNb>{ctx.rng.randrange(1, 300)}</ElctrncSeqNb>\n"
        "   <FrToDt><FrDtTm>2025-09-01T00:00:00</FrDtTm><ToDtTm>2025-09-30T23:59:59</ToDtTm></FrToDt>\n"
        f"   <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{ccy}</Ccy><Ownr><Nm>{escape(owner)}</Nm>"
        f"<PstlAdr><AdrLine>{escape(addr)}</AdrLine></PstlAdr></Ownr></Acct>\n"
        f'   <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="{ccy}">{ctx.rng.randrange(50, 9000)}.00'
        "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-09-01</Dt></Dt></Bal>\n"
        + entries
        + f"   <AddtlStmtInf>{escape(note)}</AddtlStmtInf>\n  </Stmt>\n </BkToCstmrStmt>\n</Document>\n"
    )


def camt_private(ctx: Ctx) -> Out:
    iban, country = _iban(ctx)
    ccy = "TND" if country == "TN" else "MRU"
    owner = f"{ctx.pick(_GIVEN_F + _GIVEN_M)} {ctx.pick(_SURN)}"
    addr = f"{ctx.rng.randrange(1, 90)} Rue {ctx.pick(_SURN)}, {ctx.pick(_PLACES).split(',')[0]}"
    pay = ctx.rng.randrange(900, 6000)
    entries = (
        _entry(ctx, pay, ccy, True, f"VIR SALAIRE SEP SOCIETE {ctx.pick(_SURN).upper()} SARL")
        + _entry(ctx, ctx.rng.randrange(20, 300), ccy, False, "PHARMACIE CENTRALE - ORDONNANCE INSULINE")
        + _entry(
            ctx,
            ctx.rng.randrange(150, 900),
            ccy,
            False,
            f"ECHEANCE PRET CONSO {ctx.rng.randrange(10**6, 10**7)}",
        )
        + _entry(ctx, ctx.rng.randrange(200, 1200), ccy, False, "LOYER APPARTEMENT")
    )
    text = _statement(ctx, iban, ccy, owner, addr, entries, "Relevé de compte particulier")
    return Out(
        text, "a private person's bank statement: IBAN, address, salary, pharmacy and loan lines", "xml"
    )


def camt_sample(ctx: Ctx) -> Out:
    ccy = ctx.pick(("TND", "MRU"))
    entries = _entry(ctx, 1000, ccy, True, "SAMPLE CREDIT TRANSFER") + _entry(
        ctx, 250, ccy, False, "SAMPLE DIRECT DEBIT"
    )
    text = _statement(
        ctx,
        f"{ctx.pick(('TN', 'MR'))}00 0000 0000 0000 0000 0000",
        ccy,
        "TEST ACCOUNT HOLDER",
        "1 Sample Street, Test Town",
        entries,
        f"TEST DATA - sample message from the camt.053 implementation guide v{ctx.rng.randrange(1, 6)}.0; "
        "all parties and the placeholder IBAN are fictitious",
    )
    return Out(text, "a camt.053 sample from an implementation guide, documented as test data", "xml")
