"""Confidentiality markers in the languages of the EU (and its neighbours) beyond the five markers.py
covers by hand: Dutch, Polish, Czech, Slovak, Swedish, Danish, Norwegian, Finnish, Estonian, Latvian,
Lithuanian, Hungarian, Romanian, Bulgarian, Greek, Croatian, Slovenian, Maltese, Irish, Icelandic,
Catalan, plus the German/French/Italian/Spanish/Portuguese "strictly"/"internal use" forms.

What counts mirrors markers.py: a "strictly confidential" or "internal use only" phrase anywhere; the bare
word for "confidential" only as a banner line, a "Word:" label, or in capitals.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, word_forms

# The bare word for "confidential" (or "secret"/"restricted"), per language, lower case.
_WORDS: dict[str, str] = {
    "vertrouwelijk": "marker:confidential",  # nl
    # Romance bare classification words, as banners only ("06/03/2024 | RISERVATO | 1/1").
    "riservato": "marker:confidential",  # it
    "reservado": "marker:confidential",  # es, pt
    "geheim": "marker:restricted",  # nl, de
    "poufne": "marker:confidential",  # pl
    "poufny": "marker:confidential",
    "tajne": "marker:restricted",
    "důvěrné": "marker:confidential",  # cs
    "tajné": "marker:restricted",
    "dôverné": "marker:confidential",  # sk
    "konfidentiellt": "marker:confidential",  # sv
    "konfidentiell": "marker:confidential",
    "hemlig": "marker:restricted",
    "hemligt": "marker:restricted",
    "fortroligt": "marker:confidential",  # da
    "fortrolig": "marker:confidential",  # da, no
    "konfidensielt": "marker:confidential",  # no
    "luottamuksellinen": "marker:confidential",  # fi
    "salainen": "marker:restricted",
    "konfidentsiaalne": "marker:confidential",  # et
    "konfidenciāli": "marker:confidential",  # lv
    "konfidenciāls": "marker:confidential",
    "konfidencialu": "marker:confidential",  # lt
    "konfidencialus": "marker:confidential",
    "bizalmas": "marker:confidential",  # hu
    "confidențial": "marker:confidential",  # ro
    "confidenţial": "marker:confidential",
    "поверително": "marker:confidential",  # bg
    "εμπιστευτικό": "marker:confidential",  # el
    "εμπιστευτικο": "marker:confidential",  # el, in capitals (no tonos) then lower-cased
    "απόρρητο": "marker:restricted",
    "povjerljivo": "marker:confidential",  # hr
    "poverljivo": "marker:confidential",  # sr (Latin), bs
    "поверљиво": "marker:confidential",  # sr (Cyrillic)
    "доверливо": "marker:confidential",  # mk
    "vertroulik": "marker:confidential",  # af
    "құпия": "marker:confidential",  # kk
    "нууц": "marker:confidential",  # mn
    "zaupno": "marker:confidential",  # sl
    "kunfidenzjali": "marker:confidential",  # mt
    "rúnda": "marker:confidential",  # ga
    "trúnaðarmál": "marker:confidential",  # is
    "confidencial": "marker:confidential",  # ca, es, pt
    "confidenziale": "marker:confidential",  # it
    "riservata": "marker:confidential",
    "vertraulich": "marker:confidential",
    "confidentiel": "marker:confidential",
    "confidentielle": "marker:confidential",
}
# Phrases that are markers wherever they stand: "strictly confidential", "for internal use only".
# (gate words, pattern, kind): the pattern runs only when a gate word (a whole word of it) occurs.
_PHRASES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("vertrouwelijk",), r"(?:strikt|zeer)\s+vertrouwelijk", "marker:confidential"),
    (("vertroulik",), r"(?:streng|hoogs)\s+vertroulik", "marker:confidential"),  # af
    (("gebruik",), r"vir\s+interne\s+gebruik", "marker:internal_only"),  # af
    (("gebruik",), r"voor\s+intern\s+gebruik", "marker:internal_only"),
    (("ściśle",), r"ściśle\s+(?:poufne|tajne)", "marker:confidential"),
    (("wewnętrznego",), r"do\s+użytku\s+wewnętrznego", "marker:internal_only"),
    (("přísně",), r"přísně\s+(?:důvěrné|tajné)", "marker:confidential"),
    (("interní",), r"pro\s+interní\s+(?:použití|potřebu)|interní\s+dokument", "marker:internal_only"),
    (("prísne",), r"prísne\s+dôverné", "marker:confidential"),
    (("interné",), r"pre\s+interné\s+použitie", "marker:internal_only"),
    (("strikt", "strängt"), r"(?:strikt|strängt)\s+konfidentiellt?", "marker:confidential"),
    (("internt",), r"för\s+internt\s+bruk|til\s+internt\s+bruk|for\s+internt\s+bruk", "marker:internal_only"),
    (("strengt",), r"strengt\s+(?:fortroligt?|konfidensielt)", "marker:confidential"),
    (("intern",), r"til\s+intern\s+brug", "marker:internal_only"),
    (("erittäin", "ehdottoman"), r"(?:erittäin|ehdottoman)\s+luottamuksellinen", "marker:confidential"),
    (("sisäiseen",), r"sisäiseen\s+käyttöön", "marker:internal_only"),
    (
        ("rangelt", "sisekasutuseks"),
        r"rangelt\s+konfidentsiaalne|ainult\s+sisekasutuseks",
        "marker:confidential",
    ),
    (
        ("stingri", "iekšējai"),
        r"stingri\s+konfidenciāli|tikai\s+iekšējai\s+lietošanai",
        "marker:confidential",
    ),
    (("griežtai", "vidaus"), r"griežtai\s+konfidencialu|tik\s+vidaus\s+naudojimui", "marker:confidential"),
    (("szigorúan", "belső"), r"szigorúan\s+bizalmas|belső\s+használatra", "marker:confidential"),
    (("strict", "intern"), r"strict\s+confiden[țţ]ial|doar\s+pentru\s+uz\s+intern", "marker:confidential"),
    (("строго", "вътрешно"), r"строго\s+поверително|само\s+за\s+вътрешно\s+ползване", "marker:confidential"),
    (("αυστηρά", "εσωτερική"), r"αυστηρά\s+εμπιστευτικό|για\s+εσωτερική\s+χρήση", "marker:confidential"),
    (
        ("strogo", "internu", "interno", "строго"),
        r"(?:strogo|строго)\s+(?:povjerljivo|poverljivo|zaupno|поверљиво)|samo\s+za\s+internu\s+upotrebu|samo\s+za\s+interno\s+uporabo",
        "marker:confidential",
    ),
    (
        ("strettamente", "interno"),
        r"strettamente\s+(?:riservato|confidenziale)|riservato\s+e\s+confidenziale|solo\s+per\s+uso\s+interno",
        "marker:confidential",
    ),
    (
        ("estrictamente", "estritamente", "interno"),
        r"(?:estrictamente|estritamente)\s+confidencial|s[óo]lo\s+para\s+uso\s+interno|apenas\s+para\s+uso\s+interno",
        "marker:confidential",
    ),
    (("restrito",), r"uso\s+restrito", "marker:confidential"),
    (
        ("strictement", "restreinte", "diffuser"),
        r"strictement\s+confidentiel(?:le)?|diffusion\s+restreinte|ne\s+pas\s+diffuser",
        "marker:confidential",
    ),
    (
        ("dienstgebrauch", "weitergabe", "behandeln"),
        r"nur\s+für\s+den\s+dienstgebrauch|nicht\s+zur\s+weitergabe|vertraulich\s+behandeln",
        "marker:confidential",
    ),
)
_COMPILED = tuple((frozenset(gates), re.compile(pattern), kind) for gates, pattern, kind in _PHRASES)
_PHRASE_GATES = frozenset(gate for gates, _, _ in _PHRASES for gate in gates)
_WORD_GATES = frozenset(_WORDS)
_WORD = {word: re.compile(rf"(?<!\w){word}(?!\w)") for word in _WORDS}
# A banner: the word alone on its line (with decoration), or as a "Word:" / "Word -" label.
_BANNER = re.compile(r"[\W_]*(?:\w+\s+)?$")
_LABEL_AFTER = re.compile(r"[\W_]*$|\s*[:\-–—|]")


class EuMarkerDetector:
    """Markers in the EU languages; see the module docstring for what counts."""

    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        present = _present(doc, _PHRASE_GATES)
        for gates, pattern, kind in _COMPILED if present else ():
            if not gates.isdisjoint(present):
                found.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(doc.lower))
        for word in _present(doc, _WORD_GATES):
            lower = doc.lower
            for m in _WORD[word].finditer(lower):
                if self._labels_the_document(lower, text, m.start(), m.end()):
                    found.append(Finding(_WORDS[word], m.start(), m.end()))
        return found

    @staticmethod
    def _labels_the_document(lower: str, text: str, start: int, end: int) -> bool:
        if text[start:end].isupper():
            return True
        line_start = lower.rfind("\n", 0, start) + 1
        line_end = lower.find("\n", end)
        rest = lower[end : line_end if line_end != -1 else len(lower)]
        alone = _BANNER.fullmatch(lower[line_start:start]) is not None and (
            rest.strip(" \t*#=_-[]()<>|.!") == "" or _LABEL_AFTER.match(rest) is not None
        )
        return alone


def _present(doc: Doc, words: frozenset[str]) -> set[str]:
    """Which of `words` occur in the document, in any case: one set intersection."""
    forms = _FORMS[words]
    return {forms[form] for form in doc.words & forms.keys()}


_FORMS = {
    words: {form: word for word in words for form in word_forms(word)}
    for words in (_PHRASE_GATES, _WORD_GATES)
}
