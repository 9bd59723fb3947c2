"""Set F's personal identifiers, one format per language, none used by set C, D or E. Seven pass
python-stdnum's own validator (ru.inn, is_.kennitala, ie.pps, al.nipt, az.voen, in_.epic, za.tin); the
Macedonian ЕМБГ is computed from its published mod-11 rule (not in stdnum); the Georgian personal number,
the Armenian public-service number, the Nepali citizenship number and the Bangladeshi NID have no public
check digit and are written in their usual shapes."""

from __future__ import annotations

import random
import string

from ..heldout4.ids import _mod, _n, _solve, _ymd, dob


def ru_inn(rng: random.Random) -> str:
    return _solve(rng, _mod("ru.inn"), lambda r: r.choice(["77", "78", "16", "54", "63"]) + _n(r, 8) + "??")


def is_kennitala(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        yy, mm, dd = _ymd(d)
        return f"{dd}{mm}{yy}-{_n(r, 2, '23456789')}?{9 if d.year < 2000 else 0}"

    return _solve(rng, _mod("is_.kennitala"), build)


def ie_pps(rng: random.Random) -> str:
    return _solve(rng, _mod("ie.pps"), lambda r: _n(r, 7, "123456789") + "?", "ABCDEFGHIJKLMNOPQRSTUVW")


def al_nipt(rng: random.Random) -> str:
    return _solve(rng, _mod("al.nipt"), lambda r: r.choice("IJKL") + _n(r, 8) + "?", string.ascii_uppercase)


def az_voen(rng: random.Random) -> str:
    return _solve(rng, _mod("az.voen"), lambda r: _n(r, 8, "123456789") + "?2")


def mk_embg(rng: random.Random) -> str:
    """ЕМБГ: DDMMYYY RR SSS K, K = 11 - sum(w_i * d_i) mod 11 with weights 7..2 repeated; 10 is never
    issued, 11 becomes 0."""
    while True:
        d = dob(rng)
        body = f"{d.day:02d}{d.month:02d}{d.year % 1000:03d}{rng.randrange(41, 50)}{_n(rng, 3)}"
        w = [7, 6, 5, 4, 3, 2] * 2
        k = 11 - sum(int(c) * w[i] for i, c in enumerate(body)) % 11
        if k == 10:
            continue
        return body + str(0 if k == 11 else k)


def ge_personal(rng: random.Random) -> str:
    return "0" + _n(rng, 10, "1")


def am_pscn(rng: random.Random) -> str:
    return _n(rng, 10, "123456789")


def np_citizenship(rng: random.Random) -> str:
    return f"{rng.randrange(1, 76):02d}-{rng.randrange(1, 4):02d}-{rng.randrange(60, 80):02d}-{_n(rng, 5)}"


def bd_nid(rng: random.Random) -> str:
    return _n(rng, 10, "123456789") if rng.random() < 0.5 else f"{dob(rng).year}{_n(rng, 13, '123456789')}"


def in_epic(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        return "".join(r.choice(string.ascii_uppercase) for _ in range(3)) + _n(r, 6) + "?"

    return _solve(rng, _mod("in_.epic"), build)


def za_tin(rng: random.Random) -> str:
    return _solve(rng, _mod("za.tin"), lambda r: r.choice("0123") + _n(r, 8) + "?")


ID_OF = {
    "ru": ru_inn,
    "is": is_kennitala,
    "ga": ie_pps,
    "sq": al_nipt,
    "az": az_voen,
    "mk": mk_embg,
    "ka": ge_personal,
    "hy": am_pscn,
    "ne": np_citizenship,
    "bn": bd_nid,
    "ta": in_epic,
    "zu": za_tin,
}

PHONE = {
    "ru": "+7 9## ###-##-##",
    "is": "+354 6## ####",
    "ga": "+353 87 ### ####",
    "sq": "+355 69 ### ####",
    "az": "+994 50 ### ## ##",
    "mk": "+389 70 ### ###",
    "ka": "+995 5## ## ## ##",
    "hy": "+374 9# ######",
    "ne": "+977 98########",
    "bn": "+880 17## ######",
    "ta": "+91 9#### #####",
    "zu": "+27 8# ### ####",
}


def personal_id(rng: random.Random, lang: str) -> str:
    return ID_OF[lang](rng)


def phone(rng: random.Random, lang: str) -> str:
    return "".join(str(rng.randrange(10)) if c == "#" else c for c in PHONE[lang])
