"""Set E's personal identifiers, one format per language, each passing its own check digits where the
format has one (python-stdnum validates all but two: the Iranian national code, computed from its published
mod-11 rule, and the Philippine TIN, which has no check digit and is written in its 3-3-3-3 shape)."""

from __future__ import annotations

import random

from ..heldout4.ids import _mod, _n, _solve, _ymd, bg_egn, dob, hr_oib, lt_asmens, si_emso


def sk_rc(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r, 1956)
        yy, _, dd = _ymd(d)
        mm = d.month + (50 if r.random() < 0.5 else 0)
        return f"{yy}{mm:02d}{dd}{_n(r, 3)}?"

    v = _solve(rng, _mod("sk.rc"), build)
    return f"{v[:6]}/{v[6:]}"


def lv_personas_kods(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        yy, mm, dd = _ymd(d)
        return f"{dd}{mm}{yy}-{1 if d.year < 2000 else 2}{_n(r, 3)}?"

    return _solve(rng, _mod("lv.pvn"), build)


def ee_isikukood(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        yy, mm, dd = _ymd(d)
        g = r.choice("34") if d.year < 2000 else r.choice("56")
        return f"{g}{yy}{mm}{dd}{_n(r, 3)}?"

    return _solve(rng, _mod("ee.ik"), build)


def il_teudat(rng: random.Random) -> str:
    return _solve(rng, _mod("il.idnr"), lambda r: _n(r, 8, "0123") + "?")


def th_pin(rng: random.Random) -> str:
    v = _solve(rng, _mod("th.pin"), lambda r: _n(r, 12, "1358") + "?")
    return f"{v[0]}-{v[1:5]}-{v[5:10]}-{v[10:12]}-{v[12]}"


def ke_pin(rng: random.Random) -> str:
    return _solve(rng, _mod("ke.pin"), lambda r: "A" + _n(r, 9, "0") + "?", "ABCDEFGHJKLMNPQRSTUVWXYZ")


def ir_melli(rng: random.Random) -> str:
    """Iranian national code (کد ملی): 9 digits, then c = s mod 11 (s = sum d_i * (10 - i)); check c if
    c < 2 else 11 - c. Not in stdnum."""
    while True:
        body = _n(rng, 9, "0123456789")
        if len(set(body)) == 1:
            continue
        s = sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
        return body + str(s if s < 2 else 11 - s)


def ph_tin(rng: random.Random) -> str:
    return f"{_n(rng, 3, '1234567')}-{_n(rng, 3)}-{_n(rng, 3)}-000"


ID_OF = {
    "bg": bg_egn,
    "hr": hr_oib,
    "sk": sk_rc,
    "lt": lt_asmens,
    "lv": lv_personas_kods,
    "et": ee_isikukood,
    "he": il_teudat,
    "th": th_pin,
    "sw": ke_pin,
    "fa": ir_melli,
    "tl": ph_tin,
    "sl": si_emso,
}

PHONE = {
    "bg": "+359 88 ### ####",
    "hr": "+385 91 ### ####",
    "sk": "+421 905 ### ###",
    "lt": "+370 6## #####",
    "lv": "+371 2### ####",
    "et": "+372 5### ####",
    "he": "050-###-####",
    "th": "08#-###-####",
    "sw": "+254 7## ######",
    "fa": "0912 ### ####",
    "tl": "+63 917 ### ####",
    "sl": "+386 41 ### ###",
}


def personal_id(rng: random.Random, lang: str) -> str:
    return ID_OF[lang](rng)


def phone(rng: random.Random, lang: str) -> str:
    return "".join(str(rng.randrange(10)) if c == "#" else c for c in PHONE[lang])
