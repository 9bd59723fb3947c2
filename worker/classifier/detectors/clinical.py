"""Clinical detail about a person beyond a named diagnosis: medications being taken, lab values, and
the phrases of clinical notes (SOAP notes, therapy notes, hand-offs, claims with ICD-10 codes).

Like diagnoses (health.py), each is a candidate that counts only with a person nearby (a name, "the
patient", "she was") or a capitalised name as its subject; a drug name in a market report is not.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, possessed, wordset
from worker.classifier.detectors.persons import named_subject

# Generic and brand names of drugs whose use says something about a person's health (psychiatric,
# oncology, HIV, diabetes, addiction, ...), plus the drug classes people write instead.
_DRUGS = wordset(
    "antidepressant", "antidepressants", "antipsychotic", "antipsychotics", "antiretroviral",
    "antiretrovirals", "chemotherapy", "immunotherapy", "insulin", "opioids", "benzodiazepines",
    "sertraline", "fluoxetine", "escitalopram", "citalopram", "paroxetine", "venlafaxine", "duloxetine",
    "bupropion", "mirtazapine", "amitriptyline", "zoloft", "prozac", "lexapro", "paxil", "wellbutrin",
    "effexor", "cymbalta", "quetiapine", "olanzapine", "risperidone", "aripiprazole", "haloperidol",
    "clozapine", "seroquel", "abilify", "zyprexa", "lamotrigine", "levetiracetam", "valproate",
    "lithium", "methylphenidate", "ritalin", "adderall", "alprazolam", "xanax", "lorazepam", "diazepam",
    "clonazepam", "valium", "methadone", "buprenorphine", "suboxone", "naltrexone", "oxycodone",
    "morphine", "fentanyl", "pembrolizumab", "keytruda", "nivolumab", "opdivo", "trastuzumab",
    "herceptin", "rituximab", "tamoxifen", "letrozole", "anastrozole", "imatinib", "cisplatin",
    "carboplatin", "paclitaxel", "methotrexate", "adalimumab", "humira", "infliximab", "truvada",
    "biktarvy", "descovy", "dolutegravir", "tenofovir", "emtricitabine", "prep", "metformin",
    "semaglutide", "ozempic", "wegovy", "liraglutide", "empagliflozin", "warfarin", "apixaban",
    "levothyroxine", "prednisone", "prednisolone", "hydroxychloroquine", "donepezil", "memantine",
    "levodopa", "interferon", "epoetin", "finasteride", "estradiol", "testosterone", "mifepristone",
)  # fmt: skip
_DRUG = {word: re.compile(rf"(?<![a-z]){word.decode()}(?![a-z])") for word in _DRUGS}
# A drug counts when someone takes it: a lead before ("on", "taking", "prescribed", "started") or a dose
# after ("20 mg", "daily", "infusion", "cycle 3").
_TAKING_BEFORE = re.compile(
    r"(?:\bon|taking|takes|took|prescribed|start|started|starting|began|receiving|receives|received|given|"
    r"switched\s+to|continues?|continuing|dose\s+of|course\s+of|cycles?\s+of|increased|reduced|tapering|"
    r"nimmt|erhält|prend|toma|assume)\s+(?:(?:a|an|the|his|her|their|daily|low-dose|high-dose|oral|iv)\s+)*$"
)
_DOSE_AFTER = re.compile(
    r"\s*(?:\(?[a-z]*\)?\s*)?(?:[0-9]+(?:[.,][0-9]+)?\s*(?:mg|mcg|µg|g|ml|units|iu|mg/m2|mg/kg)\b|"
    r"(?:daily|twice|once|nightly|bid|tid|qd|prn|infusions?|injections?|cycle|regimen|therapy)\b)"
)
# Lab values: "HbA1c 8.2%", "CD4 count of 310", "viral load undetectable", "eGFR: 42".
_LABS = wordset(
    "hba1c", "a1c", "egfr", "ldl", "psa", "cd4", "viral", "inr", "tsh", "creatinine", "troponin",
    "ferritin", "hemoglobin", "haemoglobin", "glucose", "cholesterol", "bmi", "blood", "platelets",
    "potassium", "alt", "ast", "bilirubin", "hba",
)  # fmt: skip
_LAB = re.compile(
    r"(?<![a-z0-9])(?:hba1c|hb\s*a1c|a1c|e?gfr|ldl(?:-c)?|psa|cd4(?:\+)?(?:\s+(?:count|cells))?|viral\s+load|"
    r"inr|tsh|creatinine|troponin|ferritin|ha?emoglobin|(?:fasting\s+)?(?:blood\s+)?glucose|blood\s+sugar|"
    r"(?:total\s+)?cholesterol|bmi|blood\s+pressure|platelets?|potassium|alt|ast|bilirubin)"
    r"\s*(?:level|levels|result|reading|value)?\s*(?:of|was|is|at|=|:|came\s+back(?:\s+at)?|rose\s+to|fell\s+to)?\s*"
    r"(?:[<>≤≥~]\s*)?(?:[0-9]+(?:[.,][0-9]+)?(?:\s*/\s*[0-9]+)?|undetectable|detectable|elevated|high|low)"
)
# The phrases of clinical notes, hand-offs and therapy notes; each led by its gate word (a literal), so
# a document pays only for the gates it contains ("presented" is common in business prose).
_NARRATIVE: tuple[tuple[bytes, re.Pattern[str]], ...] = tuple(
    (gate.encode(), re.compile(pattern))
    for gate, pattern in (
        ("presents", r"presents\s+with"),
        ("presented", r"presented\s+with\s+(?!the\b|a\s+(?:plan|proposal|award|report))"),
        ("presenting", r"presenting\s+(?:with|complaint)"),
        ("complains", r"complains\s+of"),
        ("complaint", r"chief\s+complaint"),
        ("hpi", r"hpi\s*:"),
        ("dx", r"dx\s*:"),
        ("rx", r"rx\s*:"),
        ("assessment", r"assessment\s*(?:and|&|/)\s*plan"),
        ("discharged", r"discharged\s+(?:from\s+(?:hospital|the\s+ward|icu)|home\s+on)"),
        ("discharge", r"discharge\s+summary"),
        (
            "referred",
            r"referred\s+to\s+(?:oncology|psychiatry|cardiology|neurology|rheumatology|hepatology|"
            r"an?\s+(?:oncologist|psychiatrist|specialist)|the\s+memory\s+clinic)",
        ),
        ("therapy", r"therapy\s+session|in\s+therapy\s+for"),
        ("session", r"session\s+notes?|session\s+[0-9]+\s+with"),
        ("panic", r"panic\s+(?:attacks?|disorder)"),
        ("episode", r"(?:depressive|manic|psychotic)\s+episode"),
        ("psychosis", r"(?:first[\s\-]episode\s+|drug-induced\s+)?psychosis"),
        ("op", r"post-op(?:erative)?\s+day\s+[0-9]+"),
        ("postoperative", r"postoperative\s+day\s+[0-9]+"),
        ("ideation", r"suicidal\s+ideation"),
        ("harm", r"self[\s\-]harm"),
        ("relapse", r"relapse(?:d)?\s+(?:in|after|on)"),
        ("relapsed", r"relapsed"),
        ("overdose", r"(?:an?\s+|after\s+)overdose"),
        ("overdosed", r"overdosed"),
        ("biopsy", r"biopsy\s+(?:showed|confirmed|results?)"),
        ("scan", r"(?:mri|ct|pet)\s+scan\s+(?:showed|revealed|confirmed)"),
        ("therapist", r"sees\s+(?:a|her|his)\s+therapist"),
        ("psychiatrist", r"sees\s+(?:a|her|his)\s+psychiatrist"),
        ("oncologist", r"sees\s+(?:a|her|his)\s+oncologist"),
        ("detox", r"detox\s+(?:program|programme|clinic|centre|center|stay)"),
        ("rehab", r"rehab\s+(?:program|programme|clinic|centre|center|stay)"),
        ("vitals", r"vitals\s*:"),
        ("triaged", r"triaged\s+as"),
        ("chemo", r"chemo\s+(?:starts|started|begins|began|sessions?|rounds?|cycles?)"),
        ("dialysis", r"(?:is|was|on)\s+dialysis"),
    )
)
_NARRATIVE_GATES = frozenset(gate for gate, _ in _NARRATIVE)
# Treatment and specialists named indirectly, counted after a possessive (issue 19): "Sarah Kim's chemo
# starts Monday; her oncologist says her tumour has spread". "The tumour has spread" in a textbook is not.
_OWNED: tuple[tuple[bytes, re.Pattern[str]], ...] = tuple(
    (gate.encode(), re.compile(pattern))
    for gate, pattern in (
        ("chemo", r"chemo(?![a-z])"),
        ("chemotherapy", r"chemotherapy"),
        ("radiotherapy", r"radiotherapy"),
        ("dialysis", r"dialysis"),
        ("oncologist", r"oncologist"),
        ("psychiatrist", r"psychiatrist"),
        ("tumour", r"tumou?r\s+(?:has\s+)?(?:spread|grown|shrunk|returned|metastasi[sz]ed)"),
        ("tumor", r"tumou?r\s+(?:has\s+)?(?:spread|grown|shrunk|returned|metastasi[sz]ed)"),
        ("cancer", r"cancer\s+(?:has\s+)?(?:spread|returned|come\s+back|metastasi[sz]ed)"),
    )
)
_OWNED_GATES = frozenset(gate for gate, _ in _OWNED)
# ICD-10 codes ("E11.9", "F32.1", "C25.0") in a document that speaks of diagnoses or claims.
_ICD_GATES = wordset("icd", "icd10", "diagnosis", "diagnoses", "dx", "claim", "claims", "diagnosis_code")
_ICD = re.compile(r"(?<![A-Za-z0-9.])[A-TV-Z][0-9]{2}\.[0-9A-Z]{1,4}(?![A-Za-z0-9])")


class ClinicalDetector:
    """Medications taken, lab values and clinical-note phrases: candidates needing a person nearby."""

    def find(self, doc: Doc) -> list[Finding]:
        words = doc.words
        spans: list[tuple[str, int, int]] = []
        for word in words & _DRUGS:
            lower = doc.lower
            for m in _DRUG[word].finditer(lower):
                taking = _TAKING_BEFORE.search(lower, max(0, m.start() - 40), m.start())
                if taking or _DOSE_AFTER.match(lower, m.end()):
                    spans.append(("medication", taking.start() if taking else m.start(), m.end()))
        if doc.has(_LABS):
            lower = doc.lower
            spans.extend(("lab_result", m.start(), m.end()) for m in _LAB.finditer(lower))
        present = words & _NARRATIVE_GATES
        for gate, pattern in _NARRATIVE if present else ():
            if gate in present:
                spans.extend(("health_condition", m.start(), m.end()) for m in pattern.finditer(doc.lower))
        present = words & _OWNED_GATES
        for gate, pattern in _OWNED if present else ():
            if gate in present:
                spans.extend(
                    ("health_condition", m.start(), m.end())
                    for m in pattern.finditer(doc.lower)
                    if possessed(doc, m.start())
                )
        if not words.isdisjoint(_ICD_GATES):
            spans.extend(("health_condition", m.start(), m.end()) for m in _ICD.finditer(doc.text))
        return [
            Finding(kind, start, end, needs_person=not named_subject(doc, start, end))
            for kind, start, end in spans
        ]
