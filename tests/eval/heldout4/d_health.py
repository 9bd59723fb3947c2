"""Set D (sealed): health records in interchange formats (HL7 v2, FHIR), calendar invites, and
confidentiality markers in languages set C does not use."""

from __future__ import annotations

import json

from . import ids
from .doc import Ctx, Out
from .shapes import fmt_date

_HL7 = {  # language: (country, id generator or None, assigning authority, diagnoses as ICD-10 code^text)
    "nl": ("NLD", ids.nl_bsn, "NLMINBIZA", ["F32.2^Ernstige depressieve episode", "C50.9^Mammacarcinoom"]),
    "pt": ("PRT", ids.pt_nif, "AT", ["F20.0^Esquizofrenia paranoide", "E10.9^Diabetes tipo 1"]),
    "it": (
        "ITA",
        ids.it_codice_fiscale,
        "MEF",
        ["B20^Malattia da HIV", "F10.2^Sindrome da dipendenza da alcol"],
    ),
    "da": ("DNK", ids.dk_cpr, "CPR", ["F31.1^Bipolar affektiv sindslidelse", "C34.9^Lungekræft"]),
    "no": (
        "NOR",
        ids.no_fodselsnummer,
        "FNR",
        ["F33.2^Tilbakevendende depressiv lidelse", "G35^Multippel sklerose"],
    ),
    "de": ("DEU", None, "", ["F43.1^Posttraumatische Belastungsstörung", "O09.5^Risikoschwangerschaft"]),
    "en": ("GBR", ids.gb_nhs, "NHS", ["F50.0^Anorexia nervosa", "Z21^Asymptomatic HIV infection status"]),
    "ro": (
        "ROU",
        ids.ro_cnp,
        "CNP",
        ["C18.7^Neoplasm malign de colon sigmoid", "F32.2^Episod depresiv sever"],
    ),
}


def hl7_message(ctx: Ctx) -> Out:
    cc, gen, auth, dxs = _HL7[ctx.lang]
    first, last = ctx.first_last()
    born = ids.dob(ctx.rng)
    ts = f"{ctx.day():%Y%m%d}{ctx.rng.randrange(7, 20):02d}{ctx.rng.randrange(60):02d}"
    mrn = str(ctx.rng.randrange(10**6, 10**7))
    pid3 = f"{mrn}^^^HOSP^MR" + (f"~{gen(ctx.rng).replace(' ', '')}^^^{auth}^NNNLD" if gen else "")
    segs = [
        f"MSH|^~\\&|ADT|HOSP|EPD|REG|{ts}||ADT^A01|{ctx.rng.randrange(10**8)}|P|2.5.1",
        f"EVN|A01|{ts}",
        f"PID|1||{pid3}||{last.upper()}^{first.upper()}||{born:%Y%m%d}|{ctx.pick('MF')}|||{ctx.address()[:40]}^^{ctx.city()}^^^{cc}||{ctx.phone()}",
        f"PV1|1|I|PSY^2^14||||{ctx.rng.randrange(1000, 9999)}^{ctx.fake.last_name().upper()}^{ctx.fake.first_name().upper()}",
        f"DG1|1||{ctx.pick(dxs)}^I10||{ts}|A",
    ]
    return Out(
        "\r".join(segs) + "\r",
        "HL7 v2 admission: patient name, birth date, diagnosis" + (" and national id" if gen else ""),
        "hl7",
    )


_FHIR = {  # language: (id system, id generator or None, condition text)
    "ko": ("urn:oid:2.16.410.100.1", ids.kr_rrn, ["조현병", "유방암", "HIV 감염"]),
    "el": ("urn:oid:amka.gr", ids.gr_amka, ["Σχιζοφρένεια", "Καρκίνος του μαστού", "Λοίμωξη HIV"]),
    "hu": ("urn:oid:taj.hu", ids.hu_taj, ["Skizofrénia", "Emlőrák", "HIV-fertőzés"]),
    "uk": ("urn:oid:rntrc.ua", ids.ua_rntrc, ["Шизофренія", "Рак молочної залози", "ВІЛ-інфекція"]),
    "hi": ("https://uidai.gov.in", ids.in_aadhaar, ["स्किज़ोफ्रेनिया", "स्तन कैंसर", "एचआईवी संक्रमण"]),
    "vi": ("", None, ["Tâm thần phân liệt", "Ung thư vú", "Nhiễm HIV"]),
    "ar": ("", None, ["الفصام", "سرطان الثدي", "عدوى فيروس نقص المناعة البشرية"]),
    "en": ("", None, ["Schizophrenia", "Malignant neoplasm of breast", "HIV infection"]),
}


def fhir_json(ctx: Ctx) -> Out:
    system, gen, conds = _FHIR[ctx.lang]
    first, last = ctx.first_last()
    pid = ctx.fake.uuid4()
    patient: dict[str, object] = {
        "resourceType": "Patient",
        "id": pid,
        "name": [{"family": last, "given": [first]}],
        "gender": ctx.pick(["male", "female"]),
        "birthDate": ctx.fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat(),
        "telecom": [{"system": "phone", "value": ctx.phone()}],
    }
    if gen:
        patient["identifier"] = [{"system": system, "value": gen(ctx.rng)}]
    cond = {
        "resourceType": "Condition",
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"text": ctx.pick(conds)},
        "clinicalStatus": {"coding": [{"code": "active"}]},
    }
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": patient}, {"resource": cond}],
    }
    return Out(
        json.dumps(bundle, ensure_ascii=False, indent=1) + "\n",
        "FHIR bundle: a named patient's condition" + (" with a national id" if gen else ""),
        "json",
    )


_ICS = {
    "en": (
        "Exit meeting – {name}",
        "Redundancy decision: role eliminated, severance {amt}. Do not share before the 1:1.",
    ),
    "de": (
        "Kündigungsgespräch {name}",
        "Verhaltensbedingte Kündigung wegen wiederholter Fehlzeiten; Betriebsrat angehört. "
        "Abfindungsangebot {amt}.",
    ),
    "da": (
        "Afskedigelsesmøde – {name}",
        "Afskedigelse pga. samarbejdsvanskeligheder; fratrædelsesgodtgørelse {amt}.",
    ),
    "no": (
        "Oppsigelsesmøte – {name}",
        "Oppsigelse på grunn av gjentatte brudd på rusmiddelpolicyen. Sluttpakke {amt}.",
    ),
    "nl": (
        "Ontslaggesprek {name}",
        "Ontslag op staande voet wegens diefstal; aangifte gedaan bij de politie.",
    ),
    "ro": (
        "Ședință de concediere – {name}",
        "Concediere disciplinară pentru absențe nemotivate; compensație {amt}.",
    ),
}


def ics_invite(ctx: Ctx) -> Out:
    summary, desc = _ICS[ctx.lang]
    name = ctx.name()
    d = ctx.day()
    amt = f"{ctx.money(5000, 90000, 500):,}"
    v = (
        f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Mail//Calendar//EN\nBEGIN:VEVENT\nUID:{ctx.fake.uuid4()}\n"
        f"DTSTART:{d:%Y%m%d}T{ctx.rng.randrange(8, 17):02d}0000\nDURATION:PT30M\nSUMMARY:{summary.format(name=name)}\n"
        f"DESCRIPTION:{desc.format(amt=amt)}\nATTENDEE;CN={name}:mailto:{ctx.email_of(name)}\n"
        f"ORGANIZER;CN={ctx.name()}:mailto:hr@{ctx.fake.domain_name()}\nCLASS:PRIVATE\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    return Out(v, "calendar invite: a named employee's dismissal and its reason", "ics")


_MARKED = {
    "hu": (
        "SZIGORÚAN BIZALMAS",
        "Konferencia 2027 – költségvetés-tervezet\n1. Helyszínek: {city}\n2. Catering\n3. Előadói díjak\n4. Következő lépések",
    ),
    "ro": (
        "STRICT CONFIDENȚIAL",
        "Conferința 2027 – proiect de buget\n1. Locații posibile: {city}\n2. Catering\n3. Onorarii vorbitori\n4. Pașii următori",
    ),
    "el": (
        "ΑΥΣΤΗΡΩΣ ΕΜΠΙΣΤΕΥΤΙΚΟ",
        "Συνέδριο 2027 – σχέδιο προϋπολογισμού\n1. Χώροι: {city}\n2. Τροφοδοσία\n3. Αμοιβές ομιλητών\n4. Επόμενα βήματα",
    ),
    "ko": (
        "대외비",
        "2027 콘퍼런스 예산안(초안)\n1. 장소 후보: {city}\n2. 케이터링\n3. 연사 사례비\n4. 향후 일정",
    ),
    "ar": (
        "سري للغاية",
        "مؤتمر 2027 – مسودة الميزانية\n1. الأماكن المقترحة: {city}\n2. الضيافة\n3. أتعاب المتحدثين\n4. الخطوات التالية",
    ),
    "hi": (
        "गोपनीय",
        "सम्मेलन 2027 – बजट का मसौदा\n1. संभावित स्थान: {city}\n2. खानपान\n3. वक्ताओं का शुल्क\n4. अगले कदम",
    ),
    "vi": (
        "TÀI LIỆU MẬT",
        "Hội nghị 2027 – dự thảo ngân sách\n1. Địa điểm dự kiến: {city}\n2. Ăn uống\n3. Thù lao diễn giả\n4. Các bước tiếp theo",
    ),
    "uk": (
        "КОНФІДЕНЦІЙНО",
        "Конференція 2027 – проєкт бюджету\n1. Можливі місця: {city}\n2. Кейтеринг\n3. Гонорари спікерів\n4. Наступні кроки",
    ),
    "nl": (
        "STRIKT VERTROUWELIJK",
        "Congres 2027 – conceptbegroting\n1. Locaties: {city}\n2. Catering\n3. Sprekersvergoedingen\n4. Vervolgstappen",
    ),
    "pt": (
        "CONFIDENCIAL",
        "Conferência 2027 – proposta de orçamento\n1. Locais possíveis: {city}\n2. Catering\n3. Honorários dos oradores\n4. Próximos passos",
    ),
    "it": (
        "RISERVATO",
        "Convegno 2027 – bozza di budget\n1. Sedi possibili: {city}\n2. Catering\n3. Compensi dei relatori\n4. Prossimi passi",
    ),
    "da": (
        "FORTROLIGT",
        "Konference 2027 – budgetudkast\n1. Mulige steder: {city}\n2. Forplejning\n3. Honorarer til talere\n4. Næste skridt",
    ),
    "no": (
        "STRENGT FORTROLIG",
        "Konferanse 2027 – budsjettutkast\n1. Mulige steder: {city}\n2. Servering\n3. Honorar til foredragsholdere\n4. Neste steg",
    ),
    "en": (
        "COMMERCIAL IN CONFIDENCE",
        "Conference 2027 – draft budget\n1. Venue shortlist: {city}\n2. Catering\n3. Speaker fees\n4. Next steps",
    ),
    "de": (
        "VS – NUR FÜR DEN DIENSTGEBRAUCH",
        "Tagung 2027 – Haushaltsentwurf\n1. Mögliche Orte: {city}\n2. Verpflegung\n3. Honorare\n4. Nächste Schritte",
    ),
    "ja": (
        "取扱注意",
        "2027年カンファレンス予算案\n1. 会場候補：{city}\n2. ケータリング\n3. 講演者謝礼\n4. 今後の予定",
    ),
}


def marked_confidential_d(ctx: Ctx) -> Out:
    marker, body = _MARKED[ctx.lang]
    body = body.format(city=ctx.city())
    where = ctx.rng.random()
    text = (
        f"{marker}\n\n{body}\n"
        if where < 0.5
        else f"{body}\n\n— {marker} —\n"
        if where < 0.8
        else f"{body}\n"
    )
    if where >= 0.8:  # the marker as a page footer after a date line, as exported from a word processor
        text += f"\n{fmt_date(ctx.day(), ctx.lang)} | {marker} | 1/1\n"
    return Out(text, "marked confidential by its author (marker in a language set C lacks)")
