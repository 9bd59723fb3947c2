"""Lexicon for a person whose safety depends on secrecy: protection and restraining orders, refuges and safe
houses, harassment complaints, whistleblowers (issue 18, set H: none of these was read in any language).

Data only, in the shape of lexicon_world.py (statements_world.py matches it, and a term counts only about a
person: a name as its subject or in its paragraph, a salutation, an honorific or a person label). So a
harassment policy, a helpline notice or a whistleblowing-channel procedure, which name no one, stay
public, while "protection order in favour of <name>" or "the whistleblower in case X is <name>" is raised.

Space-delimited terms: lower case, the last word a prefix ("uzbunjiva" finds "uzbunjivač", "uzbunjivača").
Written from general knowledge of each language, not from any corpus.
"""

from __future__ import annotations

SAFETY = "personal_safety"

WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SAFETY, (
        # en
        "protection order", "restraining order", "safe house", "sexual harassment", "harassment complaint",
        "whistleblower",
        # de nl af
        "schutzanordnung", "annäherungsverbot", "kontaktverbot", "frauenhaus", "sexuelle belästigung",
        "hinweisgeber", "straatverbod", "contactverbod", "seksuele intimidatie", "klokkenluider",
        "beskermingsbevel", "seksuele teistering", "fluitjieblaser",
        # fr es gl pt ca it
        "ordonnance de protection", "harcèlement sexuel", "harcèlement moral", "lanceur d'alerte",
        "lanceuse d'alerte", "orden de protección", "orden de alejamiento", "acoso sexual", "acoso laboral",
        "casa de acogida", "orde de protección", "casa de acollida", "persoa protexida", "medida protetiva",
        "medidas protetivas", "medida de proteção", "assédio sexual", "assédio moral", "casa abrigo",
        "ordre de protecció", "assetjament sexual", "casa d'acollida", "ordine di protezione",
        "divieto di avvicinamento", "molestie sessuali", "casa rifugio",
        # sv da no is fo fi et
        "kontaktförbud", "sexuella trakasserier", "visselblåsare", "skyddat boende", "kvinnojour",
        "kontaktforbud", "seksuel chikane", "krisecenter", "besøksforbud", "seksuell trakassering",
        "krisesenter", "nálgunarbann", "kynferðisleg áreitni", "kvennaathvarf", "uppljóstrara",
        "verndarúrskurð", "kvinnuhús", "lähestymiskielto", "seksuaalinen häirintä", "turvakoti",
        "lähenemiskeeld", "seksuaalne ahistamine", "turvakodu",
        # pl cs sk sl hr sr bs (Latin and Cyrillic) mk bg
        "zakaz zbliżania", "molestowanie seksualne", "sygnalist", "zákaz přiblížení", "sexuální obtěžování",
        "azylový dům", "zákaz priblíženia", "sexuálne obťažovanie", "prepoved približevanja",
        "spolno nadlegovanje", "varna hiša", "zabrana približavanja", "zabranjeno približavanje",
        "mjera zaštite", "mera zaštite", "zaštićeno lice", "zaštićena osoba", "seksualno uznemiravanje",
        "spolno uznemiravanje", "zviždač", "uzbunjivač", "sigurna kuća", "sigurne kuće", "sigurnoj kući",
        "мера заштите", "заштићено лице", "сексуално узнемиравање", "узбуњивач", "сигурна кућа",
        "сигурне куће", "забрана приближавања", "сексуално вознемирување", "заповед за защита",
        "сексуален тормоз",
        # hu ro el ru uk kk mn tr
        "távoltartás", "szexuális zaklatás", "ordin de protecție", "ordin de protecţie", "hărțuire sexuală",
        "σεξουαλική παρενόχληση", "охранный ордер", "сексуальное домогательство", "кризисный центр",
        "захисний припис", "сексуальні домагання", "викривач", "жыныстық қудалау", "бэлгийн дарамт",
        "хамгаалах байр", "uzaklaştırma kararı", "koruma kararı", "cinsel taciz", "sığınma evi",
        # id ms vi ar he hi
        "perintah perlindungan", "pelecehan seksual", "gangguan seksual", "rumah aman", "lệnh bảo vệ",
        "quấy rối tình dục", "người tố giác", "أمر حماية", "تحرش جنسي", "دار إيواء", "צו הגנה",
        "הטרדה מינית", "מקלט לנשים", "संरक्षण आदेश", "यौन उत्पीड़न",
    )),
)  # fmt: skip

# Substrings for scripts written without spaces (zh, ja, th) or with particles glued on (ko).
SCRIPT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SAFETY, (
        "保护令", "保護令", "性骚扰", "性騷擾", "举报人", "舉報人", "保護命令", "接近禁止", "セクハラ",
        "セクシュアルハラスメント", "公益通報者", "내부고발자", "공익신고자", "접근금지", "보호명령", "성희롱",
        "คำสั่งคุ้มครอง", "ล่วงละเมิดทางเพศ", "คุกคามทางเพศ", "ผู้แจ้งเบาะแส",
    )),
)  # fmt: skip
