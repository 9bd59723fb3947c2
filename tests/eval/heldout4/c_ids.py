"""Set C, sensitive by identifier: national ids, passports, cards, personal IBANs, bulk personal data."""

from __future__ import annotations

from collections.abc import Callable

from . import bank, ids, mrz
from .doc import Ctx, Out
from .shapes import email, fmt_date, ocr_noise, to_csv, to_json

IdGen = Callable[..., str]
# language: (generator, how people name it, a column name an export would use)
ID_C: dict[str, list[tuple[IdGen, str, str]]] = {
    "sv": [(ids.se_personnummer, "personnummer", "pnr")],
    "fi": [(ids.fi_hetu, "henkilötunnus", "hetu")],
    "cs": [(ids.cz_rc, "rodné číslo", "rc")],
    "pl": [(ids.pl_pesel, "PESEL", "pesel")],
    "tr": [(ids.tr_tckimlik, "T.C. kimlik numarası", "tckn")],
    "zh": [(ids.cn_ric, "身份证号码", "sfzh")],
    "id": [(ids.id_nik, "NIK", "nik")],
    "ja": [(ids.jp_my_number, "マイナンバー", "kojin_bango")],
    "es": [(ids.es_dni, "DNI", "dni"), (ids.es_nie, "NIE", "nie"), (ids.cl_rut, "RUT", "rut")],
    "fr": [(ids.fr_nir, "numéro de sécurité sociale", "nir")],
    "de": [(ids.de_steuer_id, "Steuer-ID", "steuer_id")],
    "en": [
        (ids.us_ssn, "SSN", "ssn"),
        (ids.gb_nhs, "NHS number", "nhs_no"),
        (ids.ca_sin, "SIN", "sin"),
        (ids.za_idnr, "ID number", "id_no"),
        (ids.in_aadhaar, "Aadhaar number", "aadhaar"),
        (ids.il_idnr, "Teudat Zehut", "tz"),
    ],
}

_CSV_HEAD = {
    "en": ("name", "city", "phone"),
    "de": ("Name", "Ort", "Telefon"),
    "fr": ("nom", "ville", "téléphone"),
    "es": ("nombre", "ciudad", "teléfono"),
    "sv": ("namn", "ort", "telefon"),
    "fi": ("nimi", "kunta", "puhelin"),
    "cs": ("jmeno", "obec", "telefon"),
    "pl": ("imie_nazwisko", "miejscowosc", "telefon"),
    "tr": ("ad_soyad", "il", "telefon"),
    "ja": ("氏名", "市区町村", "電話"),
    "zh": ("姓名", "城市", "电话"),
    "id": ("nama", "kota", "telepon"),
}


def csv_national_id(ctx: Ctx) -> Out:
    gen, spoken, col = ctx.rng.choice(ID_C[ctx.lang])
    name_h, city_h, phone_h = _CSV_HEAD[ctx.lang]
    labelled = ctx.rng.random() < 0.5
    if not labelled:
        col = ctx.pick(["ref", "ext_id", "kund_ref", "id2", "person_key"])
    rows = [[ctx.name(), gen(ctx.rng), ctx.city(), ctx.phone()] for _ in range(ctx.rng.randrange(3, 9))]
    text = to_csv([name_h, col, city_h, phone_h], rows, ctx.pick([",", ";", "\t"]))
    return Out(
        text,
        f"export of people with their {spoken} ({'labelled' if labelled else 'unlabelled'} column)",
        "csv",
    )


_FORM = {
    "en": ("Application form", "Full name", "Date of birth", "Address", "Phone", "Signature"),
    "de": ("Antragsformular", "Vollständiger Name", "Geburtsdatum", "Anschrift", "Telefon", "Unterschrift"),
    "fr": ("Formulaire de demande", "Nom complet", "Date de naissance", "Adresse", "Téléphone", "Signature"),
    "es": (
        "Formulario de solicitud",
        "Nombre completo",
        "Fecha de nacimiento",
        "Dirección",
        "Teléfono",
        "Firma",
    ),
    "sv": ("Ansökningsblankett", "Fullständigt namn", "Födelsedatum", "Adress", "Telefon", "Underskrift"),
    "fi": ("Hakemuslomake", "Koko nimi", "Syntymäaika", "Osoite", "Puhelin", "Allekirjoitus"),
    "cs": ("Žádost", "Jméno a příjmení", "Datum narození", "Adresa", "Telefon", "Podpis"),
    "pl": ("Wniosek", "Imię i nazwisko", "Data urodzenia", "Adres", "Telefon", "Podpis"),
    "tr": ("Başvuru formu", "Adı soyadı", "Doğum tarihi", "Adres", "Telefon", "İmza"),
    "ja": ("申請書", "氏名", "生年月日", "住所", "電話番号", "署名"),
    "zh": ("申请表", "姓名", "出生日期", "地址", "电话", "签名"),
    "id": ("Formulir permohonan", "Nama lengkap", "Tanggal lahir", "Alamat", "Telepon", "Tanda tangan"),
}


def form_id(ctx: Ctx) -> Out:
    gen, spoken, _ = ctx.rng.choice(ID_C[ctx.lang])
    title, n, b, a, p, s = _FORM[ctx.lang]
    name = ctx.name()
    dob = ctx.fake.date_of_birth(minimum_age=18, maximum_age=80)
    lines = [
        title.upper(),
        "",
        f"{n}: {name}",
        f"{b}: {fmt_date(dob, ctx.lang)}",
        f"{a}: {ctx.address()}",
        f"{p}: {ctx.phone()}",
        f"{spoken[:1].upper() + spoken[1:]}: {gen(ctx.rng)}",
        "",
        f"{s}: ______________",
    ]
    return Out("\n".join(lines) + "\n", f"filled form: name, birth date, address and {spoken}", "txt")


_PROSE = {
    "en": "Hello,\n\nI'm writing about my application. My {label} is {id} and my date of birth is {dob}. Could you tell "
    "me when I can expect an answer?\n\nKind regards,\n{name}",
    "de": "Guten Tag,\n\nich schreibe wegen meiner Steuererklärung. Meine {label} lautet {id}, geboren am {dob}. Bitte "
    "teilen Sie mir den Bearbeitungsstand mit.\n\nMit freundlichen Grüßen\n{name}",
    "fr": "Bonjour,\n\nje vous écris au sujet de mon dossier de remboursement. Mon {label} est le {id} (né(e) le {dob}). "
    "Pourriez-vous me dire où en est ma demande ?\n\nBien cordialement,\n{name}",
    "es": "Hola:\n\nLes escribo por mi solicitud. Mi {label} es {id} y mi fecha de nacimiento es {dob}. ¿Podrían "
    "indicarme el estado del trámite?\n\nUn saludo,\n{name}",
    "sv": "Hej!\n\nJag skriver angående min ansökan. Mitt {label} är {id}. Kan ni meddela när jag kan vänta mig "
    "besked?\n\nMed vänliga hälsningar\n{name}",
    "fi": "Hei,\n\nkirjoitan hakemukseni vuoksi. Henkilötunnukseni on {id}. Voisitteko kertoa, milloin päätös "
    "tulee?\n\nYstävällisin terveisin\n{name}",
    "cs": "Dobrý den,\n\npíšu ohledně své žádosti. Moje rodné číslo je {id}. Můžete mi prosím sdělit, v jakém stavu je "
    "vyřízení?\n\nS pozdravem\n{name}",
    "pl": "Dzień dobry,\n\npiszę w sprawie mojego wniosku. Mój numer PESEL to {id}. Proszę o informację o statusie "
    "sprawy.\n\nZ poważaniem\n{name}",
    "tr": "Merhaba,\n\nbaşvurum hakkında yazıyorum. T.C. kimlik numaram {id}. Başvurumun durumu hakkında bilgi "
    "verebilir misiniz?\n\nSaygılarımla\n{name}",
    "ja": "お世話になっております。\n\n申請の件でご連絡いたします。私のマイナンバーは{id}です。審査状況を教えて"
    "いただけますでしょうか。\n\n{name}",
    "zh": "您好，\n\n关于我的申请，我的身份证号码是{id}。请问目前办理进度如何？\n\n{name}",
    "id": "Selamat siang,\n\nsaya menulis terkait permohonan saya. NIK saya {id}. Mohon informasi mengenai status "
    "permohonan tersebut.\n\nHormat saya,\n{name}",
}


def email_id(ctx: Ctx) -> Out:
    gen, spoken, _ = ctx.rng.choice(ID_C[ctx.lang])
    name = ctx.name()
    body = _PROSE[ctx.lang].format(
        label=spoken,
        id=gen(ctx.rng),
        name=name,
        dob=fmt_date(ctx.fake.date_of_birth(minimum_age=18, maximum_age=80), ctx.lang),
    )
    text = email(
        ctx,
        ctx.email_of(name),
        f"service@{ctx.fake.domain_name()}",
        ctx.pick(["Re: ", "", "AW: "]) + "#" + str(ctx.rng.randrange(10000, 99999)),
        body,
    )
    return Out(text, f"a person writing their own {spoken} in a message", "eml")


# --- passports: the data page as a scanner reads it ----------------------------------------------------

_PASSPORT = {  # language: (ICAO country codes, the word for passport)
    "en": (["USA", "GBR", "CAN", "AUS", "IRL"], "PASSPORT"),
    "de": (["D<<", "AUT", "CHE"], "REISEPASS"),
    "fr": (["FRA", "BEL"], "PASSEPORT"),
    "es": (["ESP", "MEX"], "PASAPORTE"),
    "sv": (["SWE"], "PASS"),
    "fi": (["FIN"], "PASSI"),
    "cs": (["CZE"], "CESTOVNÍ PAS"),
    "pl": (["POL"], "PASZPORT"),
    "tr": (["TUR"], "PASAPORT"),
    "ja": (["JPN"], "旅券 PASSPORT"),
    "zh": (["CHN"], "护照 PASSPORT"),
    "id": (["IDN"], "PASPOR"),
}


def _roman_name(ctx: Ctx) -> tuple[str, str]:
    if ctx.lang in ("ja", "zh"):
        return str(ctx.fake.last_romanized_name()), str(ctx.fake.first_romanized_name())
    first, last = ctx.first_last()
    return last, first


def ocr_passport(ctx: Ctx) -> Out:
    codes, word = _PASSPORT[ctx.lang]
    cc = ctx.pick(codes)
    last, first = _roman_name(ctx)
    sex = ctx.pick("MF")
    born = ids.dob(ctx.rng)
    l1, l2 = mrz.mrz_td3(ctx.rng, cc, last, first, sex, born)
    visual = (
        f"{word}   PASSPORT   PASSEPORT\nType P    Code {cc.strip('<')}    No. {l2[:9]}\n"
        f"Surname\n{last.upper()}\nGiven names\n{first.upper()}\nNationality\n{cc.strip('<')}\n"
        f"Date of birth   {born:%d %b %Y}\nSex {sex}     Place of birth {ctx.city().upper()}\n"
        f"Authority {ctx.city().upper()}"
    )
    text = ocr_noise(ctx.rng, visual, 0.06) + "\n\n" + l1 + "\n" + l2 + "\n"
    return Out(text, "scanned passport data page with its machine-readable zone", "txt")


# --- payment cards -----------------------------------------------------------------------------------

_CARD_MSG = {
    "en": "Hi, please take the deposit from my card: {card}, expiry {exp}, security code {cvv}. Name on card: {name}.",
    "de": "Hallo, bitte buchen Sie die Anzahlung von meiner Kreditkarte ab: {card}, gültig bis {exp}, Prüfziffer {cvv}. "
    "Karteninhaber: {name}.",
    "fr": "Bonjour, merci de débiter l'acompte sur ma carte : {card}, expiration {exp}, cryptogramme {cvv}. Titulaire : "
    "{name}.",
    "es": "Hola, cobren la señal en mi tarjeta: {card}, caducidad {exp}, CVV {cvv}. Titular: {name}.",
    "pl": "Dzień dobry, proszę obciążyć moją kartę: {card}, ważna do {exp}, kod CVV {cvv}. Posiadacz: {name}.",
    "ja": "予約金は以下のカードで決済をお願いします。カード番号：{card}　有効期限：{exp}　セキュリティコード：{cvv}"
    "　名義：{name}",
}


def card_payment(ctx: Ctx) -> Out:
    brand = ctx.pick(["visa", "mastercard", "amex", "jcb", "discover"])
    sep = ctx.pick([" ", "-", "", "."])
    number = bank.card(ctx.rng, brand, sep)
    exp = f"{ctx.rng.randrange(1, 13):02d}/{ctx.rng.randrange(26, 31)}"
    cvv = str(ctx.rng.randrange(100, 9999 if brand == "amex" else 999))
    name = ctx.name()
    style = ctx.rng.random()
    if style < 0.6:
        body = _CARD_MSG[ctx.lang].format(card=number, exp=exp, cvv=cvv, name=name)
        text = email(ctx, ctx.email_of(name), f"bookings@{ctx.fake.domain_name()}", "Booking", body)
        return Out(text, f"a {brand} card number ({sep!r} separators) with expiry and code", "eml")
    if style < 0.8:
        lines = [
            f"Call notes {fmt_date(ctx.day(), 'en')} – agent {ctx.fake.first_name()}",
            f"Caller: {name}, phone {ctx.phone()}",
            f"Paid balance by card {number} exp {exp}",
            "Receipt sent by e-mail.",
        ]
        return Out("\n".join(lines) + "\n", f"call notes with a full {brand} card number", "txt")
    payload = to_json(
        {
            "order": ctx.rng.randrange(10**6, 10**7),
            "card": {
                "number": number.replace(sep, "") if sep else number,
                "exp": exp,
                "cvc": cvv,
                "holder": name,
            },
        },
        None,
    ).strip()
    log = f"2025-{ctx.rng.randrange(1, 13):02d}-11T09:14:02Z DEBUG checkout.request body={payload}\n"
    return Out(log, f"a debug log that captured a full {brand} card", "log")


_IBAN_MSG = {
    "de": (
        "DE",
        "Guten Tag,\n\nbitte überweisen Sie die Erstattung auf mein Konto:\nIBAN {iban}\nKontoinhaber: {name}\n\n"
        "Danke und freundliche Grüße\n{name}",
    ),
    "fr": (
        "FR",
        "Bonjour,\n\nmerci d'effectuer le remboursement sur mon compte :\nIBAN {iban}\nTitulaire : {name}\n\n"
        "Cordialement,\n{name}",
    ),
    "es": (
        "ES",
        "Hola:\n\nles ruego que realicen la devolución a mi cuenta:\nIBAN {iban}\nTitular: {name}\n\nGracias,\n"
        "{name}",
    ),
    "fi": (
        "FI",
        "Hei,\n\npyydän maksamaan palautuksen tililleni:\nIBAN {iban}\nTilinomistaja: {name}\n\nKiitos,\n{name}",
    ),
    "cs": (
        "CZ",
        "Dobrý den,\n\nprosím o vrácení přeplatku na můj účet:\nIBAN {iban}\nMajitel účtu: {name}\n\nDěkuji,\n"
        "{name}",
    ),
    "pl": (
        "PL",
        "Dzień dobry,\n\nproszę o zwrot na moje konto:\nIBAN {iban}\nWłaściciel rachunku: {name}\n\nDziękuję,\n"
        "{name}",
    ),
    "sv": (
        "SE",
        "Hej,\n\nvänligen betala tillbaka beloppet till mitt konto:\nIBAN {iban}\nKontohavare: {name}\n\nTack,\n"
        "{name}",
    ),
    "tr": (
        "TR",
        "Merhaba,\n\niadenin hesabıma yapılmasını rica ederim:\nIBAN {iban}\nHesap sahibi: {name}\n\nTeşekkürler,\n"
        "{name}",
    ),
}


def iban_person(ctx: Ctx) -> Out:
    cc, tmpl = _IBAN_MSG[ctx.lang]
    name = ctx.name()
    body = tmpl.format(iban=bank.iban(ctx.rng, cc, spaced=ctx.rng.random() < 0.6), name=name)
    return Out(
        email(ctx, ctx.email_of(name), f"kundenservice@{ctx.fake.domain_name()}", "Refund", body),
        "a private person's IBAN with the account holder's name",
        "eml",
    )


# --- bulk personal data -------------------------------------------------------------------------------


def customer_json(ctx: Ctx) -> Out:
    recs = []
    for _ in range(ctx.rng.randrange(4, 9)):
        first, last = ctx.first_last()
        recs.append(
            {
                "customer_id": 100000 + ctx.rng.randrange(900000),
                "first_name": first,
                "last_name": last,
                "birth_date": ctx.fake.date_of_birth(minimum_age=18, maximum_age=85).isoformat(),
                "address": ctx.address(),
                "phone": ctx.phone(),
                "email": ctx.email_of(f"{first} {last}"),
                "tier": ctx.pick(["gold", "silver", "basic"]),
            }
        )
    return Out(
        to_json({"exported": fmt_date(ctx.day(), "sv"), "customers": recs}),
        "customer export: names with birth dates, home addresses, phones, e-mails",
        "json",
    )


def log_pii(ctx: Ctx) -> Out:
    lines = []
    for _ in range(ctx.rng.randrange(4, 9)):
        ip = f"{ctx.rng.randrange(11, 223)}.{ctx.rng.randrange(256)}.{ctx.rng.randrange(256)}.{ctx.rng.randrange(1, 255)}"
        name = ctx.name()
        user = ctx.email_of(name).replace("@", "%40")
        pw = ctx.fake.password(length=12)
        lines.append(
            f"{ip} - - [11/Mar/2025:10:{ctx.rng.randrange(60):02d}:{ctx.rng.randrange(60):02d} +0000] "
            f'"GET /api/v1/login?user={user}&password={pw} HTTP/1.1" 200 512 "-" "Mozilla/5.0"'
        )
    return Out("\n".join(lines) + "\n", "access log with users' passwords in query strings", "log")
