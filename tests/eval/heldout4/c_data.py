"""Set C look-alikes in data: digit-heavy tables whose numbers carry check digits but belong to products,
companies, securities or timetables, never to a private person."""

from __future__ import annotations

from . import bank
from . import orgids as o
from .doc import Ctx, Out
from .shapes import amount, fmt_date, to_csv

_PRODUCTS = {
    "en": (
        ("sku", "product", "ean", "price", "weight"),
        ["Oat flakes", "Rye bread", "Olive oil", "Dark chocolate", "Loaf tin"],
    ),
    "de": (
        ("Artikelnr", "Bezeichnung", "EAN", "Preis", "Gewicht"),
        ["Haferflocken", "Roggenbrot", "Olivenöl", "Zartbitter", "Kastenform"],
    ),
    "sv": (
        ("artnr", "benämning", "ean", "pris", "vikt"),
        ["Havregryn", "Rågbröd", "Olivolja", "Mörk choklad", "Brödform"],
    ),
    "pl": (
        ("indeks", "nazwa", "ean", "cena", "waga"),
        ["Płatki owsiane", "Chleb żytni", "Oliwa", "Czekolada gorzka", "Forma do chleba"],
    ),
    "ja": (
        ("品番", "商品名", "JANコード", "価格", "内容量"),
        ["オートミール", "ライ麦パン", "オリーブオイル", "ダークチョコ", "パウンド型"],
    ),
    "cs": (
        ("kod", "nazev", "ean", "cena", "hmotnost"),
        ["Ovesné vločky", "Žitný chléb", "Olivový olej", "Hořká čokoláda", "Forma na chléb"],
    ),
}


def product_csv(ctx: Ctx) -> Out:
    head, names = _PRODUCTS[ctx.lang]
    prefix = {"de": "40", "sv": "73", "pl": "590", "ja": "49", "cs": "859"}.get(ctx.lang, "50")
    rows = [
        [
            f"{ctx.rng.randrange(100000, 999999)}-{ctx.rng.randrange(10, 99)}",
            n,
            o.ean13(ctx.rng, prefix),
            f"{ctx.rng.randrange(1, 40)}.{ctx.rng.randrange(0, 99):02d}",
            f"{ctx.rng.choice([250, 500, 750, 900, 1000])} g",
        ]
        for n in names
    ]
    return Out(
        to_csv(head, rows, ";" if ctx.lang != "en" else ","),
        "product catalogue with valid EAN-13 barcodes",
        "csv",
    )


_REG = {  # language: (column headers, id generators with their names)
    "sv": (("företag", "organisationsnummer", "ort", "växel"), [o.se_orgnr]),
    "fi": (("yritys", "y-tunnus", "kotipaikka", "vaihde"), [o.fi_ytunnus]),
    "pl": (("firma", "NIP", "miasto", "telefon"), [o.pl_nip]),
    "cs": (("firma", "IČO", "sídlo", "telefon"), [o.cz_ico]),
    "fr": (("société", "SIRET", "ville", "standard"), [o.fr_siret]),
    "es": (("empresa", "CIF", "ciudad", "centralita"), [o.es_cif]),
    "de": (("Firma", "Registergericht", "Sitz", "Zentrale"), [o.de_hrb]),
    "tr": (("şirket", "vergi no", "il", "santral"), [o.tr_vkn]),
    "zh": (("公司名称", "统一社会信用代码", "城市", "总机"), [o.cn_uscc]),
    "id": (("perusahaan", "NPWP", "kota", "telepon"), [o.id_npwp]),
    "ja": (("法人名", "法人番号", "所在地", "代表電話"), [o.jp_corporate]),
    "en": (("company", "EIN", "city", "main line"), [o.us_ein]),
}


def company_registry(ctx: Ctx) -> Out:
    head, gens = _REG[ctx.lang]
    rows = [
        [ctx.company(), ctx.rng.choice(gens)(ctx.rng), ctx.city(), ctx.phone()]
        for _ in range(ctx.rng.randrange(4, 9))
    ]
    return Out(to_csv(head, rows), "supplier list with companies' public registration numbers", "csv")


_SEC = {
    "en": (
        "Fund factsheet – Global Equity Income\nManager LEI: {lei}\n\nTop holdings",
        ("Security", "ISIN", "Weight"),
    ),
    "de": (
        "Factsheet – Europa Dividende\nLEI der KVG: {lei}\n\nGrößte Positionen",
        ("Wertpapier", "ISIN", "Anteil"),
    ),
    "fr": (
        "Fiche fonds – Actions Monde\nLEI de la société de gestion : {lei}\n\nPrincipales lignes",
        ("Titre", "ISIN", "Poids"),
    ),
}


def securities_list(ctx: Ctx) -> Out:
    title, head = _SEC[ctx.lang]
    rows = [
        [
            ctx.company(),
            o.isin(ctx.rng, ctx.pick(["US", "DE", "FR", "GB", "NL", "SE"])),
            f"{ctx.rng.randrange(10, 60) / 10:.1f}%",
        ]
        for _ in range(6)
    ]
    extra = f"\nCUSIP of the US share class: {o.cusip(ctx.rng)}   SEDOL: {o.sedol(ctx.rng)}\n"
    return Out(
        title.format(lei=o.lei(ctx.rng)) + "\n" + to_csv(head, rows, "\t") + extra,
        "fund factsheet with ISINs, an LEI, a CUSIP and a SEDOL",
        "txt",
    )


def timetable_stats(ctx: Ctx) -> Out:
    r = ctx.rng
    if r.random() < 0.5:
        rows = [
            [
                f"{r.randrange(100, 999)}{r.randrange(10, 99)}",
                f"{h:02d}:{r.randrange(60):02d}",
                ctx.city(),
                f"{r.randrange(1, 12)}",
            ]
            for h in sorted(r.sample(range(5, 23), 6))
        ]
        return Out(to_csv(("train", "dep", "to", "platform"), rows), "a train timetable", "csv")
    table: list[list[object]] = [
        [
            ctx.company(),
            n,
            w,
            d,
            n - w - d,
            f"{r.randrange(20, 80)}:{r.randrange(10, 60)}",
            r.randrange(20, 80),
        ]
        for n, w, d in ((34, r.randrange(10, 25), r.randrange(3, 9)) for _ in range(8))
    ]
    return Out(to_csv(("team", "P", "W", "D", "L", "goals", "pts"), table), "a league table", "csv")


_INVOICE = {
    "de": (
        "Rechnung",
        "Rechnungsnummer",
        "USt-IdNr.",
        "Bankverbindung",
        "Zahlbar innerhalb von 14 Tagen.",
        "DE",
    ),
    "fr": ("Facture", "N° de facture", "N° TVA", "Coordonnées bancaires", "Paiement à 30 jours.", "FR"),
    "es": ("Factura", "N.º de factura", "NIF-IVA", "Datos bancarios", "Pago a 30 días.", "ES"),
    "sv": ("Faktura", "Fakturanummer", "Momsreg.nr", "Bankgiro/IBAN", "Betalningsvillkor 30 dagar.", "SE"),
    "fi": ("Lasku", "Laskun numero", "ALV-tunnus", "Pankkiyhteys", "Maksuehto 14 päivää netto.", "FI"),
    "cs": ("Faktura", "Číslo faktury", "DIČ", "Bankovní spojení", "Splatnost 14 dní.", "CZ"),
    "pl": ("Faktura VAT", "Numer faktury", "NIP UE", "Rachunek bankowy", "Termin płatności 14 dni.", "PL"),
}


def invoice_b2b(ctx: Ctx) -> Out:
    title, no, vat, bank_label, terms, cc = _INVOICE[ctx.lang]
    seller, buyer = ctx.company(), ctx.company()
    net = ctx.money(800, 40000, 10)
    text = (
        f"{title.upper()}\n\n{seller}\n{ctx.address()}\n{vat}: {o.eu_vat(ctx.rng, cc)}\n\n{buyer}\n{ctx.address()}\n"
        f"{vat}: {o.eu_vat(ctx.rng, cc)}\n\n{no}: {ctx.rng.randrange(2025000, 2025999)}   {fmt_date(ctx.day(), ctx.lang)}\n\n"
        f"Consulting services ........ {amount(net, ctx.lang, '€' if cc != 'SE' else 'kr')}\n\n{bank_label}: "
        f"{bank.iban(ctx.rng, cc)}  BIC {o.bic(ctx.rng, cc)}\n{terms}\n"
    )
    return Out(text, "a business-to-business invoice: company VAT ids and the seller's account", "txt")
