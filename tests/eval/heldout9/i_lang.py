"""Set I's seven languages, none of them in sets A-H: per language its field labels and sentences
(i_lang_a.py, i_lang_b.py), its local date style, currency, country and phone prefix."""

from __future__ import annotations

from .i_lang_a import AM, KM, SI, TE
from .i_lang_b import KY, SO, YO

LANGS = ("am", "km", "si", "te", "ky", "so", "yo")

T: dict[str, dict[str, str]] = {"am": AM, "km": KM, "si": SI, "te": TE, "ky": KY, "so": SO, "yo": YO}
NAMES = {lang: tuple(t["names"].split("|")) for lang, t in T.items()}
CITIES = {lang: tuple(t["cities"].split("|")) for lang, t in T.items()}

# How each country writes a date (Sri Lanka's ISO order, Telangana/Andhra's dashes, Kyrgyzstan's dots).
DATE_STYLE = {
    "am": "{d:02d}/{m:02d}/{y}",
    "km": "{d:02d}/{m:02d}/{y}",
    "si": "{y}-{m:02d}-{d:02d}",
    "te": "{d:02d}-{m:02d}-{y}",
    "ky": "{d:02d}.{m:02d}.{y}",
    "so": "{d:02d}/{m:02d}/{y}",
    "yo": "{d:02d}/{m:02d}/{y}",
}
CURRENCY = {"am": "ETB", "km": "USD", "si": "LKR", "te": "INR", "ky": "KGS", "so": "KES", "yo": "NGN"}
COUNTRY = {"am": "ET", "km": "KH", "si": "LK", "te": "IN", "ky": "KG", "so": "KE", "yo": "NG"}
PHONE = {
    "am": "+251 9{a} {b}",
    "km": "+855 1{a} {b}",
    "si": "+94 7{a} {b}",
    "te": "+91 9{a}{b}",
    "ky": "+996 7{a} {b}",
    "so": "+254 7{a} {b}",
    "yo": "+234 80{a} {b}",
}
# Monthly pay ranges in each currency (a shop assistant to an engineer), so amounts look local.
PAY_RANGE = {
    "am": (6_000, 45_000),
    "km": (250, 1_400),
    "si": (60_000, 450_000),
    "te": (18_000, 160_000),
    "ky": (20_000, 120_000),
    "so": (25_000, 220_000),
    "yo": (70_000, 900_000),
}
