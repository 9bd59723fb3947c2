"""Set I (issue 18): kinds, formats and languages that are in none of sets A-H. Written without reading the
classifier; its manifest is frozen and committed before the classifier first runs on it."""

from __future__ import annotations

from . import i_forms as f
from . import i_records as r
from . import i_tech as t
from .doc import NEGATIVE, SENSITIVE, Spec
from .i_lang import LANGS

S, N = SENSITIVE, NEGATIVE
CODE = ("code",)

_SECRET_KINDS = (
    Spec("rclone_conf_live_keys", S, t.rclone_live, CODE, 8),
    Spec("tfvars_plain_passwords", S, t.tfvars_secret, CODE, 8),
    Spec("ansible_inventory_passwords", S, t.ansible_passwords, CODE, 8),
    Spec("android_keystore_properties", S, t.android_keystore, CODE, 8),
    Spec("mycnf_client_password", S, t.mycnf_password, CODE, 8),
)

SPECS = (
    Spec("ubl_invoice_private_buyer", S, f.ubl_private_buyer, LANGS, 21),
    Spec("spreadsheetml_payroll_named", S, f.sheet_payroll, LANGS, 21),
    *(Spec(k, S, g, LANGS, 14) for k, g in f.SPECIAL_S.items()),
    *_SECRET_KINDS,
    Spec("gedcom_living_adoption", S, r.gedcom_adoption, CODE, 8),
    Spec("camt053_private_statement", S, r.camt_private, CODE, 8),
    # look-alikes in the same formats
    Spec("ubl_invoice_company_buyer", N, f.ubl_company_buyer, LANGS, 21),
    Spec("spreadsheetml_town_stats", N, f.sheet_town_stats, LANGS, 21),
    *(Spec(k, N, g, LANGS, 14) for k, g in f.SPECIAL_N.items()),
    Spec("rclone_conf_env_auth", N, t.rclone_env_auth, CODE, 8),
    Spec("tfvars_sizing_only", N, t.tfvars_sizing, CODE, 8),
    Spec("ansible_inventory_key_auth", N, t.ansible_key_auth, CODE, 8),
    Spec("android_signing_from_env", N, t.android_signing_env, CODE, 8),
    Spec("mycnf_socket_auth", N, t.mycnf_socket, CODE, 8),
    Spec("gedcom_historical_lineage", N, r.gedcom_historical, CODE, 8),
    Spec("camt053_guide_sample", N, r.camt_sample, CODE, 8),
)

# What makes each sensitive kind sensitive (the manifest counts documents per category).
CATEGORY: dict[str, str] = {
    "ubl_invoice_private_buyer": "national_id",
    "spreadsheetml_payroll_named": "pay_and_id",
    **f.CATEGORY,
    **{s.kind: "secret" for s in _SECRET_KINDS},
    "gedcom_living_adoption": "child_welfare",
    "camt053_private_statement": "pay_and_account",
}
