"""Identifiers of organisations, securities, products and ships: public by nature, valid by stdnum.

These are the look-alikes: long digit strings with check digits that a detector can mistake for a
person's id, a card or an account, but which are printed on invoices, registers and factsheets.
"""

from __future__ import annotations

import random
import string

from .ids import DIGITS, _mod, _n, _solve

UP = string.ascii_uppercase


def se_orgnr(rng: random.Random) -> str:
    v = _solve(rng, _mod("se.orgnr"), lambda r: "55" + _n(r, 7) + "?")
    return f"{v[:6]}-{v[6:]}"


def fi_ytunnus(rng: random.Random) -> str:
    v = _solve(rng, _mod("fi.ytunnus"), lambda r: _n(r, 7, "0123") + "?")
    return f"{v[:7]}-{v[7]}"


def pl_nip(rng: random.Random) -> str:
    v = _solve(rng, _mod("pl.nip"), lambda r: _n(r, 9, "123456789") + "?")
    return f"{v[:3]}-{v[3:6]}-{v[6:8]}-{v[8:]}"


def pl_regon(rng: random.Random) -> str:
    return _solve(rng, _mod("pl.regon"), lambda r: _n(r, 8, "123456789") + "?")


def cz_ico(rng: random.Random) -> str:
    return _solve(rng, _mod("cz.dic"), lambda r: _n(r, 7, "2468") + "?")


def fr_siren(rng: random.Random) -> str:
    v = _solve(rng, _mod("fr.siren"), lambda r: _n(r, 8, "3456789") + "?")
    return f"{v[:3]} {v[3:6]} {v[6:]}"


def fr_siret(rng: random.Random) -> str:
    v = _solve(rng, _mod("fr.siret"), lambda r: _n(r, 13, "3456789") + "?")
    return f"{v[:3]} {v[3:6]} {v[6:9]} {v[9:]}"


def es_cif(rng: random.Random) -> str:
    return _solve(rng, _mod("es.cif"), lambda r: r.choice("AB") + _n(r, 7) + "?")


def de_vat(rng: random.Random) -> str:
    return "DE" + _solve(rng, _mod("de.vat"), lambda r: _n(r, 8, "123456789") + "?")


def de_hrb(rng: random.Random) -> str:
    court = rng.choice(
        ["München", "Hamburg", "Berlin (Charlottenburg)", "Frankfurt am Main", "Köln", "Stuttgart"]
    )
    return f"HRB {rng.randrange(1000, 250000)}, Amtsgericht {court}"


def tr_vkn(rng: random.Random) -> str:
    return _solve(rng, _mod("tr.vkn"), lambda r: _n(r, 9) + "?")


def cn_uscc(rng: random.Random) -> str:
    return _solve(
        rng,
        _mod("cn.uscc"),
        lambda r: (
            "91"
            + r.choice(["110", "310", "440", "330"])
            + _n(r, 3)
            + "".join(r.choice(DIGITS + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
            + "?"
        ),
        DIGITS + "ABCDEFGHJKLMNPQRTUWXY",
    )


def id_npwp(rng: random.Random) -> str:
    v = _solve(rng, _mod("id.npwp"), lambda r: "01" + _n(r, 6) + "?" + "0" + _n(r, 5))
    return f"{v[:2]}.{v[2:5]}.{v[5:8]}.{v[8]}-{v[9:12]}.{v[12:]}"


def jp_corporate(rng: random.Random) -> str:
    return _solve(rng, _mod("jp.cn"), lambda r: "?" + _n(r, 12))


def gb_vat(rng: random.Random) -> str:
    v = _solve(rng, _mod("gb.vat"), lambda r: _n(r, 7, "123456789") + "??")
    return f"GB {v[:3]} {v[3:7]} {v[7:]}"


def eu_vat(rng: random.Random, cc: str) -> str:
    shapes = {
        "DE": lambda r: _n(r, 8, "123456789") + "?",
        "FR": lambda r: "??" + _n(r, 9, "3456789"),
        "ES": lambda r: r.choice("AB") + _n(r, 7) + "?",
        "SE": lambda r: _n(r, 9, "5") + "?01",
        "FI": lambda r: _n(r, 7, "0123") + "?",
        "CZ": lambda r: _n(r, 7, "2468") + "?",
        "PL": lambda r: _n(r, 9, "123456789") + "?",
        "NL": lambda r: _n(r, 8, "123456789") + "?B01",
        "IT": lambda r: _n(r, 10, "01") + "?",
        "PT": lambda r: "5" + _n(r, 7) + "?",
        "DK": lambda r: _n(r, 7, "123456789") + "?",
        "HU": lambda r: _n(r, 7, "123456789") + "?",
        "RO": lambda r: _n(r, 7, "123456789") + "?",
        "EL": lambda r: _n(r, 8, "09") + "?",
        "BE": lambda r: "0" + _n(r, 7, "2345678") + "??",
    }
    return cc + _solve(rng, lambda v: bool(_mod("eu.vat")(cc + v)), shapes[cc])


def isin(rng: random.Random, cc: str) -> str:
    return _solve(rng, _mod("isin"), lambda r: cc + "".join(r.choice(UP + DIGITS) for _ in range(9)) + "?")


def lei(rng: random.Random) -> str:
    return _solve(
        rng,
        _mod("lei"),
        lambda r: _n(r, 4, "5789") + "00" + "".join(r.choice(UP + DIGITS) for _ in range(12)) + "??",
    )


def cusip(rng: random.Random) -> str:
    return _solve(rng, _mod("cusip"), lambda r: _n(r, 6) + r.choice(["10", "20", "AB", "10"]) + "?")


def sedol(rng: random.Random) -> str:
    return _solve(
        rng,
        _mod("gb.sedol"),
        lambda r: "B" + "".join(r.choice("BCDFGHJKLMNPQRSTVWXYZ" + DIGITS) for _ in range(5)) + "?",
    )


def ean13(rng: random.Random, prefix: str = "") -> str:
    return _solve(rng, _mod("ean"), lambda r: (prefix + _n(r, 12 - len(prefix)))[:12] + "?")


def isbn13(rng: random.Random) -> str:
    v = _solve(rng, _mod("isbn"), lambda r: "978" + _n(r, 9) + "?")
    return f"{v[:3]}-{v[3]}-{v[4:8]}-{v[8:12]}-{v[12]}"


def container(rng: random.Random) -> str:
    owner = rng.choice(["MSCU", "MAEU", "CMAU", "HLXU", "TGHU", "OOLU", "EGSU"])
    return _solve(rng, _mod("iso6346"), lambda r: owner + _n(r, 6) + "?")


def imo(rng: random.Random) -> str:
    return "IMO " + _solve(rng, _mod("imo"), lambda r: _n(r, 6, "9") + "?")


def us_rtn(rng: random.Random) -> str:
    return _solve(rng, _mod("us.rtn"), lambda r: _n(r, 8, "0123") + "?")


def us_ein(rng: random.Random) -> str:
    return _solve(rng, _mod("us.ein"), lambda r: r.choice(["12", "20", "45", "84", "94"]) + "-" + _n(r, 7))


def bic(rng: random.Random, cc: str) -> str:
    return (
        "".join(rng.choice(UP) for _ in range(4))
        + cc
        + rng.choice(["2X", "MM", "PP", "22"])
        + rng.choice(["", "XXX"])
    )
