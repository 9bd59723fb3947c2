"""Set C, sensitive by what the text says: pay, health, legal advice, discipline (no identifiers needed)."""

from __future__ import annotations

from .doc import Ctx, Out
from .shapes import amount, chat, email, fmt_date

# --- pay tied to a named employee --------------------------------------------------------------------

_PAY = {
    "en": (
        "Salary adjustment – {name}",
        "Hi {hr},\n\nFollowing the annual review, {name}'s base salary goes from {old} to {new} per year from "
        "{date}, plus a one-off retention bonus of {bonus}. Please update payroll before the next run and "
        "keep this between us until the letter goes out.\n\nThanks,\n{mgr}",
        "$",
        (68000, 140000),
    ),
    "de": (
        "Gehaltsanpassung {name}",
        "Hallo {hr},\n\nnach dem Jahresgespräch steigt das Bruttojahresgehalt von {name} ab {date} von {old} "
        "auf {new}; dazu kommt eine einmalige Halteprämie von {bonus}. Bitte in der Lohnabrechnung "
        "hinterlegen.\n\nViele Grüße\n{mgr}",
        "EUR",
        (52000, 110000),
    ),
    "fr": (
        "Révision salariale – {name}",
        "Bonjour {hr},\n\nSuite à l'entretien annuel, le salaire brut annuel de {name} passe de {old} à {new} "
        "à compter du {date}, avec une prime exceptionnelle de {bonus}. Merci de mettre à jour la paie.\n\n"
        "Cordialement,\n{mgr}",
        "€",
        (38000, 95000),
    ),
    "sv": (
        "Lönejustering {name}",
        "Hej {hr},\n\nEfter lönesamtalet höjs månadslönen för {name} från {old} till {new} från och med "
        "{date}. Dessutom betalas en engångsbonus på {bonus} ut i nästa lönekörning.\n\nHälsningar\n{mgr}",
        "kr",
        (34000, 72000),
    ),
    "pl": (
        "Podwyżka – {name}",
        "Dzień dobry {hr},\n\npo rozmowie rocznej wynagrodzenie zasadnicze pracownika {name} wzrośnie od "
        "{date} z {old} do {new} brutto miesięcznie. Dodatkowo jednorazowa premia w wysokości {bonus}. "
        "Proszę o aktualizację w systemie płacowym.\n\nPozdrawiam\n{mgr}",
        "zł",
        (7000, 24000),
    ),
    "ja": (
        "給与改定について（{name}さん）",
        "{hr}さん\n\n評価面談の結果、{name}さんの基本給を{date}付で月額{old}から{new}に改定します。"
        "あわせて特別賞与として{bonus}を支給します。給与システムへの反映をお願いします。\n\n{mgr}",
        "¥",
        (280000, 720000),
    ),
    "es": (
        "Ajuste salarial – {name}",
        "Hola {hr}:\n\nTras la evaluación anual, el salario bruto anual de {name} pasa de {old} a {new} a partir "
        "del {date}, más un bono único de {bonus}. Por favor, actualizad la nómina.\n\nSaludos,\n{mgr}",
        "€",
        (28000, 80000),
    ),
}


def pay_email(ctx: Ctx) -> Out:
    subject, body, cur, (lo, hi) = _PAY[ctx.lang]
    name, hr, mgr = ctx.name(), ctx.name(), ctx.name()
    old = ctx.money(lo, hi, 500 if hi > 50000 else 100)
    new = int(old * (1 + ctx.rng.randrange(3, 15) / 100)) // 100 * 100
    bonus = ctx.money(lo // 10, hi // 5, 100)
    vals = {
        "name": name,
        "hr": hr.split()[0],
        "mgr": mgr,
        "date": fmt_date(ctx.day(), ctx.lang),
        "old": amount(old, ctx.lang, cur),
        "new": amount(new, ctx.lang, cur),
        "bonus": amount(bonus, ctx.lang, cur),
    }
    text = email(ctx, ctx.email_of(mgr), ctx.email_of(hr), subject.format(**vals), body.format(**vals))
    return Out(text, "a named employee's salary change and bonus", "eml")


# --- health of a named colleague, in chat --------------------------------------------------------------

_CHAT_HEALTH = {
    "en": (
        [
            "is {name} in today?",
            "no, off again. she told me the treatment for her {dx} is knocking her out",
            "oh no. how long?",
            "oncology said at least another 6 weeks of {med}. please keep it quiet, she doesn't "
            "want the team to know",
            "of course",
        ],
        [
            ("breast cancer", "tamoxifen"),
            ("multiple sclerosis", "ocrelizumab"),
            ("HIV", "Biktarvy"),
            ("bipolar disorder", "lithium"),
            ("Crohn's disease", "infliximab"),
        ],
    ),
    "es": (
        [
            "¿Viene {name} hoy?",
            "No, está de baja otra vez. Me contó que le diagnosticaron {dx} y empieza con "
            "{med} la semana que viene.",
            "Vaya, lo siento. ¿Cuánto tiempo?",
            "El médico dice al menos un mes. No lo comentes con el equipo, por favor.",
            "Claro.",
        ],
        [
            ("cáncer de mama", "tamoxifeno"),
            ("diabetes tipo 1", "insulina glargina"),
            ("depresión mayor", "sertralina"),
            ("esclerosis múltiple", "ocrelizumab"),
            ("VIH", "Biktarvy"),
        ],
    ),
    "fi": (
        [
            "Onko {name} tänään töissä?",
            "Ei, hän on taas sairauslomalla. Hänellä todettiin {dx} ja hän aloittaa lääkkeen {med}.",
            "Voi ei. Kauanko?",
            "Lääkäri kirjoitti kuukauden. Älä kerro muille, hän ei halua että tiimi tietää.",
            "Selvä.",
        ],
        [
            ("rintasyöpä", "tamoksifeeni"),
            ("tyypin 1 diabetes", "insuliini"),
            ("vakava masennus", "sertraliini"),
            ("MS-tauti", "okrelitsumabi"),
            ("kaksisuuntainen mielialahäiriö", "litium"),
        ],
    ),
    "cs": (
        [
            "Je dnes {name} v práci?",
            "Ne, je zase na neschopence. Diagnóza: {dx}, začíná brát {med}.",
            "To je mi líto. Na jak dlouho?",
            "Doktor říkal aspoň měsíc. Prosím, neříkej to ostatním.",
            "Jasně.",
        ],
        [
            ("rakovina prsu", "tamoxifen"),
            ("cukrovka 1. typu", "inzulín"),
            ("těžká deprese", "sertralin"),
            ("roztroušená skleróza", "ocrelizumab"),
            ("bipolární porucha", "lithium"),
        ],
    ),
    "tr": (
        [
            "{name} bugün gelecek mi?",
            "Hayır, yine raporlu. {dx} teşhisi konmuş, {med} tedavisine başlıyor.",
            "Çok geçmiş olsun. Ne kadar sürecek?",
            "Doktor en az bir ay dedi. Lütfen ekipte kimseye söyleme.",
            "Tamam.",
        ],
        [
            ("meme kanseri", "tamoksifen"),
            ("tip 1 diyabet", "insülin"),
            ("majör depresyon", "sertralin"),
            ("multipl skleroz", "okrelizumab"),
            ("bipolar bozukluk", "lityum"),
        ],
    ),
    "zh": (
        [
            "{name}今天来上班吗？",
            "没有，又请病假了。她被诊断出{dx}，下周开始用{med}。",
            "太遗憾了，要多久？",
            "医生说至少一个月。别跟团队里其他人说。",
            "好的。",
        ],
        [
            ("乳腺癌", "他莫昔芬"),
            ("1型糖尿病", "胰岛素"),
            ("重度抑郁症", "舍曲林"),
            ("多发性硬化症", "奥瑞珠单抗"),
            ("双相情感障碍", "碳酸锂"),
        ],
    ),
}


def chat_health(ctx: Ctx) -> Out:
    lines, pairs = _CHAT_HEALTH[ctx.lang]
    dx, med = pairs[ctx.rng.randrange(len(pairs))]
    name = ctx.name()
    people = [ctx.fake.first_name(), ctx.fake.first_name()]
    msgs = [(i % 2, m.format(name=name, dx=dx, med=med)) for i, m in enumerate(lines)]
    return Out(
        chat(ctx, people, msgs, ctx.pick(["slack", "teams", "whatsapp"])),
        "a colleague's diagnosis and treatment, named",
        "txt",
    )


# --- clinical notes with a name and a diagnosis, no identifier ----------------------------------------

_NOTE = {
    "en": (
        "DISCHARGE SUMMARY\nPatient: {name}    DOB: {dob}\nAdmitted: {d1}   Discharged: {d2}\n\n"
        "Diagnosis: {dx}\nMedication on discharge: {med}\nFollow-up: outpatient clinic in 6 weeks; GP to review "
        "renal function and blood pressure.\n\nDr {doc}",
        [
            (
                "acute myocardial infarction (NSTEMI)",
                "aspirin 75 mg, ticagrelor 90 mg bd, atorvastatin 80 mg",
            ),
            ("schizophrenia, acute relapse", "olanzapine 10 mg nocte"),
            ("alcohol withdrawal; liver cirrhosis", "chlordiazepoxide taper, thiamine 100 mg"),
            ("type 2 diabetes, poorly controlled", "metformin 1 g bd, empagliflozin 10 mg"),
        ],
    ),
    "de": (
        "Arztbrief\n\nPatient/in: {name}, geb. {dob}\nStationärer Aufenthalt: {d1} – {d2}\n\nDiagnose: {dx}\n"
        "Therapie: {med}\nProcedere: Kontrolle in 4 Wochen beim Hausarzt, Laborkontrolle (Kreatinin, Kalium).\n\n"
        "Mit freundlichen kollegialen Grüßen\nDr. med. {doc}",
        [
            ("akuter Myokardinfarkt (NSTEMI)", "ASS 100 mg, Ticagrelor 90 mg 1-0-1, Atorvastatin 80 mg"),
            ("paranoide Schizophrenie", "Olanzapin 10 mg 0-0-1"),
            ("Alkoholentzugssyndrom, Leberzirrhose", "Oxazepam ausschleichend, Thiamin"),
            ("Diabetes mellitus Typ 2, entgleist", "Metformin 1000 mg 1-0-1"),
        ],
    ),
    "fr": (
        "Compte rendu de consultation\n\nPatient(e) : {name}, né(e) le {dob}\nDate : {d1}\n\nMotif : suivi.\n"
        "Diagnostic : {dx}\nTraitement : {med}\nConduite à tenir : bilan sanguin dans un mois, revoir en "
        "consultation.\n\nDr {doc}",
        [
            ("infarctus du myocarde", "aspirine 75 mg, ticagrélor 90 mg deux fois par jour"),
            ("schizophrénie paranoïde", "olanzapine 10 mg le soir"),
            ("épisode dépressif sévère", "sertraline 50 mg"),
            ("diabète de type 2 déséquilibré", "metformine 1000 mg matin et soir"),
        ],
    ),
    "sv": (
        "Epikris\n\nPatient: {name}, född {dob}\nVårdtid: {d1}–{d2}\n\nDiagnos: {dx}\n"
        "Läkemedel vid utskrivning: {med}\nUppföljning: återbesök på mottagningen om sex veckor.\n\n"
        "Leg. läkare {doc}",
        [
            ("akut hjärtinfarkt", "Trombyl 75 mg, Brilique 90 mg x 2"),
            ("schizofreni, skov", "olanzapin 10 mg till natten"),
            ("svår depression", "sertralin 50 mg"),
            ("typ 2-diabetes", "metformin 1 g x 2"),
        ],
    ),
    "id": (
        "RESUME MEDIS\n\nNama pasien: {name}\nTanggal lahir: {dob}\nTanggal masuk: {d1}   Tanggal keluar: {d2}\n\n"
        "Diagnosis: {dx}\nTerapi: {med}\nKontrol ulang ke poliklinik dalam 2 minggu.\n\ndr. {doc}",
        [
            ("infark miokard akut", "aspirin 80 mg, clopidogrel 75 mg"),
            ("demam berdarah dengue", "infus RL, parasetamol"),
            ("tuberkulosis paru", "OAT kategori 1"),
            ("diabetes melitus tipe 2", "metformin 500 mg 2x1"),
        ],
    ),
    "ja": (
        "退院サマリー\n\n患者氏名：{name}　生年月日：{dob}\n入院日：{d1}　退院日：{d2}\n\n診断名：{dx}\n"
        "退院時処方：{med}\n今後の方針：6週間後に外来で経過観察。\n\n主治医：{doc}",
        [
            ("急性心筋梗塞", "アスピリン100mg、クロピドグレル75mg"),
            ("統合失調症", "オランザピン10mg 就寝前"),
            ("うつ病", "セルトラリン50mg"),
            ("2型糖尿病", "メトホルミン500mg 1日2回"),
        ],
    ),
}


def medical_note(ctx: Ctx) -> Out:
    tmpl, pairs = _NOTE[ctx.lang]
    dx, med = pairs[ctx.rng.randrange(len(pairs))]
    d1 = ctx.day()
    text = tmpl.format(
        name=ctx.name(),
        dob=fmt_date(ctx.fake.date_of_birth(minimum_age=20, maximum_age=90), ctx.lang),
        d1=fmt_date(d1, ctx.lang),
        d2=fmt_date(d1.replace(day=min(28, d1.day + 5)), ctx.lang),
        dx=dx,
        med=med,
        doc=ctx.name(),
    )
    return Out(text, "a named patient's diagnosis and medication (no id)", "txt")


# --- legal advice to a client --------------------------------------------------------------------------

_LEGAL = {
    "en": [
        "PRIVILEGED & CONFIDENTIAL\nATTORNEY-CLIENT COMMUNICATION / ATTORNEY WORK PRODUCT\n\nTo: {client}, {company}\n"
        "From: {lawyer}\nRe: {name} v. {company}\n\nYou asked for our view on exposure. On the documents reviewed so "
        "far we consider the risk of an adverse finding on the wrongful-termination claim to be moderate to high, "
        "chiefly because of the manager's e-mails of {date}. We recommend opening settlement talks in the range of "
        "{low}–{high} before disclosure.",
        "{client},\n\nPlease don't forward this. My advice on the {name} dispute: we are unlikely to win on the "
        "non-compete, and discovery would expose the pricing memo. I'd authorise outside counsel to settle for up "
        "to {high}. Happy to talk it through before the board call.\n\n{lawyer}\nDeputy General Counsel",
    ],
    "de": [
        "Betreff: Einschätzung Prozessrisiko {name} ./. {company}\n\nSehr geehrte/r {client},\n\nwie besprochen "
        "unsere rechtliche Einschätzung: Die Erfolgsaussichten der Kündigungsschutzklage schätzen wir als hoch ein, "
        "da die Sozialauswahl fehlerhaft war. Wir empfehlen, vor dem Gütetermin einen Vergleich mit einer Abfindung "
        "bis zu {high} anzubieten.\n\nMit freundlichen Grüßen\n{lawyer}\nRechtsanwalt"
    ],
    "fr": [
        "Objet : {name} c/ {company} – note de stratégie\n\n{client},\n\nNotre analyse : le risque de "
        "requalification du licenciement est élevé au vu des échanges du {date}. Nous recommandons de proposer une "
        "transaction jusqu'à {high} avant l'audience de conciliation. Cette correspondance est couverte par le "
        "secret professionnel de l'avocat.\n\nMe {lawyer}"
    ],
    "es": [
        "Asunto: {name} contra {company} – valoración jurídica\n\n{client}:\n\nEn nuestra opinión, las "
        "posibilidades de que el despido se declare improcedente son altas. Recomendamos ofrecer un acuerdo de hasta "
        "{high} antes del acto de conciliación. Comunicación amparada por el secreto profesional del abogado.\n\n"
        "{lawyer}\nAbogado"
    ],
    "sv": [
        "Ärende: {name} ./. {company}\n\nHej {client},\n\nVår bedömning är att bolaget har svag grund för "
        "avskedandet och att en förlikning är att föredra. Vi rekommenderar att ni erbjuder upp till {high} innan "
        "huvudförhandlingen. Meddelandet omfattas av advokatsekretess.\n\n{lawyer}\nAdvokat"
    ],
    "fi": [
        "Asia: {name} / {company}\n\nHei {client},\n\nArviomme mukaan yhtiön irtisanomisperusteet ovat heikot ja "
        "oikeudenkäynnin riski on merkittävä. Suosittelemme sovintoa enintään {high} asti ennen pääkäsittelyä. "
        "Viesti on asianajosalaisuuden piirissä.\n\n{lawyer}\nAsianajaja"
    ],
}


def legal_advice(ctx: Ctx) -> Out:
    tmpl = ctx.variant(_LEGAL[ctx.lang])
    cur = {"en": "$", "sv": "kr"}.get(ctx.lang, "€")
    low = ctx.money(40000, 250000, 5000)
    text = tmpl.format(
        client=ctx.name(),
        company=ctx.company(),
        lawyer=ctx.name(),
        name=ctx.name(),
        date=fmt_date(ctx.day(), ctx.lang),
        low=amount(low, ctx.lang, cur),
        high=amount(low * 2, ctx.lang, cur),
    )
    return Out(text, "counsel's advice and settlement strategy to a client", "txt")


# --- discipline of a named employee ---------------------------------------------------------------------

_DISC = {
    "en": "Dear {name},\n\nFinal written warning\n\nFollowing the disciplinary hearing on {d1}, chaired by {mgr}, the "
    "panel found that on {d2} you accessed customer accounts without a business reason and shared screenshots "
    "outside the company. This is gross misconduct under section 4.2 of the code of conduct. This final written "
    "warning stays on your file for 12 months; any further breach will lead to dismissal. You may appeal within "
    "5 working days.\n\nYours sincerely,\n{mgr}\nHR Business Partner",
    "de": "Abmahnung\n\nSehr geehrte/r {name},\n\nam {d2} sind Sie unentschuldigt nicht zur Arbeit erschienen und haben "
    "sich trotz mehrfacher Aufforderung nicht gemeldet. Bereits am {d1} wurden Sie deswegen ermahnt. Wir mahnen "
    "Sie hiermit ab und weisen darauf hin, dass Sie im Wiederholungsfall mit einer Kündigung rechnen müssen.\n\n"
    "{mgr}\nPersonalabteilung",
    "fi": "Varoitus\n\n{name},\n\nolet {d2} laiminlyönyt työvuorosi ilmoittamatta poissaolostasi esihenkilölle. Asiasta "
    "keskusteltiin kuulemistilaisuudessa {d1}. Annamme sinulle työsopimuslain 7 luvun 2 §:n mukaisen kirjallisen "
    "varoituksen. Jos menettely toistuu, työsuhde voidaan irtisanoa.\n\n{mgr}, HR",
    "cs": "Písemné upozornění na porušení pracovní kázně\n\n{name},\n\ndne {d2} jste se dostavil/a na pracoviště pod "
    "vlivem alkoholu, což bylo zjištěno dechovou zkouškou. Upozorňujeme Vás, že jde o závažné porušení povinností "
    "a při opakování s Vámi bude rozvázán pracovní poměr.\n\n{mgr}\npersonální oddělení",
    "pl": "Kara upomnienia\n\nPan/Pani {name}\n\nW związku z naruszeniem przepisów BHP w dniu {d2} (praca na wysokości "
    "bez zabezpieczenia) pracodawca nakłada na Pana/Panią karę upomnienia na podstawie art. 108 Kodeksu pracy. Od "
    "kary przysługuje sprzeciw w terminie 7 dni.\n\n{mgr}\nDział Kadr",
    "tr": "İhtarname\n\nSayın {name},\n\n{d2} tarihinde müşteri verilerini izinsiz olarak kişisel e-posta adresinize "
    "aktardığınız tespit edilmiştir. Savunmanız {d1} tarihinde alınmıştır. İşbu yazı ile tarafınıza yazılı ihtar "
    "verilmekte olup tekrarı halinde iş akdiniz feshedilecektir.\n\n{mgr}\nİnsan Kaynakları",
}


def disciplinary(ctx: Ctx) -> Out:
    text = _DISC[ctx.lang].format(
        name=ctx.name(), mgr=ctx.name(), d1=fmt_date(ctx.day(), ctx.lang), d2=fmt_date(ctx.day(), ctx.lang)
    )
    return Out(text, "a disciplinary warning to a named employee", "txt")
