"""The second held-out part ("heldout2"): written after the first held-out part had been measured and
its misses examined, and before this part was first run. Locales, layouts, languages and kinds that
neither the tuning part nor the first held-out part uses: e-mail threads, chat logs, HR spreadsheets,
manifests, German/Spanish/Italian/Polish/Dutch clinical and HR text, config diffs; and new look-alikes.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.eval import sources as src

Maker = Callable[[random.Random, str], str]

HELDOUT2_LOCALES = (
    "lv_LV", "nl_BE", "fr_CH", "sk_SK", "es_AR", "ru_RU", "ja_JP", "vi_VN", "fa_IR", "da_DK", "es_MX", "hy_AM",
)  # fmt: skip
# Locales with a national id of their own in this part; the others borrow one of these.
_ID_LOCALES = ("lv_LV", "nl_BE", "fr_CH", "sk_SK", "es_AR")


def _id_locale(rng: random.Random, locale: str) -> str:
    return locale if locale in _ID_LOCALES else rng.choice(_ID_LOCALES)


def _id_email(rng: random.Random, locale: str) -> str:
    loc = _id_locale(rng, locale)
    who = src.person(rng, loc)
    return (
        f"From: HR Operations <hr-ops@example.net>\nSubject: onboarding {who}\n\n"
        f"Hi, for the contract we still need the {src.NATIONAL_IDS[loc][1]}: {src.national_id(rng, loc)}.\n"
    )


def _manifest(rng: random.Random, locale: str) -> str:
    rows = [
        f"{i + 1:02d} | {src.person(rng, 'en_GB').upper()} | PASSPORT NO {src.token(rng, '', 2, 'ABCDEFGHJKLMNPRSTUVWXYZ')}"
        f"{rng.randint(1000000, 9999999)} | SEAT {rng.randint(1, 40)}{rng.choice('ABCDEF')}"
        for i in range(3)
    ]
    return "PASSENGER MANIFEST FLIGHT XY 123\n" + "\n".join(rows)


def _merit_table(rng: random.Random, locale: str) -> str:
    rows = [
        f"| {src.person(rng, 'en_US')} | {rng.randint(55, 140)},000 | {rng.randint(2, 9)}% |"
        for _ in range(4)
    ]
    return "| Employee | Current salary (USD) | Merit increase |\n|---|---|---|\n" + "\n".join(rows)


def _hr_chat(rng: random.Random, locale: str) -> str:
    first = src.person(rng, "en_GB").split()[0]
    return f"[10:42] manager: fyi {first}'s raise came through, {rng.randint(4, 12)}% from next month\n[10:43] hr: ok, noted"


def _env_diff(rng: random.Random, locale: str) -> str:
    return f"--- a/.env\n+++ b/.env\n@@ -1,2 +1,2 @@\n-DATABASE_URL=sqlite:///dev.db\n+DATABASE_URL=postgres://app:{src.token(rng, '', 12)}@db.prod.internal:5432/app"


def _compose_secret(rng: random.Random, locale: str) -> str:
    return f"services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: {src.token(rng, '', 10)}9!"


def _slack_export(rng: random.Random, locale: str) -> str:
    phone = src.faker_for("en_US", rng.randrange(1 << 30)).phone_number()
    return f'{{"user": "U{rng.randint(10000, 99999)}", "text": "call me on my cell {phone} after 6"}}'


_DE_NURSE = "Pflegebericht: Frau {p}, Diabetes mellitus Typ 2, erhält Insulin 10 IE morgens."
_ES_REPORT = "Informe: {p} fue diagnosticada con cáncer de mama en estadio II."
_IT_HR = "Lettera a {p}: lo stipendio lordo annuo sarà di 38.500 € dal 1° marzo."
_PL_FORM = "Dane pracownika: {p}, PESEL {pesel}, umowa na czas nieokreślony."
_NL_SICK = "{p} is sinds maandag ziek gemeld met een burn-out."
_EN_FAMILY = "{p}'s daughter was admitted to the psychiatric ward on Friday."
_EN_REFERENCE = "Reference check: {p} was dismissed in 2021 for gross misconduct."
_EN_IMMIGRATION = "{p}'s work visa expires in May; her immigration status is under review."


def _named(template: str, locale: str) -> Maker:
    return lambda rng, loc: template.format(p=src.person(rng, locale))


HELDOUT2_KINDS: dict[str, Maker] = {
    "id_in_email": _id_email,
    "passenger_manifest": _manifest,
    "merit_table": _merit_table,
    "hr_chat": _hr_chat,
    "env_diff": _env_diff,
    "compose_secret": _compose_secret,
    "slack_export_phone": _slack_export,
    "nurse_note_de": _named(_DE_NURSE, "de_DE"),
    "medical_report_es": _named(_ES_REPORT, "es_ES"),
    "hr_letter_it": _named(_IT_HR, "it_IT"),
    "employee_form_pl": lambda rng, loc: _PL_FORM.format(
        p=src.person(rng, "pl_PL"), pesel=src.national_id(rng, "pl_PL")
    ),
    "sick_note_nl": _named(_NL_SICK, "nl_NL"),
    "family_health": _named(_EN_FAMILY, "en_GB"),
    "reference_check": _named(_EN_REFERENCE, "en_US"),
    "immigration": _named(_EN_IMMIGRATION, "en_US"),
    "iban_prose": lambda rng, loc: (
        f"Bitte überweisen Sie die Kaution auf mein Konto {src.iban(rng, 'de_DE')}."
    ),
    "card_in_chat": lambda rng, loc: (
        f"ok here it is {src.card_number(rng, '')} exp 11/28 cvv {rng.randint(100, 999)}"
    ),
}

HELDOUT2_CLEAN: dict[str, Maker] = {
    "conference_agenda": lambda rng, loc: f"09:30 Keynote: {src.person(rng, 'en_US')} (Acme Robotics). Questions to events@example.org.",
    "changelog": lambda rng, loc: f"v{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)} (commit {src.token(rng, '', 40, '0123456789abcdef')}): fix token refresh.",
    "annual_report": lambda rng, loc: f"Revenue rose to ${rng.randint(100, 900)} million; CEO {src.person(rng, 'en_US')} thanked staff.",
    "hospital_press": lambda rng, loc: f"The hospital treated {rng.randint(1000, 9000)} patients for influenza this winter.",
    "sports_report": lambda rng, loc: f"{src.person(rng, 'en_GB')} scored twice as the visitors won 3-1 in front of 41,203 fans.",
    "product_catalogue": lambda rng, loc: f"Art.-Nr. {rng.randint(100000, 999999)} EAN {src.faker_for('de_DE', rng.randrange(1 << 30)).ean13()} Preis {rng.randint(5, 99)},99 €",
    "privacy_prose": lambda rng, loc: "We keep your data confidential and never sell it; see our privacy notice.",
    "weather": lambda rng, loc: f"Highs of {rng.randint(10, 30)} C, winds {rng.randint(5, 40)} km/h, pressure 1013 hPa.",
    "salary_survey": lambda rng, loc: f"The median salary for data engineers rose to ${rng.randint(90, 140)},000 in {rng.randint(2020, 2025)}.",
    "api_docs": lambda rng, loc: "Authenticate with `Authorization: Bearer <YOUR_TOKEN>`; never commit your key.",
}  # fmt: skip
