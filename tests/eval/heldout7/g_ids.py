"""Set G's personal identifiers, one format per language, none used by sets A-F.

Four pass python-stdnum's own validator (ad.nrt, which checks the letters and ranges only, for Catalan/Andorra, gb.utr for Welsh, my.nric for Malay,
pk.cnic for Urdu). The Luxembourg matricule carries its two published check digits (Luhn, then Verhoeff, both
over the first eleven digits; computed with stdnum's luhn and verhoeff modules); the Spanish social-security
affiliation number (Basque) carries its published mod-97 pair. The Maltese identity-card number and the Uzbek
PINFL have no public check digit and are written in their usual shapes.
"""

from __future__ import annotations

import random
import string

from stdnum import luhn, verhoeff

from ..heldout4.ids import _mod, _n, _solve, _ymd, dob


def ad_nrt(rng: random.Random) -> str:
    v = _solve(rng, _mod("ad.nrt"), lambda r: "F" + _n(r, 6, "0123456") + r.choice(string.ascii_uppercase))
    return f"{v[0]}-{v[1:7]}-{v[7]}"


def es_naf(rng: random.Random) -> str:
    """Número de afiliación: province (2) + serial (8) + (province*10^8 + serial) mod 97."""
    prov = rng.choice([1, 20, 48, 31])  # Araba, Gipuzkoa, Bizkaia, Nafarroa
    serial = int(_n(rng, 8, "123456789"))
    return f"{prov:02d}/{serial:08d}/{(prov * 10**8 + serial) % 97:02d}"


def gb_utr(rng: random.Random) -> str:
    return _solve(rng, _mod("gb.utr"), lambda r: "?" + _n(r, 9))


def my_nric(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, dd = _ymd(dob(r))
        return f"{yy}{mm}{dd}-{r.choice(['01', '05', '07', '08', '10', '13', '14'])}-{_n(r, 4)}"

    return _solve(rng, _mod("my.nric"), build)


def pk_cnic(rng: random.Random) -> str:
    v = _solve(rng, _mod("pk.cnic"), lambda r: r.choice("13456") + _n(r, 11) + r.choice("123456789"))
    return f"{v[:5]}-{v[5:12]}-{v[12]}"


def lu_matricule(rng: random.Random) -> str:
    d = dob(rng)
    body = f"{d.year:04d}{d.month:02d}{d.day:02d}{_n(rng, 3)}"
    return f"{body}{luhn.calc_check_digit(body)}{verhoeff.calc_check_digit(body)}"


def mt_id_card(rng: random.Random) -> str:
    return f"{_n(rng, 7, '0123')}{rng.choice('MMMMGAL')}"


def uz_pinfl(rng: random.Random) -> str:
    d = dob(rng)
    first = rng.choice("34") if d.year < 2000 else rng.choice("56")
    return f"{first}{d.day:02d}{d.month:02d}{d.year % 100:02d}{rng.randrange(10, 400):03d}{_n(rng, 4)}"


ID_OF = {
    "ca": ad_nrt,
    "eu": es_naf,
    "cy": gb_utr,
    "ms": my_nric,
    "ur": pk_cnic,
    "lb": lu_matricule,
    "mt": mt_id_card,
    "uz": uz_pinfl,
}
