"""Set F, secrets in containers that neither C, D nor E used (AWS shared credentials file, GCP
service-account key JSON, Azure connection strings in appsettings.json, .pgpass, JDBC URLs with passwords in
Java .properties, Slack/Discord webhook URLs in CI workflow YAML), and look-alikes in the same containers:
the vendors' documented example keys, the Azurite emulator's published development key, placeholders and
environment references."""

from __future__ import annotations

import json

from ..heldout4 import creds
from .doc import Ctx, Out

AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tOltq3l9Ti7g5WHHojAbiwQr8xNtJfKQ=="


def _host(ctx: Ctx) -> str:
    return ctx.variant(
        ["db.internal", "pg-prod-01.corp.lan", "10.12.0.7", "orders-db.eu-west-1.rds.amazonaws.com"]
    )


def aws_credentials(ctx: Ctx) -> Out:
    kid, sec = creds.aws_pair(ctx.rng)
    body = f"[default]\naws_access_key_id = {kid}\naws_secret_access_key = {sec}\n"
    if ctx.k % 2:
        k2, s2 = creds.aws_pair(ctx.rng)
        body += (
            f"\n[prod-deploy]\naws_access_key_id = {k2}\naws_secret_access_key = {s2}\nregion = eu-west-1\n"
        )
    return Out(body, "~/.aws/credentials with live access keys", "ini")


def gcp_sa_key(ctx: Ctx) -> Out:
    proj = ctx.variant(["billing-prod", "etl-442107", "web-backend"])
    pem = creds.rsa_private_pem(ctx.rng)
    data = {
        "type": "service_account",
        "project_id": proj,
        "private_key_id": creds.hexs(ctx.rng, 40),
        "private_key": pem,
        "client_email": f"deployer@{proj}.iam.gserviceaccount.com",
        "client_id": str(ctx.rng.randrange(10**20, 10**21)),
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    return Out(json.dumps(data, indent=2), "GCP service-account key file with its private key", "json")


def azure_appsettings(ctx: Ctx) -> Out:
    acct = ctx.variant(["prodinvoices", "stlogs001", "mediastore"])
    pwd = creds.password(ctx.rng)
    data = {
        "ConnectionStrings": {
            "Storage": creds.azure_storage(ctx.rng, acct),
            "Sql": f"Server=tcp:{acct}-sql.database.windows.net,1433;Database=app;User ID=appuser;Password={pwd};Encrypt=True;",
        },
        "Logging": {"LogLevel": {"Default": "Information"}},
    }
    return Out(json.dumps(data, indent=2), "appsettings.json with Azure storage key and SQL password", "json")


def pgpass(ctx: Ctx) -> Out:
    lines = [
        f"{_host(ctx)}:5432:{db}:{u}:{creds.password(ctx.rng)}"
        for db, u in (("orders", "app"), ("reporting", "bi_reader"))
    ]
    return Out("\n".join(lines[: 1 + ctx.k % 2]) + "\n", ".pgpass with live passwords", "pgpass")


def jdbc_props(ctx: Ctx) -> Out:
    pwd = creds.password(ctx.rng)
    body = (
        f"spring.datasource.url=jdbc:postgresql://{_host(ctx)}:5432/orders?user=app&password={pwd}\n"
        "spring.datasource.hikari.maximum-pool-size=10\n"
        if ctx.k % 2 == 0
        else f"db.url=jdbc:mysql://{_host(ctx)}:3306/shop\ndb.user=shop\ndb.password={pwd}\n"
    )
    return Out(body, "Java .properties with a JDBC password", "properties")


def webhook_workflow(ctx: Ctx) -> Out:
    hook = ctx.variant(
        [
            creds.slack_webhook(ctx.rng),
            f"https://discord.com/api/webhooks/{ctx.rng.randrange(10**17, 10**18)}/{creds.rand(ctx.rng, 68, creds.URLSAFE)}",
        ]
    )
    body = (
        "name: notify\non: [push]\njobs:\n  ping:\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - run: curl -s -X POST -H 'Content-Type: application/json' -d '{{\"text\":\"deployed\"}}' {hook}\n"
    )
    return Out(body, "CI workflow with a live chat webhook URL (the URL is the credential)", "yml")


# --- look-alikes ----------------------------------------------------------------------------------------


def aws_config_example(ctx: Ctx) -> Out:
    ex = creds.DOC_EXAMPLES
    body = (
        "# Example from the AWS CLI guide; replace with your own keys.\n[default]\n"
        f"aws_access_key_id = {ex['aws_key_id']}\naws_secret_access_key = {ex['aws_secret']}\n"
        if ctx.k % 2 == 0
        else "[profile dev]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1\n"
        "sso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n"
    )
    return Out(body, "AWS config: documented example keys or SSO profile with no secret", "ini")


def gcp_sa_placeholder(ctx: Ctx) -> Out:
    data = {
        "type": "service_account",
        "project_id": "PROJECT_ID",
        "private_key_id": "KEY_ID",
        "private_key": "-----BEGIN PRIVATE KEY-----\\nPRIVATE_KEY\\n-----END PRIVATE KEY-----\\n",
        "client_email": "SERVICE_ACCOUNT_EMAIL",
        "client_id": "CLIENT_ID",
    }
    return Out(json.dumps(data, indent=2), "GCP key-file template from the docs: placeholders", "json")


def azurite_dev(ctx: Ctx) -> Out:
    storage = ctx.variant(
        [
            "UseDevelopmentStorage=true",
            f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AZURITE_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
        ]
    )
    data = {
        "ConnectionStrings": {
            "Storage": storage,
            "Sql": "Server=(localdb)\\MSSQLLocalDB;Database=app;Trusted_Connection=True;",
        }
    }
    return Out(
        json.dumps(data, indent=2),
        "appsettings.Development.json: Azurite's published dev key, LocalDB",
        "json",
    )


def pgpass_doc(ctx: Ctx) -> Out:
    body = "# hostname:port:database:username:password\n# *:*:*:postgres:<your password here>\nlocalhost:5432:*:postgres:${PGPASSWORD}\n"
    return Out(body, ".pgpass template: format comment and placeholder", "pgpass")


def jdbc_envref(ctx: Ctx) -> Out:
    ph = ctx.variant(["${DB_PASSWORD}", "${vault.db.password}", "ENC(placeholder)"])
    body = f"spring.datasource.url=jdbc:postgresql://{_host(ctx)}:5432/orders\nspring.datasource.username=app\nspring.datasource.password={ph}\n"
    return Out(
        body, "Java .properties: JDBC URL without password, password from the environment", "properties"
    )


def webhook_docs(ctx: Ctx) -> Out:
    hook = ctx.variant(
        [
            "${{ secrets.SLACK_WEBHOOK_URL }}",
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ]
    )
    body = (
        "name: notify\non: [push]\njobs:\n  ping:\n    runs-on: ubuntu-latest\n    steps:\n"
        f'      - run: curl -s -X POST -d \'{{"text":"deployed"}}\' {hook}\n'
    )
    return Out(body, "CI workflow: webhook from a secret reference or the docs' zeroed example", "yml")
