"""Bank account numbers (IBAN, with the national BBAN checks stdnum applies) and payment card numbers
(Luhn), valid for the held-out corpora."""

from __future__ import annotations

import random
import string

from stdnum import luhn

from .ids import DIGITS, _n

_BBAN = {  # country: BBAN shape ('n' digit, 'a' upper letter, 'c' either)
    "DE": "n" * 18,
    "FR": "n" * 23,
    "ES": "n" * 20,
    "SE": "n" * 20,
    "FI": "n" * 14,
    "CZ": "n" * 20,
    "PL": "n" * 24,
    "TR": "nnnnn0" + "n" * 16,
    "GB": "aaaa" + "n" * 14,
    "HU": "n" * 24,
    "RO": "aaaa" + "n" * 16,
    "GR": "n" * 23,
    "NL": "aaaa" + "n" * 10,
    "PT": "n" * 21,
    "IT": "a" + "n" * 22,
    "DK": "n" * 14,
    "NO": "n" * 11,
    "BE": "n" * 12,
    "UA": "n" * 25,
    "SA": "n" * 20,
    "AE": "n" * 19,
    "AT": "n" * 16,
    "CH": "n" * 17,
}


def _iban_valid(v: str) -> bool:
    from stdnum import iban

    return bool(iban.is_valid(v))


def iban(rng: random.Random, country: str, spaced: bool = True) -> str:
    from stdnum.iso7064 import mod_97_10

    shape = _BBAN[country]
    for _ in range(5000):
        bban = "".join(
            rng.choice(DIGITS) if c == "n" else rng.choice(string.ascii_uppercase) if c == "a" else c
            for c in shape
        )
        check = mod_97_10.calc_check_digits(bban + country)
        v = f"{country}{check}{bban}"
        if _iban_valid(v):
            return " ".join(v[i : i + 4] for i in range(0, len(v), 4)) if spaced else v
    raise RuntimeError("no valid IBAN")


_CARD_PREFIX = {
    "visa": ("4", 16),
    "mastercard": ("5", 16),
    "amex": ("37", 15),
    "jcb": ("35", 16),
    "unionpay": ("62", 16),
    "discover": ("6011", 16),
    "maestro": ("6759", 19),
}


def card(rng: random.Random, brand: str, sep: str = " ") -> str:
    prefix, length = _CARD_PREFIX[brand]
    if brand == "mastercard":
        prefix = rng.choice(["51", "52", "53", "54", "55"])
    if brand == "jcb":
        prefix = str(rng.randrange(3528, 3590))
    body = prefix + _n(rng, length - len(prefix) - 1)
    v = body + luhn.calc_check_digit(body)
    groups = [4, 6, 5] if length == 15 else [4, 4, 4, 4, 3] if length == 19 else [4, 4, 4, 4]
    parts, i = [], 0
    for g in groups:
        parts.append(v[i : i + g])
        i += g
    return sep.join(parts)
