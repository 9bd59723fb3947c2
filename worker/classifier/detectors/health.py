"""Health information: medical record and health insurance numbers, and a person together with a
diagnosis, treatment or medication.

A clinical statement ("diagnosed with", "prescribed", "on sick leave") is a candidate that only counts
with a person nearby: a name, or a reference such as "the patient", "my doctor", "she was". Health
vocabulary in general prose ("our diabetes research programme") is not reported.
"""

from __future__ import annotations

import re

from worker.classifier.detectors import checksums
from worker.classifier.detectors.base import Doc, Finding, near, wordset, words_re

_MRN_GATE = wordset("mrn", "medical", "patient", "chart", "hospital", "mr", "record")
_MRN = re.compile(
    r"(?:\bmrn|medical\s+record\s*(?:number|no\.?|#)?|patient\s+(?:id|number|no\.?|#)|chart\s+(?:number|no\.?|#)|"
    r"hospital\s+(?:number|no\.?)|\bmr\s*#)\s*[:#]?\s*([a-z]{0,4}[\-]?[0-9][0-9\-]{3,14})(?![0-9a-z])"
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

_CONDITIONS = (
    r"(?:cancer|(?:type\s+[12]\s+)?diabetes|hiv|aids|depression|anxiety(?:\s+disorder)?|asthma|epilepsy|dementia|"
    r"alzheimer'?s|parkinson'?s|schizophrenia|bipolar(?:\s+disorder)?|ptsd|adhd|autism|hepatitis\s*[abc]?|"
    r"tuberculosis|covid(?:-19)?|leuka?emia|lymphoma|melanoma|multiple\s+sclerosis|copd|hypertension|"
    r"heart\s+(?:disease|failure|condition)|a\s+heart\s+attack|a\s+stroke|kidney\s+disease|cirrhosis|"
    r"(?:rheumatoid\s+)?arthritis|lupus|crohn'?s|celiac|anorexia|bulimia|an?\s+eating\s+disorder|"
    r"(?:alcohol|drug|substance|opioid)\s+(?:use\s+disorder|addiction|dependence)|alcoholism|a\s+tumou?r|"
    r"a\s+concussion|a\s+seizure|a\s+miscarriage|long\s+covid|burnout|insomnia|migraines?|"
    r"an?\s+(?:mental\s+health\s+condition|chronic\s+illness|disability))"
)
_CLINICAL_GATE = wordset(
    "diagnosed",
    "diagnosis",
    "diagnoses",
    "treated",
    "treatment",
    "suffers",
    "suffering",
    "suffered",
    "prescribed",
    "prescription",
    "undergoing",
    "undergoes",
    "recovering",
    "admitted",
    "hospitalized",
    "hospitalised",
    "tested",
    "history",
    "symptoms",
    "living",
    "leave",
    "medication",
    "medications",
    "allergies",
    "allergic",
    "prognosis",
    "icd",
    "chemotherapy",
    "chemo",
    "dialysis",
    "insulin",
    "pregnant",
    "pregnancy",
    "has",
    "had",
    "have",
    "diagnostiziert",
    "diagnose",
    "krankgeschrieben",
    "arbeitsunfähig",
    "erkrankt",
    "leidet",
    "diagnostiqué",
    "diagnostiquée",
    "atteint",
    "atteinte",
    "traité",
    "traitée",
    "diagnosticado",
    "diagnosticada",
    "padece",
    "therapy",
    "surgery",
    "operated",
    "biopsy",
    "relapse",
)
_CLINICAL = re.compile(
    r"diagnos(?:ed|is|es)\s+(?:with|of|:)|diagnosis\s*:|treated\s+for|treatment\s+for|suffer(?:s|ing|ed)?\s+from|"
    r"prescribed\s+\w+|undergo(?:ing|es)?\s+(?:chemo|chemotherapy|surgery|dialysis|treatment|therapy|radiation|"
    r"rehab)|recovering\s+from|admitted\s+(?:to\s+(?:hospital|the\s+icu|a\s+psychiatric)|for)|hospitali[sz]ed|"
    r"tested\s+positive\s+for|(?:medical\s+)?history\s+of\s+"
    + _CONDITIONS
    + r"|symptoms\s+of|living\s+with\s+"
    + _CONDITIONS
    + r"|on\s+(?:sick|medical|disability|maternity|stress)\s+leave|sick\s+leave|medical\s+leave|"
    r"taking\s+(?:medication|insulin|antidepressants|\w+\s+\d+\s*mg)|\d+\s*mg\s+(?:daily|twice|once|bid|tid)|"
    r"(?:started|began|starts|completed)\s+(?:chemo|chemotherapy|dialysis|radiotherapy|treatment|therapy|rehab)|"
    r"(?:has|had|have|with)\s+(?:been\s+)?(?:diagnosed\s+with\s+)?" + _CONDITIONS + r"|"
    r"(?:is|was)\s+pregnant|allergic\s+to|allergies\s*:|medications?\s*:|prognosis|icd-?10\s*[:#]?\s*[a-z][0-9]{2}|"
    r"diagnostiziert|diagnose\s*:|krankgeschrieben|arbeitsunf[äa]hig|erkrankt\s+an|leidet\s+an|"
    r"diagnostiqu[ée]e?\s+(?:avec|d')|atteinte?\s+d[e']\s*\w+|trait[ée]e?\s+pour|diagnosticad[oa]\s+con|padece"
)


class HealthDetector:
    """Health identifiers (labelled or checksummed) and clinical statements needing a person nearby."""

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        lower = doc.lower
        if doc.has(_MRN_GATE):
            found.extend(Finding("medical_record_number", m.start(1), m.end(1)) for m in _MRN.finditer(lower))
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
        if doc.has(_CLINICAL_GATE):
            found.extend(
                Finding("health_condition", m.start(), m.end(), needs_person=True)
                for m in _CLINICAL.finditer(lower)
            )
        return found
