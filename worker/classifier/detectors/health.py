"""Health information: medical record and health insurance numbers, and a person together with a
diagnosis, treatment or medication.

A clinical statement ("diagnosed with", "prescribed", "on sick leave") is a candidate that only counts
with a person nearby: a name, or a reference such as "the patient", "my doctor", "she was". Health
vocabulary in general prose ("our diabetes research programme") is not reported.
"""

from __future__ import annotations

import re

from worker.classifier.detectors import checksums
from worker.classifier.detectors.base import Doc, Finding, near, words_re, wordset
from worker.classifier.detectors.persons import named_subject

_MRN_VALUE = r"\s*[:#]?\s*([a-z]{0,4}[\-]?[0-9][0-9\-]{3,14})(?![0-9a-z])"
_MRN: tuple[tuple[bytes, re.Pattern[str]], ...] = tuple(
    (gate.encode(), re.compile(label + _MRN_VALUE))
    for gate, label in (
        ("mrn", r"mrn"),
        ("medical", r"medical\s+record\s*(?:number|no\.?|#)?"),
        ("patient", r"patient\s+(?:id|number|no\.?|#)"),
        ("chart", r"chart\s+(?:number|no\.?|#)"),
        ("hospital", r"hospital\s+(?:number|no\.?)"),
        ("mr", r"mr\s*#"),
    )
)
_NHS_GATE = wordset("nhs")
_NHS = re.compile(
    r"nhs\s*(?:number|no\.?|#)?\s*(?:is\s*)?[:#]?\s*([0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{4})(?![0-9])"
)
_MBI_GATE = wordset("medicare", "mbi", "beneficiary", "cms")
_MBI = re.compile(
    r"(?<![0-9a-z])[1-9][ac-hjkmnp-rt-y][ac-hjkmnp-rt-y0-9][0-9]-?[ac-hjkmnp-rt-y][ac-hjkmnp-rt-y0-9][0-9]-?"
    r"[ac-hjkmnp-rt-y]{2}[0-9]{2}(?![0-9a-z])"
)
_KVNR_GATE = wordset(
    "krankenkasse",
    "kvnr",
    "versichertennummer",
    "krankenversicherung",
    "egk",
    "versicherten",
    "gesundheitskarte",
    "versichertenkarte",
    "krankenversichertennummer",
    "nummer",
)
_KVNR = re.compile(r"(?<![0-9a-z])[a-z][0-9]{9}(?![0-9a-z])")
_MEMBER_GATE = wordset("member", "subscriber", "policy", "insurance", "insured")
_MEMBER = re.compile(
    r"(?:member|subscriber|policy|insurance|insured)\s*(?:id|number|no\.?|#)\s*[:#]?\s*([a-z0-9][a-z0-9\-]{5,15})"
    r"(?![a-z0-9])"
)
_HEALTH_CONTEXT = words_re(
    r"health",
    r"medical",
    r"dental",
    r"vision",
    r"medicaid",
    r"medicare",
    r"bcbs",
    r"blue cross",
    r"aetna",
    r"cigna",
    r"humana",
    r"unitedhealthcare",
    r"kaiser",
    r"hmo",
    r"ppo",
    r"copay",
    r"deductible",
    r"krankenkasse",
    r"mutuelle",
    r"nhs",
    r"hospital",
    r"clinic",
    r"patient",
)

# Condition words that, after "has", "had", "with", "living with" or "history of", make a clinical
# statement ("she has epilepsy"); gated per word, checked against the text just before.
_CONDITION_WORDS = wordset(
    "cancer",
    "diabetes",
    "hiv",
    "aids",
    "depression",
    "anxiety",
    "asthma",
    "epilepsy",
    "dementia",
    "alzheimer",
    "parkinson",
    "schizophrenia",
    "bipolar",
    "ptsd",
    "adhd",
    "autism",
    "hepatitis",
    "tuberculosis",
    "covid",
    "leukemia",
    "leukaemia",
    "lymphoma",
    "melanoma",
    "sclerosis",
    "copd",
    "hypertension",
    "heart",
    "stroke",
    "kidney",
    "cirrhosis",
    "arthritis",
    "lupus",
    "crohn",
    "celiac",
    "anorexia",
    "bulimia",
    "eating",
    "addiction",
    "alcoholism",
    "dependence",
    "tumor",
    "tumour",
    "concussion",
    "seizure",
    "miscarriage",
    "burnout",
    "insomnia",
    "migraine",
    "migraines",
    "disability",
    "illness",
)
_CONDITION_LEAD = re.compile(
    r"(?:(?:has|had|have|having)\s+(?:been\s+)?(?:diagnosed\s+with\s+)?|"
    r"(?:living|diagnosed|patient|man|woman|child|employee|someone)\s+with\s+|history\s+of\s+|"
    # "has an education plan for autism", "adjustments for epilepsy": support arranged for a condition
    r"(?:plan|support|adjustments?|accommodations?|care|treatment)\s+for\s+)"
    # Modifiers between the lead and the condition: "has stage 3 pancreatic cancer", "with early-onset
    # Alzheimer", "history of major depression".
    r"(?:(?:a|an|chronic|severe|stage\s+[0-4ivx]+[abc]?|grade\s+[0-4]|advanced|early|late|early-onset|"
    r"metastatic|terminal|aggressive|inoperable|recurrent|mild|moderate|major|acute|clinical|postpartum|"
    r"generali[sz]ed|breast|lung|prostate|colon|skin|brain|liver|bladder|blood|bone|[a-z]{3,}(?:ic|al|ar))\s+){0,4}$"
)
_CONDITION_START = re.compile(
    r"(?:type\s+[12]\s+)?(?:cancer|diabetes|hiv|aids|depression|anxiety|asthma|epilepsy|dementia|alzheimer|"
    r"parkinson|schizophrenia|bipolar|ptsd|adhd|autism|hepatitis|tuberculosis|covid|leuka?emia|lymphoma|"
    r"melanoma|multiple\s+sclerosis|copd|hypertension|heart\s+(?:disease|failure|condition|attack)|stroke|"
    r"kidney\s+disease|cirrhosis|(?:rheumatoid\s+)?arthritis|lupus|crohn|celiac|anorexia|bulimia|"
    r"eating\s+disorder|(?:alcohol|drug|substance|opioid)\s+(?:use\s+disorder|addiction|dependence)|"
    r"alcoholism|tumou?r|concussion|seizure|miscarriage|burnout|insomnia|migraines?|disability|"
    r"(?:mental\s+health\s+condition|chronic\s+illness))\b"
)
_COND_FIRST = {
    w.encode(): re.compile(w)
    for w in (
        "type",
        "cancer",
        "diabetes",
        "hiv",
        "aids",
        "depression",
        "anxiety",
        "asthma",
        "epilepsy",
        "dementia",
        "alzheimer",
        "parkinson",
        "schizophrenia",
        "bipolar",
        "ptsd",
        "adhd",
        "autism",
        "hepatitis",
        "tuberculosis",
        "covid",
        "leukemia",
        "leukaemia",
        "lymphoma",
        "melanoma",
        "multiple",
        "copd",
        "hypertension",
        "heart",
        "stroke",
        "kidney",
        "cirrhosis",
        "rheumatoid",
        "arthritis",
        "lupus",
        "crohn",
        "celiac",
        "anorexia",
        "bulimia",
        "eating",
        "alcohol",
        "drug",
        "substance",
        "opioid",
        "alcoholism",
        "tumor",
        "tumour",
        "concussion",
        "seizure",
        "miscarriage",
        "burnout",
        "insomnia",
        "migraine",
        "disability",
        "mental",
        "chronic",
    )
}
_COND_GATES = frozenset(_COND_FIRST)
_TREATMENTS = r"(?:chemo|chemotherapy|surgery|dialysis|treatment|therapy|radiation|radiotherapy|rehab)"
# Clinical statements, each led by its gate word (a literal) so the scan is cheap.
_CLINICAL: tuple[tuple[bytes, re.Pattern[str]], ...] = tuple(
    (gate.encode(), re.compile(pattern))
    for gate, pattern in (
        ("diagnosed", r"diagnosed\s+(?:with|of|as)"),
        ("diagnosis", r"diagnosis\s*(?:of|:)"),
        ("diagnoses", r"diagnoses\s*(?:of|:)"),
        ("treated", r"treated\s+for"),
        ("treatment", r"treatment\s+for"),
        ("suffers", r"suffers\s+from"),
        ("suffering", r"suffering\s+from"),
        ("suffered", r"suffered\s+(?:from|a)"),
        ("prescribed", r"prescribed\s+\w+"),
        ("undergoing", r"undergoing\s+" + _TREATMENTS),
        ("undergoes", r"undergoes\s+" + _TREATMENTS),
        ("recovering", r"recovering\s+from"),
        (
            "admitted",
            r"admitted\s+(?:to\s+(?:(?:the|a)\s+)?(?:hospital|icu|psychiatric|mental\s+health|inpatient|intensive|"
            r"cardiac|stroke|oncology|maternity|detox)|for\s+(?:surgery|treatment|observation))",
        ),
        ("hospitalized", r"hospitalized"),
        ("hospitalised", r"hospitalised"),
        ("tested", r"tested\s+positive\s+for"),
        ("tested", r"tested\s+(?:hiv|hepatitis\s+[bc]|hcv|hbv)[\s\-]?positive"),
        ("hiv", r"hiv[\s\-]?(?:positive|\+|status|diagnosis)"),
        ("seropositive", r"seropositive"),
        ("positive", r"positive\s+(?:for\s+|)(?:hiv|hepatitis|hcv|hbv)\b"),
        ("sick", r"sick\s+(?:leave|note)"),
        ("medical", r"medical\s+leave"),
        ("disability", r"disability\s+leave"),
        ("maternity", r"maternity\s+leave"),
        ("stress", r"stress\s+leave"),
        ("taking", r"taking\s+(?:medication|insulin|antidepressants|\w+\s+\d+\s*mg)"),
        ("mg", r"mg\s+(?:daily|twice|once|bid|tid|at\s+night)"),
        ("started", r"started\s+" + _TREATMENTS),
        ("began", r"began\s+" + _TREATMENTS),
        ("completed", r"completed\s+" + _TREATMENTS),
        ("pregnant", r"pregnant"),
        ("allergic", r"allergic\s+to"),
        ("allergies", r"allergies\s*:"),
        ("medication", r"medication\s*:"),
        ("medications", r"medications\s*:"),
        ("prognosis", r"prognosis"),
        ("icd", r"icd-?10\s*[:#]?\s*[a-z][0-9]{2}"),
        ("diagnostiziert", r"diagnostiziert"),
        ("diagnose", r"diagnose\s*:"),
        ("krankgeschrieben", r"krankgeschrieben"),
        # Dutch, Polish, Scandinavian sick-leave and diagnosis phrases
        ("ziek", r"ziek\s*gemeld|ziek\s+thuis"),
        ("ziekgemeld", r"ziekgemeld"),
        ("arbeidsongeschikt", r"arbeidsongeschikt"),
        ("gediagnosticeerd", r"gediagnosticeerd\s+met"),
        ("zdiagnozowano", r"zdiagnozowano"),
        ("zwolnieniu", r"na\s+zwolnieniu\s+lekarskim"),
        ("sjukskriven", r"sjukskriven"),
        ("sygemeldt", r"sygemeldt"),
        ("sykmeldt", r"sykmeldt"),
        ("diagnosticeret", r"diagnosticeret\s+med"),
        ("arbeitsunfähig", r"arbeitsunfähig"),
        ("erkrankt", r"erkrankt\s+an"),
        ("leidet", r"leidet\s+an"),
        ("diagnostiqué", r"diagnostiqué\s+(?:avec|d')"),
        ("diagnostiquée", r"diagnostiquée\s+(?:avec|d')"),
        ("atteint", r"atteint\s+d[e']"),
        ("atteinte", r"atteinte\s+d[e']"),
        ("traité", r"traité\s+pour"),
        ("traitée", r"traitée\s+pour"),
        ("diagnosticado", r"diagnosticado\s+con"),
        ("diagnosticada", r"diagnosticada\s+con"),
        ("padece", r"padece"),
    )
)


_CLINICAL_GATES = frozenset(gate for gate, _ in _CLINICAL)


class HealthDetector:
    """Health identifiers (labelled or checksummed) and clinical statements needing a person nearby."""

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        lower = doc.lower
        for gate, pattern in _MRN:
            if gate in doc.words:
                for m in pattern.finditer(lower):
                    if m.start() == 0 or not lower[m.start() - 1].isalpha():
                        found.append(Finding("medical_record_number", m.start(1), m.end(1)))
        if doc.has(_NHS_GATE):
            for m in _NHS.finditer(lower):
                if checksums.gb_nhs(re.sub(r"[ \-]", "", m.group(1))):
                    found.append(Finding("health_insurance_id", m.start(1), m.end(1)))
        if doc.has(_MBI_GATE):
            found.extend(Finding("health_insurance_id", m.start(), m.end()) for m in _MBI.finditer(lower))
        if doc.has(_KVNR_GATE):
            for m in _KVNR.finditer(lower):
                if checksums.de_kvnr(m.group().upper()):
                    found.append(Finding("health_insurance_id", m.start(), m.end()))
        if doc.has(_MEMBER_GATE):
            for m in _MEMBER.finditer(lower):
                digits = sum(c.isdigit() for c in m.group(1))
                if digits >= 4 and _HEALTH_CONTEXT.search(near(doc, m.start(), m.end(), 150)):
                    found.append(Finding("health_insurance_id", m.start(1), m.end(1)))
        spans = list[tuple[int, int]]()
        present = doc.words & _CLINICAL_GATES
        for gate, pattern in _CLINICAL if present else ():
            if gate in present:
                spans.extend(m.span() for m in pattern.finditer(lower))
        present = doc.words & _COND_GATES
        for word, pattern in _COND_FIRST.items() if present else ():
            if word in present:
                for m in pattern.finditer(lower):
                    condition = _CONDITION_START.match(lower, m.start())
                    lead = (
                        _CONDITION_LEAD.search(lower, max(0, m.start() - 90), m.start())
                        if condition
                        else None
                    )
                    if condition and lead and (m.start() == 0 or not lower[m.start() - 1].isalpha()):
                        spans.append((lead.start(), condition.end()))
        for start, end in spans:
            found.append(
                Finding("health_condition", start, end, needs_person=not named_subject(doc, start, end))
            )
        return found
