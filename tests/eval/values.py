"""Identifier generators for the evaluation corpus: checksum-valid values in many formats and locales,
each embedded in a sentence the way real documents carry it. Values are synthetic."""

from __future__ import annotations

import random
import string
from collections.abc import Callable

from stdnum.iso7064 import mod_11_10

from tests.eval.prose import CITIES, FIRST, LAST, MONTHS, person

Rng = random.Random


def digits(rng: Rng, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def luhn_complete(body: str) -> str:
    for check in "0123456789":
        candidate = body + check
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def group(value: str, sizes: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for size in sizes:
        out.append(value[i : i + size])
        i += size
    return sep.join(part for part in out if part)


# ---- financial ---------------------------------------------------------------------------------------
def card(rng: Rng) -> str:
    brand = rng.choice(["visa", "mc", "mc2", "amex", "discover", "jcb"])
    prefix, length = {
        "visa": ("4", 16),
        "mc": (str(rng.randrange(51, 56)), 16),
        "mc2": (str(rng.randrange(2221, 2721)), 16),
        "amex": (rng.choice(["34", "37"]), 15),
        "discover": ("6011", 16),
        "jcb": (str(rng.randrange(3528, 3590)), 16),
    }[brand]
    number = luhn_complete(prefix + digits(rng, length - len(prefix) - 1))
    sep = rng.choice([" ", "-", "", " "])
    sizes = (4, 6, 5) if length == 15 else (4, 4, 4, 4)
    return group(number, sizes, sep)


_IBAN_BBAN = {
    "DE": "n18",
    "GB": "a4n14",
    "FR": "n10c11n2",
    "ES": "n20",
    "IT": "a1n10c12",
    "NL": "a4n10",
    "BE": "n12",
    "AT": "n16",
    "CH": "n5c12",
    "PL": "n24",
    "IE": "a4n14",
    "PT": "n21",
}


def iban(rng: Rng) -> str:
    country = rng.choice(list(_IBAN_BBAN))
    spec, bban, i = _IBAN_BBAN[country], "", 0
    while i < len(spec):
        kind, j = spec[i], i + 1
        while j < len(spec) and spec[j].isdigit():
            j += 1
        count = int(spec[i + 1 : j])
        pool = {"n": string.digits, "a": string.ascii_uppercase, "c": string.digits + string.ascii_uppercase}[
            kind
        ]
        bban += "".join(rng.choice(pool) for _ in range(count))
        i = j
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    value = f"{country}{check:02d}{bban}"
    return " ".join(value[k : k + 4] for k in range(0, len(value), 4)) if rng.random() < 0.6 else value


def aba(rng: Rng) -> str:
    while True:
        body = rng.choice(["0", "1", "2", "3"]) + digits(rng, 7)
        if int(body[:2]) <= 12 or 21 <= int(body[:2]) <= 32:
            break
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    check = (10 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 10) % 10
    return body + str(check)


# ---- national ids --------------------------------------------------------------------------------------
def ssn(rng: Rng) -> str:
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    sep = rng.choice(["-", "-", " "])
    return f"{area:03d}{sep}{rng.randrange(1, 100):02d}{sep}{rng.randrange(1, 10000):04d}"


def public_ip(rng: Rng) -> str:
    import ipaddress

    while True:
        value = ".".join(str(rng.randrange(1, 255)) for _ in range(4))
        address = ipaddress.ip_address(value)
        if address.is_global and not address.is_multicast:
            return value


def nino(rng: Rng) -> str:
    first, second = rng.choice("ABCEGHJKLMNOPRSTWXYZ"), rng.choice("ABCEGHJKLMNPRSTWXYZ")
    while first + second in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
        second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    body = digits(rng, 6)
    return rng.choice(
        [
            f"{first}{second} {body[:2]} {body[2:4]} {body[4:]} {rng.choice('ABCD')}",
            f"{first}{second}{body}{rng.choice('ABCD')}",
        ]
    )


def passport(rng: Rng) -> str:
    return rng.choice(
        [
            digits(rng, 9),
            rng.choice("ACDEFGH") + digits(rng, 8),
            rng.choice("CFGHJK") + "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8)),
        ]
    )


def steuer_id(rng: Rng) -> str:
    while True:
        body = str(rng.randrange(1, 10)) + digits(rng, 9)
        value = body + mod_11_10.calc_check_digit(body)
        if value[0] != "0":
            return value


def nir(rng: Rng) -> str:
    body = (
        f"{rng.choice('12')}{rng.randrange(40, 99):02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 96):02d}"
        f"{rng.randrange(1, 990):03d}{rng.randrange(1, 999):03d}"
    )
    key = 97 - int(body) % 97
    value = f"{body}{key:02d}"
    return group(value, (1, 2, 2, 2, 3, 3, 2), " ") if rng.random() < 0.5 else value


def dni(rng: Rng) -> str:
    number = rng.randrange(10**7, 10**8)
    return f"{number}{'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23]}"


# ---- health, secrets ---------------------------------------------------------------------------------------
def nhs(rng: Rng) -> str:
    while True:
        body = digits(rng, 9)
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            value = body + str(check)
            return group(value, (3, 3, 4), rng.choice([" ", "-", ""]))


def token(rng: Rng, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def date_text(rng: Rng) -> str:
    day, month, year = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(1940, 2006)
    return rng.choice(
        [
            f"{month:02d}/{day:02d}/{year}",
            f"{day:02d}.{month:02d}.{year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day} {MONTHS[month - 1]} {year}",
            f"{MONTHS[month - 1]} {day}, {year}",
        ]
    )


Template = Callable[[Rng], str]


def _cities(rng: Rng) -> str:
    return rng.choice(CITIES)


def full_name(rng: Rng) -> str:
    return rng.choice(
        [
            person(rng),
            f"{rng.choice(['Mr.', 'Ms.', 'Dr.', 'Mrs.'])} {rng.choice(LAST)}",
            f"{rng.choice(FIRST)} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(LAST)}",
        ]
    )


def aadhaar(rng: Rng) -> str:
    from stdnum import verhoeff

    body = str(rng.randrange(2, 10)) + digits(rng, 10)
    value = body + verhoeff.calc_check_digit(body)
    return group(value, (4, 4, 4), rng.choice([" ", "-", " "]))
