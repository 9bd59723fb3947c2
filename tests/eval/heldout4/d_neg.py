"""Set D (sealed) look-alikes in prose: news, leaflets, law explainers, biographies, public markers,
published pay, job ads, in languages set C does not use."""

from __future__ import annotations

from .doc import Ctx, Out
from .shapes import amount, fmt_date, to_csv

_NEWS = {
    "hu": [
        "Sztrájkot hirdetett a pedagógus-szakszervezet\n\nA szakszervezet 15 százalékos béremelést követel. A következő "
        "tárgyalási forduló: {date}.",
        "Új szabályok a vendégmunkásokra\n\nA kormány módosította a tartózkodási engedélyek kiadásának feltételeit. A "
        "kérelmeket az idegenrendészeti hatóságnál lehet benyújtani.",
    ],
    "ro": [
        "Marșul Bucharest Pride a reunit mii de participanți\n\nOrganizatorii au cerut recunoașterea legală a cuplurilor "
        "de același sex.",
        "Sărbători religioase {year}\n\nPaștele ortodox, Crăciunul și Rusaliile sunt zile libere legale în România.",
    ],
    "el": [
        "Νέο νομοσχέδιο για το άσυλο\n\nΗ κυβέρνηση παρουσίασε αλλαγές στις διαδικασίες ασύλου. Οι αιτήσεις θα "
        "εξετάζονται εντός τριών μηνών.",
        "Απεργία των συνδικάτων στα μέσα μεταφοράς\n\nΤα συνδικάτα ζητούν αυξήσεις μισθών. Στάση εργασίας στις {date}.",
    ],
    "ko": [
        "서울퀴어문화축제 개최\n\n올해 축제에는 수만 명이 참가했으며, 주최 측은 차별금지법 제정을 촉구했다.",
        "노동조합, 임금 협상 결렬 선언\n\n노조는 {date} 총파업을 예고했다.",
    ],
    "ar": [
        "تعديلات جديدة على نظام الإقامة\n\nأعلنت وزارة الداخلية عن تسهيلات لتجديد الإقامة للعمالة الوافدة.",
        "جدول العطلات الدينية {year}\n\nتشمل العطلات الرسمية عيد الفطر وعيد الأضحى والمولد النبوي.",
    ],
    "hi": [
        "श्रमिक संघों की देशव्यापी हड़ताल\n\nकेंद्रीय श्रमिक संघों ने न्यूनतम वेतन बढ़ाने की माँग को लेकर {date} को हड़ताल का "
        "आह्वान किया है।",
        "त्योहारों की सूची {year}\n\nदिवाली, ईद, क्रिसमस और गुरु नानक जयंती पर कार्यालय बंद रहेंगे।",
    ],
    "vi": [
        "Quy định mới về thị thực cho lao động nước ngoài\n\nBộ Công an đã ban hành hướng dẫn mới về cấp thẻ tạm trú.",
        "Các ngày lễ tôn giáo năm {year}\n\nLễ Phật đản, Giáng sinh và Tết Nguyên đán là những dịp lễ lớn.",
    ],
    "uk": [
        "Профспілки вимагають підвищення зарплат\n\nПрофспілка медиків оголосила акцію протесту {date}.",
        "Тимчасовий захист для біженців продовжено\n\nЄС продовжив тимчасовий захист для громадян України до 2027 року.",
    ],
}


def news_special(ctx: Ctx) -> Out:
    text = ctx.variant(_NEWS[ctx.lang]).format(
        date=fmt_date(ctx.day(), ctx.lang), year=ctx.rng.randrange(2025, 2028)
    )
    return Out(text + "\n", "news on unions, migration, religion or LGBTQ+ rights (no individual)")


_LEAFLET = {
    "nl": "Griepprik\n\nMensen van 60 jaar en ouder en mensen met een chronische ziekte krijgen jaarlijks een uitnodiging "
    "voor de griepprik. De prik is gratis.",
    "pt": "Diabetes: sinais de alerta\n\nSede intensa, vontade frequente de urinar e cansaço podem ser sinais de diabetes. "
    "Consulte o seu médico de família.",
    "it": "Prevenzione del tumore al seno\n\nLo screening mammografico è gratuito per le donne tra 50 e 69 anni, ogni due anni.",
    "da": "Depression – hvor kan du få hjælp?\n\nDepression er almindeligt og kan behandles. Tal med din egen læge, hvis du "
    "har været nedtrykt i mere end to uger.",
    "no": "Influensavaksine\n\nPersoner over 65 år og personer i risikogrupper anbefales å ta influensavaksine hver høst.",
    "hu": "A magas vérnyomásról\n\nA magas vérnyomás gyakran tünetmentes. Rendszeres méréssel, kevesebb sóval és mozgással "
    "csökkenthető a kockázat.",
    "ro": "Vaccinarea antigripală\n\nVaccinul este recomandat persoanelor peste 65 de ani și celor cu boli cronice. Este "
    "gratuit la medicul de familie.",
    "el": "Σακχαρώδης διαβήτης\n\nΗ δίψα, η συχνουρία και η κόπωση μπορεί να είναι συμπτώματα διαβήτη. Συμβουλευτείτε τον "
    "γιατρό σας.",
    "ko": "고혈압 예방 수칙\n\n싱겁게 먹고 규칙적으로 운동하며 정기적으로 혈압을 측정하세요.",
    "uk": "Щеплення від грипу\n\nВакцинацію рекомендовано людям старше 65 років та людям з хронічними хворобами.",
}


def health_leaflet(ctx: Ctx) -> Out:
    return Out(_LEAFLET[ctx.lang] + "\n", "public health leaflet (no patient)")


_LAW = {
    "nl": "Het verschoningsrecht van de advocaat\n\nAdvocaten hebben een geheimhoudingsplicht en een verschoningsrecht. Wat "
    "een cliënt aan zijn advocaat toevertrouwt, mag in beginsel niet als bewijs worden gebruikt.",
    "it": "Il segreto professionale dell'avvocato\n\nL'avvocato è tenuto al segreto su quanto appreso nell'esercizio della "
    "professione (art. 13 legge 247/2012).",
    "pt": "O sigilo profissional do advogado\n\nO advogado é obrigado a guardar segredo sobre os factos de que tome "
    "conhecimento no exercício da profissão.",
    "da": "Advokaters tavshedspligt\n\nEn advokat har tavshedspligt om alt, hvad klienten betror advokaten, jf. "
    "retsplejelovens regler.",
    "no": "Advokaters taushetsplikt\n\nAdvokater har taushetsplikt om det klienten betror dem, jf. straffeloven § 211.",
    "hu": "Az ügyvédi titoktartás\n\nAz ügyvédet titoktartási kötelezettség terheli minden olyan tényről, amelyről hivatása "
    "gyakorlása során szerzett tudomást.",
    "ro": "Secretul profesional al avocatului\n\nAvocatul este obligat să păstreze secretul profesional privind orice aspect "
    "al cauzei încredințate.",
    "el": "Το δικηγορικό απόρρητο\n\nΟ δικηγόρος υποχρεούται να τηρεί εχεμύθεια για ό,τι πληροφορείται κατά την άσκηση του "
    "λειτουργήματός του.",
}


def law_article(ctx: Ctx) -> Out:
    return Out(_LAW[ctx.lang] + "\n", "a published explanation of lawyers' confidentiality (no client)")


_BIO = {
    "hu": "Puskás Ferenc (Budapest, 1927. április 1. – Budapest, 2006. november 17.) labdarúgó. Élete utolsó éveiben "
    "Alzheimer-kórban szenvedett.",
    "ro": "Mihai Eminescu (n. 15 ianuarie 1850, Botoșani – d. 15 iunie 1889, București) a fost poet. În ultimii ani de viață "
    "a fost internat în mai multe sanatorii.",
    "el": "Η Μαρία Κάλλας (2 Δεκεμβρίου 1923, Νέα Υόρκη – 16 Σεπτεμβρίου 1977, Παρίσι) ήταν σοπράνο. Πέθανε από καρδιακή "
    "προσβολή.",
    "ko": "세종(1397년 5월 15일 ~ 1450년 3월 30일)은 조선의 제4대 국왕으로 훈민정음을 창제하였다. 말년에 당뇨병을 앓았다.",
    "ar": "نجيب محفوظ (11 ديسمبر 1911، القاهرة – 30 أغسطس 2006) روائي مصري حائز على جائزة نوبل في الأدب عام 1988.",
    "hi": "महात्मा गांधी (2 अक्टूबर 1869, पोरबंदर – 30 जनवरी 1948, नई दिल्ली) भारतीय स्वतंत्रता आंदोलन के प्रमुख नेता थे।",
    "vi": "Hồ Chí Minh (19 tháng 5 năm 1890 – 2 tháng 9 năm 1969) là nhà cách mạng, người sáng lập Đảng Cộng sản Việt Nam.",
    "uk": "Тарас Шевченко (9 березня 1814, Моринці – 10 березня 1861, Санкт-Петербург) — український поет. У 1847 році був "
    "засуджений до солдатської служби.",
    "nl": "Vincent van Gogh (Zundert, 30 maart 1853 – Auvers-sur-Oise, 29 juli 1890) was een schilder. Hij leed aan ernstige "
    "psychische problemen en werd opgenomen in een inrichting in Saint-Rémy.",
    "pt": "Fernando Pessoa (Lisboa, 13 de junho de 1888 – Lisboa, 30 de novembro de 1935) foi um poeta. Morreu de cirrose hepática.",
    "it": "Leonardo da Vinci (Anchiano, 15 aprile 1452 – Amboise, 2 maggio 1519) è stato un pittore, ingegnere e scienziato.",
    "da": "H.C. Andersen (født 2. april 1805 i Odense, død 4. august 1875 i København) var en dansk forfatter.",
    "no": "Edvard Munch (født 12. desember 1863 på Løten, død 23. januar 1944) var en norsk maler. Han ble innlagt på klinikk "
    "for nervøse lidelser i 1908.",
}


def biography_d(ctx: Ctx) -> Out:
    return Out(_BIO[ctx.lang] + "\n", "encyclopaedia biography of a historical figure")


_PUBLIC = {
    "hu": (
        "NYILVÁNOS",
        "Fenntarthatósági összefoglaló: a kibocsátás 12%-kal csökkent, a megújuló energia aránya 64%.",
    ),
    "ro": (
        "PUBLIC",
        "Rezumat de sustenabilitate: emisiile au scăzut cu 12%, ponderea energiei regenerabile este de 64%.",
    ),
    "el": (
        "ΔΗΜΟΣΙΟ",
        "Σύνοψη βιωσιμότητας: οι εκπομπές μειώθηκαν κατά 12%, οι ανανεώσιμες πηγές φτάνουν το 64%.",
    ),
    "ko": ("공개", "지속가능경영 요약: 배출량 12% 감소, 재생에너지 비중 64%."),
    "ar": ("عام – للنشر", "ملخص الاستدامة: انخفضت الانبعاثات بنسبة 12% وبلغت حصة الطاقة المتجددة 64%."),
    "hi": ("सार्वजनिक", "सततता सारांश: उत्सर्जन में 12% की कमी, नवीकरणीय ऊर्जा का हिस्सा 64%।"),
    "vi": (
        "CÔNG KHAI",
        "Tóm tắt phát triển bền vững: phát thải giảm 12%, tỷ trọng năng lượng tái tạo đạt 64%.",
    ),
    "uk": (
        "ПУБЛІЧНО",
        "Звіт зі сталого розвитку: викиди скоротилися на 12%, частка відновлюваної енергії — 64%.",
    ),
    "nl": (
        "OPENBAAR",
        "Duurzaamheidsoverzicht: de uitstoot daalde met 12%, het aandeel hernieuwbare energie is 64%.",
    ),
    "pt": (
        "PÚBLICO",
        "Resumo de sustentabilidade: as emissões caíram 12%, a quota de energia renovável é de 64%.",
    ),
    "it": (
        "PUBBLICO",
        "Sintesi di sostenibilità: emissioni in calo del 12%, quota di energia rinnovabile al 64%.",
    ),
    "da": (
        "OFFENTLIG",
        "Bæredygtighedsresumé: udledningen faldt med 12 %, andelen af vedvarende energi er 64 %.",
    ),
    "no": ("ÅPEN", "Bærekraftsammendrag: utslippene falt med 12 %, andelen fornybar energi er 64 %."),
    "en": (
        "UNCLASSIFIED – APPROVED FOR PUBLIC RELEASE",
        "Sustainability summary: emissions fell 12%; renewables now 64% of supply.",
    ),
}


def public_marker(ctx: Ctx) -> Out:
    marker, body = _PUBLIC[ctx.lang]
    return Out(f"{marker}\n\n{body}\n", "a document its author marked public")


_REMUN = {
    "nl": "Bezoldiging Raad van Bestuur {year}\n\nDe CEO, {name}, ontving een vast salaris van {a}, een variabele beloning "
    "van {b} en pensioenbijdragen van {c} (bron: jaarverslag).",
    "it": "Relazione sulla remunerazione {year}\n\nL'Amministratore Delegato, {name}, ha percepito una retribuzione fissa di "
    "{a}, un bonus di {b} e benefici per {c}.",
    "pt": "Relatório de remunerações {year}\n\nO presidente executivo, {name}, auferiu uma remuneração fixa de {a}, uma "
    "remuneração variável de {b} e contribuições para pensões de {c}.",
    "da": "Vederlagsrapport {year}\n\nAdministrerende direktør {name} modtog en fast gage på {a}, bonus på {b} og pension på {c}.",
    "de": "Vergütungsbericht {year}\n\nDer Vorstandsvorsitzende {name} erhielt ein Fixum von {a}, eine variable Vergütung von "
    "{b} und Versorgungsbeiträge von {c}.",
}


def annual_report_pay(ctx: Ctx) -> Out:
    cur = "kr." if ctx.lang == "da" else "€"
    k = 7 if ctx.lang == "da" else 1
    a, b = ctx.money(600000, 1500000, 1000) * k, ctx.money(400000, 2500000, 1000) * k
    text = _REMUN[ctx.lang].format(
        year=ctx.rng.randrange(2023, 2026),
        name=ctx.name(),
        a=amount(a, ctx.lang, cur),
        b=amount(b, ctx.lang, cur),
        c=amount(a // 8, ctx.lang, cur),
    )
    return Out(text + "\n", "executive pay as published in a listed company's annual report")


_JOB = {
    "nl": (
        "Vacature: data-analist – {city}\n\n{company} zoekt een data-analist. Salaris: {lo} – {hi} bruto per maand. "
        "Solliciteren vóór {date} via werken@{domain}.",
        "€",
        (3500, 6000),
    ),
    "it": (
        "Offerta di lavoro: data analyst – {city}\n\n{company} cerca un data analyst. RAL: {lo} – {hi}. Candidature entro "
        "il {date} a lavora@{domain}.",
        "€",
        (30000, 48000),
    ),
    "pt": (
        "Oferta de emprego: analista de dados – {city}\n\n{company} procura analista de dados. Salário: {lo} – {hi} brutos "
        "por mês. Candidaturas até {date} para recrutamento@{domain}.",
        "€",
        (1400, 2800),
    ),
    "hu": (
        "Állásajánlat: adatelemző – {city}\n\nA(z) {company} adatelemzőt keres. Bruttó havi bér: {lo} – {hi}. Jelentkezés "
        "{date} napjáig: karrier@{domain}.",
        "Ft",
        (650000, 1200000),
    ),
    "ro": (
        "Anunț de angajare: analist de date – {city}\n\n{company} angajează analist de date. Salariu brut: {lo} – {hi} pe "
        "lună. CV-uri până la {date} la cariere@{domain}.",
        "lei",
        (7000, 14000),
    ),
    "ko": (
        "채용 공고: 데이터 분석가 – {city}\n\n{company}에서 데이터 분석가를 모집합니다. 연봉: {lo}~{hi}. 지원 마감: {date}, "
        "이메일: recruit@{domain}",
        "원",
        (45000000, 70000000),
    ),
}


def job_ad_d(ctx: Ctx) -> Out:
    tmpl, cur, (lo, hi) = _JOB[ctx.lang]
    step = 100 if hi < 10**5 else 10000 if hi < 10**7 else 1000000
    a = ctx.money(lo, (lo + hi) // 2, step)
    b = ctx.money((lo + hi) // 2 + step, hi + step, step)
    text = tmpl.format(
        city=ctx.city(),
        company=ctx.company(),
        date=fmt_date(ctx.day(), ctx.lang),
        domain=ctx.fake.domain_name(),
        lo=amount(a, ctx.lang, cur),
        hi=amount(b, ctx.lang, cur),
    )
    return Out(text + "\n", "job advertisement with a salary range (no employee)")


_STATS = {
    "en": ("region", "occupation", "median", "p25", "p75", "n"),
    "de": ("Region", "Beruf", "Median", "P25", "P75", "n"),
    "nl": ("regio", "beroep", "mediaan", "p25", "p75", "n"),
    "it": ("regione", "professione", "mediana", "p25", "p75", "n"),
    "pt": ("região", "profissão", "mediana", "p25", "p75", "n"),
    "da": ("region", "stilling", "median", "p25", "p75", "n"),
    "no": ("region", "yrke", "median", "p25", "p75", "n"),
    "sv": ("region", "yrke", "median", "p25", "p75", "n"),
}
_JOBS = ["software developer", "nurse", "electrician", "accountant", "teacher", "truck driver"]


def pay_stats_aggregate(ctx: Ctx) -> Out:
    rows = []
    for job in ctx.rng.sample(_JOBS, 4):
        m = ctx.money(2400, 7000, 10) * (10 if ctx.lang in ("da", "no", "sv") else 1)
        rows.append([ctx.city(), job, m, m * 85 // 100, m * 118 // 100, ctx.rng.randrange(120, 9000)])
    return Out(
        to_csv(_STATS[ctx.lang], rows, "\t"),
        "monthly pay statistics by region and occupation (aggregates)",
        "tsv",
    )
