"""Set C, the tuning set: its misses may be looked at and fixed."""

from __future__ import annotations

from . import c_data, c_ids, c_neg, c_people, c_special, c_tech
from .doc import NEGATIVE, SENSITIVE, Spec

S, N = SENSITIVE, NEGATIVE
ALL12 = ("en", "de", "fr", "es", "sv", "fi", "cs", "pl", "tr", "ja", "zh", "id")

SPECS = (
    # sensitive by content
    Spec("pay_email", S, c_people.pay_email, ("en", "de", "fr", "sv", "pl", "ja", "es"), 10),
    Spec("chat_health", S, c_people.chat_health, ("en", "es", "fi", "cs", "tr", "zh"), 10),
    Spec("medical_note", S, c_people.medical_note, ("en", "de", "fr", "sv", "id", "ja"), 10),
    Spec("legal_advice", S, c_people.legal_advice, ("en", "de", "fr", "es", "sv", "fi"), 9),
    Spec("disciplinary", S, c_people.disciplinary, ("en", "de", "fi", "cs", "pl", "tr"), 9),
    Spec(
        "special_category",
        S,
        c_special.special_category,
        ("en", "de", "fr", "es", "sv", "ja", "zh", "id", "en"),
        18,
    ),
    Spec("marked_confidential", S, c_special.marked_confidential, ALL12, 12),
    # sensitive by identifier
    Spec("csv_national_id", S, c_ids.csv_national_id, (*ALL12, "en", "es"), 14),
    Spec("form_id", S, c_ids.form_id, ALL12, 12),
    Spec("email_id", S, c_ids.email_id, ALL12, 12),
    Spec("ocr_passport", S, c_ids.ocr_passport, ALL12, 12),
    Spec("card_payment", S, c_ids.card_payment, ("en", "de", "fr", "es", "pl", "ja"), 10),
    Spec("iban_person", S, c_ids.iban_person, ("de", "fr", "es", "fi", "cs", "pl", "sv", "tr"), 10),
    Spec("customer_json", S, c_ids.customer_json, ("en", "de", "fr", "es", "pl", "tr"), 6),
    Spec("log_pii", S, c_ids.log_pii, ("code",), 4),
    Spec("secret_config", S, c_tech.secret_config, ("code",), 12),
    Spec("secret_code", S, c_tech.secret_code, ("code",), 10),
    Spec("private_key", S, c_tech.private_key, ("code",), 8),
    # look-alikes
    Spec("press_release", N, c_neg.press_release, ("en", "de", "fr", "es", "sv", "fi"), 9),
    Spec("job_ad_salary", N, c_neg.job_ad_salary, ("en", "de", "pl", "cs", "ja", "fr"), 9),
    Spec("health_article", N, c_neg.health_article, ("en", "es", "fi", "tr", "zh", "id"), 6),
    Spec("biography", N, c_neg.biography, ("en", "de", "fr", "sv", "cs", "ja", "tr", "pl"), 8),
    Spec("law_public", N, c_neg.law_public, ("en", "de", "fr", "es"), 4),
    Spec("hr_policy", N, c_neg.hr_policy, ("en", "de", "fi", "cs", "pl", "tr"), 6),
    Spec("pay_public", N, c_neg.pay_public, ("en", "de", "sv", "fi"), 8),
    Spec("minutes", N, c_neg.minutes, ("en", "de", "sv", "ja", "zh", "id"), 8),
    Spec(
        "marker_lookalike",
        N,
        c_neg.marker_lookalike,
        ("en", "de", "fr", "es", "sv", "pl", "cs", "fi", "ja"),
        9,
    ),
    Spec("business_email", N, c_neg.business_email, ("en", "de", "fr", "sv", "es", "pl"), 10),
    Spec(
        "special_public", N, c_neg.special_public, ("en", "de", "fr", "es", "sv", "ja", "zh", "id", "en"), 9
    ),
    Spec("docs_placeholders", N, c_tech.docs_placeholders, ("code",), 14),
    Spec("public_keys", N, c_tech.public_keys, ("code",), 10),
    Spec("hashes_log", N, c_tech.hashes_log, ("code",), 10),
    Spec("test_cards_doc", N, c_tech.test_cards_doc, ("en",), 5),
    Spec("product_csv", N, c_data.product_csv, ("en", "de", "sv", "pl", "ja", "cs"), 8),
    Spec("company_registry", N, c_data.company_registry, (*ALL12, "en", "de"), 14),
    Spec("securities_list", N, c_data.securities_list, ("en", "de", "fr"), 6),
    Spec("timetable_stats", N, c_data.timetable_stats, ("en", "de", "sv", "pl"), 8),
    Spec("invoice_b2b", N, c_data.invoice_b2b, ("de", "fr", "es", "sv", "fi", "cs", "pl"), 8),
)
