"""Set I's language documents in formats no earlier set used: UBL 2.1 invoices, Excel 2003 XML
(SpreadsheetML) workbooks, and special-category notes as a Telegram Desktop JSON export, a voicemail
transcription e-mail, an iCalendar invite or Markdown minutes; every sensitive kind has a look-alike in the
same format that is about nobody (an invoice between two companies, a sheet of town statistics, notices)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from .doc import Ctx, Gen, Out
from .i_containers import CONTAINERS
from .i_ids import ID_OF, SCHEME
from .i_lang import CITIES, COUNTRY, CURRENCY, DATE_STYLE, LANGS, NAMES, PAY_RANGE, PHONE, T


def name(ctx: Ctx) -> str:
    return ctx.pick(NAMES[ctx.lang])


def city(ctx: Ctx) -> str:
    return ctx.pick(CITIES[ctx.lang])


def local_date(ctx: Ctx, lo: int = 2025, hi: int = 2026) -> str:
    d = ctx.day(lo, hi)
    return DATE_STYLE[ctx.lang].format(d=d.day, m=d.month, y=d.year)


def phone(ctx: Ctx) -> str:
    return PHONE[ctx.lang].format(a=ctx.rng.randrange(10, 99), b=ctx.rng.randrange(100000, 999999))


def pay(ctx: Ctx) -> int:
    lo, hi = PAY_RANGE[ctx.lang]
    return ctx.money(lo, hi, max(10, lo // 100))


def fill(ctx: Ctx, key: str, who: str | None = None) -> str:
    amount = pay(ctx)
    return T[ctx.lang][key].format(
        name=who or name(ctx),
        date=local_date(ctx),
        city=city(ctx),
        year=str(ctx.rng.randrange(2017, 2025)),
        ref=f"{ctx.rng.randrange(100, 9999)}/{ctx.rng.randrange(2024, 2027)}",
        amount=f"{amount:,}",
        debt=f"{amount * ctx.rng.randrange(4, 30):,}",
    )


# ---- UBL 2.1 invoices ------------------------------------------------------------------------------------
_UBL_NS = (
    'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)


def _party(tag: str, inner: str) -> str:
    return f"  <cac:{tag}>\n    <cac:Party>\n{inner}    </cac:Party>\n  </cac:{tag}>\n"


def _address(ctx: Ctx, town: str) -> str:
    t = T[ctx.lang]
    street = t["street"].format(n=ctx.rng.randrange(1, 40), h=ctx.rng.randrange(1, 400))
    return (
        "      <cac:PostalAddress>\n"
        f"        <cbc:StreetName>{escape(street)}</cbc:StreetName>\n"
        f"        <cbc:CityName>{escape(town)}</cbc:CityName>\n"
        f"        <cac:Country><cbc:IdentificationCode>{COUNTRY[ctx.lang]}</cbc:IdentificationCode></cac:Country>\n"
        "      </cac:PostalAddress>\n"
    )


def _company(ctx: Ctx, town: str) -> str:
    reg = f"{COUNTRY[ctx.lang]}{ctx.rng.randrange(10_000_000, 99_999_999)}"
    return (
        f"      <cac:PartyName><cbc:Name>{escape(T[ctx.lang]['co'].format(city=town))}</cbc:Name></cac:PartyName>\n"
        + _address(ctx, town)
        + f"      <cac:PartyLegalEntity><cbc:CompanyID>{reg}</cbc:CompanyID></cac:PartyLegalEntity>\n"
        + f"      <cac:Contact><cbc:ElectronicMail>sales@{reg.lower()}.example</cbc:ElectronicMail></cac:Contact>\n"
    )


def _person(ctx: Ctx) -> str:
    who = name(ctx)
    return (
        f'      <cac:PartyIdentification><cbc:ID schemeName="{SCHEME[ctx.lang]}">{ID_OF[ctx.lang](ctx.rng)}'
        "</cbc:ID></cac:PartyIdentification>\n"
        + _address(ctx, city(ctx))
        + f"      <cac:PartyLegalEntity><cbc:RegistrationName>{escape(who)}</cbc:RegistrationName>"
        "</cac:PartyLegalEntity>\n"
        + f"      <cac:Contact><cbc:Telephone>{phone(ctx)}</cbc:Telephone></cac:Contact>\n"
    )


def _invoice(ctx: Ctx, buyer: str, seller_town: str) -> str:
    t, cur = T[ctx.lang], CURRENCY[ctx.lang]
    issued = ctx.day(2025, 2026)
    lo, hi = PAY_RANGE[ctx.lang]
    lines, total = [], 0
    for n, item in enumerate((t["item1"], t["item2"]), 1):
        price = ctx.money(lo // 2, hi, max(10, lo // 100)) // n
        total += price
        lines.append(
            f"  <cac:InvoiceLine>\n    <cbc:ID>{n}</cbc:ID>\n"
            f'    <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>\n'
            f'    <cbc:LineExtensionAmount currencyID="{cur}">{price}.00</cbc:LineExtensionAmount>\n'
            f"    <cac:Item><cbc:Name>{escape(item)}</cbc:Name></cac:Item>\n  </cac:InvoiceLine>\n"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Invoice {_UBL_NS}>\n'
        "  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>\n"
        f"  <cbc:ID>INV-{issued.year}-{ctx.rng.randrange(1, 9999):04d}</cbc:ID>\n"
        f"  <cbc:IssueDate>{issued.isoformat()}</cbc:IssueDate>\n"
        "  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n"
        f"  <cbc:Note>{escape(t['inv_note'])}</cbc:Note>\n"
        f"  <cbc:DocumentCurrencyCode>{cur}</cbc:DocumentCurrencyCode>\n"
        + _party("AccountingSupplierParty", _company(ctx, seller_town))
        + _party("AccountingCustomerParty", buyer)
        + "".join(lines)
        + f'  <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="{cur}">{total}.00</cbc:PayableAmount>'
        "</cac:LegalMonetaryTotal>\n</Invoice>\n"
    )


def ubl_private_buyer(ctx: Ctx) -> Out:
    return Out(
        _invoice(ctx, _person(ctx), city(ctx)),
        "an invoice to a private buyer with their national id, home address and phone",
        "xml",
    )


def ubl_company_buyer(ctx: Ctx) -> Out:
    seller, buyer = ctx.rng.sample(CITIES[ctx.lang], 2)
    return Out(
        _invoice(ctx, _company(ctx, buyer), seller),
        "an invoice between two companies, no private person",
        "xml",
    )


# ---- Excel 2003 XML (SpreadsheetML) ----------------------------------------------------------------------
def _cell(v: str | int) -> str:
    kind = "Number" if isinstance(v, int) else "String"
    return f'<Cell><Data ss:Type="{kind}">{escape(str(v))}</Data></Cell>'


def _workbook(sheet: str, rows: list[list[str | int]]) -> str:
    body = "\n".join(f"   <Row>{''.join(_cell(v) for v in row)}</Row>" for row in rows)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\n'
        ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
        f' <Worksheet ss:Name="{escape(sheet)}">\n  <Table>\n{body}\n  </Table>\n </Worksheet>\n</Workbook>\n'
    )


def sheet_payroll(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    rows: list[list[str | int]] = [[t["col_name"], t["col_id"], t["col_salary"], t["col_start"]]]
    for who in ctx.rng.sample(NAMES[ctx.lang], ctx.rng.randrange(3, 7)):
        rows.append([who, ID_OF[ctx.lang](ctx.rng), pay(ctx), local_date(ctx, 2012, 2025)])
    sheet = f"{t['pay_sheet']} {ctx.rng.randrange(1, 13):02d}-{ctx.rng.randrange(2025, 2027)}"
    return Out(_workbook(sheet, rows), "a payroll sheet: named staff, national ids and monthly pay", "xml")


def sheet_town_stats(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    year = ctx.rng.randrange(2019, 2026)
    rows: list[list[str | int]] = [[t["col_region"], t["col_year"], t["col_count"], t["col_avg"]]]
    for town in ctx.rng.sample(CITIES[ctx.lang], ctx.rng.randrange(4, 8)):
        rows.append([town, year, ctx.rng.randrange(300, 40_000), pay(ctx)])
    return Out(_workbook(t["stats_sheet"], rows), "published per-town business counts and average pay", "xml")


# ---- special-category notes in four containers -----------------------------------------------------------
def _note(key: str, why: str) -> Gen:
    def gen(ctx: Ctx) -> Out:
        who = name(ctx) if key.startswith("s_") else None
        sentence = fill(ctx, key, who)
        form = CONTAINERS[(ctx.k + LANGS.index(ctx.lang)) % len(CONTAINERS)]
        text, ext = form(ctx, T[ctx.lang], sentence, city(ctx), phone(ctx), name(ctx))
        return Out(text, why, ext)

    return gen


SPECIAL_S = {
    "ethnic_origin_disclosed_named": _note(
        "s_eth", "a named employee's ethnic origin, disclosed in confidence"
    ),
    "psychiatric_admission_named": _note("s_psy", "a named person's involuntary psychiatric admission"),
    "gender_transition_named": _note("s_gen", "a named employee's gender transition and former name"),
    "wage_garnishment_named": _note("s_gar", "a court order garnishing a named person's wage for a debt"),
}
SPECIAL_N = {
    "census_ethnicity_tables": _note("n_eth", "a public census report by ethnic group, no person"),
    "mental_health_week_notice": _note("n_psy", "a public mental-health awareness week notice"),
    "equal_opportunity_training": _note("n_gen", "an equal-opportunities policy and training date"),
    "debt_advice_clinic_notice": _note("n_gar", "a free debt-advice clinic notice"),
}
CATEGORY = {
    "ethnic_origin_disclosed_named": "ethnic_origin",
    "psychiatric_admission_named": "mental_health",
    "gender_transition_named": "gender_identity",
    "wage_garnishment_named": "debt_and_pay",
}
