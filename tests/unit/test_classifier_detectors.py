"""What the classifier finds, and what it must not: one behaviour per test, asserted on Tags."""

from __future__ import annotations

import pytest

from worker.classifier import Classifier
from worker.schema import Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


def tags_for(classifier: Classifier, text: str) -> Tags:
    return classifier.classify(
        f"Notes from Tuesday's sync. {text} Next steps follow in the tracker.", task=SUMMARIZE
    )


POSITIVES = [
    # contact
    ("email_address", "Write to jane.doe@gmail.com about the offer."),
    ("email_address", "From: Raj Patel <raj_77@hotmail.co.uk>"),
    ("email_address", "Her address is maria [at] gmx [dot] com."),
    ("phone_number", "Call me at (415) 555-0132 tomorrow."),
    ("phone_number", "US office: 415-555-0132."),
    ("phone_number", "Mobile +1 415 555 0132."),
    ("phone_number", "Ring 020 7946 0958 for the London desk."),
    ("phone_number", "UK mobile +44 7700 900123."),
    ("phone_number", "Rufnummer 030 12345678 (Zentrale)."),
    ("phone_number", "Handy: +49 171 2345678."),
    ("phone_number", "Appelez le 01 42 68 53 00."),
    ("phone_number", "Portable +33 6 12 34 56 78."),
    ("phone_number", "Móvil +34 612 345 678."),
    ("phone_number", "Phone: 4155550132"),
    ("postal_address", "Jane Doe, 742 Evergreen Terrace, Springfield, IL 62704"),
    ("postal_address", "Ship to: 221 Baker Street, London NW1 6XE"),
    ("postal_address", "Maria Schmidt, Hauptstraße 5, 10115 Berlin"),
    ("postal_address", "Camille Martin, 12 rue de la Paix, 75002 Paris"),
    ("date_of_birth", "DOB: 04/03/1985"),
    ("date_of_birth", "Jane Doe (born 3 March 1985) signed the form."),
    ("date_of_birth", "Geburtsdatum: 12.05.1979"),
    ("date_of_birth", "Née le 4 juillet 1990 à Lyon."),
    # national identifiers
    ("us_ssn", "SSN 078-05-1123 on file."),
    ("us_ssn", "Social security number: 078051123"),
    ("us_itin", "ITIN 912-70-1234 was issued."),
    ("uk_nino", "NI number AB 12 34 56 C."),
    ("uk_nino", "NINO: PR123612C"),
    ("passport_number", "Passport number: 912803456"),
    ("passport_number", "Reisepass C01X00T47 liegt vor."),
    ("national_id", "DNI 12345678Z del titular."),
    ("national_id", "NIE X9613851N"),
    ("national_id", "Henkilötunnus 131052-308T"),
    ("national_id", "Aadhaar 3123 4567 8909"),
    ("national_id", "Personnummer 19910924-2397"),
    ("national_id", "RRN 960121-1234567"),
    ("national_id", "NIR 2 95 10 99 126 111 93"),
    ("national_id", "SIN: 130 692 544"),
    ("tax_id", "Steuer-ID: 12345678903"),
    ("driver_license", "Driver's license no. D1234-5678-9012"),
    ("driver_license", "Licence MORGA657054SM9IJ on the hire form."),
    # financial
    ("credit_card", "Card 4111 1111 1111 1111 exp 12/27."),
    ("credit_card", "Amex 3782-822463-10005 on file."),
    ("credit_card", "pan=5555555555554444"),
    ("iban", "IBAN DE89 3704 0044 0532 0130 00, please."),
    ("iban", "Pay GB29NWBK60161331926819 by Friday."),
    ("aba_routing", "Routing number 121000358 for the wire."),
    ("aba_routing", "ABA 3222-7162-7"),
    ("bank_account", "Wire to bank account number 000123456789 (checking)."),
    ("bank_account", "Sort code 12-34-56 for the UK account."),
    # health
    ("medical_record_number", "MRN: 00482913"),
    ("health_insurance_id", "NHS number 401 023 2137"),
    ("health_insurance_id", "Medicare MBI 1EG4-TE5-MK73"),
    ("health_condition", "Maria Schmidt was diagnosed with type 2 diabetes in 2021."),
    ("health_condition", "The patient has epilepsy and takes 500 mg twice daily."),
    ("health_condition", "Jonas Weber is on sick leave after surgery."),
    ("health_condition", "I was diagnosed with long COVID last year."),
    # secrets
    # Not AWS's documented EXAMPLE keys: those are reported as example_secret (public), see
    # test_classifier_context.py.
    ("aws_access_key", "AWS_ACCESS_KEY_ID=AKIAZ7VQ3XK2MBN4T6PL"),
    ("aws_secret_key", "aws_secret_access_key = kR8vT2pXq9LmN4sW7yZb3cF6hJ1dG5aE0uV8iO2r"),
    ("openai_api_key", "OPENAI_API_KEY=sk-proj-abc123DEF456ghi789JKL012mno345PQR"),
    ("github_token", "token ghp_1234567890abcdefghijABCDEFGHIJ123456"),
    ("slack_token", "xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx"),
    ("google_api_key", "key=AIzaSyA1234567890abcdefghijklmnopqrstuv"),
    ("stripe_key", 'stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"'),
    ("private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"),
    ("password_assignment", "DB_PASSWORD=hunter2xx"),
    ("password_assignment", 'password: "Summer2024!"'),
    ("password_assignment", "The wifi password is Blue2027!"),
    ("connection_string", "DATABASE_URL=postgres://app:s3cr3tPW@db.internal:5432/app"),
    ("jwt", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"),
    # markers
    ("marker:confidential", "CONFIDENTIAL – do not share"),
    ("marker:confidential", "This email and any attachments are confidential."),
    ("marker:confidential", "Please treat this memo as strictly confidential."),
    ("marker:confidential", "\nConfidential: board deck v3\n"),
    ("marker:privileged", "Privileged & Confidential – Attorney-Client Communication"),
    ("marker:internal_only", "For internal use only."),
    ("marker:internal_only", "\nINTERNAL\n"),
    ("marker:restricted", "Classification: Restricted"),
    ("marker:restricted", "TOP SECRET//NOFORN"),
    # network
    ("ip_address", '81.2.69.160 - - [12/Mar/2025:10:00:01 +0000] "GET / HTTP/1.1" 200'),
    ("ip_address", "Connection from 2a02:1810:4d02:b600::1 refused"),
]


@pytest.mark.parametrize(("kind", "text"), POSITIVES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(POSITIVES)])
def test_sensitive_item_is_found_and_keeps_the_document_local(
    classifier: Classifier, kind: str, text: str
) -> None:
    tags = tags_for(classifier, text)
    assert kind in tags.findings
    assert tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)


# Look-alikes from ordinary business text: none may raise the level.
NEGATIVES = [
    "Order #4471-2290-118 shipped on 2024-03-15.",
    "We upgraded the cluster to version 2.14.3 last week.",
    "Release v1.2.3.4 fixes the importer.",
    "The book (ISBN 978-3-16-148410-0) is on the shelf.",
    "Reference 4111 1111 1111 1112 appears on the slip.",
    "Invoice INV-2024-00817 for $1,299.00 is due.",
    "Part number PN-300-1245-01 replaces the bracket.",
    "Tracking 1Z999AA10123456784 shows the parcel in Leeds.",
    "The meeting moved to 15 March 2024 at 10:30.",
    "Dial-in code 920 725 451 is valid for the all-hands.",
    "EAN 4006381333931 was reprinted.",
    "IMEI 356219870340771 was registered to the test handset.",
    "Commit 08865452f7f2b35406d0a710a19ef890e652f7aa introduced the regression.",
    "UUID 123e4567-e89b-12d3-a456-426614174000 identifies the batch.",
    "Masked card **** **** **** 4242 appears on the receipt.",
    "Questions? Write to support@acme-corp.com.",
    "We keep customer data confidential and never sell it.",
    "Confidentiality agreements are standard for suppliers.",
    "We signed an NDA with the vendor before the demo.",
    "Our office is at 100 Market Street, Austin; visitors sign in at reception.",
    "Maria Schmidt presented the results of the diabetes prevention study.",
    "Our partnership with cancer research charities raised $41,000.",
    "Please be patient while the migration completes.",
    "The idea was born in 2019 during a hackathon.",
    "Maria Schmidt joined on 03/04/2019 and leads the data team.",
    "Passwords must be at least 12 characters.",
    "Set api_key: <YOUR_API_KEY> and token: ${GITHUB_TOKEN} in the sample config.",
    "DATABASE_URL=postgres://user:password@localhost:5432/app is the local default.",
    "Set max_tokens: 200000 and timeout: 30 in the client.",
    "Token usage rose to 40 million tokens per day.",
    "Localhost 127.0.0.1 and 0.0.0.0 are not addresses of anyone.",
    "Revenue grew 12.5% to €57.288.856 in Q1.",
    "Purchase order PO 4585154354 covers 340 units.",
    "Call 1-800-FLOWERS for retail orders.",
    "Coordinates 48.1374, 11.5755 mark the new warehouse.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alike_stays_public(classifier: Classifier, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.PUBLIC, tags.reasons


@pytest.mark.parametrize(("kind", "text"), POSITIVES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(POSITIVES)])
def test_reasons_never_carry_the_matched_text(classifier: Classifier, kind: str, text: str) -> None:
    tags = tags_for(classifier, text)
    reported = " ".join(tags.reasons) + " " + " ".join(tags.findings)
    for token in text.split():
        token = token.strip(".,;:()<>\"'")
        if sum(c.isdigit() for c in token) >= 3 or "@" in token or len(token) >= 16:
            assert token not in reported


def test_private_ip_is_internal_not_confidential(classifier: Classifier) -> None:
    tags = tags_for(classifier, "host 192.168.1.20 stopped answering pings")
    assert tags.findings == {"ip_address_private": 1}
    assert tags.sensitivity is Sensitivity.INTERNAL


def test_name_next_to_personal_data_is_reported(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Jane Doe's number is (415) 555-0132.")
    assert tags.findings.get("person_name") == 1


def test_name_alone_is_not_sensitive(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Jane Doe presented the roadmap.")
    assert tags.findings == {}


def test_company_address_without_a_person_is_not_reported(classifier: Classifier) -> None:
    tags = classifier.classify("Acme Corp, 100 Market Street, Austin, TX 78701", task=SUMMARIZE)
    assert "postal_address" not in tags.findings


def test_diagnosis_without_a_person_is_not_reported(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Patients diagnosed with diabetes benefit from the new app.")
    assert "health_condition" not in tags.findings


def test_prose_confidential_counts_when_configured() -> None:
    from worker.classifier import ClassifierConfig

    strict = Classifier(ClassifierConfig(prose_confidential_is_marker=True))
    tags = strict.classify("We keep customer data confidential.", task=SUMMARIZE)
    assert tags.findings == {"marker:confidential": 1}


def test_card_inside_a_longer_number_is_not_a_card(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Batch 4111111111111111999 was scrapped.")
    assert "credit_card" not in tags.findings


def test_full_width_digits_are_normalised(classifier: Classifier) -> None:
    tags = tags_for(classifier, "Card ４１１１ １１１１ １１１１ １１１１ on file.")
    assert "credit_card" in tags.findings
