"""Set H (issue 18): kinds, formats and languages that are in none of sets A-G. Written without reading the
classifier; its manifest is frozen and committed before the classifier first runs on it."""

from __future__ import annotations

from . import h_forms as f
from . import h_tech as t
from .doc import NEGATIVE, SENSITIVE, Spec
from .h_lang import LANGS

S, N = SENSITIVE, NEGATIVE
CODE = ("code",)

_SECRET_KINDS = (
    Spec("wireguard_private_key", S, t.wireguard_private, CODE, 8),
    Spec("pypirc_upload_password", S, t.pypirc_password, CODE, 8),
    Spec("git_credential_store_tokens", S, t.git_credentials, CODE, 8),
    Spec("reg_autologon_password", S, t.reg_autologon, CODE, 8),
)

SPECS = (
    Spec("frontmatter_staff_id", S, f.frontmatter_staff, LANGS, 18),
    Spec("sms_backup_clinic_result", S, f.sms_clinic_result, LANGS, 18),
    *(Spec(k, S, g, LANGS, 12) for k, g in f.SPECIAL_S.items()),
    *_SECRET_KINDS,
    Spec("dicom_dump_patient", S, t.dicom_patient, CODE, 8),
    Spec("ofx_personal_statement", S, t.ofx_statement, CODE, 8),
    # look-alikes in the same formats
    Spec("frontmatter_public_event", N, f.frontmatter_event, LANGS, 18),
    Spec("sms_backup_public_alert", N, f.sms_public_alert, LANGS, 18),
    *(Spec(k, N, g, LANGS, 12) for k, g in f.SPECIAL_N.items()),
    Spec("wireguard_public_peers", N, t.wireguard_public, CODE, 8),
    Spec("pypirc_keyring_only", N, t.pypirc_keyring, CODE, 8),
    Spec("gitconfig_credential_helper", N, t.git_credential_config, CODE, 8),
    Spec("reg_policy_no_password", N, t.reg_policy, CODE, 8),
    Spec("dicom_dump_phantom", N, t.dicom_phantom, CODE, 8),
    Spec("ofx_security_prices", N, t.ofx_prices, CODE, 8),
)

# What makes each sensitive kind sensitive (the manifest counts documents per category).
CATEGORY: dict[str, str] = {
    "frontmatter_staff_id": "national_id_or_account",
    "sms_backup_clinic_result": "health",
    **f.CATEGORY,
    **{s.kind: "secret" for s in _SECRET_KINDS},
    "dicom_dump_patient": "health",
    "ofx_personal_statement": "pay_and_account",
}
