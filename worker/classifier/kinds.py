"""Every entity kind the classifier can report, its category, and the shipped default level.

Kinds are the vocabulary shared by detectors, the policy in `configs/routing.yaml` and `Tags.findings`.
"""

from __future__ import annotations

from worker.schema import Sensitivity

C = Sensitivity.CONFIDENTIAL
R = Sensitivity.RESTRICTED
I = Sensitivity.INTERNAL  # noqa: E741 - reads as a level table

# kind -> (category, shipped default level). The shipped policy (issue 3): any personal identifier,
# secret, health information or confidentiality marker -> at least confidential; secrets, national ids,
# financial account numbers and health data -> restricted.
KINDS: dict[str, tuple[str, Sensitivity]] = {
    # contact
    "email_address": ("contact", C),
    # A function's mailbox (info@, support@, noreply@): not a person, reported but public by default.
    "email_address_role": ("contact", Sensitivity.PUBLIC),
    # a Message-ID / In-Reply-To header's <id@host>: looks like an address, identifies a message
    "email_message_id": ("contact", Sensitivity.PUBLIC),
    "phone_number": ("contact", C),
    # A switchboard, hotline or press line labelled as such: an organisation's number, not a person's.
    "phone_number_organisation": ("contact", Sensitivity.PUBLIC),
    # the only personal datum of a document that names no one (a public notice's office line)
    "phone_number_no_person": ("contact", Sensitivity.PUBLIC),
    "postal_address": ("contact", C),
    "date_of_birth": ("contact", C),
    "person_name": ("contact", C),
    # national identifiers
    "us_ssn": ("national_id", R),
    "us_itin": ("national_id", R),
    "uk_nino": ("national_id", R),
    "passport_number": ("national_id", R),
    "national_id": ("national_id", R),
    "tax_id": ("national_id", R),
    "driver_license": ("national_id", R),
    # A passport/ID-card machine-readable zone (ICAO 9303) with valid check digits.
    "machine_readable_zone": ("national_id", R),
    # A company's number in a format shared with people (RUT, NIT, ...) after a legal form: public.
    "organisation_id": ("national_id", Sensitivity.PUBLIC),
    # A VIN on a registration or insurance notice: points at the vehicle's keeper.
    "vehicle_id": ("national_id", C),
    # financial
    "credit_card": ("financial", R),
    "iban": ("financial", R),
    "aba_routing": ("financial", R),
    "bank_account": ("financial", R),
    # Published test data next to a test/example label: reported, public by default.
    "test_card_number": ("financial", Sensitivity.PUBLIC),
    # A GS1 product code (EAN/GTIN/UPC) labelled or in a column headed so, read as a card or id: public.
    "product_code": ("financial", Sensitivity.PUBLIC),
    "example_iban": ("financial", Sensitivity.PUBLIC),
    # health
    "medical_record_number": ("health", R),
    "health_insurance_id": ("health", R),
    "health_condition": ("health", R),
    "medication": ("health", R),
    "lab_result": ("health", R),
    # other special categories (GDPR art. 9 and 10) about a person
    "criminal_record": ("special", R),
    "sexual_orientation": ("special", R),
    "religious_belief": ("special", R),
    "special_category": ("special", R),  # ethnic origin, political opinion, trade-union membership
    # A person whose safety depends on secrecy: protection order, refuge, harassment complaint, whistleblower.
    "personal_safety": ("special", R),
    # employment records about a person
    "pay_information": ("employment", C),
    # An executive's pay in a published remuneration/annual report; a salary band or offer: public.
    "pay_published": ("employment", Sensitivity.PUBLIC),
    "pay_range": ("employment", Sensitivity.PUBLIC),
    # Arrears, dunning and enforcement about a named debtor (issue 18, set D).
    "debt_record": ("employment", C),
    "performance_record": ("employment", C),
    # secrets
    "aws_access_key": ("secret", R),
    "aws_secret_key": ("secret", R),
    "openai_api_key": ("secret", R),
    "anthropic_api_key": ("secret", R),
    "github_token": ("secret", R),
    "gitlab_token": ("secret", R),
    "slack_token": ("secret", R),
    "slack_webhook": ("secret", R),
    "webhook_url": ("secret", R),
    "google_api_key": ("secret", R),
    "stripe_key": ("secret", R),
    "twilio_key": ("secret", R),
    "sendgrid_key": ("secret", R),
    "huggingface_token": ("secret", R),
    "npm_token": ("secret", R),
    "vault_token": ("secret", R),
    "azure_storage_key": ("secret", R),
    "jwt": ("secret", R),
    "bearer_token": ("secret", R),
    "private_key": ("secret", R),
    "password_assignment": ("secret", R),
    "connection_string": ("secret", R),
    # A documented example key (AWS's AKIAIOSFODNN7EXAMPLE, ...): reported, public by default.
    "example_secret": ("secret", Sensitivity.PUBLIC),
    # password=${DB_PASSWORD}, api_key: API_KEY, token=<your-token>: a reference, not the secret.
    "secret_reference": ("secret", Sensitivity.PUBLIC),
    # confidentiality markers
    "marker:confidential": ("marker", C),
    "marker:privileged": ("marker", C),
    "marker:internal_only": ("marker", C),
    "marker:restricted": ("marker", R),
    # network
    "ip_address": ("network", C),
    "ip_address_private": ("network", I),
    # RFC 5737 / RFC 3849 documentation ranges: in tutorials, never a real host.
    "ip_address_documentation": ("network", Sensitivity.PUBLIC),
    # abstention, not a finding: prose about a person in a language the meaning-level rules cannot read
    # (unread.py). Its level is what such a document is raised to; reported as unread_language:<script>.
    "unread_language": ("abstention", C),
}


def category(kind: str) -> str:
    return KINDS[kind][0]


def default_levels() -> dict[str, Sensitivity]:
    return {kind: level for kind, (_, level) in KINDS.items()}
