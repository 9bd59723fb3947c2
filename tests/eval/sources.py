"""Values for the independent evaluation corpus, from sources the classifier was not written from:
Faker's locale providers (names, addresses, phone numbers, national ids) and identifiers generated to
be valid for python-stdnum's validators. Everything is seeded: the same seed gives the same values.
"""

from __future__ import annotations

import base64
import importlib
import random
import string
from functools import cache

from faker import Faker

# Faker locale -> (stdnum module that validates the locale's national id, the label people write).
# Faker's `ssn()` is used where stdnum accepts it; otherwise a stdnum-valid value is generated.
NATIONAL_IDS: dict[str, tuple[str, str]] = {
    "en_US": ("us.ssn", "SSN"),
    "en_CA": ("ca.sin", "SIN"),
    "pt_BR": ("br.cpf", "CPF"),
    "nl_NL": ("nl.bsn", "BSN"),
    "pl_PL": ("pl.pesel", "PESEL"),
    "it_IT": ("it.codicefiscale", "codice fiscale"),
    "fr_FR": ("fr.nir", "numéro de sécurité sociale"),
    "sv_SE": ("se.personnummer", "personnummer"),
    "de_DE": ("de.idnr", "Steuer-ID"),
    "es_ES": ("es.dni", "DNI"),
    "fi_FI": ("fi.hetu", "henkilötunnus"),
    "no_NO": ("no.fodselsnummer", "fødselsnummer"),
    "dk_DK": ("dk.cpr", "CPR-nummer"),
    "ro_RO": ("ro.cnp", "CNP"),
    "bg_BG": ("bg.egn", "ЕГН"),
    "cs_CZ": ("cz.rc", "rodné číslo"),
    "hr_HR": ("hr.oib", "OIB"),
    "et_EE": ("ee.ik", "isikukood"),
    "lt_LT": ("lt.asmens", "asmens kodas"),
    "tr_TR": ("tr.tckimlik", "T.C. Kimlik No"),
    "he_IL": ("il.idnr", "מספר זהות"),
    "uk_UA": ("ua.rntrc", "РНОКПП"),
    "de_AT": ("at.vnr", "Versicherungsnummer"),
    "de_CH": ("ch.ssn", "AHV-Nummer"),
    "el_GR": ("gr.amka", "ΑΜΚΑ"),
    "en_IN": ("in_.aadhaar", "Aadhaar"),
    "zh_CN": ("cn.ric", "身份证号码"),
    "ko_KR": ("kr.rrn", "주민등록번호"),
    "sl_SI": ("si.emso", "EMŠO"),
    "en_AU": ("au.tfn", "TFN"),
    "th_TH": ("th.pin", "เลขประจำตัวประชาชน"),
    # used by the second held-out part only
    "lv_LV": ("lv.pvn", "personas kods"),
    "nl_BE": ("be.nn", "rijksregisternummer"),
    "fr_CH": ("ch.ssn", "numéro AVS"),
    "sk_SK": ("sk.rc", "rodné číslo"),
    "es_AR": ("ar.cuit", "CUIT"),
}


@cache
def faker_for(locale: str, seed: int) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


def _module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"stdnum.{name}")


def national_id(rng: random.Random, locale: str) -> str:
    """A national id for the locale that its stdnum validator accepts, as Faker writes it if it can."""
    module_name, _ = NATIONAL_IDS[locale]
    module = _module(module_name)
    fake = faker_for(locale, rng.randrange(1 << 30))
    for _ in range(5):
        try:
            value = str(fake.ssn())
        except (AttributeError, NotImplementedError):
            break
        if module.is_valid(value):
            return value
    return _brute_force_valid(rng, module_name)


# The digit lengths to try for formats Faker cannot write (brute force: random digits until valid).
_LENGTHS = {"dk.cpr": 10, "bg.egn": 10, "cz.rc": 10, "lt.asmens": 11, "si.emso": 13, "in_.aadhaar": 12,
            "de.idnr": 11, "kr.rrn": 13, "cn.ric": 18, "au.tfn": 9, "gr.amka": 11, "sk.rc": 10}  # fmt: skip


def _brute_force_valid(rng: random.Random, module_name: str) -> str:
    if module_name == "es.dni":  # eight digits and the mod-23 letter
        number = rng.randrange(10_000_000, 99_999_999)
        return f"{number}{'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23]}"
    module, length = _module(module_name), _LENGTHS.get(module_name, 11)
    for _ in range(200_000):
        value = "".join(rng.choice(string.digits) for _ in range(length))
        if module_name in ("dk.cpr", "bg.egn", "cz.rc", "sk.rc", "lt.asmens", "si.emso", "kr.rrn"):
            value = _with_birth_date(rng, value, module_name)
        if module_name == "cn.ric":
            value = (
                "110101"
                + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                + value[14:]
            )
            value = value[:17] + rng.choice("0123456789X")
        if module.is_valid(value):
            return module.format(value) if hasattr(module, "format") and rng.random() < 0.5 else value
    raise RuntimeError(f"no valid {module_name} generated")


def _with_birth_date(rng: random.Random, value: str, module_name: str) -> str:
    year, month, day = rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)
    if module_name == "lt.asmens":
        return f"{rng.choice('3456')}{year % 100:02d}{month:02d}{day:02d}" + value[7:]
    if module_name == "si.emso":
        return f"{day:02d}{month:02d}{year % 1000:03d}50" + value[9:]
    if module_name == "dk.cpr":
        return f"{day:02d}{month:02d}{year % 100:02d}" + value[6:]
    if module_name == "bg.egn":
        return f"{year % 100:02d}{month:02d}{day:02d}" + value[6:]
    if module_name == "kr.rrn":
        return f"{year % 100:02d}{month:02d}{day:02d}" + rng.choice("12") + value[7:]
    return f"{year % 100:02d}{month + rng.choice((0, 50)):02d}{day:02d}" + value[6:]  # cz.rc


def person(rng: random.Random, locale: str) -> str:
    return faker_for(locale, rng.randrange(1 << 30)).name()


def paragraphs(rng: random.Random, locale: str, chars: int) -> list[str]:
    """Filler prose in the locale's language where Faker has a word list, else English."""
    try:
        fake = faker_for(locale, rng.randrange(1 << 30))
        out, total = [], 0
        while total < chars:
            paragraph = fake.paragraph(nb_sentences=rng.randint(3, 7))
            out.append(paragraph)
            total += len(paragraph)
        return out
    except AttributeError:
        return paragraphs(rng, "en_US", chars)


def card_number(rng: random.Random, separator: str) -> str:
    number = faker_for("en_US", rng.randrange(1 << 30)).credit_card_number(
        card_type=rng.choice(("visa16", "mastercard"))
    )
    groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    return separator.join(groups)


def iban(rng: random.Random, locale: str) -> str:
    """An IBAN stdnum accepts (Faker's are not always valid: wrong length for the country)."""
    for attempt in range(50):
        # Some locales' IBANs never validate: after a few tries, a German one.
        fake = faker_for(locale if attempt < 5 else "de_DE", rng.randrange(1 << 30))
        try:
            value = fake.iban()
        except AttributeError:
            value = faker_for("de_DE", rng.randrange(1 << 30)).iban()
        if _module("iban").is_valid(value):
            return value
    raise RuntimeError("no valid IBAN generated")


def token(
    rng: random.Random, prefix: str, length: int, alphabet: str = string.ascii_letters + string.digits
) -> str:
    return prefix + "".join(rng.choice(alphabet) for _ in range(length))


def api_key(rng: random.Random) -> str:
    return rng.choice(
        (
            token(rng, "sk-proj-", 48),
            token(rng, "ghp_", 36),
            token(rng, "AKIA", 16, string.ascii_uppercase + string.digits),
            token(rng, "xoxb-", 40, string.ascii_lowercase + string.digits + "-"),
            token(rng, "glpat-", 20),
            token(rng, "hf_", 34),
        )
    )


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def mrz_td3(rng: random.Random, locale: str) -> str:
    """A TD3 (passport) machine-readable zone with correct ICAO 9303 check digits."""
    fake = faker_for("en_US", rng.randrange(1 << 30))
    surname = "".join(c for c in fake.last_name().upper() if c.isalpha())
    given = "".join(c for c in fake.first_name().upper() if c.isalpha())
    country = rng.choice(("UTO", "D<<", "FRA", "NLD", "SWE", "POL", "ITA", "ESP", "GBR", "CAN"))
    line1 = f"P<{country}{surname}<<{given}".ljust(44, "<")[:44]
    number = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(9))
    birth = f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    expiry = f"{rng.randint(26, 35):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = (
        f"{number}{_check(number)}{country}{birth}{_check(birth)}{rng.choice('MF')}{expiry}{_check(expiry)}"
    )
    personal = "<" * 14
    line2 = body + personal + _check(personal)
    line2 += _check(line2[0:10] + line2[13:20] + line2[21:43])
    return f"{line1}\n{line2}"


def _check(field: str) -> str:
    weights = (7, 3, 1)
    total = 0
    for index, char in enumerate(field):
        value = int(char) if char.isdigit() else 0 if char == "<" else ord(char) - 55
        total += value * weights[index % 3]
    return str(total % 10)
