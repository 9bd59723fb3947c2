"""Set H's personal identifiers, one format per language, none used by sets A-G.

The Galician document carries a Spanish bank account (Código Cuenta Cliente) that python-stdnum's es.ccc
accepts. The Serbian JMBG, the Kazakh IIN and the Faroese P-tal carry their published check digits (mod 11;
the IIN with its second weight row). The Namibian identity number and the Mongolian register number have no
public check digit and are written in their usual shapes (date of birth, then a serial).
"""

from __future__ import annotations

import random

from ..heldout4.ids import _mod, _n, _solve, _ymd, dob

_CYR = "АБВГДЕЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЭЮЯ"


def na_id(rng: random.Random) -> str:
    yy, mm, dd = _ymd(dob(rng))
    return f"{yy}{mm}{dd}{_n(rng, 5)}"


def es_ccc(rng: random.Random) -> str:
    bank = rng.choice(["2080", "0238", "2100", "0049", "0081"])  # banks with Galician branches
    v = _solve(rng, _mod("es.ccc"), lambda r: f"{bank}{_n(r, 4)}??{_n(r, 10)}")
    return f"{v[:4]} {v[4:8]} {v[8:10]} {v[10:]}"


def sr_jmbg(rng: random.Random) -> str:
    """JMBG: DDMMYYY RR SSS K, regions 71-79 (Belgrade and central Serbia); weights 7..2 twice, mod 11."""
    while True:
        d = dob(rng)
        body = f"{d.day:02d}{d.month:02d}{d.year % 1000:03d}{rng.randrange(71, 80)}{_n(rng, 3)}"
        k = 11 - sum(int(c) * w for c, w in zip(body, [7, 6, 5, 4, 3, 2] * 2, strict=True)) % 11
        if k != 10:
            return body + str(0 if k == 11 else k)


def kz_iin(rng: random.Random) -> str:
    """ИИН: YYMMDD, century-and-sex digit, four serial digits, check (weights 1..11, else 3..11,1,2; mod 11)."""
    while True:
        d = dob(rng)
        yy, mm, dd = _ymd(d)
        body = f"{yy}{mm}{dd}{rng.choice('34' if d.year < 2000 else '56')}{_n(rng, 4)}"
        k = sum(int(c) * w for c, w in zip(body, range(1, 12), strict=True)) % 11
        if k == 10:
            k = sum(int(c) * w for c, w in zip(body, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True)) % 11
        if k != 10:
            return body + str(k)


def fo_ptal(rng: random.Random) -> str:
    """P-tal: DDMMYY-SSS, the nine digits weighted 3,2,7,6,5,4,3,2,1 sum to a multiple of 11."""
    while True:
        d = dob(rng)
        body = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}{_n(rng, 2)}"
        s = sum(int(c) * w for c, w in zip(body, [3, 2, 7, 6, 5, 4, 3, 2], strict=True))
        k = (11 - s % 11) % 11
        if k != 10:
            return f"{body[:6]}-{body[6:]}{k}"


def mn_register(rng: random.Random) -> str:
    d = dob(rng)
    mm = d.month + (20 if d.year >= 2000 else 0)
    return f"{rng.choice(_CYR)}{rng.choice(_CYR)}{d.year % 100:02d}{mm:02d}{d.day:02d}{_n(rng, 2)}"


ID_OF = {"af": na_id, "gl": es_ccc, "sr": sr_jmbg, "kk": kz_iin, "fo": fo_ptal, "mn": mn_register}
