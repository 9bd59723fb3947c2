"""Set F, a named person with an identifier in formats that neither C, D nor E used (WhatsApp export, RTF
letter, LaTeX certificate, protobuf text format, fixed-width payroll report, mbox thread, GraphQL response),
and look-alikes in the same formats (public news, public notices, blank templates with placeholders, product
catalogues with checksum-valid EAN-13 codes, inventory reports, mailing-list announcements, public facts)."""

from __future__ import annotations

import json
from datetime import date

from ..heldout4.orgids import ean13
from .doc import Ctx, Out
from .f_ids import personal_id, phone
from .f_lang import CITIES, T


def _t(ctx: Ctx) -> dict[str, str]:
    return T[ctx.lang]


def _city(ctx: Ctx) -> str:
    return ctx.pick(CITIES[ctx.lang])


def _dob(ctx: Ctx) -> str:
    d = ctx.day(1955, 2002)
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def _fill(ctx: Ctx, s: str, **kw: str) -> str:
    base = dict(
        name=ctx.name(),
        id="",
        dob=_dob(ctx),
        amt=str(ctx.money(800, 9000)),
        city=_city(ctx),
        year=str(ctx.rng.randrange(2019, 2026)),
        time=f"{ctx.rng.randrange(6, 9)}:{ctx.rng.choice(['00', '15', '30', '45'])}",
    )
    base.update(kw)
    return s.format(**base)


def _wa_stamp(d: date, m: int) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}, {9 + m // 60:02d}:{m % 60:02d}"


def _whatsapp(ctx: Ctx, people: list[str], msgs: list[tuple[int, str]]) -> str:
    m, d = ctx.rng.randrange(0, 300), ctx.day()
    out = []
    for who, text in msgs:
        m += ctx.rng.randrange(1, 7)
        out.append(f"[{_wa_stamp(d, m)}] {people[who]}: {text}")
    return "\u200e" + "\n".join(out) + "\n"


# --- sensitive ----------------------------------------------------------------------------------------


def whatsapp_id(ctx: Ctx) -> Out:
    t, a, b, p = _t(ctx), ctx.name(), ctx.name(), ctx.name()
    msgs = [
        (0, t["subj"] + "?"),
        (1, _fill(ctx, t["s_share"], name=p, id=personal_id(ctx.rng, ctx.lang))),
        (1, phone(ctx.rng, ctx.lang)),
        (0, "👍"),
    ]
    return Out(_whatsapp(ctx, [a, b], msgs), "WhatsApp export: a named person's national id and phone", "txt")


def _rtf(text: str) -> str:
    esc = "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in text)
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}\n\\f0\\fs22 "
        + esc.replace("\n", "\\par\n")
        + "\\par\n}\n"
    )


def rtf_letter_id(ctx: Ctx) -> Out:
    t, p = _t(ctx), ctx.name()
    pid = personal_id(ctx.rng, ctx.lang)
    body = (
        f"{_city(ctx)}, {ctx.day():%d.%m.%Y}\n{t['subj']}\n\n{t['name']}: {p}\n{t['dob']}: {_dob(ctx)}\n"
        f"{t['idl']}: {pid}\n{t['addr']}: {ctx.address()}\n"
    )
    return Out(_rtf(body), "RTF letter (non-ASCII as \\u escapes) with a person's national id", "rtf")


def latex_certificate_id(ctx: Ctx) -> Out:
    t, p = _t(ctx), ctx.name()
    body = (
        "\\documentclass[a4paper]{article}\n\\usepackage{fontspec}\n\\begin{document}\n\\section*{"
        + t["subj"]
        + "}\n"
        "\\begin{tabular}{ll}\n"
        f"{t['name']} & {p} \\\\\n{t['dob']} & {_dob(ctx)} \\\\\n{t['idl']} & \\texttt{{{personal_id(ctx.rng, ctx.lang)}}} \\\\\n"
        f"{t['pay']} & {ctx.money(900, 6000)}~{t['cur']} \\\\\n\\end{{tabular}}\n\\end{{document}}\n"
    )
    return Out(body, "LaTeX source of an employee sheet with national id and pay", "tex")


def textproto_person(ctx: Ctx) -> Out:
    rows = []
    for _ in range(ctx.rng.randrange(2, 4)):
        rows.append(
            f'person {{\n  full_name: "{ctx.name()}"\n  national_id: "{personal_id(ctx.rng, ctx.lang)}"\n'
            f"  birth_date {{ year: {ctx.rng.randrange(1955, 2003)} month: {ctx.rng.randrange(1, 13)} day: {ctx.rng.randrange(1, 29)} }}\n"
            f'  phone: "{phone(ctx.rng, ctx.lang)}"\n  city: "{_city(ctx)}"\n}}'
        )
    return Out(
        "# proto-file: registry/v1/person.proto\n# proto-message: PersonList\n" + "\n".join(rows) + "\n",
        "protobuf text format: people with national ids",
        "textproto",
    )


def fixed_width_payroll(ctx: Ctx) -> Out:
    t = _t(ctx)
    head = f"{t['name'][:24]:<26}{t['idl'][:18]:<20}{t['pay'][:12]:>14}"
    lines = [head, "-" * 60]
    for _ in range(ctx.rng.randrange(4, 7)):
        lines.append(f"{ctx.name()[:24]:<26}{personal_id(ctx.rng, ctx.lang):<20}{ctx.money(700, 8000):>14}")
    return Out("\n".join(lines) + "\n", "fixed-width payroll report: names, ids, pay", "prn")


def mbox_id_thread(ctx: Ctx) -> Out:
    t, a, b = _t(ctx), ctx.name(), ctx.name()
    d = ctx.day()
    body = _fill(ctx, t["s_share"], id=personal_id(ctx.rng, ctx.lang))
    ea, eb = ctx.email_of(a), ctx.email_of(b)
    msg = (
        f"From {ea} {d:%a %b %d} 10:12:44 {d.year}\nFrom: {a} <{ea}>\n"
        f"To: {b} <{eb}>\nSubject: {t['subj']}\nDate: {d:%a, %d %b %Y} 10:12:44 +0000\n\n{body}\n"
        f"\nFrom {eb} {d:%a %b %d} 11:02:10 {d.year}\nFrom: {b} <{eb}>\n"
        f"Subject: Re: {t['subj']}\n\n>{body[:60]}\nOK.\n"
    )
    return Out(msg, "mbox mailbox: a thread carrying a person's national id", "mbox")


def graphql_profile(ctx: Ctx) -> Out:
    p = ctx.name()
    data = {
        "data": {
            "customer": {
                "id": f"cus_{ctx.rng.randrange(10**6)}",
                "fullName": p,
                "email": ctx.email_of(p),
                "taxId": personal_id(ctx.rng, ctx.lang),
                "phone": phone(ctx.rng, ctx.lang),
                "address": {"city": _city(ctx)},
            }
        },
        "extensions": {"cost": {"requestedQueryCost": 12}},
    }
    return Out(
        json.dumps(data, ensure_ascii=False, indent=2), "GraphQL response: a customer's tax id", "json"
    )


# --- look-alikes ----------------------------------------------------------------------------------------


def whatsapp_public(ctx: Ctx) -> Out:
    t, a, b = _t(ctx), ctx.name(), ctx.name()
    msgs = [(0, _fill(ctx, t["n_news"])), (1, _fill(ctx, t["notice"])), (0, "😮")]
    return Out(_whatsapp(ctx, [a, b], msgs), "WhatsApp export sharing public news and a public notice", "txt")


def rtf_public_notice(ctx: Ctx) -> Out:
    t = _t(ctx)
    body = f"{_fill(ctx, t['notice'])}\n\n{_fill(ctx, t['n_news'])}\n"
    return Out(_rtf(body), "RTF public notice", "rtf")


def latex_template_blank(ctx: Ctx) -> Out:
    t = _t(ctx)
    body = (
        "\\documentclass[a4paper]{article}\n\\newcommand{\\field}[1]{\\underline{\\hspace{6cm}}}\n\\begin{document}\n"
        "\\section*{" + t["subj"] + "}\n\\begin{tabular}{ll}\n"
        f"{t['name']} & \\field{{name}} \\\\\n{t['dob']} & \\field{{dob}} \\\\\n{t['idl']} & \\field{{id}} \\\\\n"
        f"{t['pay']} & \\VAR{{salary}} {t['cur']} \\\\\n\\end{{tabular}}\n\\end{{document}}\n"
    )
    return Out(body, "LaTeX form template: blank fields and placeholders only", "tex")


def textproto_catalog(ctx: Ctx) -> Out:
    rows = []
    for i in range(ctx.rng.randrange(2, 4)):
        rows.append(
            f'item {{\n  sku: "SKU-{ctx.rng.randrange(10**5, 10**6)}"\n  gtin: "{ean13(ctx.rng)}"\n'
            f'  price_minor: {ctx.money(100, 90000)}\n  warehouse: "{_city(ctx)}"\n  shelf: {i + 1}\n}}'
        )
    return Out(
        "# proto-message: Catalog\n" + "\n".join(rows) + "\n",
        "protobuf text catalogue with valid EAN-13s",
        "textproto",
    )


def fixed_width_inventory(ctx: Ctx) -> Out:
    lines = [f"{'SKU':<12}{'GTIN':<16}{'QTY':>8}{'WAREHOUSE':>16}", "-" * 52]
    for _ in range(ctx.rng.randrange(4, 7)):
        lines.append(
            f"{ctx.rng.randrange(10**7, 10**8):<12}{ean13(ctx.rng):<16}{ctx.rng.randrange(1, 900):>8}{_city(ctx):>16}"
        )
    return Out("\n".join(lines) + "\n", "fixed-width inventory with checksum-valid GTINs", "prn")


def mbox_mailing_list(ctx: Ctx) -> Out:
    t, d = _t(ctx), ctx.day()
    body = f"{_fill(ctx, t['notice'])}\n\n{_fill(ctx, t['n_news'])}\n\n--\nannounce mailing list\nhttps://lists.example.org/announce\n"
    msg = (
        f"From announce-bounces@lists.example.org {d:%a %b %d} 08:00:00 {d.year}\nFrom: announce@lists.example.org\n"
        f"To: announce@lists.example.org\nSubject: [announce] {_city(ctx)}\nList-Id: <announce.lists.example.org>\n\n{body}"
    )
    return Out(msg, "mbox: a mailing-list announcement from a role address", "mbox")


def graphql_public(ctx: Ctx) -> Out:
    t = _t(ctx)
    data = {
        "data": {
            "article": {
                "id": f"art_{ctx.rng.randrange(10**6)}",
                "body": t["n_public"],
                "tags": ["history"],
                "published": True,
            }
        }
    }
    return Out(
        json.dumps(data, ensure_ascii=False, indent=2),
        "GraphQL response: a public figure's public facts",
        "json",
    )
