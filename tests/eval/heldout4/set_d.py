"""Set D, the sealed set: evaluated, never tuned on. Its kinds, formats and languages differ in part
from set C; if you are fixing the classifier, do not read this file or the d_*.py modules."""

from __future__ import annotations

from . import d_data, d_health, d_ids, d_letters, d_neg, d_people, d_tech
from .doc import NEGATIVE, SENSITIVE, Spec

S, N = SENSITIVE, NEGATIVE
NEW8 = ("hu", "ro", "el", "ko", "ar", "hi", "vi", "uk")

SPECS = (
    # sensitive by content
    Spec("chat_special", S, d_people.chat_special, NEW8, 14),
    Spec(
        "letter_health",
        S,
        d_people.letter_health,
        ("nl", "pt", "it", "da", "no", "hu", "ro", "el", "ko", "uk"),
        10,
    ),
    Spec("legal_advice", S, d_people.legal_advice_d, ("nl", "it", "pt", "da", "no", "hu", "ro", "el"), 8),
    Spec("pay_table_named", S, d_people.pay_table_named, ("en", "de", "nl", "it", "pt", "da", "no", "sv"), 8),
    Spec(
        "subtitle_meeting", S, d_letters.subtitle_meeting, ("en", "de", "nl", "it", "pt", "ko", "vi", "hi"), 8
    ),
    Spec("genetic_report", S, d_letters.genetic_report, ("en", "de", "nl", "it", "ja"), 5),
    Spec("debt_collection", S, d_letters.debt_collection, ("en", "de", "hu", "ro", "pt", "it"), 6),
    Spec("email_qp", S, d_letters.email_qp, ("hu", "ro", "pt", "it", "da", "de"), 6),
    Spec("ics_invite", S, d_health.ics_invite, ("en", "de", "da", "no", "nl", "ro"), 6),
    Spec(
        "marked_confidential",
        S,
        d_health.marked_confidential_d,
        (*NEW8, "nl", "pt", "it", "da", "no", "en", "de", "ja"),
        16,
    ),
    # sensitive by identifier
    Spec("hl7_message", S, d_health.hl7_message, ("nl", "pt", "it", "da", "no", "de", "en", "ro"), 8),
    Spec("fhir_json", S, d_health.fhir_json, ("ko", "el", "hu", "uk", "hi", "vi", "ar", "en"), 8),
    Spec(
        "prose_id",
        S,
        d_ids.prose_id_d,
        (
            "ro",
            "el",
            "ko",
            "uk",
            "da",
            "no",
            "nl",
            "pt",
            "it",
            "hu",
            "hi",
            "vi",
            "ar",
            "en",
            "de",
            "en",
            "el",
            "nl",
        ),
        18,
    ),
    Spec("sql_dump", S, d_ids.sql_dump, ("ro", "el", "ko", "uk", "da", "no", "nl", "pt"), 8),
    Spec("vcard_export", S, d_ids.vcard_export, ("it", "pt", "nl", "hu", "ro", "en"), 6),
    Spec("swift_mt103", S, d_ids.swift_mt103, ("hu", "ro", "el", "nl", "it", "ar"), 6),
    Spec(
        "ocr_id_card", S, d_ids.ocr_id_card, ("ro", "el", "nl", "pt", "it", "de", "hu", "uk", "no", "da"), 10
    ),
    Spec("card_payment", S, d_ids.card_d, ("ko", "vi", "ar", "hi", "uk", "pt", "it", "nl"), 8),
    Spec("passenger_log", S, d_ids.passenger_log, ("en",), 4),
    Spec("tfstate_secrets", S, d_tech.tfstate_secrets, ("code",), 5),
    Spec("git_diff_secret", S, d_tech.git_diff_secret, ("code",), 6),
    Spec("notebook_json", S, d_tech.notebook_json, ("code",), 4),
    Spec("ldif_export", S, d_tech.ldif_export, ("code",), 4),
    Spec("secret_misc", S, d_tech.secret_misc, ("code",), 8),
    # look-alikes
    Spec("news_special", N, d_neg.news_special, NEW8, 14),
    Spec(
        "health_leaflet",
        N,
        d_neg.health_leaflet,
        ("nl", "pt", "it", "da", "no", "hu", "ro", "el", "ko", "uk"),
        10,
    ),
    Spec("law_article", N, d_neg.law_article, ("nl", "it", "pt", "da", "no", "hu", "ro", "el"), 8),
    Spec("biography", N, d_neg.biography_d, (*NEW8, "nl", "pt", "it", "da", "no"), 13),
    Spec("public_marker", N, d_neg.public_marker, (*NEW8, "nl", "pt", "it", "da", "no", "en"), 14),
    Spec("annual_report_pay", N, d_neg.annual_report_pay, ("nl", "it", "pt", "da", "de"), 5),
    Spec("job_ad_salary", N, d_neg.job_ad_d, ("nl", "it", "pt", "hu", "ro", "ko"), 6),
    Spec(
        "pay_stats_aggregate",
        N,
        d_neg.pay_stats_aggregate,
        ("en", "de", "nl", "it", "pt", "da", "no", "sv"),
        8,
    ),
    Spec("vcard_business", N, d_data.vcard_business, ("it", "pt", "nl", "hu", "ro", "en"), 6),
    Spec("bank_reference", N, d_data.bank_reference, ("en", "de", "nl", "it", "pt"), 5),
    Spec("ocr_receipt", N, d_data.ocr_receipt, ("de", "nl", "it", "pt", "da", "no", "hu", "ro"), 8),
    Spec("subtitle_public", N, d_data.subtitle_public, ("en", "de", "nl", "it", "ko", "vi"), 6),
    Spec("ics_public", N, d_data.ics_public, ("en", "de", "da", "no", "nl", "ro"), 6),
    Spec("newsletter_qp", N, d_data.newsletter_qp, ("hu", "ro", "pt", "it", "da", "de"), 6),
    Spec(
        "logistics_manifest",
        N,
        d_data.logistics_manifest,
        ("en", "de", "nl", "ko", "vi", "ar", "hi", "uk"),
        8,
    ),
    Spec("id_format_doc", N, d_data.id_format_doc, ("en", "de", "nl", "da", "no", "it"), 6),
    Spec("hl7_spec", N, d_tech.hl7_spec, ("en",), 3),
    Spec("fhir_valueset", N, d_tech.fhir_valueset, ("code",), 4),
    Spec("sql_schema", N, d_tech.sql_schema, ("code",), 6),
    Spec("tf_module", N, d_tech.tf_module, ("code",), 5),
    Spec("git_diff_clean", N, d_tech.git_diff_clean, ("code",), 6),
    Spec("notebook_public", N, d_tech.notebook_public, ("code",), 4),
    Spec("lockfile_hashes", N, d_tech.gosum_lock, ("code",), 5),
    Spec("scientific_data", N, d_tech.scientific_data, ("code",), 5),
    Spec("docs_placeholders", N, d_tech.docs_placeholders_d, ("code",), 6),
    Spec("public_keys", N, d_tech.public_keys_d, ("code",), 6),
)
