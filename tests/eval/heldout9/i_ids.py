"""Set I's personal identifiers, one format per language, none used by sets A-H.

Check digits:
- Telugu: the Aadhaar Virtual ID (VID), 16 digits not starting with 0 or 1, drawn until python-stdnum's
  ``in_.vid`` accepts it (Verhoeff check digit).
- Amharic: Ethiopia's Fayda FIN, 12 digits; Fayda is built on MOSIP, whose UIN generator ends the number with a
  Verhoeff check digit, computed here with ``stdnum.verhoeff`` (our own reading, no stdnum module for Fayda).
- Sinhala: Sri Lanka's 12-digit NIC (YYYY, day of the year +500 for women, counted as if every year had 29
  February, 0, a 3-digit serial, a digit); the last digit's rule is unpublished, so only the date part is real.
- Kyrgyz: the 14-digit ПИН (1 for women or 2 for men, DDMMYYYY, a 5-digit serial); no check digit.
- Khmer (Cambodian identity card, 9 digits starting with a province code), Somali (Kenyan identity card,
  8 digits) and Yoruba (Nigerian NIN, 11 digits) have no public check digit and are written in their shapes.
"""

from __future__ import annotations

import random
from datetime import date

from stdnum import verhoeff

from ..heldout4.ids import _mod, _n, _solve, dob


def in_vid(rng: random.Random) -> str:
    v = _solve(rng, _mod("in_.vid"), lambda r: f"{_n(r, 15, '23456789')}?")
    return " ".join(v[i : i + 4] for i in range(0, 16, 4))


def et_fayda_fin(rng: random.Random) -> str:
    body = _n(rng, 11, "123456789")
    v = body + verhoeff.calc_check_digit(body)
    return " ".join(v[i : i + 4] for i in range(0, 12, 4))


def _nic_day(d: date) -> int:
    """Day of the year as the NIC counts it: February always has 29 days."""
    return (date(2000, d.month, d.day) - date(2000, 1, 1)).days + 1


def lk_nic(rng: random.Random) -> str:
    d = dob(rng, 1960, 2004)
    day = _nic_day(d) + (500 if rng.random() < 0.5 else 0)
    return f"{d.year}{day:03d}0{_n(rng, 3)}{rng.randrange(10)}"


def kg_pin(rng: random.Random) -> str:
    d = dob(rng, 1960, 2004)
    return f"{rng.choice('12')}{d.day:02d}{d.month:02d}{d.year}{_n(rng, 5)}"


def kh_id(rng: random.Random) -> str:
    return f"{rng.randrange(1, 26):02d}{_n(rng, 7)}"


def ke_id(rng: random.Random) -> str:
    return _n(rng, 8, "123")


def ng_nin(rng: random.Random) -> str:
    return _n(rng, 11, "123456789")


ID_OF = {
    "am": et_fayda_fin,
    "km": kh_id,
    "si": lk_nic,
    "te": in_vid,
    "ky": kg_pin,
    "so": ke_id,
    "yo": ng_nin,
}
# The scheme name an invoice writes next to the buyer's identifier.
SCHEME = {
    "am": "ET:FAYDA-FIN",
    "km": "KH:NID",
    "si": "LK:NIC",
    "te": "IN:AADHAAR-VID",
    "ky": "KG:PIN",
    "so": "KE:NATIONAL-ID",
    "yo": "NG:NIN",
}
