"""The held-out part of the independent corpus: locales, kinds, layouts and look-alike negatives that
the tuning part does not use. Written before the held-out part was first measured, and not changed
to fit the classifier after (see docs/classifier.md for how it was used).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from functools import cache

from tests.eval import sources as src
from tests.eval.peer import CASES_PATH

Maker = Callable[[random.Random, str], str]

HELDOUT_LOCALES = (
    "fi_FI", "no_NO", "dk_DK", "ro_RO", "bg_BG", "cs_CZ", "hr_HR", "et_EE", "lt_LT", "tr_TR", "he_IL",
    "uk_UA", "de_AT", "de_CH", "el_GR", "en_IN", "zh_CN", "ko_KR", "sl_SI", "th_TH",
)  # fmt: skip


def _label(locale: str) -> str:
    return src.NATIONAL_IDS[locale][1]


def _id_json(rng: random.Random, locale: str) -> str:
    record = {
        "name": src.person(rng, locale),
        _label(locale): src.national_id(rng, locale),
        "status": "active",
    }
    return json.dumps(record, ensure_ascii=False)


def _id_tsv(rng: random.Random, locale: str) -> str:
    return f"{_label(locale)}\t{src.national_id(rng, locale)}\nStatus\tverified"


def _id_sentence(rng: random.Random, locale: str) -> str:
    return f"Please verify the {_label(locale)} {src.national_id(rng, locale)} before payroll closes."


def _mrz(rng: random.Random, locale: str) -> str:
    return rng.choice(("OCR page 1 of 1\n", "Crew list, flight 0420\n", "APIS record\n")) + src.mrz_td3(
        rng, locale
    )


def _split_key(rng: random.Random, locale: str) -> str:
    key = src.api_key(rng)
    cut = rng.randint(8, len(key) - 6)
    return f'client = Client(\n    api_key="{key[:cut]}"\n    "{key[cut:]}",\n)'


def _b64_secret(rng: random.Random, locale: str) -> str:
    inner = f"PGPASSWORD={src.token(rng, '', 16)}#1\nPGUSER=app\n"
    return f"kind: Secret\ndata:\n  creds: {src.b64(inner)}"


def _openssh_body(rng: random.Random, locale: str) -> str:
    body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB" + src.token(
        rng, "", 40
    )
    return "deploy key (header stripped by the wiki):\n" + "\n".join(
        body[i : i + 64] for i in range(0, len(body), 64)
    )


def _card_dots(rng: random.Random, locale: str) -> str:
    return f"Kartennummer {src.card_number(rng, rng.choice(('.', '/', ' - ')))} gültig bis 08/29"


def _iban_json(rng: random.Random, locale: str) -> str:
    return json.dumps(
        {"beneficiary": src.person(rng, locale), "account": src.iban(rng, locale)}, ensure_ascii=False
    )


def _person(rng: random.Random) -> str:
    return src.person(rng, rng.choice(("en_GB", "fr_FR", "es_ES", "en_US")))


_SOAP = (
    "S: {p} reports low mood and poor sleep for six weeks.\nO: BP 128/82, PHQ-9 score 17.\n"
    "A: moderate depressive episode.\nP: start sertraline 50 mg, review in 4 weeks."
)
_HANDOFF = "Handover bed 12: {p}, 67, post-op day 2 after bowel resection, on IV morphine, watch for ileus."
_THERAPY = "Session 6 with {p}: we worked on the panic attacks; she still avoids the underground."
_LAB = "Results for {p}: HbA1c 9.1%, eGFR 48, LDL 4.2 mmol/L."
_MEDS = "{p} is taking lithium 400 mg twice daily and olanzapine at night."
_ORIENTATION = "{p} mentioned at the offsite that he is bisexual and asked us not to share it."
_RELIGION = "{p} is a practising Sikh and needs Friday afternoons for the gurdwara."
_UNION = "{p} joined the union last month and is now its shop steward."
_PERFORMANCE = "{p} received a final written warning on 3 May for repeated absences."
_SETTLEMENT = "Settlement agreement: {p} will receive £38,500 and a neutral reference."
_FR_HEALTH = "Mme {p} est atteinte d'une sclérose en plaques et sera absente en mars."
_ES_PAY = "El salario bruto de {p} sube a 52.000 € anuales desde enero."
_DOB = "{p}, born on 14 February 1987, joined the pension scheme."
_IP_LOG = "Failed login for user jdoe from 81.{a}.{b}.{c} at 03:12 UTC"
_MARKERS = (
    "KONFIDENTIELLT\n", "Fortroligt:\n", "LUOTTAMUKSELLINEN\n", "Přísně důvěrné\n", "Bizalmas:\n", "CONFIDENȚIAL\n",
    "ΕΜΠΙΣΤΕΥΤΙΚΟ\n", "RISERVATO\n", "Estrictamente confidencial\n", "CONFIDENCIAL\n", "Dôverné:\n", "POVJERLJIVO\n",
    "Zaupno:\n", "Konfidencialu\n", "Konfidentsiaalne\n", "ПОВЕРИТЕЛНО\n",
)  # fmt: skip


# Presidio entity types whose positives are personal data (not dates, URLs, postcodes, plates, company
# or product identifiers).
_PRESIDIO_PERSONAL = frozenset(
    [
        "ABA_ROUTING_NUMBER",
        "AU_MEDICARE",
        "AU_TFN",
        "CA_SIN",
        "CREDIT_CARD",
        "DE_HEALTH_INSURANCE",
        "DE_ID_CARD",
        "DE_PASSPORT",
        "DE_SOCIAL_SECURITY",
        "DE_TAX_ID",
        "EMAIL_ADDRESS",
        "ES_NIE",
        "ES_NIF",
        "ES_PASSPORT",
        "FI_PERSONAL_IDENTITY_CODE",
        "IBAN_CODE",
        "IN_AADHAAR",
        "IN_PAN",
        "IN_PASSPORT",
        "IN_VOTER",
        "IT_DRIVER_LICENSE",
        "IT_FISCAL_CODE",
        "IT_IDENTITY_CARD",
        "IT_PASSPORT",
        "KR_DRIVER_LICENSE",
        "KR_FRN",
        "KR_PASSPORT",
        "KR_RRN",
        "NG_NIN",
        "PHONE_NUMBER",
        "PH_TIN",
        "PL_PESEL",
        "SE_PERSONNUMMER",
        "SG_NRIC_FIN",
        "TH_TNIN",
        "TR_NATIONAL_ID",
        "UK_DRIVING_LICENCE",
        "UK_NHS",
        "UK_NINO",
        "UK_PASSPORT",
        "US_BANK_NUMBER",
        "US_DRIVER_LICENSE",
        "US_ITIN",
        "US_MBI",
        "US_PASSPORT",
        "US_SSN",
        "ZA_ID_NUMBER",
    ]
)


@cache
def _presidio_positives() -> tuple[str, ...]:
    """Presidio's positive recognizer cases for personal types, default configuration (absent: none)."""
    if not CASES_PATH.exists():
        return ()
    cases = [json.loads(line) for line in CASES_PATH.read_text().splitlines() if line.strip()]
    return tuple(
        case["text"]
        for case in cases
        if case["expected_count"] > 0
        and not case["recognizer_kwargs"]
        and case["entity_type"] in _PRESIDIO_PERSONAL
    )


def _presidio(rng: random.Random, locale: str) -> str:
    positives = _presidio_positives()
    return rng.choice(positives) if positives else ""


def _fill(template: str) -> Maker:
    return lambda rng, locale: template.format(p=_person(rng))


HELDOUT_KINDS: dict[str, Maker] = {
    "national_id_json": _id_json,
    "national_id_tsv": _id_tsv,
    "national_id_sentence": _id_sentence,
    "mrz": _mrz,
    "split_key": _split_key,
    "base64_secret": _b64_secret,
    "openssh_body": _openssh_body,
    "card_separators": _card_dots,
    "iban_json": _iban_json,
    "soap_note": _fill(_SOAP),
    "handoff_note": _fill(_HANDOFF),
    "therapy_note": _fill(_THERAPY),
    "lab_values": _fill(_LAB),
    "medication": _fill(_MEDS),
    "orientation": _fill(_ORIENTATION),
    "religion": _fill(_RELIGION),
    "union": _fill(_UNION),
    "performance": _fill(_PERFORMANCE),
    "settlement": _fill(_SETTLEMENT),
    "health_fr": lambda rng, loc: _FR_HEALTH.format(p=src.person(rng, "fr_FR")),
    "pay_es": lambda rng, loc: _ES_PAY.format(p=src.person(rng, "es_ES")),
    "date_of_birth": _fill(_DOB),
    "ip_log": lambda rng, loc: _IP_LOG.format(
        a=rng.randint(1, 200), b=rng.randint(0, 255), c=rng.randint(1, 254)
    ),
    "marker_other_languages": lambda rng, loc: rng.choice(_MARKERS),
    "presidio_cases": _presidio,
}

HELDOUT_CLEAN: dict[str, Maker] = {
    "job_advert": lambda rng, loc: f"We offer a salary of ${rng.randint(60, 90)},000-${rng.randint(95, 130)},000 plus bonus. Apply via careers@example.org.",
    "road_safety": lambda rng, loc: f"Police made {rng.randint(900, 9000)} arrests for DUI last year, down {rng.randint(2, 9)}%.",
    "pharma_market": lambda rng, loc: "Pembrolizumab and semaglutide led the year's sales; insulin prices fell 12%.",
    "court_privilege": lambda rng, loc: "The court held that attorney-client privilege does not extend to business advice.",
    "biography": lambda rng, loc: "Marie Curie (born 7 November 1867 in Warsaw) won two Nobel Prizes.",
    "readme_placeholders": lambda rng, loc: "Set `DB_PASSWORD=${DB_PASSWORD}` and pass `api_key=API_KEY` from your environment.",
    "network_docs": lambda rng, loc: f"Example: route 198.51.100.0/24 via 203.0.113.{rng.randint(1, 254)}; IPv6 2001:db8:{rng.randint(1, 999)}::1.",
    "invoice_totals": lambda rng, loc: f"Order {rng.randint(100000, 999999)}: 3 x widget at €{rng.randint(10, 99)}.50, total €{rng.randint(100, 999)}.50.",
    "privacy_contact": lambda rng, loc: "Questions? Contact our Data Protection Officer at dpo@example.eu or the hotline 0800 555 0100.",
    "news_ceo": lambda rng, loc: f"{_person(rng)}, chief executive, said revenue grew {rng.randint(2, 15)}% in the quarter.",
    "recipe": lambda rng, loc: "Bake in a 900 g loaf tin at 180 C for 40 minutes.",
    "sku_barcode": lambda rng, loc: f"Item SKU-{rng.randint(1000, 9999)}, barcode {src.faker_for('en_US', rng.randrange(1 << 30)).ean13()}.",
}  # fmt: skip
