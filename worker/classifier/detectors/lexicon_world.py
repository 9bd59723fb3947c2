"""Per-language lexicons for statements about a person beyond the languages health.py, special.py and
statements_eu.py read (issue 18: set C's misses were health, disciplinary, legal-privilege and
special-category notes in Czech, Finnish, Swedish, Turkish, Indonesian, Chinese, Japanese, ...).

Data only; statements_world.py matches it. Each entry is a term, lower case: for languages written with
spaces a phrase whose LAST word is matched as a prefix ("diagnostikov" matches "diagnostikována"), so
inflected forms need one stem (a trailing "$" asks for the whole word: "diagnos$" is Swedish, not the
start of English "diagnostic"); for Chinese, Japanese, Korean and Thai (no spaces, or
particles glued to the word) a substring. The terms are the ordinary words of each domain (diagnosis, sick
leave, written warning, union dues, residence permit, conviction, ...) written from general knowledge of
each language, not from any corpus. A term alone never decides: it must be about a person (see
statements_world.py).
"""

from __future__ import annotations

HEALTH = "health_condition"
DISCIPLINE = "performance_record"
UNION = "special_category"
IMMIGRATION = "special_category"
RELIGION = "religious_belief"
ORIENTATION = "sexual_orientation"
CRIMINAL = "criminal_record"
# Arrears, dunning and enforcement (statements_world also asks for an amount nearby): a collection letter.
# Generic words for "debt" alone ("Schuld", "dívida", "velka") are left out.
DEBT = "debt_record"

# (kind, space-delimited terms) (any language written with spaces); the last word is a prefix.
WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (HEALTH, (
        # de fr es pt it nl
        "krankgeschrieben", "krankschreibung", "arbeitsunfähig", "arrêt maladie", "arrêt de travail",
        "diagnostiqué", "diagnosticad", "diagnosticaron", "baja médica", "está de baja", "incapacidad temporal",
        "licença médica", "atestado médico", "diagnosticat", "certificato medico", "gediagnosticeerd",
        "ziekgemeld", "ziekteverlof", "diagnosi di", "diagnosi$", "in malattia", "inabilità al lavoro",
        "diagnóstico de", "baixa médica", "de baixa", "krebsdiagnose", "diagnose$", "ziektewet",
        "keresőképtelen", "betegállomány", "kezelőorvos",
        # pl cs sk sl hr
        "zdiagnozowan", "zwolnieniu lekarskim", "zwolnienie lekarskie", "diagnóz", "neschopenc", "neschopenk",
        "pracovní neschopnost", "diagnostikov", "práceneschopn", "diagnosticiran", "bolovanj", "bolniško",
        # sv da no fi et is
        "diagnos$", "diagnosen$", "diagnostiserad", "sjukskriv", "sjukledig", "epikris", "sygemeld", "sygeorlov", "sykmeld", "sykemeld",
        "sykefravær", "diagnoos", "sairauslom", "sairauspoissa", "hänellä todettiin", "epikriisi",
        "haiguslehel", "haigusleht",
        # hu ro el bg ru uk
        "diagnosztizál", "betegszabadság", "táppénz", "diagnosticat", "concediu medical", "διαγνώστηκε",
        "διάγνωση", "αναρρωτική", "диагноз", "болничн", "диагностирован", "діагноз", "лікарнян", "діагностовано",
        # tr id ms vi
        "teşhis", "tanısı", "tanı kondu", "raporlu", "istirahat raporu", "hastalık izni", "didiagnosis",
        "cuti sakit", "izin sakit", "rawat inap", "chẩn đoán", "nghỉ ốm", "nghỉ bệnh",
        # ar he hi
        "تشخيص", "شخص", "إجازة مرضية", "אובחן", "אובחנה", "חופשת מחלה", "निदान", "बीमारी",
        "टीबी", "कैंसर", "तपेदिक", "سرطان", "السل", "туберкульоз", "рак легень", "φυματίωση", "καρκίνο",
        # a malignant finding and HIV status, in more languages (issue 18, set H)
        "maligno", "maligna", "malignant", "kwaadaardig", "bösartig", "illkynja", "krabbamein", "қатерлі ісік",
        "хорт хавдар", "hiv-positi", "hiv positi", "vih positi", "positivo en vih", "positivo para vih",
        "positivo para o vih", "seropositiv", "miv-positief", "вич-положительн", "вич-инфицирован",
        "антиретровирус", "antiretrovira", "antirretrovira",
    )),
    (DISCIPLINE, (
        "abmahnung", "abgemahnt", "mahnen sie", "ermahnung", "verwarnung", "avertissement", "mise à pied",
        "blâme", "licenciement pour faute", "amonestación", "sanción disciplinaria", "apercibimiento",
        "despido disciplinario", "expediente disciplinario", "advertência", "suspensão disciplinar",
        "processo disciplinar", "richiamo scritto", "provvedimento disciplinare", "contestazione disciplinare",
        "officiële waarschuwing", "schriftelijke waarschuwing", "berisping", "kara upomnienia", "kara nagany",
        "kara porządkowa", "písemné upozornění", "pracovní kázn", "výtk", "písomné upozornenie",
        "pracovnej disciplín", "skriftlig varning", "disciplinär", "skriftlig advarsel", "kirjallinen varoitus",
        "kirjallisen varoituksen", "varoituksen", "hoiatus", "noomitus", "írásbeli figyelmeztetés", "fegyelmi",
        "avertisment scris", "sancțiune disciplinară", "cercetare disciplinară", "έγγραφη προειδοποίηση",
        "πειθαρχικ", "догана", "дисциплінарн", "выговор", "дисциплинарн", "ihtarname", "yazılı ihtar",
        "ihtar verilm", "disiplin cezası", "uyarı cezası", "surat peringatan", "teguran tertulis",
        "sanksi disiplin", "kỷ luật", "cảnh cáo", "khiển trách", "إنذار", "تأديبي", "נזיפה", "אזהרה בכתב",
        "अनुशासनात्मक",
    )),
    (UNION, (
        "union dues", "union membership", "union member", "gewerkschaftsmitglied", "gewerkschaftsbeitr",
        "gewerkschaftszugehörigkeit", "cotisation syndicale", "syndiqué", "cuota sindical", "afiliación sindical",
        "afiliado al sindicato", "afiliada al sindicato", "trattenuta sindacale", "iscritto al sindacato",
        "iscritta al sindacato", "sindicalizad", "contribuição sindical", "vakbondslid", "vakbondscontributie",
        "składka związkow", "członek związku", "członkini związku", "odborová organizac", "člen odborů",
        "členka odborů", "fackavgift", "fackmedlem", "fackförbund", "fagforening", "fagforeningskontingent",
        "ammattiliiton jäsen", "ammattiliittoon", "liiton jäsenmaksu", "ametiühingu liige",
        "szakszervezeti tag", "membru de sindicat", "membru al sindicatului", "μέλος του σωματείου",
        "член профсоюза", "член профспілки", "sendika üyesi", "sendikaya üye", "anggota serikat",
        "đoàn viên công đoàn", "عضو نقابة", "חבר ועד", "यूनियन सदस्य",
        "szakszervezetbe", "szakszervezeti tagság", "s-a înscris în sindicat", "membru de sindicat",
        "यूनियन में शामिल", "انضم إلى النقابة", "вступив до профспілки", "вступила до профспілки",
        "γράφτηκε στο σωματείο",
    )),
    (IMMIGRATION, (
        "residence permit", "leave to remain", "asylum", "work permit expired", "visa expired", "visa has expired",
        "aufenthaltserlaubnis", "aufenthaltstitel", "duldung", "asylantrag", "titre de séjour", "demande d'asile",
        "autorización de residencia", "protección internacional", "solicitud de asilo", "permesso di soggiorno",
        "richiesta di asilo", "autorização de residência", "pedido de asilo", "verblijfsvergunning",
        "asielaanvraag", "karta pobytu", "zezwolenie na pobyt", "povolení k pobytu", "uppehållstillstånd",
        "arbetstillstånd", "opholdstilladelse", "oppholdstillatelse", "oleskelulupa", "turvapaik",
        "tartózkodási engedély", "permis de ședere", "άδεια διαμονής", "άσυλο", "oturma izni", "ikamet izni",
        "sığınma başvuru", "izin tinggal", "suaka", "giấy phép cư trú", "tị nạn", "посвідка на проживання",
        "притулок", "вид на жительство", "убежище", "تصريح إقامة", "لجوء", "אשרת שהייה", "शरण",
        "дозвіл на проживання", "тимчасовий захист", "міграційна служба", "انتهت إقامته", "انتهت إقامتها",
        "نظام الإقامة", "permisul de ședere", "άδεια παραμονής",
    )),
    (RELIGION, (
        "religious practice", "adventist", "jehovah's witness", "testigo de jehová", "adventista",
        "pratique religieuse", "adventiste", "témoin de jéhovah", "religionszugehörigkeit", "konfession",
        "zeugen jehovas", "pratica religiosa", "testimone di geova", "testemunha de jeová", "geloofsovertuiging",
        "świadek jehowy", "wyznani", "vyznání", "svědek jehov", "trosuppfattning", "jehovas vittne",
        "trosretning", "jehovan todistaja", "uskonnollis", "vallási meggyőződés", "felekezet", "confesiune",
        "θρήσκευμα", "dini inanc", "yehova şahidi", "penganut", "beragama", "ibadah", "theo đạo",
        "віросповідання", "вероисповедани", "ديانة", "धर्म",
        "μουσουλμάν", "musulman", "muzułman", "muszlim", "мусульман", "مسيحي", "مسيحية", "يهودي", "ईसाई",
        "मुसलमान", "müslüman", "hristiyan", "pravoslavn", "ортодокс",
    )),
    (ORIENTATION, (
        "bisexuell", "homosexuell", "sexuella läggning", "lesbisk", "homoseksuel", "biseksuel", "seksuelle orientering",
        "legning", "homoseksuaali", "biseksuaali", "seksuaalinen suuntautuminen", "homosexuál", "sexuální orientac",
        "homoszexuális", "biszexuális", "szexuális irányultság", "orientare sexuală", "ομοφυλόφιλ",
        "σεξουαλικό προσανατολισμό", "eşcinsel", "cinsel yönelim", "biseksüel", "homoseksual",
        "orientasi seksual", "đồng tính", "xu hướng tính dục", "гомосексуал", "сексуальна орієнтація",
        "сексуальная ориентация", "مثلي", "समलैंगिक",
        "e gay$", "este gay$", "είναι γκέι", "є геєм", "meleg$",
    )),
    (CRIMINAL, (
        "dipidana", "narapidana", "divonis", "catatan kepolisian", "sabıka", "hüküm giy", "mahkum old",
        "tiền án", "bị kết án", "brottsregister", "belastningsregister", "dömd för", "straffeattest",
        "dømt for", "tuomittu", "rikosrekister", "trestní rejstřík", "odsouzen", "rejestr karny", "skazan",
        "erkölcsi bizonyítvány", "büntetett", "cazier judiciar", "condamnat", "ποινικό μητρώο", "καταδικάστηκε",
        "судимост", "судимість", "засуджен", "осужден", "strafblad", "veroordeeld", "casellario giudiziale",
        "precedenti penali", "condannat", "antecedentes criminais", "condenad", "سجل جنائي", "أدين", "आपराधिक",
        "cazierul judiciar", "condamnare", "büntetett előélet", "ποινική καταδίκη", "судимості",
    )),
)  # fmt: skip

WORDS += ((DEBT, (
        # en
        "arrears", "debt collection", "debt collector", "overdue balance", "county court judgment",
        # de
        "rückstand", "zahlungsrückstand", "mahnung", "mahnbescheid", "mahnverfahren", "inkasso", "schufa",
        "zahlungserinnerung", "ratenvereinbarung",
        # fr
        "impayé", "mise en demeure", "arriéré", "recouvrement", "injonction de payer", "échéancier",
        # es
        "deuda pendiente", "impago", "moroso", "morosidad", "requerimiento de pago", "recobro",
        # pt
        "em dívida", "montante em dívida", "incumprimento", "injunção", "plano de pagamentos", "cobrança",
        # it
        "insoluto", "sollecito", "decreto ingiuntivo", "morosità", "recupero crediti", "piano di rientro",
        # nl
        "betalingsachterstand", "achterstand", "incasso", "aanmaning", "deurwaarder", "betalingsregeling",
        # pl cs sk
        "zaległoś", "zadłużeni", "windykac", "wezwanie do zapłaty", "komornik", "upomínk", "exekuc", "vymáhání",
        "dlžn", "dlužn",
        # sv da no fi et
        "betalningsanmärkning", "kronofogden", "betalningspåminnelse", "restance", "rykker", "fogedretten",
        "purring", "betalingsanmerkning", "namsmann", "maksumuistutus", "perintä", "ulosotto", "maksuhäiriö",
        "võlgnevus",
        # hu ro el bg
        "tartozás", "fizetési felszólítás", "végrehajtás", "fizetési meghagyás", "részletfizetés", "restanț",
        "restant", "executare silită", "somație de plată", "biroul de credit", "eșalonare", "οφειλή",
        "ληξιπρόθεσμ", "διαταγή πληρωμής", "просроч", "задълж",
        # tr ru uk
        "icra takibi", "gecikmiş borç", "borcunuz", "задолженност", "заборгованіст", "коллектор", "колектор",
    )),)  # fmt: skip

# (kind, substrings) for scripts written without spaces (zh, ja, th) or with particles glued on (ko).
SCRIPT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (HEALTH, (
        "诊断", "診斷", "确诊", "確診", "病假", "住院", "出院", "病历", "診断", "病欠", "休職", "入院", "退院", "処方",
        "服用", "진단", "병가", "입원", "퇴원", "처방", "วินิจฉัย", "ลาป่วย",
    )),
    (DISCIPLINE, (
        "警告处分", "纪律处分", "書面警告", "书面警告", "记过", "懲戒", "けん責", "譴責", "始末書", "戒告", "징계",
        "경고장", "견책", "ลงโทษทางวินัย", "หนังสือเตือน",
    )),
    (UNION, ("工会会员", "工會會員", "加入工会", "会费", "労働組合", "組合員", "組合費", "노동조합", "노조", "조합원")),
    (IMMIGRATION, (
        "签证已到期", "签证过期", "逾期居留", "非法居留", "居留许可", "庇护", "在留資格", "在留期限", "不法滞在",
        "オーバーステイ", "難民申請", "체류 자격", "체류자격", "불법 체류", "불법체류", "비자 만료", "난민 신청",
    )),
    (RELIGION, (
        "宗教信仰", "信徒", "基督徒", "穆斯林", "佛教徒", "见证人", "信者", "信仰", "エホバ", "宗教", "신자", "종교",
        "신앙", "นับถือศาสนา",
    )),
    (ORIENTATION, (
        "同性恋", "同性戀", "性取向", "出柜", "双性恋", "同性愛", "性的指向", "ゲイ", "バイセクシュアル", "レズビアン",
        "カミングアウト", "동성애", "성적 지향", "커밍아웃", "양성애", "รักร่วมเพศ",
    )),
    (CRIMINAL, (
        "犯罪记录", "有罪", "判刑", "被捕", "逮捕", "缓刑", "前科", "有罪判決", "執行猶予", "窃盗罪", "전과", "유죄",
        "체포", "집행유예", "ประวัติอาชญากรรม",
    )),
)  # fmt: skip

# Words that make a statement about a particular person in these languages: honorifics, salutations,
# labels of a person's record. Lower case; Latin ones are whole words (both ends), others substrings.
PERSON_WORDS: tuple[str, ...] = (
    "sayın", "bayan", "hanım", "bapak", "saudara", "saudari", "calon karyawan", "pan/pani", "paní", "pani",
    "pane", "herr", "frau", "sehr geehrte", "sehr geehrter", "sehr geehrte/r", "estimado", "estimada", "cher",
    "chère", "caro", "cara", "geachte", "kedves", "stimate", "stimată", "αγαπητέ", "αγαπητή", "κύριε", "κυρία",
    "шановний", "шановна", "уважаемый", "уважаемая", "kính gửi", "patient:", "patientin:", "paciente:",
    "potilas:", "pacjent:", "pacient:", "beteg:", "hasta adı", "hei", "hej", "hola", "bonjour", "dear",
    "السيد", "السيدة", "श्री", "श्रीमती",
    # letter salutations of more languages (a letter's statement is about its addressee)
    "kære", "kjære", "bästa", "tisztelt", "gentile", "egregio", "exmo", "exma", "prezado", "prezada", "beste",
    "hyvä", "szanowny", "szanowna", "vážený", "vážená", "spoštovani", "spoštovana", "poštovani", "poštovana",
    "liebe", "lieber", "querido", "querida", "stimată", "αξιότιμε", "αξιότιμη",
    # a record's patient label in more languages
    "paziente:", "patiënt:", "pasient:", "pacientka:", "pacjentka:", "pacient(ka):", "hasta:", "пациент:",
    "пацієнт:", "ασθενής:", "bệnh nhân:", "patient(in):", "paziente", "patiënt",
)  # fmt: skip
# Generic nouns ("员工", "社員", "employee") are left out: a policy about "the employee" is not about one.
PERSON_SCRIPT: tuple[str, ...] = (
    "さん", "様", "氏名", "先生", "女士", "小姐", "候補者", "候选人", "应聘者", "姓名", "她", "彼女", "님", "씨",
    "คุณ", "ผู้ป่วย", "患者：", "患者:", "患者氏名",
)  # fmt: skip
