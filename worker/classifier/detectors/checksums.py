"""Check-digit validators that python-stdnum lacks, or where stdnum is stricter than real documents.

Each takes the compact value (separators removed, upper case) and returns whether it is well formed.
"""

from __future__ import annotations

from stdnum import verhoeff

_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_HETU_CENTURY = "+-ABCDEFUVWXY"
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def us_ssn(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def us_itin(area: str, group: str) -> bool:
    g = int(group)
    return area[0] == "9" and (50 <= g <= 65 or 70 <= g <= 88 or 90 <= g <= 92 or 94 <= g <= 99)


def fi_hetu(value: str) -> bool:
    """Finnish personal identity code, including the century signs added in 2023 (U-Y, B-F)."""
    if len(value) != 11 or value[6] not in _HETU_CENTURY or not (value[:6] + value[7:10]).isdigit():
        return False
    day, month = int(value[:2]), int(value[2:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return _HETU_CHECK[int(value[:6] + value[7:10]) % 31] == value[10]


def kr_rrn(value: str) -> bool:
    """Korean resident registration number: birth date and a 1-4 century/gender digit. Numbers issued
    since October 2020 have no check digit, so none is verified."""
    if len(value) != 13 or not value.isdigit():
        return False
    month, day = int(value[2:4]), int(value[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31 and value[6] in "1234"


def es_dni(value: str) -> bool:
    digits, letter = value[:-1], value[-1]
    return 7 <= len(digits) <= 8 and digits.isdigit() and _DNI_LETTERS[int(digits) % 23] == letter


def es_nie(value: str) -> bool:
    if len(value) != 9 or value[0] not in "XYZ":
        return False
    return es_dni(str("XYZ".index(value[0])) + value[1:])


def sg_nric(value: str) -> bool:
    """Singapore NRIC/FIN: prefix letter, seven digits, check letter."""
    if len(value) != 9 or value[0] not in "STFGM" or not value[1:8].isdigit():
        return False
    weights = (2, 7, 6, 5, 4, 3, 2)
    total = sum(int(d) * w for d, w in zip(value[1:8], weights, strict=True))
    if value[0] in "TG":
        total += 4
    elif value[0] == "M":
        total += 3
    index = total % 11
    table = {
        "S": "JZIHGFEDCBA",
        "T": "JZIHGFEDCBA",
        "F": "XWUTRQPNMLK",
        "G": "XWUTRQPNMLK",
        "M": "KLJNPQRTUWX",
    }
    if value[0] == "M":
        index = 10 - index
    return table[value[0]][index] == value[8]


def in_aadhaar(value: str) -> bool:
    return len(value) == 12 and value.isdigit() and value[0] not in "01" and verhoeff.is_valid(value)


def tr_tckn(value: str) -> bool:
    if len(value) != 11 or not value.isdigit() or value[0] == "0":
        return False
    d = [int(c) for c in value]
    tenth = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    return tenth == d[9] and sum(d[:10]) % 10 == d[10]


def fr_nir(value: str) -> bool:
    """French social security number (NIR): 13 digits + 2-digit key = 97 - (number mod 97)."""
    if len(value) != 15 or not value.isdigit() or value[0] not in "12":
        return False
    return 97 - int(value[:13]) % 97 == int(value[13:])


def de_kvnr(value: str) -> bool:
    """German health insurance number (KVNR): a letter and nine digits, Luhn-style check digit."""
    if len(value) != 10 or not value[0].isalpha() or not value[1:].isdigit():
        return False
    digits = f"{ord(value[0].upper()) - 64:02d}" + value[1:9]
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (1 if index % 2 == 0 else 2)
        total += product // 10 + product % 10
    return total % 10 == int(value[9])


def gb_nhs(value: str) -> bool:
    if len(value) != 10 or not value.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(value[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(value[9])
