"""The third held-out part ("heldout3"): written after all classifier changes, and run once, blind, for
the figure docs/classifier.md reports as such. Irish, Chilean and Colombian identifiers (locales no
other part uses), and documents the other parts do not have: claims, tenant references, police and
school records, chat exports, notebooks, delivery notes; with their own look-alikes.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

from stdnum.cl import rut
from stdnum.co import nit
from stdnum.ie import pps

from tests.eval import sources as src

Maker = Callable[[random.Random, str], str]

HELDOUT3_LOCALES = ("en_IE", "es_CL", "es_CO")


def _pps(rng: random.Random) -> str:
    digits = "".join(rng.choice(string.digits) for _ in range(7))
    return next(digits + letter for letter in "ABCDEFGHIJKLMNOPQRSTUVW" if pps.is_valid(digits + letter))


def _rut(rng: random.Random) -> str:
    number = str(rng.randint(5_000_000, 25_000_000))
    return rut.format(number + rut.calc_check_digit(number))


def _nit(rng: random.Random) -> str:
    number = str(rng.randint(10_000_000, 99_999_999))
    return nit.format(number + nit.calc_check_digit(number))


def _person(rng: random.Random, locale: str) -> str:
    return src.person(rng, locale)


HELDOUT3_KINDS: dict[str, Maker] = {
    "pps_payroll": lambda rng, loc: f"Payroll change for {_person(rng, 'en_IE')}, PPS No. {_pps(rng)}, effective next period.",
    "rut_receipt": lambda rng, loc: f"Boleta emitida a nombre de {_person(rng, 'es_CL')}, RUT {_rut(rng)}.",
    "nit_person": lambda rng, loc: f"Contribuyente: {_person(rng, 'es_CO')} - NIT {_nit(rng)} (persona natural)",
    "insurance_claim": lambda rng, loc: f"Claim {rng.randint(100000, 999999)}: insured {_person(rng, 'en_IE')}, diagnosis code J45.9, physiotherapy approved.",
    "tenant_reference": lambda rng, loc: f"Landlord reference: {_person(rng, 'en_IE')} earns €{rng.randint(2, 5)},{rng.randint(100, 999)} net per month and has paid on time.",
    "police_report": lambda rng, loc: f"Suspect: {_person(rng, 'en_IE')}, DOB {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2004)}, charged with burglary.",
    "school_record": lambda rng, loc: f"Pupil {_person(rng, 'en_IE')} has an education plan for autism and ADHD; see the SENCO.",
    "marker_sl": lambda rng, loc: "ZAUPNO\n",
    "whatsapp_phone": lambda rng, loc: f"[12/03/24, 19:02] {_person(rng, 'en_IE').split()[0]}: my number is 087 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
    "notebook_key": lambda rng, loc: f'"source": ["os.environ[\\"ANTHROPIC_API_KEY\\"] = \\"sk-ant-api03-{src.token(rng, "", 40)}\\""]',
    "ticket_private_key": lambda rng, loc: f"Pasting the key so you can test:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow{src.token(rng, '', 58)}\n-----END RSA PRIVATE KEY-----",
    "bank_statement": lambda rng, loc: f"SEPA credit from {_person(rng, 'en_IE')}, IBAN {src.iban(rng, 'en_IE')}, ref rent March",
    "delivery_note": lambda rng, loc: f"Deliver to {_person(rng, 'en_IE')}, 14 Seaview Terrace, Dún Laoghaire, A96 X2F3. Leave with neighbour.",
}  # fmt: skip

HELDOUT3_CLEAN: dict[str, Maker] = {
    "gov_press_release": lambda rng, loc: "The Department's helpline 1800 123 456 is open Monday to Friday, 9am to 5pm.",
    "company_rut_invoice": lambda rng, loc: f"Factura electrónica N° {rng.randint(1000, 9999)} emitida por Comercial Andes SpA, RUT {_rut(rng)}.",
    "hiv_abstract": lambda rng, loc: "We estimate HIV prevalence among adults in the region at 1.2%, down from 1.9% in 2010.",
    "licence_text": lambda rng, loc: "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.",
    "meeting_minutes": lambda rng, loc: f"{_person(rng, 'en_IE')} presented the Q3 roadmap; {_person(rng, 'en_IE')} will circulate the slides.",
    "masked_card": lambda rng, loc: f"Paid with card ending {rng.randint(1000, 9999)} (**** **** **** {rng.randint(1000, 9999)}).",
    "timetable": lambda rng, loc: f"Dublin Connolly dep. {rng.randint(6, 22)}:{rng.choice(('05', '20', '35', '50'))}, platform {rng.randint(1, 7)}, route 66X.",
}  # fmt: skip
