"""Set E (issue 18): kinds, formats and languages that are in neither set C nor set D. Written without
reading the classifier; its manifest was frozen and committed before the classifier first ran on it."""

from __future__ import annotations

from . import e_forms as f
from . import e_special as sp
from . import e_tech as t
from .doc import NEGATIVE, SENSITIVE, Spec
from .e_lang import LANGS

S, N = SENSITIVE, NEGATIVE
CODE = ("code",)


def _six(i: int) -> tuple[str, ...]:
    return tuple(LANGS[(i * 5 + j) % 12] for j in range(6))


SPECS = (
    # a named person with a national identifier, in data formats
    Spec("yaml_person_record", S, f.yaml_person, LANGS, 12),
    Spec("xml_registry_export", S, f.xml_registry, LANGS, 12),
    Spec("tsv_payroll_ids", S, f.tsv_payroll, LANGS, 12),
    Spec("csv_bom_excel_ids", S, f.csv_bom_excel, LANGS, 12),
    Spec("jsonl_kyc_events", S, f.jsonl_kyc, LANGS, 12),
    Spec("email_id_prose", S, f.email_id, LANGS, 12),
    Spec("chat_id_paste", S, f.chat_id, LANGS, 12),
    Spec("pdf_text_broken", S, f.pdf_broken, LANGS, 12),
    Spec("markdown_table_ids", S, f.md_table, LANGS, 12),
    # special categories without an identifier
    *(Spec(k, S, g, _six(i), 6) for i, (k, g) in enumerate(sp.SENSITIVE.items())),
    # secrets in new containers
    Spec("npmrc_token", S, t.npmrc_token, CODE, 6),
    Spec("kubeconfig_embedded", S, t.kubeconfig_embedded, CODE, 6),
    Spec("jwt_access_log", S, t.jwt_access_log, CODE, 6),
    Spec("chat_token_paste", S, t.chat_token_paste, CODE, 6),
    Spec("agent_key_dump", S, t.agent_key_dump, CODE, 6),
    Spec("netrc_creds", S, t.netrc_creds, CODE, 6),
    Spec("docker_auths", S, t.docker_auths, CODE, 6),
    # look-alikes in the same formats
    Spec("yaml_form_template", N, f.yaml_template, LANGS, 12),
    Spec("xml_product_catalog", N, f.xml_catalog, LANGS, 12),
    Spec("tsv_pay_aggregate", N, f.tsv_stats, LANGS, 12),
    Spec("csv_bom_inventory", N, f.csv_bom_inventory, LANGS, 12),
    Spec("jsonl_transit_events", N, f.jsonl_transit, LANGS, 12),
    Spec("email_role_address", N, f.email_role, LANGS, 12),
    Spec("chat_public_news", N, f.chat_public, LANGS, 12),
    Spec("ocr_public_notice", N, f.ocr_notice, LANGS, 12),
    Spec("markdown_public_facts", N, f.md_public, LANGS, 12),
    *(Spec(k, N, g, _six(i), 6) for i, (k, g) in enumerate(sp.NEGATIVE.items())),
    Spec("npmrc_env_ref", N, t.npmrc_env, CODE, 6),
    Spec("kubeconfig_exec", N, t.kubeconfig_exec, CODE, 6),
    Spec("jwt_docs_example", N, t.jwt_docs, CODE, 6),
    Spec("ssh_fingerprints", N, t.ssh_fingerprints, CODE, 6),
    Spec("netrc_placeholder", N, t.netrc_doc, CODE, 6),
    Spec("docker_cred_helper", N, t.docker_helper, CODE, 6),
)

# What makes each sensitive kind sensitive (the manifest counts documents per category).
CATEGORY: dict[str, str] = {
    **{s.kind: "national_id" for s in SPECS[:9]},
    "diagnosis_named": "health",
    "pay_raise_named": "pay",
    "disciplinary_named": "employment_disciplinary",
    "immigration_named": "immigration_status",
    "criminal_named": "criminal_record",
    "orientation_named": "sexual_orientation",
    "union_named": "trade_union",
    "religion_named": "religion",
    **{s.kind: "secret" for s in SPECS if s.label == SENSITIVE and s.langs == CODE},
}
