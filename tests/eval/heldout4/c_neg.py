"""Set C look-alikes in prose: public or internal texts about the same subjects as the sensitive ones
(pay, health, law, discipline, religion, unions, migration, confidentiality), naming no private person's
sensitive facts."""

from __future__ import annotations

from .doc import Ctx, Out
from .shapes import amount, email, fmt_date

_PRESS = {
    "en": "FOR IMMEDIATE RELEASE\n\n{company} opens a new logistics centre in {city}\n\n{city}, {date} – {company} today "
    'opened a 40,000 m² distribution centre that will create 320 jobs. "This is our biggest investment in the '
    'region," said {name}, chief executive.\n\nMedia contact:\n{press}, Head of Communications\npress@{domain}\n'
    "Switchboard: {phone}",
    "de": "PRESSEMITTEILUNG\n\n{company} eröffnet neues Logistikzentrum in {city}\n\n{city}, {date} – {company} hat heute "
    "ein Verteilzentrum mit 40.000 m² eröffnet, das 320 Arbeitsplätze schafft. „Das ist unsere größte Investition "
    "in der Region“, sagte {name}, Vorsitzende/r der Geschäftsführung.\n\nPressekontakt:\n{press}, Leitung "
    "Unternehmenskommunikation\npresse@{domain}\nZentrale: {phone}",
    "fr": "COMMUNIQUÉ DE PRESSE\n\n{company} inaugure un centre logistique à {city}\n\n{city}, le {date} – {company} a "
    "inauguré aujourd'hui un centre de distribution de 40 000 m² qui créera 320 emplois, a déclaré {name}, "
    "directeur général.\n\nContact presse :\n{press}, directrice de la communication\npresse@{domain}\nStandard : {phone}",
    "es": "NOTA DE PRENSA\n\n{company} inaugura un centro logístico en {city}\n\n{city}, {date}. {company} ha inaugurado "
    "hoy un centro de distribución de 40.000 m² que creará 320 empleos, según {name}, consejero delegado.\n\n"
    "Contacto de prensa:\n{press}, directora de Comunicación\nprensa@{domain}\nCentralita: {phone}",
    "sv": "PRESSMEDDELANDE\n\n{company} öppnar nytt logistikcenter i {city}\n\n{city}, {date} – {company} öppnade i dag "
    "ett distributionscenter på 40 000 kvm som skapar 320 arbetstillfällen, säger vd {name}.\n\nPresskontakt:\n"
    "{press}, kommunikationschef\npress@{domain}\nVäxel: {phone}",
    "fi": "TIEDOTE\n\n{company} avaa uuden logistiikkakeskuksen: {city}\n\n{city}, {date} – {company} avasi tänään "
    "40 000 neliön jakelukeskuksen, joka työllistää 320 henkeä, kertoo toimitusjohtaja {name}.\n\nLisätietoja "
    "medialle:\n{press}, viestintäjohtaja\nviestinta@{domain}\nVaihde: {phone}",
}


def press_release(ctx: Ctx) -> Out:
    text = _PRESS[ctx.lang].format(
        company=ctx.company(),
        city=ctx.city(),
        date=fmt_date(ctx.day(), ctx.lang),
        name=ctx.name(),
        press=ctx.name(),
        domain=ctx.fake.domain_name(),
        phone=ctx.phone(),
    )
    return Out(text, "press release: executives quoted, press office contacts (published)", "txt")


_JOBAD = {
    "en": (
        "Senior Data Engineer – {city}\n\n{company} is hiring. You will build our streaming pipelines (Kafka, "
        "Python). Salary: {lo}–{hi} per year plus bonus and 28 days' holiday. Apply by {date} at careers@{domain}.",
        "$",
    ),
    "de": (
        "Senior Data Engineer (m/w/d) – {city}\n\n{company} sucht Verstärkung für Datenpipelines (Kafka, Python). "
        "Gehalt: {lo} – {hi} brutto jährlich, 30 Tage Urlaub. Bewerbung bis {date} an jobs@{domain}.",
        "EUR",
    ),
    "pl": (
        "Senior Data Engineer – {city}\n\n{company} zatrudni specjalistę ds. przetwarzania danych (Kafka, Python). "
        "Wynagrodzenie: {lo} – {hi} brutto miesięcznie (UoP). Aplikacje do {date}: rekrutacja@{domain}.",
        "zł",
    ),
    "cs": (
        "Senior Data Engineer – {city}\n\n{company} hledá posilu do týmu datových pipeline (Kafka, Python). Mzda: "
        "{lo} – {hi} Kč měsíčně, 5 týdnů dovolené. Životopisy do {date} na kariera@{domain}.",
        "",
    ),
    "ja": (
        "データエンジニア（シニア）募集 – {city}\n\n{company}では、ストリーミング基盤（Kafka, Python）の開発者を募集"
        "しています。年収：{lo}〜{hi}（経験により決定）。応募締切：{date}　応募先：recruit@{domain}",
        "¥",
    ),
    "fr": (
        "Data engineer senior (H/F) – {city}\n\n{company} recrute pour ses pipelines de données (Kafka, Python). "
        "Rémunération : {lo} – {hi} brut annuel + intéressement. Candidatures avant le {date} : recrutement@{domain}.",
        "€",
    ),
}
_RANGE = {
    "en": (90000, 150000),
    "de": (65000, 95000),
    "pl": (14000, 26000),
    "cs": (70000, 120000),
    "ja": (6000000, 11000000),
    "fr": (50000, 75000),
}


def job_ad_salary(ctx: Ctx) -> Out:
    tmpl, cur = _JOBAD[ctx.lang]
    lo, hi = _RANGE[ctx.lang]
    step = 1000 if hi < 10**6 else 100000
    a = ctx.money(lo, (lo + hi) // 2, step)
    b = ctx.money((lo + hi) // 2 + step, hi + step, step)
    text = tmpl.format(
        city=ctx.city(),
        company=ctx.company(),
        date=fmt_date(ctx.day(), ctx.lang),
        domain=ctx.fake.domain_name(),
        lo=amount(a, ctx.lang, cur).strip(),
        hi=amount(b, ctx.lang, cur).strip(),
    )
    return Out(text, "job advertisement with a salary range (no employee named)", "txt")


_HEALTH = {
    "en": "Type 2 diabetes: what you need to know\n\nType 2 diabetes is a condition in which the body does not use "
    "insulin well. Common symptoms are thirst, frequent urination and tiredness. Treatment usually starts with "
    "diet, exercise and metformin; some people later need insulin. Ask your GP for a blood test if you are worried.",
    "es": "Depresión: síntomas y tratamiento\n\nLa depresión es un trastorno frecuente que afecta al estado de ánimo, el "
    "sueño y la energía. El tratamiento combina psicoterapia y, en algunos casos, antidepresivos como la sertralina. "
    "Si tiene pensamientos de hacerse daño, llame al 024.",
    "fi": "Kausi-influenssa\n\nInfluenssa on viruksen aiheuttama hengitystieinfektio. Oireita ovat kuume, lihaskivut ja "
    "yskä. Rokotus suositellaan yli 65-vuotiaille ja riskiryhmille. Hakeudu lääkäriin, jos hengitys vaikeutuu.",
    "tr": "Hipertansiyon hakkında\n\nYüksek tansiyon çoğu zaman belirti vermez, bu nedenle düzenli ölçüm önemlidir. "
    "Tuz tüketimini azaltmak, hareket etmek ve gerekirse doktorun önerdiği ilaçları kullanmak riski düşürür.",
    "zh": "季节性流感防治指南\n\n流感是由流感病毒引起的急性呼吸道传染病，主要症状为发热、咳嗽和肌肉酸痛。建议老年人和"
    "慢性病患者每年接种流感疫苗。出现呼吸困难时应及时就医。",
    "id": "Demam berdarah dengue (DBD)\n\nDBD ditularkan oleh nyamuk Aedes aegypti. Gejalanya demam tinggi mendadak, nyeri "
    "otot, dan bintik merah di kulit. Lakukan 3M Plus: menguras, menutup, dan mendaur ulang barang bekas.",
}


def health_article(ctx: Ctx) -> Out:
    return Out(_HEALTH[ctx.lang] + "\n", "public health information (no patient)", "txt")


_BIO = {
    "en": "Alan Turing (born 23 June 1912 in Maida Vale, London; died 7 June 1954 in Wilmslow) was a mathematician and "
    "computer scientist. In 1952 he was prosecuted for homosexual acts and accepted chemical castration as an "
    "alternative to prison. He received a posthumous royal pardon in 2013.",
    "de": "Albert Einstein (* 14. März 1879 in Ulm; † 18. April 1955 in Princeton) war ein theoretischer Physiker. Er "
    "starb an einem Aortenaneurysma. 1921 erhielt er den Nobelpreis für Physik.",
    "fr": "Marie Curie, née Maria Skłodowska le 7 novembre 1867 à Varsovie et morte le 4 juillet 1934 à Passy, est une "
    "physicienne et chimiste. Elle meurt d'une anémie aplasique probablement due à son exposition aux radiations.",
    "sv": "Selma Lagerlöf, född 20 november 1858 på Mårbacka i Östra Ämtervik, död 16 mars 1940, var en svensk "
    "författare. Hon fick Nobelpriset i litteratur 1909.",
    "cs": "Franz Kafka (3. července 1883 Praha – 3. června 1924 Kierling) byl pražský německy píšící spisovatel. Od roku "
    "1917 trpěl tuberkulózou, na jejíž následky zemřel.",
    "ja": "夏目漱石（1867年2月9日 – 1916年12月9日）は、日本の小説家。晩年は胃潰瘍に苦しみ、1916年に死去した。代表作に"
    "『吾輩は猫である』『こころ』がある。",
    "tr": "Mustafa Kemal Atatürk (1881, Selanik – 10 Kasım 1938, İstanbul), Türkiye Cumhuriyeti'nin kurucusu ve ilk "
    "cumhurbaşkanıdır. Siroz nedeniyle Dolmabahçe Sarayı'nda hayatını kaybetmiştir.",
    "pl": "Fryderyk Chopin (ur. 1 marca 1810 w Żelazowej Woli, zm. 17 października 1849 w Paryżu) – polski kompozytor i "
    "pianista. Przez wiele lat chorował na gruźlicę.",
}


def biography(ctx: Ctx) -> Out:
    return Out(
        _BIO[ctx.lang] + "\n",
        "encyclopaedia biography of a historical figure (published dates, health)",
        "txt",
    )


_LAW = {
    "en": "Legal privilege explained\n\nLegal advice privilege protects confidential communications between a lawyer "
    "and client made for the purpose of giving legal advice. Litigation privilege extends to third-party "
    "communications once litigation is in reasonable contemplation. Privilege belongs to the client and can be "
    "waived, for example by sharing the advice widely.",
    "de": "Das Anwaltsgeheimnis im Überblick\n\nRechtsanwälte sind nach § 43a BRAO zur Verschwiegenheit verpflichtet. "
    "Geschützt ist alles, was ihnen in Ausübung ihres Berufs bekannt geworden ist. Das Zeugnisverweigerungsrecht "
    "folgt aus § 53 StPO.",
    "fr": "Le secret professionnel de l'avocat\n\nLe secret professionnel couvre les consultations adressées par un "
    "avocat à son client, les correspondances échangées et les notes d'entretien. Il est général, absolu et "
    "illimité dans le temps (article 66-5 de la loi du 31 décembre 1971).",
    "es": "El secreto profesional del abogado\n\nEl abogado debe guardar secreto de todos los hechos que conozca por "
    "razón de su actuación profesional (art. 542.3 LOPJ). El deber persiste tras el fin del encargo.",
}


def law_public(ctx: Ctx) -> Out:
    return Out(
        _LAW[ctx.lang] + "\n", "a published explanation of legal privilege (no client, no matter)", "txt"
    )


_POLICY = {
    "en": "Disciplinary procedure (policy HR-07)\n\n1. Minor issues are handled informally by the line manager.\n2. "
    "A formal hearing is arranged with five working days' notice; the employee may bring a companion.\n3. "
    "Outcomes: no action, first written warning, final written warning, dismissal.\n4. Appeals within five days.",
    "de": "Richtlinie Abmahnungen (HR-07)\n\n1. Vor einer Abmahnung ist der Sachverhalt zu dokumentieren.\n2. Der "
    "Betriebsrat wird informiert.\n3. Die Abmahnung wird nach zwei Jahren aus der Personalakte entfernt.",
    "fi": "Varoitusmenettely (ohje HR-07)\n\n1. Esihenkilö keskustelee asiasta työntekijän kanssa.\n2. Työntekijälle "
    "varataan mahdollisuus tulla kuulluksi.\n3. Kirjallinen varoitus arkistoidaan henkilöstöhallintoon.",
    "cs": "Směrnice o pracovní kázni (HR-07)\n\n1. Porušení povinností se projedná se zaměstnancem.\n2. Písemné "
    "upozornění vydává personální oddělení.\n3. Zaměstnanec se může vyjádřit do pěti pracovních dnů.",
    "pl": "Regulamin kar porządkowych (HR-07)\n\n1. Karę upomnienia lub nagany stosuje się po wysłuchaniu pracownika.\n"
    "2. Od kary przysługuje sprzeciw w terminie 7 dni.\n3. Karę uważa się za niebyłą po roku nienagannej pracy.",
    "tr": "Disiplin yönetmeliği (İK-07)\n\n1. Disiplin kurulu, çalışanın yazılı savunmasını almadan karar veremez.\n2. "
    "Cezalar: sözlü uyarı, yazılı ihtar, fesih.\n3. Çalışan kararlara yedi gün içinde itiraz edebilir.",
}


def hr_policy(ctx: Ctx) -> Out:
    return Out(_POLICY[ctx.lang] + "\n", "a generic disciplinary policy (no employee)", "txt")


_PAYSCALE = {
    "en": (
        "Directors' remuneration report (audited)\n\nThe Chief Executive, {name}, received a base salary of {a}, a "
        "bonus of {b} and pension contributions of {c}. Total single-figure remuneration: {t}.",
        "£",
    ),
    "de": (
        "Entgelttabelle gültig ab {date}\n\nEntgeltgruppe E9: Stufe 1 {a} | Stufe 2 {b} | Stufe 3 {c}\n"
        "Entgeltgruppe E13: Stufe 1 {t}\nQuelle: veröffentlichter Tarifvertrag.",
        "€",
    ),
    "sv": (
        "Lönestatistik {date}\n\nMedianlön för systemutvecklare: {b} per månad. Undre kvartil {a}, övre kvartil {c}. "
        "Källa: SCB, 1 240 svarande.",
        "kr",
    ),
    "fi": (
        "Palkkataulukko {date}\n\nVaativuusryhmä 4: {a} / kk\nVaativuusryhmä 5: {b} / kk\nVaativuusryhmä 6: {c} / kk\n"
        "Lähde: työehtosopimus.",
        "€",
    ),
}


def pay_public(ctx: Ctx) -> Out:
    tmpl, cur = _PAYSCALE[ctx.lang]
    lo, hi = {"en": (300000, 1200000), "de": (3000, 6500), "sv": (32000, 62000), "fi": (2600, 4800)}[ctx.lang]
    a, b, c = sorted(ctx.money(lo, hi, 10) for _ in range(3))
    t = a + b + c // 8 if ctx.lang == "en" else c + (c - a)
    if ctx.lang == "en":  # salary, bonus, pension
        c //= 8
    text = tmpl.format(
        name=ctx.name(),
        date=fmt_date(ctx.day(), ctx.lang),
        a=amount(a, ctx.lang, cur),
        b=amount(b, ctx.lang, cur),
        c=amount(c, ctx.lang, cur),
        t=amount(t, ctx.lang, cur),
    )
    return Out(text + "\n", "published pay figures: a listed company's report or a public pay table", "txt")


_MINUTES = {
    "en": "Minutes – office working group, {date}\nPresent: {a}, {b}, {c}\n\n1. Move to the 4th floor confirmed for "
    "the second week of next month.\n2. New coffee machine ordered.\n3. Desk booking tool: trial extended.\n"
    "Actions: {a} to send the floor plan.",
    "de": "Protokoll AG Büro, {date}\nAnwesend: {a}, {b}, {c}\n\n1. Umzug in den 4. Stock bestätigt.\n2. Neue "
    "Kaffeemaschine bestellt.\n3. Tischbuchung: Testphase verlängert.\nTo-do: {a} verschickt den Grundriss.",
    "sv": "Protokoll kontorsgruppen {date}\nNärvarande: {a}, {b}, {c}\n\n1. Flytten till plan 4 bekräftad.\n2. Ny "
    "kaffemaskin beställd.\n3. Bokningsverktyget för skrivbord: testet förlängs.",
    "ja": "議事録（{date}）総務ワーキンググループ\n出席：{a}、{b}、{c}\n\n1. 4階への移転を来月第2週に実施。\n"
    "2. 新しいコーヒーマシンを発注済み。\n3. 座席予約ツールの試行を延長。",
    "zh": "会议纪要（{date}）行政工作组\n出席：{a}、{b}、{c}\n\n1. 确认下月第二周搬至四楼。\n2. 已订购新咖啡机。\n"
    "3. 工位预订工具试用延长。",
    "id": "Notulen rapat tim kantor, {date}\nHadir: {a}, {b}, {c}\n\n1. Pindah ke lantai 4 dipastikan minggu kedua "
    "bulan depan.\n2. Mesin kopi baru sudah dipesan.\n3. Uji coba aplikasi pemesanan meja diperpanjang.",
}


def minutes(ctx: Ctx) -> Out:
    text = _MINUTES[ctx.lang].format(
        date=fmt_date(ctx.day(), ctx.lang), a=ctx.name(), b=ctx.name(), c=ctx.name()
    )
    return Out(text + "\n", "routine internal minutes", "txt")


_MARKER_TALK = {
    "en": "How we classify documents\n\nLabels: PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED. A document is labelled "
    "confidential when its disclosure could harm a customer or the company. This guide itself is public.",
    "de": "Datenschutzhinweis\n\nWir behandeln Ihre personenbezogenen Daten vertraulich und entsprechend der gesetzlichen "
    "Datenschutzvorschriften. Verantwortlich: siehe Impressum.",
    "fr": "Modèle d'accord de confidentialité\n\nEntre [NOM DE LA SOCIÉTÉ] et [NOM DU PARTENAIRE]. Les parties "
    "s'engagent à garder confidentielles les informations échangées pendant [DURÉE]. Signature : __________",
    "es": "Política de privacidad\n\nTratamos sus datos de forma confidencial y solo para los fines indicados. Puede "
    "ejercer sus derechos escribiendo a nuestro delegado de protección de datos.",
    "sv": "Sekretessavtal – mall\n\nParterna förbinder sig att hålla konfidentiell information hemlig under [ANTAL] år. "
    "Part 1: [FÖRETAG]. Part 2: [FÖRETAG].",
    "pl": "Polityka prywatności\n\nDane osobowe traktujemy jako poufne i przetwarzamy wyłącznie w celu realizacji "
    "zamówień. Kontakt z inspektorem ochrony danych: formularz na stronie.",
    "cs": "Vzor smlouvy o mlčenlivosti\n\nSmluvní strany se zavazují zachovávat důvěrnost informací po dobu [POČET] let. "
    "Strana 1: [NÁZEV]. Strana 2: [NÁZEV].",
    "fi": "Tietosuojaseloste\n\nKäsittelemme henkilötietojasi luottamuksellisesti ja vain ilmoitettuihin tarkoituksiin.",
    "ja": "文書の取扱区分について\n\n当社では文書を「公開」「社内限り」「社外秘」「極秘」の4区分で管理しています。"
    "本ガイドは公開文書です。",
}


def marker_lookalike(ctx: Ctx) -> Out:
    return Out(
        _MARKER_TALK[ctx.lang] + "\n",
        "talks about confidentiality (policy, template) without being confidential",
        "txt",
    )


_BIZ = {
    "en": (
        "Slides for Thursday",
        "Hi {to},\n\nattached are the slides for Thursday's review. Let me know if you want "
        "to add the roadmap section.\n\nBest,\n{name}\nProduct Manager | {company}\n{phone} | {work}",
    ),
    "de": (
        "Folien für Donnerstag",
        "Hallo {to},\n\nanbei die Folien für das Review am Donnerstag.\n\nViele Grüße\n{name}\n"
        "Produktmanagement | {company}\nTel. {phone} | {work}",
    ),
    "fr": (
        "Support pour jeudi",
        "Bonjour {to},\n\nci-joint le support pour la revue de jeudi.\n\nBonne journée,\n{name}\n"
        "Chef de produit | {company}\n{phone} | {work}",
    ),
    "sv": (
        "Bilder till torsdag",
        "Hej {to},\n\nhär är bilderna till torsdagens genomgång.\n\nHälsningar\n{name}\n"
        "Produktchef | {company}\n{phone} | {work}",
    ),
    "es": (
        "Presentación del jueves",
        "Hola, {to}:\n\nte adjunto la presentación para la revisión del jueves.\n\nUn "
        "saludo,\n{name}\nProduct Manager | {company}\n{phone} | {work}",
    ),
    "pl": (
        "Slajdy na czwartek",
        "Cześć {to},\n\nw załączniku slajdy na czwartkowy przegląd.\n\nPozdrawiam\n{name}\n"
        "Product Manager | {company}\n{phone} | {work}",
    ),
}


def business_email(ctx: Ctx) -> Out:
    subject, body = _BIZ[ctx.lang]
    name, to = ctx.name(), ctx.name()
    domain = ctx.fake.domain_name()
    work = ctx.email_of(name).split("@")[0] + "@" + domain
    text = email(
        ctx,
        work,
        to.split()[0].lower() + "@" + domain,
        subject,
        body.format(to=to.split()[0], name=name, company=ctx.company(), phone=ctx.phone(), work=work),
    )
    return Out(text, "routine work e-mail with a business signature", "eml")


_SPECIAL_PUBLIC = {
    "en": [
        "Pride Month at {company}\n\nJoin us on {date} for a panel with our LGBTQ+ network and allies. All staff "
        "welcome; no sign-up needed.",
        "Union and employers reach pay deal\n\nThe union said its members had voted 78% in favour of a 5.2% rise. "
        "Strikes planned for next week are suspended.",
    ],
    "de": [
        "Tarifrunde: Gewerkschaft ruft zu Warnstreiks auf\n\nDie Gewerkschaft fordert 8 Prozent mehr Lohn. Betroffen "
        "sind Betriebe in {city}. Die nächste Verhandlungsrunde ist für den {date} angesetzt."
    ],
    "fr": [
        "Calendrier des fêtes religieuses {year}\n\nAïd el-Fitr, Pâques orthodoxe, Yom Kippour, Diwali : les "
        "managers sont invités à en tenir compte lors de la planification des réunions."
    ],
    "es": [
        "Guía de visados\n\nLos ciudadanos de fuera de la UE necesitan un visado de trabajo. La solicitud se presenta "
        "en el consulado con pasaporte, contrato y seguro médico. Plazo de resolución: hasta tres meses."
    ],
    "sv": [
        "Pride-veckan i {city}\n\nParaden går {date}. Företaget deltar med ett eget tåg – alla medarbetare är "
        "välkomna att gå med."
    ],
    "ja": [
        "在留資格の手続きについて\n\n外国籍の社員が在留期間を更新する場合は、期限の3か月前から地方出入国在留管理局で"
        "申請できます。必要書類は人事部ポータルを参照してください。"
    ],
    "zh": [
        "外籍员工签证办理指南\n\n外籍员工需在入境后30日内办理工作类居留许可。所需材料：护照、工作许可、体检证明。"
        "详情请咨询人力资源部。"
    ],
    "id": [
        "Jadwal libur nasional dan cuti bersama {year}\n\nIdul Fitri, Natal, Nyepi, dan Waisak. Mohon rencanakan "
        "pekerjaan dengan mempertimbangkan hari-hari keagamaan tersebut."
    ],
}


def special_public(ctx: Ctx) -> Out:
    text = ctx.variant(_SPECIAL_PUBLIC[ctx.lang]).format(
        company=ctx.company(),
        city=ctx.city(),
        date=fmt_date(ctx.day(), ctx.lang),
        year=ctx.rng.randrange(2025, 2027),
    )
    return Out(
        text + "\n", "religion, unions, migration or LGBTQ+ subjects with no individual's status", "txt"
    )
