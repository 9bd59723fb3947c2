"""Set D (sealed), sensitive by identifier: countries, formats and containers set C does not use."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

from . import bank, ids, mrz
from .doc import Ctx, Out
from .shapes import chat, ocr_noise

IdGen = Callable[[random.Random], str]
ID_D: dict[str, list[tuple[IdGen, str]]] = {
    "ro": [(ids.ro_cnp, "CNP")],
    "el": [(ids.gr_amka, "ΑΜΚΑ"), (ids.gr_afm, "ΑΦΜ")],
    "ko": [(ids.kr_rrn, "주민등록번호")],
    "uk": [(ids.ua_rntrc, "РНОКПП")],
    "da": [(ids.dk_cpr, "CPR-nummer")],
    "no": [(ids.no_fodselsnummer, "fødselsnummer")],
    "nl": [(ids.nl_bsn, "BSN"), (ids.be_nn, "rijksregisternummer")],
    "pt": [(ids.pt_nif, "NIF"), (ids.br_cpf, "CPF")],
    "it": [(ids.it_codice_fiscale, "codice fiscale")],
    "hu": [(ids.hu_taj, "TAJ szám"), (ids.hu_adoazonosito, "adóazonosító jel")],
    "hi": [(ids.in_aadhaar, "आधार संख्या"), (ids.in_pan, "पैन")],
    "vi": [(ids.vn_mst, "mã số thuế cá nhân")],
    "ar": [(ids.ae_emirates_id, "رقم الهوية الإماراتية"), (ids.sa_national_id, "رقم الهوية الوطنية")],
    "en": [
        (ids.au_tfn, "TFN"),
        (ids.nz_ird, "IRD number"),
        (ids.my_nric, "NRIC"),
        (ids.pk_cnic, "CNIC"),
        (ids.bg_egn, "Bulgarian EGN"),
        (ids.hr_oib, "Croatian OIB"),
        (ids.si_emso, "EMŠO"),
        (ids.lt_asmens, "Lithuanian personal code"),
    ],
    "de": [(ids.ch_ahv, "AHV-Nummer"), (ids.at_vnr, "Sozialversicherungsnummer")],
}

_ASK = {
    "ro": "Bună ziua, vă scriu pentru dosarul meu. {label}: {id}. Mulțumesc, {name}",
    "el": "Καλησπέρα σας, σχετικά με την αίτησή μου: {label} {id}. Ευχαριστώ, {name}",
    "ko": "안녕하세요. 신청 건으로 연락드립니다. 제 {label}는 {id}입니다. {name} 드림",
    "uk": "Добрий день! Щодо моєї заявки: мій {label} {id}. Дякую, {name}",
    "da": "Hej, jeg skriver angående min sag. Mit {label} er {id}. Mvh {name}",
    "no": "Hei, gjelder søknaden min. Mitt {label} er {id}. Hilsen {name}",
    "nl": "Goedemiddag, over mijn aanvraag: mijn {label} is {id}. Met vriendelijke groet, {name}",
    "pt": "Boa tarde, relativamente ao meu processo: o meu {label} é {id}. Obrigado, {name}",
    "it": "Buongiorno, per la mia pratica: il mio {label} è {id}. Cordiali saluti, {name}",
    "hu": "Jó napot! Az ügyemmel kapcsolatban írok. {label}: {id}. Köszönöm, {name}",
    "hi": "नमस्ते, मेरे आवेदन के बारे में: मेरा {label} {id} है। धन्यवाद, {name}",
    "vi": "Chào anh/chị, về hồ sơ của tôi: {label} của tôi là {id}. Cảm ơn, {name}",
    "ar": "مرحباً، بخصوص طلبي: {label} الخاص بي هو {id}. شكراً، {name}",
    "en": "Hi team, for the payroll onboarding: my {label} is {id}. Thanks, {name}",
    "de": "Hallo, für die Lohnabrechnung: meine {label} lautet {id}. Danke, {name}",
}


def prose_id_d(ctx: Ctx) -> Out:
    gen, label = ctx.variant(ID_D[ctx.lang])
    name = ctx.name()
    msg = _ASK[ctx.lang].format(label=label, id=gen(ctx.rng), name=name)
    shape = ctx.rng.random()
    if shape < 0.35:
        text = (
            json.dumps(
                {"ticket": ctx.rng.randrange(10**5, 10**6), "channel": "web", "from": name, "body": msg},
                ensure_ascii=ctx.rng.random() < 0.3,
            )
            + "\n"
        )
        return Out(text, f"support ticket (JSON) with the sender's {label}", "json")
    if shape < 0.7:
        return Out(
            chat(ctx, [name, ctx.fake.first_name()], [(0, msg), (1, "👍")], "whatsapp"),
            f"chat message with the sender's {label}",
        )
    return Out(msg + "\n", f"message with the sender's {label}")


def sql_dump(ctx: Ctx) -> Out:
    gen, label = ctx.variant(ID_D[ctx.lang])
    rows = []
    for i in range(ctx.rng.randrange(3, 8)):
        name = ctx.name().replace("'", "''")
        dob = ctx.fake.date_of_birth(minimum_age=18, maximum_age=85).isoformat()
        rows.append(f"({1000 + i}, '{name}', '{gen(ctx.rng)}', '{dob}', '{ctx.city().replace(chr(39), '')}')")
    text = (
        "-- dump of table members\nCREATE TABLE members (id int, full_name text, nat_id text, birth date, city text);\n"
        "INSERT INTO members VALUES\n" + ",\n".join(rows) + ";\n"
    )
    return Out(text, f"SQL dump of people with their {label} and birth dates", "sql")


def vcard_export(ctx: Ctx) -> Out:
    gen, label = ctx.variant(ID_D[ctx.lang])
    cards = []
    for _ in range(ctx.rng.randrange(2, 5)):
        first, last = ctx.first_last()
        dob = ctx.fake.date_of_birth(minimum_age=18, maximum_age=85)
        cards.append(
            f"BEGIN:VCARD\nVERSION:3.0\nN:{last};{first};;;\nFN:{first} {last}\nTEL;TYPE=HOME,VOICE:{ctx.phone()}\n"
            f"ADR;TYPE=HOME:;;{ctx.address()};;;;\nBDAY:{dob:%Y-%m-%d}\nNOTE:{label} {gen(ctx.rng)}\nEND:VCARD"
        )
    return Out("\n".join(cards) + "\n", f"vCards of private people: home address, birthday, {label}", "vcf")


_SWIFT_CC = {"hu": "HU", "ro": "RO", "el": "GR", "nl": "NL", "it": "IT", "ar": "SA"}


def swift_mt103(ctx: Ctx) -> Out:
    cc = _SWIFT_CC[ctx.lang]
    payer, payee = ctx.name(), ctx.name()
    d = ctx.day()
    amount = f"{ctx.rng.randrange(200, 60000)},{ctx.rng.randrange(100):02d}"
    cur = {"hu": "HUF", "ro": "RON", "ar": "SAR"}.get(ctx.lang, "EUR")
    text = (
        f"{{1:F01{ctx.fake.lexify('????').upper()}{cc}XXAXXX0000000000}}{{2:I103{ctx.fake.lexify('????').upper()}DEFFXXXXN}}{{4:\n"
        f":20:{ctx.fake.bothify('??########').upper()}\n:23B:CRED\n:32A:{d:%y%m%d}{cur}{amount}\n"
        f":50K:/{bank.iban(ctx.rng, cc, spaced=False)}\n{payer}\n{ctx.address()[:35]}\n"
        f":59:/{bank.iban(ctx.rng, 'DE', spaced=False)}\n{payee}\n:70:{ctx.pick(['RENT', 'TUITION', 'MEDICAL BILL', 'LOAN REPAYMENT'])}\n"
        ":71A:SHA\n-}\n"
    )
    return Out(text, "SWIFT MT103 from a private person: names and IBANs of payer and payee", "txt")


_IDCARD = {  # language: (issuing state, card title, id label or None, id generator or None)
    "ro": ("ROU", "ROMANIA  CARTE DE IDENTITATE  IDENTITY CARD", "CNP", ids.ro_cnp),
    "el": ("GRC", "ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ  ΔΕΛΤΙΟ ΤΑΥΤΟΤΗΤΑΣ", "ΑΜΚΑ", ids.gr_amka),
    "nl": ("NLD", "KONINKRIJK DER NEDERLANDEN  IDENTITEITSKAART", "Persoonsnummer", ids.nl_bsn),
    "pt": ("PRT", "REPÚBLICA PORTUGUESA  CARTÃO DE CIDADÃO", "NIF", ids.pt_nif),
    "it": ("ITA", "REPUBBLICA ITALIANA  CARTA DI IDENTITÀ", "Codice fiscale", ids.it_codice_fiscale),
    "de": ("D<<", "BUNDESREPUBLIK DEUTSCHLAND  PERSONALAUSWEIS", None, None),
    "hu": ("HUN", "MAGYARORSZÁG  SZEMÉLYAZONOSÍTÓ IGAZOLVÁNY", None, None),
    "uk": ("UKR", "УКРАЇНА  ПАСПОРТ ГРОМАДЯНИНА УКРАЇНИ", "РНОКПП", ids.ua_rntrc),
    "no": ("NOR", "NORGE  NASJONALT ID-KORT", "Fødselsnummer", ids.no_fodselsnummer),
}


def ocr_id_card(ctx: Ctx) -> Out:
    first, last = ctx.first_last()
    if ctx.lang == "da":  # Denmark has no ID card; the health card carries the CPR number
        card = (
            f"SUNDHEDSKORT\nCPR-nr. {ids.dk_cpr(ctx.rng)}\n{first} {last}\n{ctx.address()}\n"
            f"Læge: {ctx.name()}, {ctx.city()}\nKommune: {ctx.city()}"
        )
        return Out(ocr_noise(ctx.rng, card, 0.06) + "\n", "scanned health card with the CPR number")
    state, title, label, gen = _IDCARD[ctx.lang]
    born = ids.dob(ctx.rng)
    l1, l2, l3 = mrz.mrz_td1(ctx.rng, state, last, first, ctx.pick("MF"), born)
    front = f"{title}\n{last.upper()}\n{first.upper()}\n{born:%d.%m.%Y}   {ctx.city().upper()}\n"
    if label and gen:
        front += f"{label} {gen(ctx.rng)}\n"
    return Out(
        ocr_noise(ctx.rng, front, 0.06) + "\n" + "\n".join((l1, l2, l3)) + "\n",
        "scanned identity card with its three-line machine-readable zone"
        + (f" and {label}" if label else ""),
    )


_CARD = {
    "ko": "카드번호 {card}, 유효기간 {exp}, CVC {cvv}로 결제해 주세요. 카드 소유자: {name}",
    "vi": "Vui lòng thanh toán bằng thẻ {card}, hết hạn {exp}, mã CVV {cvv}. Chủ thẻ: {name}",
    "ar": "يرجى الخصم من بطاقتي رقم {card} تاريخ الانتهاء {exp} والرمز {cvv}. اسم حامل البطاقة: {name}",
    "hi": "कृपया मेरे कार्ड {card} से भुगतान करें, समाप्ति {exp}, CVV {cvv}। कार्डधारक: {name}",
    "uk": "Прошу списати оплату з моєї картки {card}, термін дії {exp}, CVV {cvv}. Власник: {name}",
    "pt": "Por favor debitem o meu cartão {card}, validade {exp}, CVV {cvv}. Titular: {name}",
    "it": "Vi prego di addebitare la mia carta {card}, scadenza {exp}, CVV {cvv}. Intestatario: {name}",
    "nl": "Wilt u het bedrag afschrijven van mijn kaart {card}, geldig tot {exp}, CVC {cvv}? Kaarthouder: {name}",
}


def card_d(ctx: Ctx) -> Out:
    brand = ctx.pick(["visa", "mastercard", "unionpay", "maestro", "amex"])
    sep = ctx.pick(["/", " ", "-", "  "])
    number = bank.card(ctx.rng, brand, sep)
    if ctx.rng.random() < 0.3:  # read out on a recorded call: one digit at a time
        number = " ".join(c for c in number if c.isdigit())
        sep = "spoken digits"
    exp = f"{ctx.rng.randrange(1, 13):02d}/{ctx.rng.randrange(26, 31)}"
    name = ctx.name()
    msg = _CARD[ctx.lang].format(card=number, exp=exp, cvv=ctx.rng.randrange(100, 999), name=name)
    if ctx.rng.random() < 0.5:
        return Out(
            json.dumps({"event": "message.received", "text": msg}, ensure_ascii=False) + "\n",
            f"webhook payload: a {brand} card ({sep!r}) with expiry and code",
            "json",
        )
    return Out(msg + "\n", f"a {brand} card ({sep!r}) with expiry and code")


def passenger_log(ctx: Ctx) -> Out:
    lines = []
    for _ in range(ctx.rng.randrange(3, 7)):
        first, last = ctx.first_last()
        cc = ctx.pick(["GBR", "DEU", "NLD", "ITA", "ROU", "GRC", "KOR", "VNM", "IND", "UKR"])
        born = ids.dob(ctx.rng)
        exp = ctx.day(2027, 2034)
        doc = ctx.fake.bothify("??#######").upper()
        lines.append(
            f"SSR DOCS YY HK1/P/{cc}/{doc}/{cc}/{born:%d%b%y}/{ctx.pick('MF')}/{exp:%d%b%y}/"
            f"{mrz.mrz_name(last)}/{mrz.mrz_name(first)}".upper()
        )
    return Out(
        f"PNR {ctx.fake.bothify('??????').upper()} APIS DATA\n" + "\n".join(lines) + "\n",
        "airline passenger data: passport numbers, birth dates and names (SSR DOCS)",
        "txt",
    )
