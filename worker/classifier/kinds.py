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
    "phone_number": ("contact", C),
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
    # financial
    "credit_card": ("financial", R),
    "iban": ("financial", R),
    "aba_routing": ("financial", R),
    "bank_account": ("financial", R),
    # health
    "medical_record_number": ("health", R),
    "health_insurance_id": ("health", R),
    "health_condition": ("health", R),
    # secrets
    "aws_access_key": ("secret", R),
    "aws_secret_key": ("secret", R),
    "openai_api_key": ("secret", R),
    "anthropic_api_key": ("secret", R),
    "github_token": ("secret", R),
    "gitlab_token": ("secret", R),
    "slack_token": ("secret", R),
    "slack_webhook": ("secret", R),
    "google_api_key": ("secret", R),
    "stripe_key": ("secret", R),
    "twilio_key": ("secret", R),
    "sendgrid_key": ("secret", R),
    "huggingface_token": ("secret", R),
    "npm_token": ("secret", R),
    "azure_storage_key": ("secret", R),
    "jwt": ("secret", R),
    "bearer_token": ("secret", R),
    "private_key": ("secret", R),
    "password_assignment": ("secret", R),
    "connection_string": ("secret", R),
    # confidentiality markers
    "marker:confidential": ("marker", C),
    "marker:privileged": ("marker", C),
    "marker:internal_only": ("marker", C),
    "marker:restricted": ("marker", R),
    # network
    "ip_address": ("network", C),
    "ip_address_private": ("network", I),
}

CATEGORIES: tuple[str, ...] = ("contact", "national_id", "financial", "health", "secret", "marker", "network")


def category(kind: str) -> str:
    return KINDS[kind][0]


def default_levels() -> dict[str, Sensitivity]:
    return {kind: level for kind, (_, level) in KINDS.items()}
