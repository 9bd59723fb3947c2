"""Peer suite: Presidio's recognizer test cases, replayed for the entity types Turnout covers.

The cases live outside the repository (../shared/bench/presidio_cases.jsonl); the suite is skipped,
with the reason, where that file is absent. Agreement is document-level; floors are per type.
Deliberate differences (documented in docs/classifier.md): Turnout ignores loopback, unspecified,
multicast and broadcast IPs; bare 9-10 digit numbers (US/UK passports, SIN, NHS, MBI, bank numbers,
ABA without a dash) only count next to their label; check digits are verified where they exist.
"""

from __future__ import annotations

import pytest

from tests.eval.peer import CASES_PATH, TypeScore, load_cases, replay, table
from worker.classifier import Classifier

# Floors on document-level agreement, per Presidio type Turnout claims to cover.
FLOORS = {
    "CREDIT_CARD": 1.0,
    "EMAIL_ADDRESS": 1.0,
    "IBAN_CODE": 1.0,
    "UK_NINO": 1.0,
    "ES_NIF": 1.0,
    "ES_NIE": 1.0,
    "TR_NATIONAL_ID": 1.0,
    "PHONE_NUMBER": 1.0,
    "FI_PERSONAL_IDENTITY_CODE": 0.9,
    "UK_DRIVING_LICENCE": 0.9,
    "SE_PERSONNUMMER": 0.85,
    "US_SSN": 0.8,
    "IP_ADDRESS": 0.8,
    "DE_TAX_ID": 0.8,
    "KR_RRN": 0.75,
    "US_ITIN": 0.7,
    "IN_AADHAAR": 0.65,
}
OVERALL_FLOOR = 0.85


@pytest.fixture(scope="module")
def scores() -> dict[str, TypeScore]:
    if not CASES_PATH.exists():
        pytest.skip(f"peer suite not available: {CASES_PATH} is absent")
    result = replay(Classifier(), load_cases(CASES_PATH))
    print("\nPresidio peer suite (document-level agreement)\n" + table(result))
    return result


@pytest.mark.parametrize("entity_type", sorted(FLOORS))
def test_agreement_meets_floor(scores: dict[str, TypeScore], entity_type: str) -> None:
    assert scores[entity_type].agreement >= FLOORS[entity_type]


def test_no_false_alarms_on_presidio_negatives_for_checksummed_types(scores: dict[str, TypeScore]) -> None:
    """Near-misses (bad checksum, wrong length) must stay clean for the types with check digits."""
    for entity_type in (
        "CREDIT_CARD",
        "IBAN_CODE",
        "ES_NIF",
        "ES_NIE",
        "TR_NATIONAL_ID",
        "US_SSN",
        "UK_NINO",
    ):
        score = scores[entity_type]
        assert score.negatives_agreed == score.negatives, entity_type


def test_overall_agreement_meets_floor(scores: dict[str, TypeScore]) -> None:
    agreed = sum(s.positives_agreed + s.negatives_agreed for s in scores.values())
    assert agreed / sum(s.cases for s in scores.values()) >= OVERALL_FLOOR
