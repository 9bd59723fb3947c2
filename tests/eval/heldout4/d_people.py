"""Set D (sealed: never tune on it), sensitive by what the text says, in languages set C lacks."""

from __future__ import annotations

from .doc import Ctx, Out
from .shapes import amount, chat, fmt_date

_CHAT = {
    "hu": [
        (
            "immigration status",
            [
                "Láttad, hogy {name} nem jött be?",
                "Igen, lejárt a tartózkodási engedélye, és a hivatal elutasította a hosszabbítást.",
                "Jaj. És most mi lesz vele?",
                "Menedékjogot kért, addig nem dolgozhat. Kérlek, ne mondd el senkinek.",
            ],
        ),
        (
            "union membership",
            [
                "Tudtad, hogy {name} belépett a szakszervezetbe?",
                "Igen, ő lett a bizalmi is. A vezetés még nem tudja.",
                "Akkor a béralkunál ő tárgyal?",
                "Valószínűleg. De maradjon köztünk.",
            ],
        ),
    ],
    "ro": [
        (
            "sexual orientation",
            [
                "Ai auzit ce a pățit {name} la petrecere?",
                "Da, cineva le-a spus tuturor că e gay. El nu voia să se afle.",
                "Ce urât. A vorbit cu HR?",
                "Încă nu, îi e teamă. Te rog să nu mai spui nimănui.",
            ],
        ),
        (
            "criminal record",
            [
                "Știi de ce s-a amânat angajarea lui {name}?",
                "Cazierul judiciar arată o condamnare pentru fraudă din 2019.",
                "Serios? Și ce decide directorul?",
                "Încă nu a hotărât. Ține pentru tine.",
            ],
        ),
    ],
    "el": [
        (
            "religion",
            [
                "{name} ζήτησε να μη δουλεύει την Παρασκευή το μεσημέρι.",
                "Ναι, είναι μουσουλμάνος και πηγαίνει στην προσευχή στο τζαμί.",
                "Εντάξει, θα αλλάξω τη βάρδια.",
                "Ευχαριστώ. Μην το πεις στους άλλους, είναι προσωπικό.",
            ],
        ),
        (
            "immigration status",
            [
                "{name} δεν ήρθε σήμερα;",
                "Όχι, έχει ραντεβού στην Υπηρεσία Ασύλου. Η άδεια διαμονής του έληξε.",
                "Μπορεί να συνεχίσει να δουλεύει;",
                "Μέχρι να βγει η απόφαση, όχι. Κράτα το για σένα.",
            ],
        ),
    ],
    "ko": [
        (
            "sexual orientation",
            [
                "{name} 씨 얘기 들었어요?",
                "네, 회식 때 누가 그분이 동성애자라고 다 말해버렸대요.",
                "본인은 밝히고 싶지 않았을 텐데요.",
                "맞아요. 인사팀에 신고한대요. 다른 사람한테는 말하지 마세요.",
            ],
        ),
        (
            "criminal record",
            [
                "{name} 씨 채용이 왜 보류됐어요?",
                "신원 조회에서 2018년 음주운전 전과가 나왔대요.",
                "아, 그래서 운전직은 어렵겠네요.",
                "네, 이건 우리끼리만 알고 있어요.",
            ],
        ),
    ],
    "ar": [
        (
            "religion",
            [
                "هل طلب {name} تعديل المناوبة؟",
                "نعم، هو مسيحي ويريد حضور القداس صباح الأحد.",
                "حسناً، سأعدّل الجدول.",
                "شكراً، ولا تخبر باقي الفريق، هذا أمر شخصي.",
            ],
        ),
        (
            "immigration status",
            [
                "لماذا لم يحضر {name} اليوم؟",
                "انتهت إقامته ورفض الكفيل التجديد، وهو الآن مخالف لنظام الإقامة.",
                "وماذا سيفعل؟",
                "ينتظر قرار الجوازات. أرجو أن يبقى الأمر بيننا.",
            ],
        ),
    ],
    "hi": [
        (
            "union membership",
            [
                "क्या {name} यूनियन में शामिल हो गया है?",
                "हाँ, पिछले हफ़्ते उसने सदस्यता ली और अब वह यूनियन का प्रतिनिधि है।",
                "प्रबंधन को पता है?",
                "अभी नहीं। किसी को मत बताना।",
            ],
        ),
        (
            "health",
            [
                "{name} आज क्यों नहीं आई?",
                "उसे टीबी हो गई है, डॉक्टर ने छह महीने दवा लेने को कहा है।",
                "ओह, बहुत बुरा हुआ।",
                "हाँ, पर उसने कहा है कि टीम में किसी को न बताएँ।",
            ],
        ),
    ],
    "vi": [
        (
            "sexual orientation",
            [
                "Bạn có nghe chuyện của {name} không?",
                "Có, ai đó đã nói với cả phòng rằng anh ấy là người đồng tính.",
                "Tệ quá. Anh ấy có báo phòng nhân sự không?",
                "Chưa, anh ấy sợ. Đừng kể với ai nhé.",
            ],
        ),
        (
            "religion",
            [
                "{name} xin nghỉ sáng Chủ nhật hàng tuần.",
                "Ừ, chị ấy theo đạo Công giáo, đi lễ nhà thờ.",
                "Được, mình sẽ đổi ca.",
                "Cảm ơn, chuyện riêng của chị ấy, đừng nói ra nhé.",
            ],
        ),
    ],
    "uk": [
        (
            "immigration status",
            [
                "Чому {name} сьогодні немає?",
                "У нього закінчився дозвіл на проживання, і міграційна служба відмовила в продовженні.",
                "І що тепер?",
                "Подав документи на тимчасовий захист. Тільки нікому не кажи.",
            ],
        ),
        (
            "criminal record",
            [
                "Ти знаєш, що в {name} є судимість?",
                "Так, перевірка показала вирок за крадіжку 2017 року.",
                "Керівництво вже знає?",
                "Вирішують. Тримай це при собі.",
            ],
        ),
    ],
}


def chat_special(ctx: Ctx) -> Out:
    topic, lines = ctx.variant(_CHAT[ctx.lang])
    name = ctx.name()
    people = [ctx.name(), ctx.name()]  # full names: some Faker locales lack first-name lists of their own
    msgs = [(i % 2, m.format(name=name)) for i, m in enumerate(lines)]
    return Out(
        chat(ctx, people, msgs, ctx.pick(["slack", "teams", "whatsapp"])),
        f"{topic} of a named colleague, in chat",
    )


_LETTER = {
    "nl": (
        "Geachte {name},\n\nNaar aanleiding van uw aanvraag delen wij u mee dat de behandeling ({dx}) wordt vergoed. "
        "De bedrijfsarts heeft vastgesteld dat u tot {date} volledig arbeidsongeschikt bent.\n\nMet vriendelijke groet,\n{org}",
        ["borstkanker", "burn-out", "hernia", "diabetes type 1"],
    ),
    "pt": (
        "Exmo.(a) Sr.(a) {name},\n\nInformamos que o tratamento ({dx}) foi aprovado pelo seu seguro de saúde. Segundo o "
        "médico assistente, encontra-se em baixa médica até {date}.\n\nCom os melhores cumprimentos,\n{org}",
        ["depressão major", "hérnia discal", "cancro da mama", "esclerose múltipla"],
    ),
    "it": (
        "Gentile {name},\n\nLa informiamo che il trattamento per la diagnosi di {dx} è stato autorizzato. Il medico "
        "curante ha certificato la Sua inabilità al lavoro fino al {date}.\n\nCordiali saluti,\n{org}",
        ["depressione maggiore", "ernia del disco", "carcinoma mammario", "sclerosi multipla"],
    ),
    "da": (
        "Kære {name}\n\nVi kan oplyse, at din behandling for {dx} er godkendt. Du er ifølge din læge sygemeldt til og "
        "med {date}.\n\nMed venlig hilsen\n{org}",
        ["depression", "diskusprolaps", "brystkræft", "sklerose"],
    ),
    "no": (
        "Hei {name}\n\nVi bekrefter at behandlingen din for {dx} er innvilget. Legen din har sykmeldt deg til og med "
        "{date}.\n\nMed vennlig hilsen\n{org}",
        ["depresjon", "prolaps", "brystkreft", "MS"],
    ),
    "hu": (
        "Tisztelt {name}!\n\nTájékoztatjuk, hogy a kezelését ({dx}) biztosítónk jóváhagyta. Kezelőorvosa {date} "
        "napjáig keresőképtelen állományba vette.\n\nÜdvözlettel:\n{org}",
        ["súlyos depresszió", "porckorongsérv", "emlőrák", "sclerosis multiplex"],
    ),
    "ro": (
        "Stimate/Stimată {name},\n\nVă informăm că tratamentul pentru diagnosticul {dx} a fost aprobat. Medicul curant "
        "v-a acordat concediu medical până la data de {date}.\n\nCu stimă,\n{org}",
        ["depresie majoră", "hernie de disc", "cancer mamar", "scleroză multiplă"],
    ),
    "el": (
        "Αγαπητέ/ή {name},\n\nΣας ενημερώνουμε ότι η θεραπεία για τη διάγνωση «{dx}» εγκρίθηκε. Ο θεράπων ιατρός σας "
        "χορήγησε αναρρωτική άδεια έως {date}.\n\nΜε εκτίμηση,\n{org}",
        ["μείζων κατάθλιψη", "κήλη μεσοσπονδύλιου δίσκου", "καρκίνος του μαστού", "σκλήρυνση κατά πλάκας"],
    ),
    "ko": (
        "{name} 님께\n\n귀하의 {dx} 치료에 대한 보험금 청구가 승인되었음을 알려드립니다. 주치의 소견에 따라 {date}까지 "
        "병가가 인정됩니다.\n\n{org} 드림",
        ["우울증", "추간판 탈출증", "유방암", "다발성 경화증"],
    ),
    "uk": (
        "Шановний(а) {name}!\n\nПовідомляємо, що лікування за діагнозом «{dx}» погоджено. Лікар видав вам листок "
        "непрацездатності до {date}.\n\nЗ повагою,\n{org}",
        ["депресія", "грижа міжхребцевого диска", "рак молочної залози", "розсіяний склероз"],
    ),
}


def letter_health(ctx: Ctx) -> Out:
    tmpl, dxs = _LETTER[ctx.lang]
    text = tmpl.format(
        name=ctx.name(), dx=ctx.pick(dxs), date=fmt_date(ctx.day(), ctx.lang), org=ctx.company()
    )
    return Out(text + "\n", "insurer's or employer's letter: a named person's diagnosis and sick leave")


_LEGAL = {
    "nl": "Betreft: {name} / {company}\n\nGeachte {client},\n\nNaar onze inschatting is de kans groot dat de rechter het "
    "ontslag vernietigt. Wij adviseren een vaststellingsovereenkomst aan te bieden tot maximaal {high}. Deze e-mail "
    "valt onder het verschoningsrecht van de advocaat.\n\n{lawyer}\nAdvocaat",
    "it": "Oggetto: {name} c. {company}\n\nGentile {client},\n\nsecondo la nostra valutazione il rischio che il "
    "licenziamento sia dichiarato illegittimo è elevato. Suggeriamo di proporre una transazione fino a {high} prima "
    "dell'udienza. Comunicazione coperta dal segreto professionale.\n\nAvv. {lawyer}",
    "pt": "Assunto: {name} c. {company}\n\nCaro(a) {client},\n\nNa nossa avaliação, o risco de o despedimento ser "
    "declarado ilícito é elevado. Recomendamos propor um acordo até {high} antes da audiência. Comunicação abrangida "
    "pelo sigilo profissional do advogado.\n\n{lawyer}\nAdvogado",
    "da": "Vedr.: {name} mod {company}\n\nKære {client}\n\nVores vurdering er, at der er stor risiko for, at "
    "afskedigelsen underkendes. Vi anbefaler at tilbyde et forlig på op til {high} før hovedforhandlingen. Mailen er "
    "omfattet af advokatens tavshedspligt.\n\n{lawyer}\nAdvokat",
    "no": "Gjelder: {name} mot {company}\n\nHei {client},\n\nVår vurdering er at oppsigelsen sannsynligvis vil bli kjent "
    "ugyldig. Vi anbefaler å tilby et forlik på inntil {high} før hovedforhandlingen. E-posten er omfattet av "
    "advokatens taushetsplikt.\n\n{lawyer}\nAdvokat",
    "hu": "Tárgy: {name} kontra {company}\n\nTisztelt {client}!\n\nÉrtékelésünk szerint nagy a kockázata annak, hogy a "
    "bíróság jogellenesnek minősíti a felmondást. Javasoljuk, hogy a tárgyalás előtt legfeljebb {high} összegű "
    "egyezséget ajánljanak. E levél ügyvédi titoktartás alá esik.\n\nDr. {lawyer}\nügyvéd",
    "ro": "Referitor la: {name} c. {company}\n\nStimate {client},\n\nÎn opinia noastră, riscul ca instanța să anuleze "
    "concedierea este ridicat. Recomandăm o tranzacție de până la {high} înainte de termen. Comunicare protejată de "
    "secretul profesional al avocatului.\n\nAv. {lawyer}",
    "el": "Θέμα: {name} κατά {company}\n\nΑγαπητέ/ή {client},\n\nΚατά την εκτίμησή μας, ο κίνδυνος να κριθεί άκυρη η "
    "απόλυση είναι υψηλός. Προτείνουμε συμβιβασμό έως {high} πριν από τη συζήτηση. Η επικοινωνία καλύπτεται από το "
    "δικηγορικό απόρρητο.\n\n{lawyer}\nΔικηγόρος",
}
CUR = {
    "da": "kr.",
    "no": "kr",
    "hu": "Ft",
    "ro": "lei",
    "sv": "kr",
    "ko": "원",
    "vi": "₫",
    "hi": "₹",
    "uk": "грн",
    "en": "$",
}


def legal_advice_d(ctx: Ctx) -> Out:
    high = ctx.money(60000, 400000, 5000) * (300 if ctx.lang == "hu" else 1)
    text = _LEGAL[ctx.lang].format(
        name=ctx.name(),
        company=ctx.company(),
        client=ctx.name(),
        lawyer=ctx.name(),
        high=amount(high, ctx.lang, CUR.get(ctx.lang, "€")),
    )
    return Out(text + "\n", "counsel's advice and settlement ceiling to a client")


_PAYHEAD = {
    "en": ("employee", "grade", "base salary", "bonus", "rating"),
    "de": ("Mitarbeiter/in", "Stufe", "Grundgehalt", "Bonus", "Bewertung"),
    "nl": ("medewerker", "schaal", "bruto jaarsalaris", "bonus", "beoordeling"),
    "it": ("dipendente", "livello", "RAL", "bonus", "valutazione"),
    "pt": ("colaborador", "nível", "salário base", "prémio", "avaliação"),
    "da": ("medarbejder", "niveau", "grundløn", "bonus", "vurdering"),
    "no": ("ansatt", "nivå", "grunnlønn", "bonus", "vurdering"),
    "sv": ("medarbetare", "nivå", "grundlön", "bonus", "bedömning"),
}
_PAYRANGE = {
    "en": (70000, 180000),
    "de": (50000, 120000),
    "nl": (42000, 110000),
    "it": (30000, 90000),
    "pt": (18000, 60000),
    "da": (420000, 900000),
    "no": (520000, 1100000),
    "sv": (420000, 900000),
}


def pay_table_named(ctx: Ctx) -> Out:
    head = _PAYHEAD[ctx.lang]
    lo, hi = _PAYRANGE[ctx.lang]
    rows = []
    for _ in range(ctx.rng.randrange(5, 11)):
        base = ctx.money(lo, hi, 500)
        rows.append(
            "\t".join(
                [
                    ctx.name(),
                    f"L{ctx.rng.randrange(3, 9)}",
                    str(base),
                    str(base * ctx.rng.randrange(0, 25) // 100),
                    ctx.pick(["1", "2", "3", "4", "5"]),
                ]
            )
        )
    title = {"en": "FY26 compensation review – engineering", "de": "Gehaltsrunde 2026 – Entwicklung"}.get(
        ctx.lang, "2026"
    )
    return Out(
        f"{title}\n" + "\t".join(head) + "\n" + "\n".join(rows) + "\n",
        "named employees' salaries, bonuses and ratings",
        "tsv",
    )
