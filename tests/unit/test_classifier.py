"""The classifier's public contract: levels, reasons, metadata, determinism, config."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from worker.classifier import CLASSIFIER_VERSION, Classifier, ClassifierConfig
from worker.classifier.kinds import default_levels
from worker.schema import Complexity, Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
CARD = "4111 1111 1111 1111"


def classify(classifier: Classifier, text: str, **kwargs: object) -> Tags:
    return classifier.classify(text, task=SUMMARIZE, **kwargs)  # type: ignore[arg-type]


def test_plain_business_text_is_public(classifier: Classifier) -> None:
    """Ordinary prose with no identifiers stays public and reports no findings."""
    tags = classify(classifier, "The Q3 roadmap moves the launch to October; marketing owns the copy.")
    assert tags.sensitivity is Sensitivity.PUBLIC
    assert tags.findings == {}


def test_email_makes_a_document_confidential(classifier: Classifier) -> None:
    tags = classify(classifier, "Please send the draft to jane.doe@acme-corp.com by Friday.")
    assert tags.sensitivity is Sensitivity.CONFIDENTIAL
    assert tags.findings == {"email_address": 1}
    assert "email_address x1" in tags.reasons


def test_role_mailbox_is_reported_but_public(classifier: Classifier) -> None:
    tags = classify(classifier, "Questions? Write to support@acme-corp.com.")
    assert tags.sensitivity is Sensitivity.PUBLIC
    assert tags.findings == {"email_address_role": 1}


def test_credit_card_makes_a_document_restricted(classifier: Classifier) -> None:
    tags = classify(classifier, f"Charge the deposit to {CARD} and confirm.")
    assert tags.sensitivity is Sensitivity.RESTRICTED
    assert tags.findings == {"credit_card": 1}


def test_reasons_never_contain_matched_values(classifier: Classifier) -> None:
    email, phone = "jane.doe@acme-corp.com", "(415) 555-0132"
    tags = classify(classifier, f"Reach {email} or {phone}; card {CARD}; key AKIAIOSFODNN7EXAMPLE.")
    joined = " ".join(tags.reasons) + " ".join(tags.findings)
    for value in (email, phone, CARD, "4111", "AKIAIOSFODNN7EXAMPLE", "555-0132"):
        assert value not in joined


def test_counts_are_reported_per_kind(classifier: Classifier) -> None:
    tags = classify(classifier, "cc: ann.lee@acme-corp.com, raj.patel@acme-corp.com, li.wu@acme-corp.com")
    assert tags.findings == {"email_address": 3}
    assert "email_address x3" in tags.reasons


def test_floor_raises_the_level(classifier: Classifier) -> None:
    tags = classify(classifier, "Nothing sensitive here.", floor=Sensitivity.RESTRICTED)
    assert tags.sensitivity is Sensitivity.RESTRICTED
    assert "floor:restricted" in tags.reasons


def test_floor_never_lowers_what_detection_found(classifier: Classifier) -> None:
    tags = classify(classifier, f"Card on file: {CARD}", floor=Sensitivity.PUBLIC)
    assert tags.sensitivity is Sensitivity.RESTRICTED


def test_path_rule_raises_the_level() -> None:
    config = ClassifierConfig.model_validate(
        {"path_rules": [{"pattern": "hr/**", "sensitivity": "restricted"}]}
    )
    tags = Classifier(config).classify(
        "Team offsite agenda.", task=SUMMARIZE, source="exports/hr/offsite.txt"
    )
    assert tags.sensitivity is Sensitivity.RESTRICTED
    assert "path_rule:hr/**" in tags.reasons


def test_path_rule_does_not_match_other_paths() -> None:
    config = ClassifierConfig.model_validate(
        {"path_rules": [{"pattern": "hr/**", "sensitivity": "restricted"}]}
    )
    tags = Classifier(config).classify("Team offsite agenda.", task=SUMMARIZE, source="sales/hrm-notes.txt")
    assert tags.sensitivity is Sensitivity.PUBLIC


def test_anchored_path_rule_matches_only_at_the_start() -> None:
    config = ClassifierConfig.model_validate(
        {"path_rules": [{"pattern": "/hr/**", "sensitivity": "internal"}]}
    )
    classifier = Classifier(config)
    assert classifier.classify("x", task=SUMMARIZE, source="hr/a.txt").sensitivity is Sensitivity.INTERNAL
    assert classifier.classify("x", task=SUMMARIZE, source="old/hr/a.txt").sensitivity is Sensitivity.PUBLIC


def test_level_override_relaxes_a_kind() -> None:
    config = ClassifierConfig.model_validate({"levels": {"email_address": "internal"}})
    tags = Classifier(config).classify("Ping jane.doe@acme-corp.com", task=SUMMARIZE)
    assert tags.sensitivity is Sensitivity.INTERNAL


def test_level_overrides_merge_over_defaults() -> None:
    config = ClassifierConfig.model_validate({"levels": {"email_address": "internal"}})
    assert config.effective_levels()["credit_card"] is Sensitivity.RESTRICTED


def test_unknown_config_key_is_an_error() -> None:
    with pytest.raises(ValidationError):
        ClassifierConfig.model_validate({"levls": {}})


def test_unknown_entity_kind_is_an_error() -> None:
    with pytest.raises(ValidationError):
        ClassifierConfig.model_validate({"levels": {"e_mail": "restricted"}})


def test_inverted_complexity_thresholds_are_an_error() -> None:
    with pytest.raises(ValidationError):
        ClassifierConfig.model_validate({"complexity": {"simple_below": 0.8, "complex_at_or_above": 0.2}})


def test_shipped_yaml_section_equals_the_built_in_defaults() -> None:
    """configs/routing.yaml documents the defaults; it must not drift from them."""
    from pathlib import Path

    raw = yaml.safe_load((Path(__file__).parents[2] / "configs" / "routing.yaml").read_text())
    config = ClassifierConfig.model_validate(raw["classifier"])
    assert config.effective_levels() == default_levels()
    assert config.model_dump(exclude={"levels"}) == ClassifierConfig().model_dump(exclude={"levels"})


def test_tags_carry_the_classifier_version(classifier: Classifier) -> None:
    assert classify(classifier, "hello").classifier_version == CLASSIFIER_VERSION


def test_same_input_gives_the_same_tags(classifier: Classifier) -> None:
    text = f"Ann Lee (ann.lee@acme-corp.com, +44 20 7946 0958) paid with {CARD}. CONFIDENTIAL."
    assert classify(classifier, text) == classify(classifier, text)


def test_complexity_features_are_in_the_reasons(classifier: Classifier) -> None:
    tags = classify(classifier, "A short note.")
    assert any(reason.startswith("complexity: ") and "tokens~" in reason for reason in tags.reasons)


def test_short_single_field_extraction_is_simple(classifier: Classifier) -> None:
    tags = classifier.classify(
        "Invoice total: $120.", task=TaskSpec(kind=TaskKind.EXTRACT, fields=("total",))
    )
    assert tags.complexity is Complexity.SIMPLE


def test_concurrent_calls_agree_with_sequential_ones(classifier: Classifier) -> None:
    """One Classifier is shared by a worker's threads: concurrent calls give the same tags."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        f"Ticket {i}: Ann Lee (ann{i}@acme-corp.com, +44 20 7946 0{i:03d}) paid with {CARD}. Version 2.{i}.0."
        for i in range(200)
    ]
    sequential = [classify(classifier, text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda text: classify(classifier, text), texts))
    assert concurrent == sequential


def test_path_rule_accepts_windows_separators() -> None:
    config = ClassifierConfig.model_validate(
        {"path_rules": [{"pattern": "hr/**", "sensitivity": "restricted"}]}
    )
    tags = Classifier(config).classify("Agenda.", task=SUMMARIZE, source="C:\\exports\\HR\\offsite.txt")
    assert tags.sensitivity is Sensitivity.RESTRICTED
