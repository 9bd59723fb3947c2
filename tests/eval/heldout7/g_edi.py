"""Set G's interchange messages: an UN/EDIFACT PAXLST passenger manifest (names, birth dates, nationality,
passport numbers) next to an EDIFACT DESADV despatch advice (goods only), and an ISO 20022 pain.001 salary
run (category SALA, named employees and their IBANs) next to a pain.001 supplier run (category SUPP,
companies paying companies)."""

from __future__ import annotations

import string

from ..heldout4.bank import iban
from .doc import Ctx, Out

_AIRPORTS = ("LHR", "FRA", "AMS", "CDG", "MAD", "JFK", "DXB", "IST")
_NAT = (("GBR", "GB"), ("DEU", "DE"), ("FRA", "FR"), ("NLD", "NL"), ("ESP", "ES"))


def _unb(ctx: Ctx, msg: str, sender: str, receiver: str) -> tuple[str, str]:
    d = ctx.day(2025, 2026)
    ref = str(ctx.rng.randrange(10000, 99999))
    head = f"UNA:+.? 'UNB+UNOA:4+{sender}+{receiver}+{d.strftime('%y%m%d')}:{ctx.rng.randrange(24):02d}{ctx.rng.randrange(60):02d}+{ref}'UNH+1+{msg}'"
    return head, ref


def _ascii(s: str) -> str:
    return "".join(c for c in s.upper() if c in string.ascii_uppercase + " -").replace(" ", "")


def edifact_paxlst(ctx: Ctx) -> Out:
    orig, dest = ctx.rng.sample(_AIRPORTS, 2)
    head, ref = _unb(ctx, "PAXLST:D:05B:UN:IATA", "XXAIRLINE", "APISGATEWAY")
    segs = [
        head,
        "BGM+745'",
        f"TDT+20+XX{ctx.rng.randrange(100, 9999)}'",
        f"LOC+125+{orig}'",
        f"LOC+87+{dest}'",
    ]
    n = ctx.rng.randrange(2, 6)
    for _ in range(n):
        first, last = ctx.first_last()
        d = ctx.day(1950, 2010)
        nat3 = _NAT[ctx.rng.randrange(len(_NAT))][0]
        segs += [
            f"NAD+FL+++{_ascii(last)}:{_ascii(first)}'",
            f"ATT+2++{ctx.pick('MF')}'",
            f"DTM+329:{d.strftime('%y%m%d')}'",
            f"NAT+2+{nat3}'",
            f"DOC+P:110:111+{ctx.rng.choice(string.ascii_uppercase)}{ctx.rng.randrange(10**7, 10**8)}'",
            f"DTM+36:{ctx.rng.randrange(27, 35)}{ctx.rng.randrange(1, 13):02d}{ctx.rng.randrange(1, 29):02d}'",
            f"LOC+91+{nat3}'",
        ]
    segs += [f"CNT+42:{n}'", f"UNT+{len(segs) + 1}+1'", f"UNZ+1+{ref}'"]
    return Out(
        "\n".join(segs) + "\n",
        "an EDIFACT PAXLST with passengers' names, birth dates and passport numbers",
        "edi",
    )


def edifact_desadv(ctx: Ctx) -> Out:
    head, ref = _unb(
        ctx,
        "DESADV:D:96A:UN:EAN005",
        f"{ctx.rng.randrange(10**12, 10**13)}:14",
        f"{ctx.rng.randrange(10**12, 10**13)}:14",
    )
    segs = [
        head,
        f"BGM+351+DES{ctx.rng.randrange(100000, 999999)}+9'",
        f"DTM+137:{ctx.day(2025, 2026).strftime('%Y%m%d')}:102'",
    ]
    segs.append(f"NAD+SU+{ctx.rng.randrange(10**12, 10**13)}::9++{_ascii(ctx.company())[:30]}'")
    segs.append(f"NAD+DP+{ctx.rng.randrange(10**12, 10**13)}::9'")
    for i in range(1, ctx.rng.randrange(3, 7)):
        segs += [f"LIN+{i}++{ctx.rng.randrange(10**12, 10**13)}:EN'", f"QTY+12:{ctx.rng.randrange(1, 400)}'"]
    segs += [f"UNT+{len(segs) + 1}+1'", f"UNZ+1+{ref}'"]
    return Out("\n".join(segs) + "\n", "an EDIFACT despatch advice: goods, companies and GLNs only", "edi")


def _pain001(
    ctx: Ctx, purpose: str, debtor: str, debtor_iban: str, txs: list[tuple[str, str, int, str]]
) -> str:
    d = ctx.day(2025, 2026)
    total = sum(t[2] for t in txs)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">',
        "<CstmrCdtTrfInitn>",
        f"<GrpHdr><MsgId>MSG-{ctx.rng.randrange(10**8, 10**9)}</MsgId><CreDtTm>{d.isoformat()}T08:00:00</CreDtTm>"
        f"<NbOfTxs>{len(txs)}</NbOfTxs><CtrlSum>{total}.00</CtrlSum><InitgPty><Nm>{debtor}</Nm></InitgPty></GrpHdr>",
        f"<PmtInf><PmtInfId>{purpose}-{d.strftime('%Y%m')}</PmtInfId><PmtMtd>TRF</PmtMtd>"
        f"<PmtTpInf><CtgyPurp><Cd>{purpose}</Cd></CtgyPurp></PmtTpInf>"
        f"<ReqdExctnDt><Dt>{d.isoformat()}</Dt></ReqdExctnDt><Dbtr><Nm>{debtor}</Nm></Dbtr>"
        f"<DbtrAcct><Id><IBAN>{debtor_iban}</IBAN></Id></DbtrAcct>",
    ]
    for n, (nm, acct, amt, info) in enumerate(txs, 1):
        out.append(
            f"<CdtTrfTxInf><PmtId><EndToEndId>E2E-{n:04d}</EndToEndId></PmtId>"
            f'<Amt><InstdAmt Ccy="EUR">{amt}.00</InstdAmt></Amt><Cdtr><Nm>{nm}</Nm></Cdtr>'
            f"<CdtrAcct><Id><IBAN>{acct}</IBAN></Id></CdtrAcct><RmtInf><Ustrd>{info}</Ustrd></RmtInf></CdtTrfTxInf>"
        )
    out += ["</PmtInf>", "</CstmrCdtTrfInitn>", "</Document>"]
    return "\n".join(out) + "\n"


def pain001_payroll(ctx: Ctx) -> Out:
    cc = ctx.pick(["DE", "NL", "BE", "AT", "FR"])
    month = ctx.pick(["01", "03", "06", "09", "11"])
    txs = [
        (ctx.name(), iban(ctx.rng, cc, spaced=False), ctx.money(1900, 7800, 10), f"Salary 2025-{month}")
        for _ in range(ctx.rng.randrange(3, 7))
    ]
    return Out(
        _pain001(ctx, "SALA", ctx.company(), iban(ctx.rng, cc, spaced=False), txs),
        "an ISO 20022 salary run: named employees, pay and IBANs",
        "xml",
    )


def pain001_suppliers(ctx: Ctx) -> Out:
    cc = ctx.pick(["DE", "NL", "BE", "AT", "FR"])
    txs = [
        (
            ctx.company(),
            iban(ctx.rng, cc, spaced=False),
            ctx.money(400, 90000, 10),
            f"Invoice INV-{ctx.rng.randrange(10000, 99999)}",
        )
        for _ in range(ctx.rng.randrange(3, 7))
    ]
    return Out(
        _pain001(ctx, "SUPP", ctx.company(), iban(ctx.rng, cc, spaced=False), txs),
        "an ISO 20022 supplier run: companies paying companies",
        "xml",
    )
