"""The peer suite: Presidio's own recognizer test cases (../shared/bench/presidio_cases.jsonl), replayed
through Turnout's classifier for the entity types Turnout covers.

A case agrees when Turnout reports one of the mapped kinds for a positive case, and none for a negative
one (document-level: the classifier reports kinds and counts, not spans). Only cases with the
recognizer's default configuration are used.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from worker.classifier import Classifier
from worker.schema import TaskKind, TaskSpec

REPO_ROOT = Path(__file__).resolve().parents[2]
# Beside the checkout (/work/main -> /work/shared) or beside a worktree's parent (/work/wt/NAME).
_CANDIDATES = [root / "shared" / "bench" / "presidio_cases.jsonl" for root in REPO_ROOT.parents[:2]]
CASES_PATH = next((path for path in _CANDIDATES if path.exists()), _CANDIDATES[0])

_NATIONAL = frozenset({"national_id", "tax_id"})
# Presidio entity type -> the Turnout kinds that mean the same thing.
COVERED: dict[str, frozenset[str]] = {
    "ABA_ROUTING_NUMBER": frozenset({"aba_routing"}),
    "CREDIT_CARD": frozenset({"credit_card"}),
    "EMAIL_ADDRESS": frozenset({"email_address", "email_address_role"}),
    "IBAN_CODE": frozenset({"iban"}),
    "IP_ADDRESS": frozenset({"ip_address", "ip_address_private", "ip_address_documentation"}),
    "PHONE_NUMBER": frozenset({"phone_number"}),
    "UK_NINO": frozenset({"uk_nino"}),
    "US_SSN": frozenset({"us_ssn"}),
    "US_ITIN": frozenset({"us_itin"}),
    "US_PASSPORT": frozenset({"passport_number"}),
    "UK_PASSPORT": frozenset({"passport_number"}),
    "DE_PASSPORT": frozenset({"passport_number"}),
    "US_BANK_NUMBER": frozenset({"bank_account"}),
    "UK_NHS": frozenset({"health_insurance_id"}),
    "US_MBI": frozenset({"health_insurance_id"}),
    "DE_HEALTH_INSURANCE": frozenset({"health_insurance_id"}),
    "US_DRIVER_LICENSE": frozenset({"driver_license"}),
    "UK_DRIVING_LICENCE": frozenset({"driver_license"}),
    "ES_NIF": _NATIONAL,
    "ES_NIE": _NATIONAL,
    "FI_PERSONAL_IDENTITY_CODE": _NATIONAL,
    "IN_AADHAAR": _NATIONAL,
    "KR_RRN": _NATIONAL,
    "SE_PERSONNUMMER": _NATIONAL,
    "SG_NRIC_FIN": _NATIONAL,
    "TR_NATIONAL_ID": _NATIONAL,
    "PL_PESEL": _NATIONAL,
    "CA_SIN": _NATIONAL,
    "IT_FISCAL_CODE": _NATIONAL,
    "DE_TAX_ID": _NATIONAL,
    "IN_PAN": _NATIONAL,
}


@dataclass
class TypeScore:
    positives: int = 0
    positives_agreed: int = 0
    negatives: int = 0
    negatives_agreed: int = 0

    @property
    def cases(self) -> int:
        return self.positives + self.negatives

    @property
    def agreement(self) -> float:
        return (self.positives_agreed + self.negatives_agreed) / self.cases if self.cases else 1.0


def load_cases(path: Path = CASES_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def replay(classifier: Classifier, cases: list[dict]) -> dict[str, TypeScore]:
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    scores: dict[str, TypeScore] = defaultdict(TypeScore)
    for case in cases:
        kinds = COVERED.get(case["entity_type"])
        if kinds is None or case.get("recognizer_kwargs"):
            continue
        found = bool(kinds & set(classifier.classify(case["text"], task=task).findings))
        score = scores[case["entity_type"]]
        if case["expected_count"] > 0:
            score.positives += 1
            score.positives_agreed += found
        else:
            score.negatives += 1
            score.negatives_agreed += not found
    return dict(scores)


def table(scores: dict[str, TypeScore]) -> str:
    lines = [f"{'presidio type':28s} {'cases':>5s} {'agree':>7s} {'pos found':>10s} {'neg clean':>10s}"]
    for name, s in sorted(scores.items()):
        pos = f"{s.positives_agreed}/{s.positives}"
        neg = f"{s.negatives_agreed}/{s.negatives}"
        lines.append(f"{name:28s} {s.cases:5d} {s.agreement:7.1%} {pos:>10s} {neg:>10s}")
    total = sum(s.positives_agreed + s.negatives_agreed for s in scores.values())
    count = sum(s.cases for s in scores.values())
    lines.append(f"{'all covered types':28s} {count:5d} {total / max(count, 1):7.1%}")
    return "\n".join(lines)
