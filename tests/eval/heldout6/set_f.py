"""Set F (issue 18): kinds, formats and languages that are in none of sets C, D and E. Written without
reading the classifier; its manifest is frozen and committed before the classifier first runs on it."""

from __future__ import annotations

from . import f_edi as e
from . import f_forms as f
from . import f_special as sp
from . import f_tech as t
from .doc import NEGATIVE, SENSITIVE, Spec
from .f_lang import LANGS

S, N = SENSITIVE, NEGATIVE
CODE = ("code",)


def _six(i: int) -> tuple[str, ...]:
    return tuple(LANGS[(i * 5 + j) % 12] for j in range(6))


_ID_KINDS = (
    Spec("whatsapp_id_share", S, f.whatsapp_id, LANGS, 12),
    Spec("rtf_letter_id", S, f.rtf_letter_id, LANGS, 12),
    Spec("latex_sheet_id", S, f.latex_certificate_id, LANGS, 12),
    Spec("textproto_person_ids", S, f.textproto_person, LANGS, 12),
    Spec("fixed_width_payroll_ids", S, f.fixed_width_payroll, LANGS, 12),
    Spec("mbox_id_thread", S, f.mbox_id_thread, LANGS, 12),
    Spec("graphql_customer_taxid", S, f.graphql_profile, LANGS, 12),
)
_SECRET_KINDS = (
    Spec("aws_credentials_file", S, t.aws_credentials, CODE, 6),
    Spec("gcp_service_account_key", S, t.gcp_sa_key, CODE, 6),
    Spec("azure_appsettings_secrets", S, t.azure_appsettings, CODE, 6),
    Spec("pgpass_live", S, t.pgpass, CODE, 6),
    Spec("jdbc_properties_password", S, t.jdbc_props, CODE, 6),
    Spec("ci_webhook_url", S, t.webhook_workflow, CODE, 6),
    Spec("winevent_cmdline_password", S, e.winevent_cmdline_secret, CODE, 6),
    Spec("vault_token_history", S, e.vault_shell_history, CODE, 6),
)

SPECS = (
    *_ID_KINDS,
    *(Spec(k, S, g, _six(i), 6) for i, (k, g) in enumerate(sp.SENSITIVE.items())),
    *_SECRET_KINDS,
    Spec("x12_834_enrolment", S, e.x12_834, CODE, 6),
    # look-alikes in the same formats
    Spec("whatsapp_public_news", N, f.whatsapp_public, LANGS, 12),
    Spec("rtf_public_notice", N, f.rtf_public_notice, LANGS, 12),
    Spec("latex_form_blank", N, f.latex_template_blank, LANGS, 12),
    Spec("textproto_catalog", N, f.textproto_catalog, LANGS, 12),
    Spec("fixed_width_inventory", N, f.fixed_width_inventory, LANGS, 12),
    Spec("mbox_mailing_list", N, f.mbox_mailing_list, LANGS, 12),
    Spec("graphql_public_article", N, f.graphql_public, LANGS, 12),
    *(Spec(k, N, g, _six(i + 5), 6) for i, (k, g) in enumerate(sp.NEGATIVE.items())),
    Spec("aws_config_example", N, t.aws_config_example, CODE, 6),
    Spec("gcp_key_template", N, t.gcp_sa_placeholder, CODE, 6),
    Spec("azurite_dev_settings", N, t.azurite_dev, CODE, 6),
    Spec("pgpass_template", N, t.pgpass_doc, CODE, 6),
    Spec("jdbc_properties_envref", N, t.jdbc_envref, CODE, 6),
    Spec("ci_webhook_secret_ref", N, t.webhook_docs, CODE, 6),
    Spec("winevent_service_state", N, e.winevent_service_state, CODE, 6),
    Spec("vault_dev_tutorial", N, e.vault_dev_docs, CODE, 6),
    Spec("x12_850_purchase_order", N, e.x12_850, CODE, 6),
)

# What makes each sensitive kind sensitive (the manifest counts documents per category).
CATEGORY: dict[str, str] = {
    **{s.kind: "national_id" for s in _ID_KINDS},
    **sp.CATEGORY,
    **{s.kind: "secret" for s in _SECRET_KINDS},
    "x12_834_enrolment": "benefits_enrolment",
}
