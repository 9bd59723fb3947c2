"""Context, both ways (issue 18, item 2): personal facts next to a named person raise the level; public
organisational contacts, documentation IP ranges, published test data and example keys lower it; and
every decision, including "nothing found", is in the reasons."""

from __future__ import annotations

import pytest

from worker.classifier import Classifier
from worker.schema import Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


def tags_for(classifier: Classifier, text: str) -> Tags:
    return classifier.classify(
        f"Update from the operations team.\n{text}\nQuestions to the usual channel.", task=SUMMARIZE
    )


@pytest.mark.parametrize(
    ("kind", "with_person", "without_person"),
    [
        (
            "pay_information",
            "Priya Nair's base salary rises to $98,000 from April.",
            "The advertised salary band for the role is $90,000 to $105,000.",
        ),
        (
            "health_condition",
            "Ana Souza was diagnosed with epilepsy last year.",
            "Epilepsy affects about 50 million people worldwide.",
        ),
        (
            "medication",
            "The patient takes sertraline 50 mg daily.",
            "Sertraline sales grew 4% in the quarter.",
        ),
        (
            "criminal_record",
            "Tom Reyes was convicted of fraud in 2019.",
            "The report counts how many people were convicted of fraud nationally.",
        ),
        (
            "performance_record",
            "Laura Schmidt is on a performance improvement plan until June.",
            "Managers should document any performance improvement plan in the HR system.",
        ),
        (
            "religious_belief",
            "Jorge Ramos is a practising Muslim and asked for prayer breaks during Ramadan.",
            "The census asks about religious affiliation in an optional question.",
        ),
    ],
    ids=["pay", "diagnosis", "medication", "criminal", "performance", "religion"],
)
def test_a_personal_fact_counts_only_about_a_person(
    classifier: Classifier, kind: str, with_person: str, without_person: str
) -> None:
    raised = tags_for(classifier, with_person)
    assert kind in raised.findings and raised.sensitivity.at_least(Sensitivity.CONFIDENTIAL), raised.reasons
    general = tags_for(classifier, without_person)
    assert general.sensitivity is Sensitivity.PUBLIC, general.reasons


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("For press enquiries call our switchboard on +44 20 7946 0000.", "phone_number_organisation x1"),
        ("Customer service hotline: 0800 123 4567 (free from landlines).", "phone_number_organisation x1"),
        ("Questions about this policy? Write to privacy@acme-insurance.com.", "email_address_role x1"),
        ("Media relations: press@acme.com", "email_address_role x1"),
        ("In this tutorial the server listens on 192.0.2.10 and 2001:db8::10.", "ip_address_documentation x2"),
        ("Use the Stripe test card 4242 4242 4242 4242 with any future expiry date.", "test_card_number x1"),
        ("Example IBAN: DE89 3704 0044 0532 0130 00 (from the ECBS guide).", "example_iban x1"),
        ("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "example_secret x1"),
        ("environment:\n  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}", "secret_reference x1"),
        ('requests.get(url, headers={"X-Api-Key": API_KEY})', "secret_reference x1"),
        ("Factura emitida por Comercial Andes SpA, RUT 76.086.428-5.", "organisation_id x1"),
    ],
    ids=["switchboard", "hotline", "privacy-contact", "press", "doc-ips", "test-card", "example-iban",
         "aws-example", "env-reference", "variable-reference", "company-rut"],
)  # fmt: skip
def test_public_look_alikes_are_lowered_with_the_reason(
    classifier: Classifier, text: str, reason: str
) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.PUBLIC
    assert reason in tags.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Card on file for the customer: 4242 4242 4242 4242.",  # a test number, but no test/example word
        "Call Jane Doe on her mobile, 020 7946 0958.",
        "Log: 81.2.69.160 - - [12/Mar/2025:10:00:01 +0000] GET /account",
        "db_password=Tr0ub(4dor&3",  # issue 18, held-out A: a value with "(" is a password, not code
    ],
    ids=["test-card-without-label", "personal-phone", "real-ip", "password-with-paren"],
)
def test_lowering_needs_its_context(classifier: Classifier, text: str) -> None:
    assert tags_for(classifier, text).sensitivity.at_least(Sensitivity.CONFIDENTIAL)


def test_nothing_found_is_said(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Quarterly revenue rose 4% and the team shipped two releases.")
    assert tags.sensitivity is Sensitivity.PUBLIC
    assert tags.reasons[0] == "nothing_found"


def test_nothing_found_is_said_even_under_a_floor(classifier: Classifier) -> None:
    tags = classifier.classify("The canteen opens at eight.", task=SUMMARIZE, floor=Sensitivity.RESTRICTED)
    assert tags.reasons[:2] == ("nothing_found", "floor:restricted")


def test_findings_are_not_called_nothing(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Contact support@acme.com for help.")
    assert "nothing_found" not in tags.reasons and "email_address_role x1" in tags.reasons


def test_every_reason_is_a_kind_count_or_a_rule_never_text(classifier: Classifier) -> None:
    text = "Priya Nair's base salary is $98,000; SSN 078-05-1123; call 020 7946 0958."
    tags = tags_for(classifier, text)
    for reason in tags.reasons:
        assert (
            "98,000" not in reason and "078" not in reason and "Priya" not in reason and "7946" not in reason
        )


@pytest.mark.parametrize(
    "text",
    [
        "Marie Curie (born 7 November 1867 in Warsaw) won two Nobel Prizes.",
        "The court held that the attorney-client privilege does not extend to business advice.",
        "Police made 4,210 arrests for DUI last year, down 6%.",
        "Pembrolizumab and semaglutide led the year's sales; insulin prices fell 12%.",
    ],
    ids=["historical-birth-date", "court-on-privilege", "dui-statistics", "drug-market"],
)
def test_issue_18_false_positive_causes_stay_public(classifier: Classifier, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.PUBLIC, tags.reasons


def test_the_same_rut_for_a_person_stays_restricted(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Boleta a nombre de Mario Carrasco, RUT 12.345.678-5.")
    assert tags.sensitivity is Sensitivity.RESTRICTED


def test_support_arranged_for_a_condition_is_health_information(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Pupil Aoife Byrne has an education plan for autism and ADHD.")
    assert "health_condition" in tags.findings


def test_a_persons_rut_near_a_company_name_stays_restricted(classifier: Classifier) -> None:
    """Lowering needs the legal form right before the label; a person's own RUT is never lowered."""
    tags = tags_for(classifier, "Juan Pérez, gerente de Andes SpA, su RUT es 12.345.678-5.")
    assert tags.sensitivity is Sensitivity.RESTRICTED
