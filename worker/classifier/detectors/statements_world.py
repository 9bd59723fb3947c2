"""Health, disciplinary, special-category and legal-privilege statements about a person in the languages
the English/EU detectors do not read (lexicons in lexicon_world.py), plus confidentiality markers in
Chinese, Japanese, Korean, Turkish, Indonesian, Vietnamese, Ukrainian/Russian, Arabic, Hebrew and Hindi
(issue 18, set C).

A term is a candidate that counts only about a person: a capitalised name as its subject or in its
paragraph (persons.named_subject), a salutation, honorific or person label of the language within 250
characters ("Sayın", "Pan/Pani", "さん", "患者", "님"), or else the engine's own name/role search
(needs_person). "Diagnoosi on tärkeä" in a health article, "工会" in a news report stay public.

Speed: words are matched through an index of their first four UTF-8 bytes (one dict look-up per distinct
word of the document), so a document pays for the lexicon only where a word starts like a term; the
substring lexicons run only on documents that contain CJK, Hangul or Thai characters.
"""

from __future__ import annotations

import re

from worker.classifier.detectors import lexicon_safety
from worker.classifier.detectors.base import Doc, Finding
from worker.classifier.detectors.lexicon_safety import SAFETY
from worker.classifier.detectors.lexicon_world import DEBT, PERSON_SCRIPT, PERSON_WORDS, SCRIPT, WORDS
from worker.classifier.detectors.persons import _NOT_NAME_STARTS, named_subject

_KEY = 4
_AMOUNT = re.compile(
    r"(?:[$€£¥₹₺₽]|\b(?:eur|usd|gbp|chf|sek|nok|dkk|pln|czk|huf|ron|lei|kr|zł|kč|ft|lei)\b)\s?[0-9]|"
    r"[0-9](?:[0-9 .,'\u00a0]*[0-9])?\s?(?:[$€£¥₹₺₽]|(?:eur|usd|gbp|chf|sek|nok|dkk|pln|czk|huf|ron|lei|kr|zł|kč|ft)\b)"
)
_SCRIPTS = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _term_pattern(term: str) -> re.Pattern[str]:
    whole = term.endswith("$")
    words = term.rstrip("$").split()
    body = r"\s+".join(re.escape(word) for word in words)
    # Led by the literal (sre then scans for it quickly); the word boundary before it is checked by the caller.
    return re.compile(body + (r"(?!\w)" if whole else r"\w*"))


def _index() -> dict[bytes, list[tuple[bytes, str, re.Pattern[str]]]]:
    """first 4 bytes of a term's first word -> (that word, kind, the term's pattern)."""
    index: dict[bytes, list[tuple[bytes, str, re.Pattern[str]]]] = {}
    for kind, terms in WORDS + lexicon_safety.WORDS:
        for term in terms:
            first = term.rstrip("$").split()[0].encode()
            # doc.words lower-cases ASCII only: also index the capitalised first word ("Abmahnung").
            for form in {first, term.rstrip("$").split()[0].capitalize().encode()}:
                index.setdefault(form[:_KEY], []).append((form, kind, _term_pattern(term)))
    return index


_INDEX = _index()
_KEYS = frozenset(_INDEX)
_PERSON = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(w) for w in sorted(PERSON_WORDS, key=len, reverse=True))
    + r")(?!\w)|"
    + "|".join(re.escape(w) for w in PERSON_SCRIPT)
    + r"|(?<!其)他(?:是|被|的|不|在|已)"
    # A Han name opening a sentence, then the possessive: "王小明的签证" (not "外籍员工的", mid-sentence,
    # nor "公司的"/"本部门的": names do not end in the characters of organisations and groups).
    + r"|(?:^|(?<=[\n。！？：:]))[\u4e00-\u9fff]{1,2}[^\W\d_司部门厂局院校会组队室处科工人们度]的"
)
_WINDOW = 250
# A letter addressed to a person: a line that is only a capitalised name and a comma ("Kaarina
# Tuominen-Grönroos,") near the top. A warning or advice under it is about the addressee.
_ADDRESSED = re.compile(r"(?m)^[ \t]*(?:[^\W\d_][\w'’.\-]*[ \t]+){1,3}[^\W\d_][\w'’\-]+,[ \t]*$")

# Markers: a bare word counts as a banner (a short line of its own, capitals, or in brackets), a phrase
# anywhere. (gate, pattern, kind, banner_only): the gate is "cjk" (the document has CJK/Hangul/Thai), a
# set of lower-case words (a word of the document), or a character class searched once.
_OTHER_SCRIPTS = re.compile(r"[\u0400-\u04ff\u0590-\u06ff\u0900-\u097f]")
_MARKERS: tuple[tuple[object, re.Pattern[str], str, bool], ...] = tuple(
    (gate if isinstance(gate, str) else frozenset(w.encode() for w in gate), re.compile(pattern), kind, banner)
    for gate, pattern, kind, banner in (
        ("cjk", r"机密|機密|绝密|絕密|社外秘|部外秘|極秘|秘密|대외비|기밀|극비", "marker:confidential", True),
        ("cjk", r"仅限内部|僅限內部|内部资料|内部文件|内部使用|社内限り|取扱注意|내부용|사내한", "marker:internal_only", True),
        ("cjk", r"ลับมาก|ลับที่สุด|ลับเฉพาะ", "marker:confidential", True),
        (("gizlidir", "gizli", "gİzlİ", "gİzlİdİr", "özel", "Özel"),
         r"(?<!\w)(?:gizlidir|gizli|çok gizli|kişiye özel|hizmete özel)(?!\w)", "marker:confidential", True),
        (("rahasia", "sulit"), r"(?<!\w)(?:rahasia|sangat rahasia|sulit)(?!\w)", "marker:confidential", True),
        (("mật", "mẬt"), r"(?<!\w)(?:tuyệt mật|tối mật|mật)(?!\w)", "marker:confidential", True),
        (("lưu", "hanya", "kalangan", "dahili"),
         r"(?<!\w)(?:lưu hành nội bộ|hanya untuk internal|untuk kalangan sendiri|dahili kullanım)",
         "marker:internal_only", False),
        ("other", r"(?<!\w)(?:конфіденційно|конфиденциально|таємно|секретно|для службового користування|"
         r"для служебного пользования)(?!\w)", "marker:confidential", True),
        ("other", r"سري للغاية|سري|סודי ביותר|סודי|गोपनीय|अति गोपनीय", "marker:confidential", True),
    )
)  # fmt: skip
# Legal privilege in other languages: a privilege term counts about THIS message (a self-reference
# near it), not in an explainer of the doctrine. Gated by the first word of each term.
_PRIVILEGE_WORDS = frozenset(
    w.encode()
    for w in (
        "secreto", "sigilo", "segredo", "secret", "segreto", "anwaltsgeheimnis", "mandatsgeheimnis",
        "berufsgeheimnis", "verschoningsrecht", "beroepsgeheim", "tajemnica", "tajemnicą", "tajemnicy",
        "advokátní", "advokatsekretess", "advokatfortrolig", "advokatfortrolighed", "taushetsplikt",
        "ügyvédi", "secretul", "δικηγορικό", "avukat", "meslek", "rahasia", "адвокатська", "адвокатської",
        "адвокатская", "адвокатской", "adwokacka", "adwokackiej", "asianajosalaisuus", "asianajosalaisuuden",
        "asianajosalaisuuteen", "asianajosalaisuutta", "asianajosalaisuuden", "mlčenlivost", "mlčenlivosti",
        "tito", "titok", "titkot", "titoktartás", "titoktartási", "tavshedspligt", "advokatens",
    )
)  # fmt: skip
_PRIVILEGE = re.compile(
    r"secreto profesional|sigilo profissional|segredo profissional|secret professionnel|segreto professionale|"
    r"anwaltsgeheimnis|mandatsgeheimnis|berufsgeheimnis|verschoningsrecht|beroepsgeheim|tajemnic[aąy] "
    r"(?:adwokack|radcowsk|zawodow)\w*|advokátní mlčenlivost|advokatsekretess|advokatfortrolig|"
    r"taushetsplikt|tavshedspligt|asianajosalaisuu\w*|ügyvédi tito[kt]\w*|secretul profesional|δικηγορικό απόρρητο|"
    r"avukat[- ]müvekkil gizlili\w*|meslek sırrı|rahasia (?:profesi|jabatan advokat)|адвокатськ\w+ таємниц\w*|"
    r"адвокатск\w+ тайн\w*|秘匿特権|律师特权|律师保密|변호사[- ]?의뢰인 특권|비밀유지특권"
)
_SELF_REFERENCE = re.compile(
    # The message itself, also in the definite form that means "this one" (Nordic "-en"/"-et" suffixes).
    r"this (?:message|e-?mail|communication|letter|advice)|comunica(?:ci[óo]n|zione|ção|re)|mailen|e-?posten|"
    r"e-?mailen|brevet|beskeden|meddelelsen|meldingen|επικοινωνία|levél|levelet|mensaje|correo|ce (?:message|courriel)|"
    r"la présente|questo messaggio|la presente|diese[rs]? (?:nachricht|schreiben|e-?mail|mail)|dit bericht|"
    r"deze e-?mail|wiadomoś|niniejsz|tato zpráva|tento e-?mail|meddelande|denne (?:meddelelse|e-?mail|meldingen|"
    r"e-?posten)|viesti|sähköposti|üzenet|acest mesaj|αυτό το μήνυμα|bu (?:mesaj|e-?posta|yazı)|işbu|"
    r"pesan ini|surat ini|це повідомлення|это сообщение|本メール|本書|本邮件|本函|본 메일|본 문서"
)


class WorldStatementDetector:
    """Statements about a person and markers in further languages: see the module docstring."""

    def find(self, doc: Doc) -> list[Finding]:
        lower, words = doc.lower, doc.words
        spans: list[tuple[str, int, int]] = []
        seen: set[int] = set()
        by_key: dict[bytes, list[bytes]] = {}
        for word in words:
            if word[:_KEY] in _KEYS:
                by_key.setdefault(word[:_KEY], []).append(word)
        for key, candidates in by_key.items():
            for form, kind, pattern in _INDEX[key]:
                if id(pattern) not in seen and any(w.startswith(form) for w in candidates):
                    seen.add(id(pattern))
                    spans.extend(
                        (kind, *m.span())
                        for m in pattern.finditer(lower)
                        if not (m.start() and lower[m.start() - 1].isalnum())
                    )
        ascii_only = doc.text.isascii()
        scripts = not ascii_only and _SCRIPTS.search(doc.text) is not None
        if scripts:
            for kind, terms in SCRIPT + lexicon_safety.SCRIPT:
                for term in terms:
                    at = lower.find(term)
                    while at != -1:
                        spans.append((kind, at, at + len(term)))
                        at = lower.find(term, at + len(term))
        found = [
            Finding(kind, start, end, needs_person=not self.about_a_person(doc, start, end, kind == SAFETY))
            for kind, start, end in spans
            # a debt term counts with an amount nearby ("Rückstand von 27.980 €"), not in a glossary
            if kind != DEBT or _AMOUNT.search(lower, max(0, start - 200), end + 200)
        ]
        if not ascii_only or "rahasia" in lower or "sulit" in lower or "hanya" in lower:
            found.extend(self._markers(doc, scripts))
        if scripts or not _PRIVILEGE_WORDS.isdisjoint(words):
            for m in _PRIVILEGE.finditer(lower):
                window = lower[max(0, m.start() - 120) : m.end() + 120]
                if _SELF_REFERENCE.search(window):
                    found.append(Finding("marker:privileged", m.start(), m.end()))
        return found

    @staticmethod
    def about_a_person(doc: Doc, start: int, end: int, strict: bool = False) -> bool:
        """`strict` (the safety lexicon, whose look-alikes are notices full of place names: "En Lugo hai
        tres centros de acollida"): a capitalised pair counts only inside a sentence, not opening one, and
        persons.named_subject (which takes any capitalised pair in the line) is not asked."""
        if (not strict and named_subject(doc, start, end)) or _ADDRESSED.search(doc.text, 0, 400):
            return True
        if _capitalised_pair(doc.text, start, end, strict):
            return True
        return _PERSON.search(doc.lower, max(0, start - _WINDOW), end + _WINDOW) is not None

    @staticmethod
    def _markers(doc: Doc, scripts: bool) -> list[Finding]:
        # Turkish capitals lower-case to "i" + a combining dot ("GİZLİ" -> "gi̇zli̇"): drop the dot. The
        # spans shift by the dots removed; markers need no position beyond "somewhere in the document".
        dotted = "\u0307" in doc.lower
        lower = doc.lower.replace("\u0307", "") if dotted else doc.lower
        text = doc.text.replace("\u0307", "") if dotted else doc.text
        other = _OTHER_SCRIPTS.search(text) is not None
        found: list[Finding] = []
        for gate, pattern, kind, banner in _MARKERS:
            if gate == "cjk" and not scripts or gate == "other" and not other:
                continue
            if isinstance(gate, frozenset) and gate.isdisjoint(doc.words):
                continue
            for m in pattern.finditer(lower):
                if not banner or _is_banner(text, lower, m.start(), m.end()):
                    found.append(Finding(kind, m.start(), m.end()))
        return found


# Two capitalised words in a row in any alphabet ("Tomáš Dvořák", "Ayşe Demir", "Đặng Văn"): persons.py's
# name patterns cover Western European letters only.
_PAIR = re.compile(r"(?<![\w.])([^\W\d_][^\W\d_'’\-]+)[ \t]+([^\W\d_][^\W\d_'’\-]+)")


def _capitalised_pair(text: str, start: int, end: int, inside_a_sentence: bool = False) -> bool:
    """A capitalised pair in the statement's paragraph, at most 250 characters away (`inside_a_sentence`:
    not right after a line start or a sentence's end, where any word is capitalised)."""
    # Subtitles and transcripts (" --> " cue timings) break every cue with a blank line: not paragraphs.
    cues = " --> " in text
    lo = -1 if cues else text.rfind("\n\n", max(0, start - _WINDOW), start)
    hi = -1 if cues else text.find("\n\n", end, end + _WINDOW)
    lo = max(0, start - _WINDOW) if lo == -1 else lo
    hi = min(len(text), end + _WINDOW) if hi == -1 else hi
    # Overlapping pairs: "van Lizelle Venter" must still offer "Lizelle Venter" after "van Lizelle".
    at = lo
    while (m := _PAIR.search(text, at, hi)) is not None:
        at = m.start(2)
        first, second = m.group(1), m.group(2)
        if first.istitle() and second.istitle() and first.lower() not in _NOT_NAME_STARTS:
            if m.start() <= start < m.end():
                continue
            if inside_a_sentence and _SENTENCE_START.search(text, max(0, m.start() - 3), m.start()):
                continue
            return True
    return False


# What precedes a word that opens a sentence or a line.
_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡]\s*|\n\s*)$")


def _is_banner(text: str, lower: str, start: int, end: int) -> bool:
    """The marker labels the document: in capitals, in banner brackets (【社外秘】), or on a short line of its
    own. A label quoted in running text (「社外秘」 in a classification guide) is not a banner."""
    if text[start:end].isupper() and any(c.isalpha() for c in text[start:end]):
        return True
    if lower[start - 1 : start] in ("【", "[", "《") and start:
        return True
    line_start = lower.rfind("\n", 0, start) + 1
    line_end = lower.find("\n", end)
    line = lower[line_start : line_end if line_end != -1 else len(lower)].strip()
    return len(line) <= 40
