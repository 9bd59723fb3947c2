"""Set D (sealed) look-alikes in data and interchange formats: business vCards, bank references, shop
receipts, public subtitles and calendars, quoted-printable newsletters, shipping manifests, id-format docs."""

from __future__ import annotations

import quopri

from . import orgids as o
from .d_letters import srt
from .doc import Ctx, Out
from .shapes import fmt_date, ocr_noise, to_csv

_DEPT = {
    "it": ["Servizio clienti", "Ufficio stampa"],
    "pt": ["Apoio ao cliente", "Gabinete de imprensa"],
    "nl": ["Klantenservice", "Persvoorlichting"],
    "hu": ["Ügyfélszolgálat", "Sajtóiroda"],
    "ro": ["Relații clienți", "Biroul de presă"],
    "en": ["Customer Service", "Press Office"],
}


def vcard_business(ctx: Ctx) -> Out:
    company = ctx.company()
    domain = ctx.fake.domain_name()
    cards = [
        f"BEGIN:VCARD\nVERSION:3.0\nFN:{d} – {company}\nORG:{company}\nTEL;TYPE=WORK:{ctx.phone()}\n"
        f"EMAIL;TYPE=WORK:{['info', 'press', 'support', 'service'][i % 4]}@{domain}\nADR;TYPE=WORK:;;{ctx.address()};;;;\n"
        f"URL:https://www.{domain}\nEND:VCARD"
        for i, d in enumerate(_DEPT[ctx.lang])
    ]
    return Out("\n".join(cards) + "\n", "vCards of a company's departments (role contacts)", "vcf")


def bank_reference(ctx: Ctx) -> Out:
    r = ctx.rng
    if ctx.lang == "en":
        rows = [[ctx.company() + " Bank", o.us_rtn(r), o.bic(r, "US"), ctx.city()] for _ in range(5)]
        head = ("bank", "ABA routing number", "SWIFT/BIC", "city")
    else:
        cc = {"de": "DE", "nl": "NL", "it": "IT", "pt": "PT"}[ctx.lang]
        code = {
            "de": lambda: f"{r.randrange(10, 88)}0{r.randrange(10000, 99999)}",
            "nl": lambda: "",
            "it": lambda: f"ABI {r.randrange(1000, 9999):05d} CAB {r.randrange(1000, 99999):05d}",
            "pt": lambda: f"{r.randrange(1, 99):04d}",
        }[ctx.lang]
        head = {
            "de": ("Bank", "BLZ", "BIC", "Ort"),
            "nl": ("bank", "-", "BIC", "plaats"),
            "it": ("banca", "ABI/CAB", "BIC", "città"),
            "pt": ("banco", "código", "BIC", "localidade"),
        }[ctx.lang]
        rows = [[ctx.company(), code(), o.bic(r, cc), ctx.city()] for _ in range(5)]
    return Out(to_csv(head, rows), "public directory of banks' routing codes and BICs", "csv")


_RECEIPT = {
    "de": ("Kartenzahlung", "MwSt", "USt-IdNr", "DE"),
    "nl": ("Pinbetaling", "BTW", "BTW-nr", "NL"),
    "it": ("Pagamento carta", "IVA", "P.IVA", "IT"),
    "pt": ("Pagamento com cartão", "IVA", "NIF", "PT"),
    "da": ("Kortbetaling", "Moms", "CVR", "DK"),
    "no": ("Kortbetaling", "MVA", "Org.nr", "DK"),
    "hu": ("Kártyás fizetés", "ÁFA", "Adószám", "HU"),
    "ro": ("Plată card", "TVA", "CIF", "RO"),
}


def ocr_receipt(ctx: Ctx) -> Out:
    pay, vat, vatid, cc = _RECEIPT[ctx.lang]
    r = ctx.rng
    items = "\n".join(
        f"{ctx.fake.word().upper():<18}{r.randrange(1, 40)},{r.randrange(100):02d}"
        for _ in range(r.randrange(3, 7))
    )
    text = (
        f"{ctx.company().upper()}\n{ctx.address()}\n{vatid}: {o.eu_vat(r, cc)}\nTel. {ctx.phone()}\n\n{items}\n\n"
        f"{vat} 21%    {r.randrange(1, 20)},{r.randrange(100):02d}\n{pay}\nVISA  ************{r.randrange(1000, 9999)}\n"
        f"Terminal {r.randrange(10**7, 10**8)}  Trx {r.randrange(10**5, 10**6)}\nAID A0000000031010\n{fmt_date(ctx.day(), ctx.lang)} "
        f"{r.randrange(8, 21):02d}:{r.randrange(60):02d}\n"
    )
    return Out(
        ocr_noise(r, text, 0.05), "scanned shop receipt: masked card, the shop's VAT id and terminal ids"
    )


_TALK = {
    "en": [
        "Welcome to today's webinar.",
        "We'll show the new reporting dashboard,",
        "how to export to CSV,",
        "and we'll take questions at the end.",
    ],
    "de": [
        "Willkommen zum heutigen Webinar.",
        "Wir zeigen das neue Dashboard,",
        "den Export nach CSV",
        "und beantworten am Ende Fragen.",
    ],
    "nl": [
        "Welkom bij het webinar van vandaag.",
        "We laten het nieuwe dashboard zien,",
        "hoe je naar CSV exporteert,",
        "en aan het eind is er tijd voor vragen.",
    ],
    "it": [
        "Benvenuti al webinar di oggi.",
        "Mostreremo la nuova dashboard,",
        "come esportare in CSV",
        "e alla fine risponderemo alle domande.",
    ],
    "ko": [
        "오늘 웨비나에 오신 것을 환영합니다.",
        "새 대시보드를 소개하고,",
        "CSV로 내보내는 방법을 보여드린 뒤,",
        "마지막에 질문을 받겠습니다.",
    ],
    "vi": [
        "Chào mừng các bạn đến với hội thảo trực tuyến hôm nay.",
        "Chúng tôi sẽ giới thiệu bảng điều khiển mới,",
        "cách xuất dữ liệu ra CSV,",
        "và trả lời câu hỏi ở cuối buổi.",
    ],
}


def subtitle_public(ctx: Ctx) -> Out:
    return Out(
        srt(list(_TALK[ctx.lang]), ctx.rng.randrange(0, 1200)), "subtitles of a public product webinar", "srt"
    )


_EVENT = {
    "en": ("Open day", "Campus tours every hour; all welcome."),
    "de": ("Tag der offenen Tür", "Führungen zu jeder vollen Stunde."),
    "da": ("Åbent hus", "Rundvisninger hver time."),
    "no": ("Åpen dag", "Omvisning hver hele time."),
    "nl": ("Open dag", "Rondleidingen elk heel uur."),
    "ro": ("Ziua porților deschise", "Tururi ghidate din oră în oră."),
}


def ics_public(ctx: Ctx) -> Out:
    summary, desc = _EVENT[ctx.lang]
    d = ctx.day()
    v = (
        f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Events//EN\nBEGIN:VEVENT\nUID:{ctx.fake.uuid4()}\nDTSTART:{d:%Y%m%d}T090000\n"
        f"DTEND:{d:%Y%m%d}T160000\nSUMMARY:{summary} – {ctx.company()}\nDESCRIPTION:{desc}\nLOCATION:{ctx.address()}\n"
        "CLASS:PUBLIC\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    return Out(v, "a public event invitation", "ics")


_NEWSLETTER = {
    "hu": (
        "Őszi ajánlataink",
        "Kedves Vásárlónk!\n\nŐszi kollekciónk megérkezett: most minden kabátra 20% kedvezményt adunk. "
        "Az ajánlat a készlet erejéig érvényes.\n\nLeiratkozás: {url}",
    ),
    "ro": (
        "Ofertele de toamnă",
        "Dragă client,\n\nColecția de toamnă a sosit: 20% reducere la toate gecile, în limita "
        "stocului.\n\nDezabonare: {url}",
    ),
    "pt": (
        "Promoções de outono",
        "Caro cliente,\n\nA coleção de outono chegou: 20% de desconto em todos os casacos, até "
        "esgotar o stock.\n\nCancelar subscrição: {url}",
    ),
    "it": (
        "Offerte d'autunno",
        "Gentile cliente,\n\nè arrivata la collezione autunnale: 20% di sconto su tutte le giacche, "
        "fino a esaurimento scorte.\n\nDisiscriviti: {url}",
    ),
    "da": (
        "Efterårstilbud",
        "Kære kunde\n\nEfterårskollektionen er landet: 20 % rabat på alle jakker, så længe lager haves.\n\n"
        "Afmeld: {url}",
    ),
    "de": (
        "Herbstangebote",
        "Liebe Kundin, lieber Kunde,\n\ndie Herbstkollektion ist da: 20 % Rabatt auf alle Jacken, solange "
        "der Vorrat reicht.\n\nAbmelden: {url}",
    ),
}


def newsletter_qp(ctx: Ctx) -> Out:
    subject, body = _NEWSLETTER[ctx.lang]
    domain = ctx.fake.domain_name()
    enc = quopri.encodestring(
        body.format(url=f"https://{domain}/u/{ctx.fake.uuid4()}").encode("utf-8")
    ).decode("ascii")
    subj = "=?utf-8?q?" + quopri.encodestring(subject.encode("utf-8"), header=True).decode("ascii") + "?="
    head = (
        f"From: {ctx.company()} <news@{domain}>\nTo: undisclosed-recipients:;\nSubject: {subj}\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\nList-Unsubscribe: "
        f"<mailto:unsubscribe@{domain}>\n\n"
    )
    return Out(head + enc + "\n", "a quoted-printable marketing newsletter", "eml")


_MANIFEST = {
    "en": ("container", "vessel", "HS code", "gross kg", "GTIN"),
    "de": ("Container", "Schiff", "Zolltarifnr.", "Brutto kg", "GTIN"),
    "nl": ("container", "schip", "GN-code", "bruto kg", "GTIN"),
    "ko": ("컨테이너", "선박", "HS 코드", "총중량 kg", "GTIN"),
    "vi": ("container", "tàu", "mã HS", "trọng lượng kg", "GTIN"),
    "ar": ("الحاوية", "السفينة", "رمز النظام المنسق", "الوزن كغ", "GTIN"),
    "hi": ("कंटेनर", "जहाज़", "HS कोड", "सकल भार kg", "GTIN"),
    "uk": ("контейнер", "судно", "код УКТЗЕД", "брутто кг", "GTIN"),
}


def logistics_manifest(ctx: Ctx) -> Out:
    r = ctx.rng
    vessel = f"{ctx.fake.last_name().upper()} {o.imo(r)}"
    rows = [
        [
            o.container(r),
            vessel,
            f"{r.randrange(1000, 9999)}.{r.randrange(10, 99)}.{r.randrange(10, 99)}",
            r.randrange(2000, 28000),
            o.ean13(r),
        ]
        for _ in range(r.randrange(4, 8))
    ]
    return Out(
        to_csv(_MANIFEST[ctx.lang], rows),
        "shipping manifest: container numbers, IMO, tariff codes, GTINs",
        "csv",
    )


_IDFMT = {
    "en": "National identifier formats\n\nUK National Insurance number: two letters, six digits, one letter (e.g. QQ 12 34 56 C "
    "is reserved for examples). Australian TFN: nine digits, written XXX XXX XXX.",
    "de": "Aufbau der Steuer-ID\n\nDie steuerliche Identifikationsnummer hat 11 Ziffern (Schema: XX XXX XXX XXX); die letzte "
    "Ziffer ist eine Prüfziffer nach ISO 7064.",
    "nl": "Opbouw van het BSN\n\nHet burgerservicenummer bestaat uit 9 cijfers en voldoet aan de elfproef. Voorbeeld van de "
    "notatie: 1234.56.78X (geen echt nummer).",
    "da": "CPR-nummerets opbygning\n\nCPR-nummeret har formen DDMMÅÅ-SSSS: fødselsdato efterfulgt af et løbenummer, hvis "
    "sidste ciffer angiver køn.",
    "no": "Fødselsnummerets oppbygning\n\nFødselsnummeret har 11 siffer: fødselsdato (DDMMÅÅ), individnummer (3 siffer) og "
    "to kontrollsiffer.",
    "it": "Struttura del codice fiscale\n\nIl codice fiscale ha 16 caratteri: 3 per il cognome, 3 per il nome, data e sesso, "
    "codice del comune e un carattere di controllo. Formato: AAABBB00A00A000A.",
}


def id_format_doc(ctx: Ctx) -> Out:
    return Out(_IDFMT[ctx.lang] + "\n", "documentation of an id format with placeholders, no real id")
