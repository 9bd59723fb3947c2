"""Set D (sealed): credentials in containers set C does not use (Terraform state, diffs, notebooks,
LDIF, WireGuard, age, PKCS#12), and their look-alikes (encrypted vaults, schemas, lockfiles, specs)."""

from __future__ import annotations

import json

from . import creds as k
from .doc import Ctx, Out


def _nb(cells: list[tuple[str, str, str]]) -> str:
    """A Jupyter notebook: (cell type, source, text output)."""
    out: list[dict[str, object]] = []
    for kind, src, res in cells:
        cell: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": src.splitlines(keepends=True)}
        if kind == "code":
            cell["execution_count"] = len(out) + 1
            cell["outputs"] = (
                [{"output_type": "stream", "name": "stdout", "text": res.splitlines(keepends=True)}]
                if res
                else []
            )
        out.append(cell)
    return (
        json.dumps(
            {
                "cells": out,
                "metadata": {"kernelspec": {"name": "python3"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            },
            indent=1,
        )
        + "\n"
    )


def tfstate_secrets(ctx: Ctx) -> Out:
    r = ctx.rng
    aws_id, aws_secret = k.aws_pair(r)
    state = {
        "version": 4,
        "terraform_version": "1.9.8",
        "serial": r.randrange(10, 400),
        "resources": [
            {
                "mode": "managed",
                "type": "aws_db_instance",
                "name": ctx.fake.word(),
                "instances": [
                    {
                        "attributes": {
                            "engine": "postgres",
                            "username": "app",
                            "password": k.password(r),
                            "endpoint": f"{ctx.fake.word()}.rds.amazonaws.com:5432",
                        }
                    }
                ],
            },
            {
                "mode": "managed",
                "type": "aws_iam_access_key",
                "name": "ci",
                "instances": [{"attributes": {"id": aws_id, "secret": aws_secret, "user": "ci-deployer"}}],
            },
        ],
    }
    return Out(
        json.dumps(state, indent=2) + "\n",
        "Terraform state holding a database password and an IAM secret key",
        "tfstate",
    )


def git_diff_secret(ctx: Ctx) -> Out:
    r = ctx.rng
    token = ctx.variant(
        [
            k.gitlab_token(r),
            k.anthropic_key(r),
            k.vault_token(r),
            k.sendgrid_key(r),
            k.slack_webhook(r),
            k.google_api_key(r),
        ]
    )
    path = ctx.pick(["config/settings.py", "deploy/values.yaml", "src/client.ts", "scripts/sync.sh"])
    text = (
        f"diff --git a/{path} b/{path}\nindex {k.hexs(r, 7)}..{k.hexs(r, 7)} 100644\n--- a/{path}\n+++ b/{path}\n"
        f"@@ -10,6 +10,7 @@\n timeout = 30\n retries = 3\n-token = os.environ['SERVICE_TOKEN']\n+token = '{token}'\n"
        " verify_tls = True\n"
    )
    return Out(text, "a diff that replaces an environment lookup with a live token", "diff")


def notebook_json(ctx: Ctx) -> Out:
    r = ctx.rng
    if ctx.k % 2 == 0:
        cells = [
            ("markdown", "# Churn analysis", ""),
            (
                "code",
                f"import boto3\ns3 = boto3.client('s3', aws_access_key_id='{k.aws_pair(r)[0]}',\n"
                f"    aws_secret_access_key='{k.aws_pair(r)[1]}')",
                "",
            ),
        ]
        return Out(_nb(cells), "a notebook with an AWS key pair in a cell", "ipynb")
    rows = "\n".join(
        f"{i}  {ctx.name():<28} {ctx.fake.date_of_birth(minimum_age=20, maximum_age=80)}  {ctx.address()[:40]}"
        for i in range(5)
    )
    cells = [
        (
            "code",
            "df = pd.read_sql('select name, birth_date, address from customers', con)\nprint(df.head())",
            f"   name                         birth_date  address\n{rows}\n",
        )
    ]
    return Out(
        _nb(cells), "a notebook whose saved output lists customers' names, birth dates, addresses", "ipynb"
    )


def ldif_export(ctx: Ctx) -> Out:
    r = ctx.rng
    out = []
    for _ in range(r.randrange(2, 5)):
        first, last = ctx.first_last()
        uid = (first[:1] + last).lower().replace(" ", "")
        out.append(
            f"dn: uid={uid},ou=people,dc={ctx.fake.domain_word()},dc=com\nobjectClass: inetOrgPerson\ncn: {first} {last}\n"
            f"uid: {uid}\nmobile: {ctx.phone()}\nuserPassword: {{SSHA}}{k.b64(k.rbytes(r, 24))}\n"
            f"employeeNumber: {r.randrange(10000, 99999)}\n"
        )
    return Out("\n".join(out), "LDAP export with password hashes of named users", "ldif")


def secret_misc(ctx: Ctx) -> Out:
    r = ctx.rng
    variants = [
        (
            "conf",
            f"[Interface]\nPrivateKey = {k.wireguard_key(r)}\nAddress = 10.8.0.{r.randrange(2, 250)}/24\n\n[Peer]\n"
            f"PublicKey = {k.wireguard_key(r)}\nEndpoint = vpn.{ctx.fake.domain_name()}:51820\nAllowedIPs = 0.0.0.0/0\n",
            "a WireGuard config with its private key",
        ),
        (
            "txt",
            f"# created: 2025-0{r.randrange(1, 9)}-1{r.randrange(9)}T10:00:00Z\n# public key: age1{k.rand(r, 58, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l')}\n"
            f"{k.age_secret(r)}\n",
            "an age identity file (secret key)",
        ),
        (
            "yml",
            f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls-client\ntype: Opaque\ndata:\n  keystore.p12: {k.pkcs12_b64(r)[:400]}\n"
            f"  keystore-password: {k.b64(k.password(r).encode())}\n",
            "a Kubernetes secret with a PKCS#12 keystore and its password",
        ),
        ("env", f"VAULT_ADDR=https://vault.internal:8200\nVAULT_TOKEN={k.vault_token(r)}\n", "a Vault token"),
        (
            "json",
            json.dumps(
                {
                    "type": "authorized_user",
                    "client_id": f"{r.randrange(10**11, 10**12)}-{k.rand(r, 32).lower()}.apps.googleusercontent.com",
                    "client_secret": "GOCSPX-" + k.rand(r, 28, k.URLSAFE),
                    "refresh_token": "1//0" + k.rand(r, 100, k.URLSAFE),
                },
                indent=2,
            )
            + "\n",
            "a Google OAuth refresh token file",
        ),
        (
            "txt",
            f"machine api.heroku.com\n  login {ctx.email_of(ctx.name())}\n  password {k.hexs(r, 8)}-{k.hexs(r, 4)}-{k.hexs(r, 4)}-{k.hexs(r, 4)}-{k.hexs(r, 12)}\n",
            "a .netrc with an API password",
        ),
        (
            "py",
            f'DISCORD_BOT_TOKEN = "{k.rand(r, 24)}.{k.rand(r, 6, k.URLSAFE)}.{k.rand(r, 38, k.URLSAFE)}"\n',
            "a Discord bot token",
        ),
        (
            "yml",
            f'telegram:\n  bot_token: "{r.randrange(10**9, 10**10)}:AA{k.rand(r, 33, k.URLSAFE)}"\n  chat_id: -100{r.randrange(10**9, 10**10)}\n',
            "a Telegram bot token",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


# --- look-alikes --------------------------------------------------------------------------------------


def tf_module(ctx: Ctx) -> Out:
    name = ctx.fake.word()
    text = (
        f'module "{name}" {{\n  source  = "terraform-aws-modules/rds/aws"\n  version = "~> 6.{ctx.rng.randrange(0, 12)}"\n'
        f'  identifier = "{name}-db"\n  password   = data.aws_secretsmanager_secret_version.db.secret_string\n'
        f'  manage_master_user_password = true\n}}\n\noutput "endpoint" {{ value = module.{name}.db_instance_endpoint }}\n'
    )
    return Out(text, "Terraform reading its password from a secrets manager", "tf")


def git_diff_clean(ctx: Ctx) -> Out:
    r = ctx.rng
    path = ctx.pick(["src/parser.py", "lib/cache.go", "app/models.rb"])
    text = (
        f"commit {k.git_sha(r)}\nAuthor: {ctx.name()} <{ctx.fake.user_name()}@users.noreply.github.com>\n\n    Refactor cache\n\n"
        f"diff --git a/{path} b/{path}\nindex {k.hexs(r, 7)}..{k.hexs(r, 7)} 100644\n--- a/{path}\n+++ b/{path}\n"
        f"@@ -1,4 +1,4 @@\n-CACHE_TTL = 60\n+CACHE_TTL = {r.randrange(61, 600)}\n token = os.environ['SERVICE_TOKEN']\n"
    )
    return Out(text, "a refactoring diff: hashes and an environment lookup, no secret", "diff")


def notebook_public(ctx: Ctx) -> Out:
    cells = [
        ("markdown", "# Iris classification", ""),
        (
            "code",
            "from sklearn.datasets import load_iris\nX, y = load_iris(return_X_y=True)\nprint(X[:3])",
            "[[5.1 3.5 1.4 0.2]\n [4.9 3.  1.4 0.2]\n [4.7 3.2 1.3 0.2]]\n",
        ),
        ("code", "model.fit(X, y); print(model.score(X, y))", f"0.9{ctx.rng.randrange(10, 99)}\n"),
    ]
    return Out(_nb(cells), "a notebook on a public dataset", "ipynb")


def gosum_lock(ctx: Ctx) -> Out:
    r = ctx.rng
    if ctx.k % 2 == 0:
        mods = ["github.com/google/uuid", "golang.org/x/net", "github.com/spf13/cobra", "go.uber.org/zap"]
        text = "".join(
            f"{m} v1.{r.randrange(20)}.{r.randrange(10)} {k.gosum_hash(r)}\n{m} v1.{r.randrange(20)}.{r.randrange(10)}/go.mod {k.gosum_hash(r)}\n"
            for m in mods
        )
        return Out(text, "go.sum module hashes", "sum")
    pkgs = ["requests", "urllib3", "idna", "certifi"]
    text = "".join(
        f'[[package]]\nname = "{p}"\nversion = "2.{r.randrange(30)}.{r.randrange(9)}"\nfiles = [\n    {{file = "{p}-py3-none-any.whl", hash = "sha256:{k.sha256(r)}"}},\n]\n\n'
        for p in pkgs
    )
    return Out(text, "poetry.lock with artifact hashes", "lock")


def docs_placeholders_d(ctx: Ctx) -> Out:
    r = ctx.rng
    variants = [
        (
            "yml",
            "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(k.hexs(r, 80) for _ in range(6)) + "\n",
            "an Ansible Vault file: encrypted, meant to be committed",
        ),
        (
            "yml",
            f"db:\n  password: ENC[AES256_GCM,data:{k.b64(k.rbytes(r, 18))},iv:{k.b64(k.rbytes(r, 32))},tag:{k.b64(k.rbytes(r, 16))},type:str]\n"
            f"sops:\n  kms:\n  - arn: arn:aws:kms:eu-west-1:{r.randrange(10**11, 10**12)}:key/{k.uuid4(r)}\n  version: 3.9.1\n",
            "a SOPS-encrypted file",
        ),
        (
            "yml",
            'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  DB_PASSWORD: "<set-by-pipeline>"\n  API_KEY: "REPLACE_ME"\n',
            "a Kubernetes secret template with placeholders",
        ),
        (
            "yml",
            f'# values.yaml for the {ctx.fake.word()} chart\nauth:\n  existingSecret: ""\n  password: ""  # generated at install if empty\n',
            "Helm values with empty credentials",
        ),
        (
            "md",
            '```bash\ncurl https://api.example.com/v1/items \\\n  -H "Authorization: Bearer $API_TOKEN"\n```\n\n'
            "Replace `$API_TOKEN` with the token from your dashboard. Example host `203.0.113.10`.\n",
            "API docs using a variable and a documentation address",
        ),
        (
            "yml",
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n"
            f"    password: Ag{k.b64(k.rbytes(r, 180))}\n",
            "a SealedSecret (encrypted for the cluster)",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


def public_keys_d(ctx: Ctx) -> Out:
    r = ctx.rng
    variants = [
        (
            "txt",
            "".join(f"{ctx.fake.domain_name()} {k.ssh_public(r, '').strip()}\n" for _ in range(3)),
            "known_hosts (host public keys)",
        ),
        (
            "conf",
            f"[Peer]\n# {ctx.name()}'s laptop\nPublicKey = {k.wireguard_key(r)}\nAllowedIPs = 10.8.0.{r.randrange(2, 250)}/32\n",
            "a WireGuard peer entry (public key only)",
        ),
        (
            "txt",
            f"age1{k.rand(r, 58, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l')}\n",
            "an age recipient (public key)",
        ),
        (
            "txt",
            f'selector1._domainkey IN TXT "v=DKIM1; k=rsa; p={k.b64(k.rbytes(r, 162))}"\n',
            "a DKIM DNS record (public key)",
        ),
        (
            "txt",
            f"untrusted comment: minisign public key {k.hexs(r, 16).upper()}\nRWQ{k.b64(k.rbytes(r, 39))}\n",
            "a minisign public key",
        ),
        (
            "pem",
            "-----BEGIN CERTIFICATE REQUEST-----\n"
            + k.b64(k.rbytes(r, 300))
            + "\n-----END CERTIFICATE REQUEST-----\n",
            "a certificate signing request",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


def sql_schema(ctx: Ctx) -> Out:
    t = ctx.variant(["employees", "patients", "customers"])
    cols = {
        "employees": "ssn char(11), salary numeric(10,2), disciplinary_notes text, union_member boolean",
        "patients": "nhs_number char(10), diagnosis_icd10 varchar(8), hiv_status text, medication text",
        "customers": "card_number_hash char(64), iban_last4 char(4), date_of_birth date, passport_no varchar(9)",
    }[t]
    text = (
        f"-- migration {ctx.rng.randrange(100, 999)}: create {t}\nCREATE TABLE {t} (\n  id bigserial PRIMARY KEY,\n  full_name text NOT NULL,\n"
        f"  {cols.replace(', ', ',' + chr(10) + '  ')}\n);\nCREATE INDEX ON {t} (full_name);\n"
    )
    return Out(text, "a database schema whose column names are sensitive words (no data)", "sql")


def fhir_valueset(ctx: Ctx) -> Out:
    codes = [
        ("F32.2", "Severe depressive episode without psychotic symptoms"),
        ("B20", "HIV disease"),
        ("C50.9", "Malignant neoplasm of breast, unspecified"),
        ("F20.0", "Paranoid schizophrenia"),
        ("E10.9", "Type 1 diabetes mellitus without complications"),
    ]
    vs = {
        "resourceType": "ValueSet",
        "id": f"sensitive-dx-{ctx.rng.randrange(100)}",
        "status": "active",
        "compose": {
            "include": [
                {
                    "system": "http://hl7.org/fhir/sid/icd-10",
                    "concept": [{"code": c, "display": d} for c, d in ctx.rng.sample(codes, 4)],
                }
            ]
        },
    }
    return Out(json.dumps(vs, indent=1) + "\n", "a FHIR ValueSet of diagnosis codes (no patient)", "json")


def hl7_spec(ctx: Ctx) -> Out:
    text = (
        f"{ctx.company()} – ADT interface v{ctx.rng.randrange(1, 9)}.{ctx.rng.randrange(10)}\n"
        "PID segment – field usage\n\nPID-3  Patient identifier list (CX)  R  MRN and national identifier\n"
        "PID-5  Patient name (XPN)  R  family^given\nPID-7  Date/time of birth (TS)  R  YYYYMMDD\n"
        "PID-8  Administrative sex  R  M, F, O, U\nPID-19 SSN number  X  not used; send the national id in PID-3\n\n"
        "Example: PID|1||<MRN>^^^HOSP^MR||<FAMILY>^<GIVEN>||<YYYYMMDD>|<SEX>\n"
    )
    return Out(text, "an HL7 interface specification with placeholders", "txt")


def scientific_data(ctx: Ctx) -> Out:
    r = ctx.rng
    rows = "".join(
        f"{1735689600000 + i * 60000},{r.uniform(-40, 40):.6f},{r.uniform(-180, 180):.6f},{r.uniform(900, 1050):.2f},"
        f"{r.randrange(10**9, 10**10)}\n"
        for i in range(8)
    )
    return Out(
        "epoch_ms,lat,lon,pressure_hpa,sensor_serial\n" + rows,
        "sensor readings: timestamps, coordinates, serials",
        "csv",
    )
