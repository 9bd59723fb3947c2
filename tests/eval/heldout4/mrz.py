"""Machine-readable zones of passports (TD3) and identity cards (TD1) per ICAO 9303, check digits right."""

from __future__ import annotations

import random
import string
import unicodedata
from datetime import date

from .ids import DIGITS, _n


def _mrz_check(field: str) -> str:
    weights = (7, 3, 1)
    total = 0
    for i, ch in enumerate(field):
        val = int(ch) if ch.isdigit() else 0 if ch == "<" else ord(ch) - 55
        total += val * weights[i % 3]
    return str(total % 10)


_TRANSLIT = str.maketrans(
    {
        "Α": "A",
        "Β": "V",
        "Γ": "G",
        "Δ": "D",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "I",
        "Θ": "TH",
        "Ι": "I",
        "Κ": "K",
        "Λ": "L",
        "Μ": "M",
        "Ν": "N",
        "Ξ": "X",
        "Ο": "O",
        "Π": "P",
        "Ρ": "R",
        "Σ": "S",
        "Τ": "T",
        "Υ": "Y",
        "Φ": "F",
        "Χ": "CH",
        "Ψ": "PS",
        "Ω": "O",
        "А": "A",
        "Б": "B",
        "В": "V",
        "Г": "H",
        "Ґ": "G",
        "Д": "D",
        "Е": "E",
        "Є": "IE",
        "Ж": "ZH",
        "З": "Z",
        "И": "Y",
        "І": "I",
        "Ї": "I",
        "Й": "I",
        "К": "K",
        "Л": "L",
        "М": "M",
        "Н": "N",
        "О": "O",
        "П": "P",
        "Р": "R",
        "С": "S",
        "Т": "T",
        "У": "U",
        "Ф": "F",
        "Х": "KH",
        "Ц": "TS",
        "Ч": "CH",
        "Ш": "SH",
        "Щ": "SHCH",
        "Ь": "",
        "Ю": "IU",
        "Я": "IA",
        "Ы": "Y",
        "Э": "E",
    }
)


def mrz_name(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFD", text.upper()) if not unicodedata.combining(c))
    text = text.replace("ΟΥ", "OU").translate(_TRANSLIT)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii())
    return "".join(c if c.isalpha() else "<" for c in text)


def mrz_td3(
    rng: random.Random, country: str, surname: str, given: str, sex: str, born: date
) -> tuple[str, str]:
    """Passport MRZ (two lines of 44) with every check digit right."""
    l1 = f"P<{country}{mrz_name(surname)}<<{mrz_name(given)}".ljust(44, "<")[:44]
    number = "".join(rng.choice(string.ascii_uppercase + DIGITS) for _ in range(2)) + _n(rng, 7)
    exp = date(rng.randrange(2026, 2035), rng.randrange(1, 13), rng.randrange(1, 29))
    b, e = f"{born:%y%m%d}", f"{exp:%y%m%d}"
    personal = "<" * 14
    l2 = number + _mrz_check(number) + country + b + _mrz_check(b) + sex + e + _mrz_check(e) + personal + "<"
    composite = l2[0:10] + l2[13:20] + l2[21:43]
    return l1, l2 + _mrz_check(composite)


def mrz_td1(
    rng: random.Random, country: str, surname: str, given: str, sex: str, born: date, optional: str = ""
) -> tuple[str, str, str]:
    """Identity-card MRZ (three lines of 30) with every check digit right."""
    number = "".join(rng.choice(string.ascii_uppercase) for _ in range(3)) + _n(rng, 6)
    l1 = (f"I<{country}{number}{_mrz_check(number)}" + optional[:15]).ljust(30, "<")
    exp = date(rng.randrange(2026, 2035), rng.randrange(1, 13), rng.randrange(1, 29))
    b, e = f"{born:%y%m%d}", f"{exp:%y%m%d}"
    l2 = (b + _mrz_check(b) + sex + e + _mrz_check(e) + country).ljust(29, "<")
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += _mrz_check(composite)
    l3 = f"{mrz_name(surname)}<<{mrz_name(given)}".ljust(30, "<")[:30]
    return l1, l2, l3
