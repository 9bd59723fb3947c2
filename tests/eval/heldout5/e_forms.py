"""Set E, identifiers in data formats that neither C nor D used (YAML, XML, TSV, Excel CSV with a BOM, JSON
lines, Markdown tables, line-broken PDF text), each in the twelve languages of e_lang, and the look-alikes
in the same formats: templates with placeholders, product catalogues whose codes pass their checksums,
aggregate statistics, role addresses, public notices, public figures' public facts."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

from ..heldout4 import orgids
from ..heldout4.shapes import chat, email, fmt_date, ocr_noise, to_csv
from .doc import Ctx, Out
from .e_ids import personal_id, phone
from .e_lang import T


@dataclass
class Person:
    name: str
    dob: str
    pid: str
    addr: str
    phone: str
    city: str


def city(ctx: Ctx) -> str:
    return ctx.pick(T[ctx.lang]["cities"].split("|"))


def person(ctx: Ctx) -> Person:
    t = T[ctx.lang]
    c = city(ctx)
    d = fmt_date(ctx.day(1950, 2003), ctx.lang)
    return Person(
        ctx.name(),
        d,
        personal_id(ctx.rng, ctx.lang),
        f"{t['street']} {ctx.rng.randrange(1, 180)}, {c}",
        phone(ctx.rng, ctx.lang),
        c,
    )


def amt(ctx: Ctx, lo: int = 1200, hi: int = 6000) -> str:
    t = T[ctx.lang]
    scale = {"fa": 100_000, "th": 30, "sw": 100, "tl": 50, "bg": 2}.get(ctx.lang, 1)
    return f"{ctx.money(lo, hi) * scale:,} {t['cur']}"


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


# --- sensitive: a named person with a national identifier --------------------------------------------


def yaml_person(ctx: Ctx) -> Out:
    t, p = T[ctx.lang], person(ctx)
    body = (
        f"# onboarding/{ctx.rng.randrange(1000, 9999)}.yaml\n"
        f"record:\n  {_q(t['name'])}: {_q(p.name)}\n  {_q(t['dob'])}: {_q(p.dob)}\n"
        f"  {_q(t['idl'])}: {_q(p.pid)}\n  {_q(t['addr'])}: {_q(p.addr)}\n  {_q(t['phone'])}: {_q(p.phone)}\n"
        f"  status: active\n"
    )
    return Out(body, f"YAML record: name, birth date and {t['idl']}", "yaml")


def xml_registry(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    rows = []
    for _ in range(ctx.rng.randrange(2, 5)):
        p = person(ctx)
        rows.append(
            f'  <person>\n    <field label="{t["name"]}">{p.name}</field>\n'
            f'    <field label="{t["idl"]}">{p.pid}</field>\n    <field label="{t["addr"]}">{p.addr}</field>\n'
            "  </person>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<registry export="members">\n'
        + "\n".join(rows)
        + "\n</registry>\n"
    )
    return Out(body, f"XML export of people with {t['idl']}", "xml")


def tsv_payroll(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    rows = []
    for _ in range(ctx.rng.randrange(3, 7)):
        p = person(ctx)
        rows.append([p.name, p.pid, amt(ctx)])
    return Out(
        to_csv([t["name"], t["idl"], t["pay"]], rows, "\t"), f"TSV payroll: name, {t['idl']}, pay", "tsv"
    )


def csv_bom_excel(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    rows = []
    for _ in range(ctx.rng.randrange(2, 6)):
        p = person(ctx)
        rows.append([p.name, p.dob, p.pid, p.addr, p.phone])
    body = to_csv([t["name"], t["dob"], t["idl"], t["addr"], t["phone"]], rows, ";")
    return Out("\ufeff" + body.replace("\n", "\r\n"), f"Excel CSV (BOM, ';', CRLF) with {t['idl']}", "csv")


def jsonl_kyc(ctx: Ctx) -> Out:
    lines = []
    for i in range(ctx.rng.randrange(2, 5)):
        p = person(ctx)
        ev = {
            "ts": f"2026-0{ctx.rng.randrange(1, 9)}-1{i}T0{i}:12:00Z",
            "event": "kyc.verified",
            "name": p.name,
        }
        ev |= {"national_id": p.pid, "phone": p.phone, "city": p.city}
        lines.append(json.dumps(ev, ensure_ascii=False))
    return Out("\n".join(lines) + "\n", "JSON lines: KYC events with a national id", "jsonl")


def email_id(ctx: Ctx) -> Out:
    t, p = T[ctx.lang], person(ctx)
    hr = ctx.name()
    body = (
        t["s_id"].format(name=p.name, dob=p.dob, id=p.pid)
        + f"\n{t['addr']}: {p.addr}\n{t['phone']}: {p.phone}\n\n{hr}"
    )
    return Out(
        email(
            ctx,
            ctx.email_of(hr),
            f"hr@{ctx.rng.choice(['firma', 'kompani', 'office'])}.example",
            p.name,
            body,
        ),
        f"e-mail: {t['idl']} in prose",
        "eml",
    )


def chat_id(ctx: Ctx) -> Out:
    t, p = T[ctx.lang], person(ctx)
    a = ctx.name()
    lines = [
        (0, f"{t['idl']}?"),
        (1, p.pid),
        (1, t["s_id"].format(name=p.name, dob=p.dob, id=p.pid)),
        (0, "👍"),
    ]
    return Out(
        chat(ctx, [a, p.name], lines, ctx.variant(["whatsapp", "slack", "teams"])),
        f"chat: {t['idl']} pasted",
        "txt",
    )


def pdf_broken(ctx: Ctx) -> Out:
    t, p = T[ctx.lang], person(ctx)
    text = (
        t["s_id"].format(name=p.name, dob=p.dob, id=p.pid)
        + f" {t['addr']}: {p.addr}. {t['phone']}: {p.phone}."
    )
    lines = textwrap.wrap(text, ctx.rng.randrange(28, 44), break_long_words=False)
    body = (
        f"-- 1 / {ctx.rng.randrange(2, 5)} --\n\n"
        + "\n".join(lines)
        + f"\n\n{p.city}, {fmt_date(ctx.day(), ctx.lang)}\n"
    )
    return Out(ocr_noise(ctx.rng, body), f"PDF text, broken lines: {t['idl']}", "txt")


def md_table(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    out = [f"| {t['name']} | {t['dob']} | {t['idl']} | {t['phone']} |", "|---|---|---|---|"]
    for _ in range(ctx.rng.randrange(2, 6)):
        p = person(ctx)
        out.append(f"| {p.name} | {p.dob} | {p.pid} | {p.phone} |")
    return Out(
        "## " + ctx.company() + "\n\n" + "\n".join(out) + "\n", f"Markdown table with {t['idl']}", "md"
    )


# --- look-alikes in the same formats -------------------------------------------------------------------


def yaml_template(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    body = (
        "# form schema; values are filled in at run time, none is stored here\n"
        f'fields:\n  - key: full_name\n    label: {_q(t["name"])}\n    value: "{{{{ applicant.name }}}}"\n'
        f'  - key: national_id\n    label: {_q(t["idl"])}\n    value: "{{{{ applicant.national_id }}}}"\n'
        f"    pattern: {_q(ctx.variant(['^[0-9]{10}$', '^[0-9X-]+$', 'XXXXXXXXXX']))}\n"
        f'  - key: phone\n    label: {_q(t["phone"])}\n    value: "${{PHONE}}"\n'
        f"help: {_q(t['n_disc'])}\n"
    )
    return Out(body, "YAML form template with placeholders", "yaml")


def xml_catalog(ctx: Ctx) -> Out:
    items = []
    for _ in range(ctx.rng.randrange(3, 6)):
        code = orgids.ean13(ctx.rng) if ctx.rng.random() < 0.7 else orgids.isbn13(ctx.rng).replace("-", "")
        items.append(
            f'  <item sku="SKU-{ctx.rng.randrange(10000, 99999)}" gtin="{code}" price="{ctx.rng.randrange(2, 400)}.{ctx.rng.randrange(10, 99)}"/>'
        )
    body = (
        f'<?xml version="1.0"?>\n<catalog store="{ctx.company()}" city="{city(ctx)}">\n'
        + "\n".join(items)
        + "\n</catalog>\n"
    )
    return Out(body, "XML product catalogue: GTINs that pass their check digit", "xml")


def tsv_stats(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    rows = [[c, amt(ctx), amt(ctx), ctx.rng.randrange(1000, 90000)] for c in t["cities"].split("|")]
    body = f"# {t['n_pay'].format(amt=amt(ctx))}\n" + to_csv(
        ["region", t["pay"] + " (avg)", t["pay"] + " (median)", "n"], rows, "\t"
    )
    return Out(body, "TSV aggregate pay statistics by region", "tsv")


def csv_bom_inventory(ctx: Ctx) -> Out:
    rows = [
        [
            f"SKU-{ctx.rng.randrange(10000, 99999)}",
            orgids.ean13(ctx.rng),
            ctx.rng.randrange(0, 500),
            city(ctx),
        ]
        for _ in range(ctx.rng.randrange(3, 7))
    ]
    body = to_csv(["SKU", "EAN", "qty", "warehouse"], rows, ";")
    return Out("\ufeff" + body.replace("\n", "\r\n"), "Excel CSV inventory with EAN-13", "csv")


def jsonl_transit(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    lines = []
    for i in range(ctx.rng.randrange(3, 6)):
        ev: dict[str, object] = {
            "ts": f"2026-05-0{i + 1}T07:{10 + i}:00Z",
            "vehicle": f"BUS-{ctx.rng.randrange(100, 999)}",
        }
        ev |= {
            "stop": f"{t['street']} {ctx.rng.randrange(1, 40)}",
            "city": city(ctx),
            "delay_s": ctx.rng.randrange(0, 600),
        }
        lines.append(json.dumps(ev, ensure_ascii=False))
    return Out("\n".join(lines) + "\n", "JSON lines: public transit events", "jsonl")


def email_role(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    org = ctx.company()
    body = (
        t[ctx.variant(["n_union", "n_immig", "n_health"])].format(city=city(ctx), year=2025)
        + f"\n\n{org}\n{t['phone']}: {phone(ctx.rng, ctx.lang)}\ninfo@{ctx.rng.choice(['union', 'office', 'agency'])}.example"
    )
    return Out(
        email(ctx, "press@agency.example", "newsroom@daily.example", org, body),
        "press e-mail from a role address",
        "eml",
    )


def chat_public(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    c = city(ctx)
    lines = [(0, t["n_crime"].format(city=c, year=2025)), (1, t["n_census"]), (0, "👍"), (1, t["n_public"])]
    return Out(
        chat(ctx, [ctx.name(), ctx.name()], lines, ctx.variant(["whatsapp", "slack", "teams"])),
        "chat sharing public news",
        "txt",
    )


def ocr_notice(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    text = (
        t["n_immig"]
        + " "
        + t["n_disc"]
        + f" {t['phone']}: {phone(ctx.rng, ctx.lang)}. {t['addr']}: {t['street']} 1, {city(ctx)}."
    )
    body = "\n".join(textwrap.wrap(text, ctx.rng.randrange(28, 44), break_long_words=False))
    return Out(ocr_noise(ctx.rng, body), "OCR of a public office notice", "txt")


def md_public(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    rows = [f"| {c} | {ctx.rng.randrange(50, 2000)} 000 |" for c in t["cities"].split("|")]
    body = (
        f"# {t['n_public']}\n\n| city | population |\n|---|---|\n"
        + "\n".join(rows)
        + f"\n\n{t['n_census']}\n"
    )
    return Out(body, "Markdown: a historical figure's public facts, population table", "md")
