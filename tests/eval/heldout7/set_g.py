"""Set G (issue 18): kinds, formats and languages that are in none of sets A-F. Written without reading the
classifier; its manifest is frozen and committed before the classifier first runs on it."""

from __future__ import annotations

from . import g_edi as e
from . import g_forms as f
from . import g_tech as t
from .doc import NEGATIVE, SENSITIVE, Spec
from .g_lang import LANGS

S, N = SENSITIVE, NEGATIVE
CODE = ("code",)

_ID_KINDS = (
    Spec("transcript_id_dictated", S, f.transcript_id, LANGS, 24),
    Spec("jsonld_person_id", S, f.jsonld_person, LANGS, 24),
    Spec("pipe_export_ids", S, f.pipe_export_ids, LANGS, 24),
    Spec("syslog_app_ids", S, f.syslog_app_ids, LANGS, 24),
)
_SECRET_KINDS = (
    Spec("har_bearer_capture", S, t.har_auth_capture, CODE, 6),
    Spec("postman_collection_apikey", S, t.postman_apikey, CODE, 6),
    Spec("s3cfg_live_keys", S, t.s3cfg_keys, CODE, 6),
    Spec("toml_config_passwords", S, t.toml_db_password, CODE, 6),
    Spec("sudo_log_password", S, t.syslog_sudo_password, CODE, 6),
)

SPECS = (
    *_ID_KINDS,
    *(Spec(k, S, g, LANGS, 8) for k, g in f.SPECIAL_S.items()),
    *_SECRET_KINDS,
    Spec("edifact_paxlst_passengers", S, e.edifact_paxlst, CODE, 6),
    Spec("pain001_salary_run", S, e.pain001_payroll, CODE, 6),
    # look-alikes in the same formats
    Spec("transcript_public_webinar", N, f.transcript_webinar, LANGS, 24),
    Spec("jsonld_public_event", N, f.jsonld_event, LANGS, 24),
    Spec("pipe_public_stats", N, f.pipe_stats, LANGS, 24),
    Spec("syslog_app_counts", N, f.syslog_app_ops, LANGS, 24),
    *(Spec(k, N, g, LANGS, 8) for k, g in f.SPECIAL_N.items()),
    Spec("har_static_assets", N, t.har_static_assets, CODE, 6),
    Spec("postman_collection_vars", N, t.postman_vars, CODE, 6),
    Spec("s3cfg_template", N, t.s3cfg_template, CODE, 6),
    Spec("toml_config_env_refs", N, t.toml_env_ref, CODE, 6),
    Spec("sudo_log_plain", N, t.syslog_sudo_plain, CODE, 6),
    Spec("edifact_desadv_goods", N, e.edifact_desadv, CODE, 6),
    Spec("pain001_supplier_run", N, e.pain001_suppliers, CODE, 6),
)

# What makes each sensitive kind sensitive (the manifest counts documents per category).
CATEGORY: dict[str, str] = {
    **{s.kind: "national_id" for s in _ID_KINDS},
    **f.CATEGORY,
    **{s.kind: "secret" for s in _SECRET_KINDS},
    "edifact_paxlst_passengers": "travel_document",
    "pain001_salary_run": "pay_and_account",
}
