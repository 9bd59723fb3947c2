"""Special-category facts about a person (GDPR articles 9 and 10): criminal records, sexual orientation,
religious belief, and ethnic origin, political opinion or trade-union membership.

Each statement is a candidate that counts only with a person nearby (a name, "the employee", "he was")
or a capitalised name as its subject: "arrested for DUI" in a road-safety report is not about anyone,
"Tom Reyes was arrested for DUI" is. Every pattern is led by a gate word present in the document.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, possessed, wordset
from worker.classifier.detectors.persons import named_subject

_RELIGIONS = (
    r"(?:muslim|jewish|jew|christian|catholic|protestant|evangelical|hindu|buddhist|sikh|mormon|"
    r"jehovah'?s\s+witness|atheist|orthodox\s+jew|scientologist|baha'?i|jain)"
)
_ORIENTATIONS = (
    r"(?:gay|lesbian|bisexual|bi|transgender|trans|queer|asexual|pansexual|non-?binary|homosexual)"
)

# (gate word, kind, pattern over the lower-cased text).
# Gates starting with "@" name a word list: the pattern runs when any of its words occurs.
_WORD_LISTS = {
    "@orientation": wordset(
        "gay", "lesbian", "bisexual", "bi", "transgender", "trans", "queer", "asexual", "pansexual",
        "nonbinary", "non", "homosexual",
    ),
    "@religion": wordset(
        "muslim", "jewish", "jew", "christian", "catholic", "protestant", "evangelical", "hindu", "buddhist",
        "sikh", "mormon", "jehovah", "atheist", "scientologist", "baha", "bahai", "jain",
    ),
}  # fmt: skip
_STATEMENTS: tuple[tuple[frozenset[bytes], str, re.Pattern[str]], ...] = tuple(
    (_WORD_LISTS.get(gate) or frozenset({gate.encode()}), kind, re.compile(pattern))
    for gate, kind, pattern in (
        # criminal records
        ("arrested", "criminal_record", r"arrested\s+(?:for|on|in|after|and)"),
        (
            "arrest",
            "criminal_record",
            r"arrest(?:ed)?\s+(?:for\s+)?(?:dui|dwi|drunk|assault|theft|fraud|possession)",
        ),
        (
            "dui",
            "criminal_record",
            r"(?<![a-z])(?:dui|dwi)(?:\s+(?:arrest|charge|conviction|offen[cs]e|case))?(?![a-z])",
        ),
        ("convicted", "criminal_record", r"convicted\s+(?:of|for|in)"),
        (
            "conviction",
            "criminal_record",
            r"(?:criminal\s+|prior\s+|previous\s+|a\s+)conviction|conviction\s+for",
        ),
        ("criminal", "criminal_record", r"criminal\s+(?:record|history|conviction|charges?|background|past)"),
        ("pleaded", "criminal_record", r"pleaded\s+(?:guilty|no\s+contest)"),
        ("pled", "criminal_record", r"pled\s+guilty"),
        ("sentenced", "criminal_record", r"sentenced\s+to"),
        ("probation", "criminal_record", r"(?:on|serving|violated\s+(?:his|her|their))\s+probation"),
        ("parole", "criminal_record", r"(?:on|released\s+on|violated\s+(?:his|her|their))\s+parole"),
        ("charged", "criminal_record", r"charged\s+with\s+(?!a\s+fee|the\s+cost|interest|vat)"),
        ("felony", "criminal_record", r"felony"),
        ("misdemeanor", "criminal_record", r"misdemeanou?r"),
        ("offender", "criminal_record", r"sex\s+offender|offender\s+register"),
        ("jail", "criminal_record", r"(?:served|spent|in)\s+(?:time\s+in\s+)?jail"),
        ("prison", "criminal_record", r"(?:served|spent|released\s+from)\s+(?:\w+\s+){0,3}(?:in\s+)?prison"),
        ("vorbestraft", "criminal_record", r"vorbestraft"),
        ("verurteilt", "criminal_record", r"verurteilt"),
        ("führungszeugnis", "criminal_record", r"führungszeugnis\s+(?:enthält|mit\s+eintrag)"),
        ("casier", "criminal_record", r"casier\s+judiciaire\s+(?!vierge)"),
        ("condamné", "criminal_record", r"condamnée?\s+(?:à|pour)"),
        ("antecedentes", "criminal_record", r"antecedentes\s+penales"),
        ("condenado", "criminal_record", r"condenad[oa]\s+(?:a|por)"),
        # sexual orientation and gender identity
        ("orientation", "sexual_orientation", r"sexual\s+orientation"),
        ("came", "sexual_orientation", r"came\s+out\s+(?:as|to)"),
        ("coming", "sexual_orientation", r"coming\s+out\s+(?:as|to)"),
        ("identifies", "sexual_orientation", r"identifies\s+as\s+" + _ORIENTATIONS),
        (
            "@orientation",
            "sexual_orientation",
            r"(?<![a-z])(?:is|being|am|as)\s+(?:openly\s+)?" + _ORIENTATIONS + r"(?![a-z])",
        ),
        ("transition", "sexual_orientation", r"(?:gender|medical)\s+transition"),
        ("transitioning", "sexual_orientation", r"transitioning"),
        ("identity", "sexual_orientation", r"gender\s+identity"),
        ("partner", "sexual_orientation", r"same[\s\-]sex\s+(?:partner|spouse|relationship)"),
        # religion
        (
            "@religion",
            "religious_belief",
            r"(?<![a-z])(?:is|am|as|being|a)\s+(?:a\s+)?(?:devout|practi[cs]ing|observant)\s+" + _RELIGIONS,
        ),
        ("@religion", "religious_belief", r"(?<![a-z])(?:is|am)\s+(?:a\s+)?" + _RELIGIONS + r"(?![a-z])"),
        (
            "converted",
            "religious_belief",
            r"converted\s+to\s+(?:islam|judaism|christianity|catholicism|buddhism|hinduism)",
        ),
        (
            "religious",
            "religious_belief",
            r"religious\s+(?:belief|beliefs|affiliation|accommodation|observance|views)",
        ),
        ("religion", "religious_belief", r"(?:his|her|their|my)\s+religion"),
        ("ramadan", "religious_belief", r"(?:observes?|observing|fasting\s+(?:for|during))\s+ramadan"),
        ("prayer", "religious_belief", r"prayer\s+(?:breaks?|times?|room)\s+(?:for|during)"),
        (
            "attends",
            "religious_belief",
            r"attends\s+(?:the\s+)?(?:mosque|church|synagogue|temple|gurdwara|mass)",
        ),
        # other special categories
        ("ethnic", "special_category", r"(?:racial\s+or\s+)?ethnic\s+(?:origin|background)"),
        (
            "union",
            "special_category",
            r"(?:member\s+of\s+the\s+(?:\w+\s+){0,3}union|union\s+member(?:ship)?|joined\s+the\s+(?:\w+\s+){0,2}union)",
        ),
        ("political", "special_category", r"political\s+(?:views|opinions?|affiliation|beliefs)"),
        ("votes", "special_category", r"votes\s+for\s+the"),
        ("immigration", "special_category", r"immigration\s+status"),
        # immigration status in other words (issue 19): the person's own visa, permit, asylum, deportation
        (
            "undocumented",
            "special_category",
            r"(?:is|was|are|were|been|being|as|an)\s+(?:an\s+)?undocumented(?!\s+(?:code|feature|api|behaviou?r))",
        ),
        ("overstayed", "special_category", r"overstayed\s+(?:his|her|their|my|a|the)\s+(?:\w+\s+)?visa"),
        (
            "asylum",
            "special_category",
            r"(?:is|was|as|an)\s+(?:an\s+)?asylum[\s\-]seeker|(?:applied|applying|claimed|claiming|was\s+granted|"
            r"was\s+denied|was\s+refused)\s+(?:for\s+)?asylum",
        ),
        (
            "deportation",
            "special_category",
            r"(?:received|served\s+with|faces|facing|under|got)\s+(?:a\s+|an\s+)?deportation\s+order|"
            r"(?:faces|facing)\s+deportation",
        ),
        ("deported", "special_category", r"(?:was|been|being|is|be|were|got)\s+deported"),
    )
)
_GATES = frozenset().union(*(gates for gates, _, _ in _STATEMENTS))
# Statements about the person's own status, counted only after a possessive ("his visa expired",
# "Jorge Silva's residence permit expired"): "the visa expired" on a card statement is not one.
_OWN_STATUS: tuple[tuple[bytes, re.Pattern[str]], ...] = tuple(
    (gate.encode(), re.compile(pattern))
    for gate, pattern in (
        (
            "visa",
            r"visa\s+(?:has\s+)?(?:expired|lapsed|ran\s+out|was\s+(?:revoked|refused|denied|cancell?ed))|visa\s+(?:status|overstay)",
        ),
        (
            "permit",
            r"(?:residence|residency|work)\s+permit\s+(?:has\s+)?(?:expired|expires|lapsed|ran\s+out|was\s+(?:revoked|refused|denied|cancell?ed)|status)",
        ),
        ("asylum", r"asylum\s+(?:claim|application|case|hearing|request)"),
        ("deportation", r"deportation(?:\s+(?:order|hearing|case))?"),
    )
)
_OWN_GATES = frozenset(gate for gate, _ in _OWN_STATUS)


class SpecialCategoryDetector:
    """Criminal, sexual-orientation, religious and other special-category statements about a person."""

    def find(self, doc: Doc) -> list[Finding]:
        present = doc.words & _GATES
        found: list[Finding] = []
        for gates, kind, pattern in _STATEMENTS if present else ():
            if not gates.isdisjoint(present):
                for m in pattern.finditer(doc.lower):
                    found.append(
                        Finding(
                            kind, m.start(), m.end(), needs_person=not named_subject(doc, m.start(), m.end())
                        )
                    )
        for gate, pattern in _OWN_STATUS if not _OWN_GATES.isdisjoint(doc.words) else ():
            if gate in doc.words:
                for m in pattern.finditer(doc.lower):
                    if possessed(doc, m.start()):
                        needs_person = not named_subject(doc, m.start(), m.end())
                        found.append(
                            Finding("special_category", m.start(), m.end(), needs_person=needs_person)
                        )
        return found
