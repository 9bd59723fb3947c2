"""Health and special-category statements about a person in French, Spanish, Italian, Portuguese, Dutch,
Polish and German, where health.py and special.py read English (and a few fixed phrases): "Jean Dupont
est séropositif", "padece depresión severa", "Carlos Ruiz es gay", "Piotr Nowak jest gejem" (issue 19).

Same rule as the English ones: each statement is a candidate that counts only with a person nearby (a
name, a title, a role), so "La depresión es la principal causa de discapacidad" stays public. A condition
counts only after a verb that says someone has it ("souffre d'une", "lijdt aan", "choruje na"); the bare
word in prose is not a statement about anyone.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, wordset
from worker.classifier.detectors.persons import named_subject

# Conditions, as whole lower-case words (gates); the lead before them is checked in a short window.
_CONDITIONS = wordset(
    "depresión", "depresion", "dépression", "depressione", "depressão", "depressao", "depressie",
    "depresję", "depresja", "depresji", "depressionen", "cáncer", "cancer", "cancro", "câncer", "kanker",
    "raka", "krebs", "tumeur", "tumor", "tumore", "sida", "vih", "hiv", "aids", "diabète", "diabetes",
    "diabete", "cukrzycę", "cukrzyca", "suikerziekte", "schizophrénie", "esquizofrenia", "schizofrenia",
    "schizofrenie", "schizofrenię", "schizophrenie", "bipolaire", "bipolar", "bipolare", "alzheimer",
    "parkinson", "épilepsie", "epilepsia", "epilessia", "epilepsie", "padaczkę", "leucémie", "leucemia",
    "leukemie", "białaczkę", "ansiedad", "anxiété", "ansia", "ansiedade", "angststoornis", "anorexie",
    "anorexia", "anoressia", "anoreksję", "alcoolisme", "alcoholismo", "alcolismo", "alcoolismo",
    "alcoholisme", "alkoholizm", "burnout", "esclerosis", "sclérose", "sclerosi", "esclerose",
)  # fmt: skip
# Verbs that say a person has a condition, then their preposition, then at most two words (articles and
# adjectives: "d'une dépression sévère", "aan een zware depressie", "na ciężką depresję").
_CONDITION_LEAD = re.compile(
    r"(?<![^\W\d_])(?:(?:padece|padecía|tiene|ha|tem|heeft|ma|hat)(?![^\W\d_])|a\s+(?=une?\s)|"
    r"sufr(?:e|ía)\s+(?:de\s+)?|souffr(?:e|ait)\s+d(?:e\s+|'|’|u\s+|es\s+)|atteinte?\s+d(?:e\s+|'|’|u\s+)|"
    r"soffre\s+di\s+|affett[oa]\s+da\s+|sofre\s+de\s+|lijdt\s+aan\s+|choruje\s+na\s+|cierpi\s+na\s+|"
    r"leidet\s+(?:an|unter)\s+)"
    r"(?:\s*(?:[^\W\d_]+['’]|[^\W\d_]{1,14}\s+)){0,2}?\s*$"
)
# The words the leads start with: a document without any (most English text) skips the condition scan.
_LEAD_WORDS = wordset(
    "padece", "padecía", "tiene", "ha", "tem", "heeft", "ma", "hat", "un", "une", "sufre", "sufría", "souffre",
    "souffrait", "atteint", "atteinte", "soffre", "affetto", "affetta", "sofre", "lijdt", "choruje", "cierpi",
    "leidet",
)  # fmt: skip
# Statements that are the fact itself: "est séropositif", "jest nosicielem HIV", "is hiv-positief".
_HEALTH: tuple[tuple[frozenset[bytes], re.Pattern[str]], ...] = tuple(
    (wordset(*gates), re.compile(pattern))
    for gates, pattern in (
        (
            ("séropositif", "séropositive", "seropositivo", "seropositiva", "sieropositivo", "sieropositiva",
             "soropositivo", "soropositiva", "seropozytywny", "seropozytywna", "seropositief"),
            r"(?:séropositi(?:f|ve)|s[ie]e?ropositiv[oa]|soropositiv[oa]|seropozytywn[ya]|seropositief)(?![^\W\d_])",
        ),
        (("positief", "positiv", "positivo", "positiva", "positif"), r"(?:hiv|vih)[\s\-](?:positie[fv]|positiv[oae]?|positif)"),
        (("nosicielem", "nosicielką", "zakażony", "zakażona"), r"(?:nosiciel(?:em|ką)|zakażon[ya])\s+(?:wirusem\s+)?hiv"),
        (("trithérapie",), r"(?:suit|sous|commence)\s+(?:une\s+)?trithérapie"),
        (("antidépresseurs", "antidepresivos", "antidepressivi", "antidepressiva", "antydepresanty"),
         r"(?:sous|toma|prende|assume|slikt|gebruikt|bierze|nimmt)\s+(?:des\s+)?"
         r"(?:antidépresseurs|antidepresivos|antidepressivi|antidepressiva|antydepresanty)"),
        (("chimiothérapie", "quimioterapia", "chemioterapia", "chemotherapie", "chemioterapię"),
         r"(?:sa|su|la\s+sua|sua|zijn|haar|jego|jej|seine|ihre)\s+(?:chimiothérapie|quimioterapia|chemioterapi[aę]|"
         r"chemotherapie)"),
    )
)  # fmt: skip
_ORIENTATION_WORDS = (
    r"(?:gay|gejem|lesbienne|lesbiana|lesbica|lésbica|lesbisch|lesbijką|lesbe|homosexuel(?:le)?|homosexual|"
    r"omosessuale|homoseksueel|homoseksualistą|homosexuell|schwul|homo|bisexuel(?:le)?|bisexual|bisessuale|"
    r"biseksueel|biseksualistą|bisexuell|transgenre|transgénero|transgênero|transgender|transseksualistą)"
)
# Immigration status: an undocumented person, an asylum seeker, a deportation, an expired permit.
_SPECIAL: tuple[tuple[frozenset[bytes], str, re.Pattern[str]], ...] = tuple(
    (wordset(*gates), kind, re.compile(pattern))
    for gates, kind, pattern in (
        (
            ("gay", "gejem", "lesbienne", "lesbiana", "lesbica", "lésbica", "lesbisch", "lesbijką", "lesbe",
             "homosexuel", "homosexuelle", "homosexual", "omosessuale", "homoseksueel", "homoseksualistą",
             "homosexuell", "schwul", "homo", "bisexuel", "bisexuelle", "bisexual", "bisessuale", "biseksueel",
             "biseksualistą", "bisexuell", "transgenre", "transgénero", "transgênero", "transgender"),
            "sexual_orientation",
            r"(?<![^\W\d_])(?:est|es|è|é|is|jest|ist)\s+(?:ouvertement\s+|abiertamente\s+|apertamente\s+|"
            r"abertamente\s+|openlijk\s+|otwarcie\s+|offen\s+)?" + _ORIENTATION_WORDS + r"(?![\w\-])",
        ),
        (("armario",), "sexual_orientation", r"sali[óo]\s+del\s+armario"),
        (
            ("indocumentado", "indocumentada", "papiers", "papeles", "irrégulière", "irregular", "clandestino",
             "clandestina", "ongedocumenteerd", "papieren", "aufenthaltserlaubnis", "aufenthaltstitel"),
            "special_category",
            r"(?:(?:est|es|está|è|é|is|ist)\s+(?:\w+\s+)?(?:indocumentad[oa]|clandestin[oa]|ongedocumenteerd))|"
            r"sans[\s\-]papiers|sin\s+papeles|sem\s+documentos|zonder\s+papieren|"
            r"en\s+situa(?:tion|ción)\s+irr[ée]guli[èe]re?|ohne\s+(?:gültige\s+)?(?:aufenthaltserlaubnis|aufenthaltstitel)",
        ),
        (
            ("demandeur", "demandeuse", "solicitante", "richiedente", "requerente", "asielzoeker",
             "asylbewerber", "asylbewerberin", "azylant", "azylantka"),
            "special_category",
            r"demandeu(?:r|se)\s+d['’]asile|solicitante\s+de\s+asilo|richiedente\s+asilo|requerente\s+de\s+asilo|"
            r"asielzoeker|asylbewerber(?:in)?|azylant(?:ka|em)?",
        ),
        (
            ("expulsé", "expulsée", "deportado", "deportada", "espulso", "espulsa", "uitgezet", "abgeschoben",
             "deportowany", "deportowana"),
            "special_category",
            r"(?:a\s+été|est|fue|será|è\s+stat[oa]|foi|wordt|werd|wurde|wird|został[ao]?)\s+"
            r"(?:expulsée?|deportad[oa]|espuls[oa]|uitgezet|abgeschoben|deportowan[ya])",
        ),
        (
            ("séjour", "residencia", "soggiorno", "residência", "verblijfsvergunning", "pobyt"),
            "special_category",
            r"(?:titre|carte)\s+de\s+séjour\s+(?:a\s+)?expir|permiso\s+de\s+residencia\s+(?:ha\s+)?(?:caducado|vencido|expirado)|"
            r"permesso\s+di\s+soggiorno\s+(?:è\s+)?scaduto|autorização\s+de\s+residência\s+(?:expirou|caducou)|"
            r"verblijfsvergunning\s+(?:is\s+)?verlopen|(?:jego|jej)\s+(?:karta|zezwolenie)\s+(?:na\s+)?pobyt",
        ),
    )
)  # fmt: skip
_HEALTH_GATES = frozenset().union(*(gates for gates, _ in _HEALTH))
_SPECIAL_GATES = frozenset().union(*(gates for gates, _, _ in _SPECIAL))


class EuStatementDetector:
    """Health and special-category statements in other EU languages: candidates needing a person."""

    def find(self, doc: Doc) -> list[Finding]:
        words, lower = doc.words, doc.lower
        spans: list[tuple[str, int, int]] = []
        for word in words & _CONDITIONS if doc.has(_LEAD_WORDS) else ():
            condition = word.decode("utf-8", "ignore")
            at = lower.find(condition)
            while at != -1:
                end = at + len(condition)
                whole = (at == 0 or not lower[at - 1].isalpha()) and (
                    end == len(lower) or not lower[end].isalpha()
                )
                lead = _CONDITION_LEAD.search(lower, max(0, at - 60), at) if whole else None
                if lead:
                    spans.append(("health_condition", lead.start(), end))
                at = lower.find(condition, end)
        present = words & _HEALTH_GATES
        for gates, pattern in _HEALTH if present else ():
            if not gates.isdisjoint(present):
                spans.extend(("health_condition", *m.span()) for m in pattern.finditer(lower))
        present = words & _SPECIAL_GATES
        for gates, kind, pattern in _SPECIAL if present else ():
            if not gates.isdisjoint(present):
                spans.extend((kind, *m.span()) for m in pattern.finditer(lower))
        return [
            Finding(kind, start, end, needs_person=not named_subject(doc, start, end))
            for kind, start, end in spans
        ]
