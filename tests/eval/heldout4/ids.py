"""Identifiers that pass their own check digits, for the held-out corpora.

Every national or financial id is drawn at random and kept only when python-stdnum's own validator accepts
it (``_solve`` tries the check characters for a random body), so the corpus never carries an id that a
checksum-aware detector could rightly reject. The few formats stdnum lacks (MRZ, the Hungarian TAJ, the
Emirates and Saudi ids) are computed from their published algorithms (ICAO 9303, mod 10, Luhn).
"""

from __future__ import annotations

import importlib
import itertools
import random
import string
from collections.abc import Callable
from datetime import date, timedelta

from stdnum import luhn

DIGITS = string.digits


def _mod(name: str) -> Callable[[str], bool]:
    return importlib.import_module(f"stdnum.{name}").is_valid  # type: ignore[no-any-return]


def _solve(
    rng: random.Random,
    valid: Callable[[str], bool],
    build: Callable[[random.Random], str],
    alphabet: str = DIGITS,
) -> str:
    """A value from ``build`` (its '?' are check characters) that ``valid`` accepts."""
    for _ in range(5000):
        body = build(rng)
        holes = body.count("?")
        for combo in itertools.product(alphabet, repeat=holes):
            cand = body
            for ch in combo:
                cand = cand.replace("?", ch, 1)
            if valid(cand):
                return cand
    raise RuntimeError("no valid value found")  # never seen; a format whose body can never validate


def _n(rng: random.Random, k: int, first: str = DIGITS) -> str:
    return rng.choice(first) + "".join(rng.choice(DIGITS) for _ in range(k - 1))


def dob(rng: random.Random, lo: int = 1952, hi: int = 2003) -> date:
    start = date(lo, 1, 1)
    return start + timedelta(days=rng.randrange((date(hi, 12, 31) - start).days))


def _ymd(d: date) -> tuple[str, str, str]:
    return f"{d.year % 100:02d}", f"{d.month:02d}", f"{d.day:02d}"


# --- national identifiers: one builder per format, each returning the value as people write it ---------


def se_personnummer(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, dd = _ymd(dob(r))
        return f"{yy}{mm}{dd}-{_n(r, 3)}?"

    return _solve(rng, _mod("se.personnummer"), build)


def fi_hetu(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        yy, mm, dd = _ymd(d)
        return f"{dd}{mm}{yy}{'A' if d.year >= 2000 else '-'}{r.randrange(2, 900):03d}?"

    return _solve(rng, _mod("fi.hetu"), build, DIGITS + "ABCDEFHJKLMNPRSTUVWXY")


def cz_rc(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r, 1956)
        yy, _, dd = _ymd(d)
        mm = d.month + (50 if r.random() < 0.5 else 0)
        return f"{yy}{mm:02d}{dd}/{_n(r, 3)}?"

    return _solve(rng, _mod("cz.rc"), build)


def pl_pesel(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        yy, _, dd = _ymd(d)
        mm = d.month + (20 if d.year >= 2000 else 0)
        return f"{yy}{mm:02d}{dd}{_n(r, 4)}?"

    return _solve(rng, _mod("pl.pesel"), build)


def tr_tckimlik(rng: random.Random) -> str:
    return _solve(rng, _mod("tr.tckimlik"), lambda r: _n(r, 9, "123456789") + "??")


def cn_ric(rng: random.Random) -> str:
    regions = ["110101", "310104", "440305", "510107", "330106", "420106", "320102"]

    def build(r: random.Random) -> str:
        d = dob(r)
        return f"{r.choice(regions)}{d:%Y%m%d}{_n(r, 3)}?"

    return _solve(rng, _mod("cn.ric"), build, DIGITS + "X")


def id_nik(rng: random.Random) -> str:
    regions = ["317101", "327301", "357801", "517101", "337401", "737101"]

    def build(r: random.Random) -> str:
        d = dob(r)
        yy, mm, _ = _ymd(d)
        day = d.day + (40 if r.random() < 0.5 else 0)
        return f"{r.choice(regions)}{day:02d}{mm}{yy}{r.randrange(1, 9999):04d}"

    return _solve(rng, _mod("id.nik"), build)


def jp_my_number(rng: random.Random) -> str:
    v = _solve(rng, _mod("jp.in_"), lambda r: _n(r, 11) + "?")
    return f"{v[:4]} {v[4:8]} {v[8:]}"


def es_dni(rng: random.Random) -> str:
    return _solve(rng, _mod("es.dni"), lambda r: _n(r, 8) + "?", "TRWAGMYFPDXBNJZSQVHLCKE")


def es_nie(rng: random.Random) -> str:
    return _solve(rng, _mod("es.nie"), lambda r: r.choice("XYZ") + _n(r, 7) + "?", "TRWAGMYFPDXBNJZSQVHLCKE")


def fr_nir(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, _ = _ymd(dob(r))
        dept = r.choice(["75", "69", "13", "33", "59", "31", "44", "67"])
        return f"{r.choice('12')}{yy}{mm}{dept}{_n(r, 3)}{_n(r, 3)}??"

    v = _solve(rng, _mod("fr.nir"), build)
    return f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}"


def de_steuer_id(rng: random.Random) -> str:
    v = _solve(rng, _mod("de.idnr"), lambda r: _n(r, 10, "123456789") + "?")
    return f"{v[:2]} {v[2:5]} {v[5:8]} {v[8:]}"


def us_ssn(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        area = r.choice([a for a in range(1, 900) if a != 666])
        return f"{area:03d}-{r.randrange(1, 100):02d}-{r.randrange(1, 10000):04d}"

    return _solve(rng, _mod("us.ssn"), build)


def gb_nhs(rng: random.Random) -> str:
    v = _solve(rng, _mod("gb.nhs"), lambda r: _n(r, 9, "4") + "?")
    return f"{v[:3]} {v[3:6]} {v[6:]}"


def ca_sin(rng: random.Random) -> str:
    v = _solve(rng, _mod("ca.sin"), lambda r: _n(r, 8, "1234567") + "?")
    return f"{v[:3]} {v[3:6]} {v[6:]}"


def cl_rut(rng: random.Random) -> str:
    v = _solve(rng, _mod("cl.rut"), lambda r: _n(r, 8, "12") + "?", DIGITS + "K")
    return f"{v[:2]}.{v[2:5]}.{v[5:8]}-{v[8]}"


def za_idnr(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, dd = _ymd(dob(r))
        return f"{yy}{mm}{dd}{_n(r, 4)}08?"

    return _solve(rng, _mod("za.idnr"), build)


def in_aadhaar(rng: random.Random) -> str:
    v = _solve(rng, _mod("in_.aadhaar"), lambda r: _n(r, 11, "23456789") + "?")
    return f"{v[:4]} {v[4:8]} {v[8:]}"


def il_idnr(rng: random.Random) -> str:
    return _solve(rng, _mod("il.idnr"), lambda r: _n(r, 8, "23") + "?")


def ro_cnp(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        yy, mm, dd = _ymd(d)
        sex = r.choice("12") if d.year < 2000 else r.choice("56")
        return f"{sex}{yy}{mm}{dd}{r.randrange(1, 47):02d}{_n(r, 3)}?"

    return _solve(rng, _mod("ro.cnp"), build)


def gr_amka(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, dd = _ymd(dob(r))
        return f"{dd}{mm}{yy}{_n(r, 4)}?"

    return _solve(rng, _mod("gr.amka"), build)


def gr_afm(rng: random.Random) -> str:
    return _solve(rng, _mod("gr.vat"), lambda r: _n(r, 8, "01") + "?")


def kr_rrn(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        yy, mm, dd = _ymd(d)
        g = r.choice("12") if d.year < 2000 else r.choice("34")
        return f"{yy}{mm}{dd}{g}{r.randrange(0, 96):02d}{_n(r, 3)}?"

    v = _solve(rng, _mod("kr.rrn"), build)
    return f"{v[:6]}-{v[6:]}"


def ua_rntrc(rng: random.Random) -> str:
    return _solve(rng, _mod("ua.rntrc"), lambda r: _n(r, 9, "123") + "?")


def dk_cpr(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r, 1958, 1999)
        yy, mm, dd = _ymd(d)
        return f"{dd}{mm}{yy}-{r.choice('0123')}{_n(r, 3)}"

    return _solve(rng, _mod("dk.cpr"), build)


def no_fodselsnummer(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r, 1955, 1999)
        yy, mm, dd = _ymd(d)
        return f"{dd}{mm}{yy}{r.randrange(0, 500):03d}??"

    return _solve(rng, _mod("no.fodselsnummer"), build)


def nl_bsn(rng: random.Random) -> str:
    v = _solve(rng, _mod("nl.bsn"), lambda r: _n(r, 8, "123456") + "?")
    return f"{v[:4]}.{v[4:6]}.{v[6:]}" if rng.random() < 0.3 else v


def br_cpf(rng: random.Random) -> str:
    v = _solve(rng, _mod("br.cpf"), lambda r: _n(r, 9, "123456789") + "??")
    return f"{v[:3]}.{v[3:6]}.{v[6:9]}-{v[9:]}"


def it_codice_fiscale(rng: random.Random) -> str:
    months = "ABCDEHLMPRST"
    cons = "BCDFGHLMNPRSTVZ"

    def build(r: random.Random) -> str:
        d = dob(r)
        day = d.day + (40 if r.random() < 0.5 else 0)
        name = "".join(r.choice(cons) for _ in range(3)) + "".join(r.choice(cons) for _ in range(3))
        place = r.choice(["F205", "H501", "L219", "G273", "A944", "D612"])
        return f"{name}{d.year % 100:02d}{months[d.month - 1]}{day:02d}{place}?"

    return _solve(rng, _mod("it.codicefiscale"), build, string.ascii_uppercase)


def bg_egn(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, dd = _ymd(dob(r, 1950, 1999))
        return f"{yy}{mm}{dd}{_n(r, 3)}?"

    return _solve(rng, _mod("bg.egn"), build)


def hr_oib(rng: random.Random) -> str:
    return _solve(rng, _mod("hr.oib"), lambda r: _n(r, 10, "123456789") + "?")


def si_emso(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        return f"{d.day:02d}{d.month:02d}{d.year % 1000:03d}50{_n(r, 3)}?"

    return _solve(rng, _mod("si.emso"), build)


def lt_asmens(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        d = dob(r)
        yy, mm, dd = _ymd(d)
        g = r.choice("34") if d.year < 2000 else r.choice("56")
        return f"{g}{yy}{mm}{dd}{_n(r, 3)}?"

    return _solve(rng, _mod("lt.asmens"), build)


def be_nn(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, dd = _ymd(dob(r, 1950, 1999))
        return f"{yy}{mm}{dd}{r.randrange(1, 998):03d}??"

    v = _solve(rng, _mod("be.nn"), build)
    return f"{v[:2]}.{v[2:4]}.{v[4:6]}-{v[6:9]}.{v[9:]}"


def ch_ahv(rng: random.Random) -> str:
    v = _solve(rng, _mod("ch.ssn"), lambda r: "756" + _n(r, 9) + "?")
    return f"{v[:3]}.{v[3:7]}.{v[7:11]}.{v[11:]}"


def at_vnr(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, dd = _ymd(dob(r))
        return f"{_n(r, 3, '123456789')}?{dd}{mm}{yy}"

    v = _solve(rng, _mod("at.vnr"), build)
    return f"{v[:4]} {v[4:]}"


def my_nric(rng: random.Random) -> str:
    def build(r: random.Random) -> str:
        yy, mm, dd = _ymd(dob(r))
        return f"{yy}{mm}{dd}{r.choice(['14', '10', '01', '07', '08'])}{_n(r, 4)}"

    v = _solve(rng, _mod("my.nric"), build)
    return f"{v[:6]}-{v[6:8]}-{v[8:]}"


def th_pin(rng: random.Random) -> str:
    v = _solve(rng, _mod("th.pin"), lambda r: _n(r, 12, "1358") + "?")
    return f"{v[0]}-{v[1:5]}-{v[5:10]}-{v[10:12]}-{v[12]}"


def pk_cnic(rng: random.Random) -> str:
    v = _solve(rng, _mod("pk.cnic"), lambda r: _n(r, 13, "1234567"))
    return f"{v[:5]}-{v[5:12]}-{v[12]}"


def au_tfn(rng: random.Random) -> str:
    v = _solve(rng, _mod("au.tfn"), lambda r: _n(r, 8, "1234567") + "?")
    return f"{v[:3]} {v[3:6]} {v[6:]}"


def nz_ird(rng: random.Random) -> str:
    v = _solve(rng, _mod("nz.ird"), lambda r: f"{r.randrange(10_000_000, 14_999_999):08d}?")
    return f"{v[:3]}-{v[3:6]}-{v[6:]}"


def vn_mst(rng: random.Random) -> str:
    return _solve(rng, _mod("vn.mst"), lambda r: _n(r, 9, "08") + "?")


def in_pan(rng: random.Random) -> str:
    up = string.ascii_uppercase
    return _solve(
        rng,
        _mod("in_.pan"),
        lambda r: "".join(r.choice(up) for _ in range(3)) + "P" + r.choice(up) + _n(r, 4) + r.choice(up),
    )


def hu_taj(rng: random.Random) -> str:
    """Hungarian social security (TAJ) number: 8 digits and a mod-10 check with weights 3, 7 (not in stdnum)."""
    body = _n(rng, 8, "123456789")
    check = sum(int(c) * (3 if i % 2 == 0 else 7) for i, c in enumerate(body)) % 10
    v = body + str(check)
    return f"{v[:3]} {v[3:6]} {v[6:]}"


def hu_adoazonosito(rng: random.Random) -> str:
    """Hungarian personal tax id: '8', days since 1867-01-01, 3 digits, then sum(d_i * i) mod 11."""
    while True:
        days = (dob(rng) - date(1867, 1, 1)).days
        body = f"8{days:05d}{_n(rng, 3)}"
        check = sum(int(c) * (i + 1) for i, c in enumerate(body)) % 11
        if check < 10:
            return body + str(check)


def ae_emirates_id(rng: random.Random) -> str:
    d = dob(rng)
    body = f"784{d.year}{_n(rng, 7)}"
    v = body + luhn.calc_check_digit(body)
    return f"{v[:3]}-{v[3:7]}-{v[7:14]}-{v[14]}"


def sa_national_id(rng: random.Random) -> str:
    body = "1" + _n(rng, 8)
    return body + luhn.calc_check_digit(body)


def pt_nif(rng: random.Random) -> str:
    return _solve(rng, _mod("pt.nif"), lambda r: _n(r, 8, "123") + "?")
