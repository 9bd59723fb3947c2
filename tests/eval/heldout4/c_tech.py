"""Set C, technical material: live credentials in configs and code, private keys, and the public or inert
material that looks like them (placeholders, vendor examples, public keys, digests, test cards)."""

from __future__ import annotations

from . import creds as k
from .doc import Ctx, Out
from .shapes import to_json


def secret_config(ctx: Ctx) -> Out:
    r = ctx.rng
    pw = k.password(r)
    host = ctx.pick(["db.internal", "10.20.4.17", "prod-db-01", "pg.eu-west-1.rds.amazonaws.com"])
    aws_id, aws_secret = k.aws_pair(r)
    variants = [
        (
            "env",
            f"# production\nNODE_ENV=production\nDATABASE_URL=postgres://app:{pw}@{host}:5432/shop\n"
            f"STRIPE_SECRET_KEY={k.stripe_live(r)}\nSENDGRID_API_KEY={k.sendgrid_key(r)}\nLOG_LEVEL=info\n",
            "a .env with a live database password and payment/mail API keys",
        ),
        (
            "yml",
            f"services:\n  api:\n    image: registry.local/api:2.3\n    environment:\n      POSTGRES_PASSWORD: {pw}\n"
            f"      AWS_ACCESS_KEY_ID: {aws_id}\n      AWS_SECRET_ACCESS_KEY: {aws_secret}\n",
            "compose file with a database password and an AWS key pair",
        ),
        (
            "yml",
            f"spring:\n  datasource:\n    url: jdbc:mysql://{host}:3306/billing\n    username: billing\n"
            f"    password: {pw}\njwt:\n  secret: {k.rand(r, 64)}\n",
            "Spring config with a datasource password and a JWT signing secret",
        ),
        (
            "npmrc",
            f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={k.npm_token(r)}\n",
            "an .npmrc with a publish token",
        ),
        (
            "ini",
            f"[default]\naws_access_key_id = {aws_id}\naws_secret_access_key = {aws_secret}\nregion = eu-north-1\n",
            "AWS credentials file",
        ),
        (
            "txt",
            f"https://{ctx.fake.user_name()}:{k.github_token(r)}@github.com\n",
            "a .git-credentials line with a token",
        ),
        (
            "json",
            to_json(
                {
                    "ConnectionStrings": {
                        "Main": f"Server={host};Database=crm;User Id=crm_app;Password={pw};"
                    },
                    "Storage": k.azure_storage(r, ctx.fake.user_name()[:12].lower() + "store"),
                    "Logging": {"LogLevel": {"Default": "Warning"}},
                }
            ),
            "appsettings.json with a SQL password and an Azure storage key",
        ),
        (
            "txt",
            f"{host}:5432:*:replicator:{pw}\n{host}:5432:analytics:analyst:{k.password(r)}\n",
            "a .pgpass file",
        ),
        (
            "yml",
            f"apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: https://k8s.internal:6443\n"
            f"users:\n- name: admin\n  user:\n    client-certificate-data: {k.b64(k.rbytes(r, 60))}\n"
            f"    client-key-data: {k.kube_client_key(r)}\n",
            "a kubeconfig with an embedded client key",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


def secret_code(ctx: Ctx) -> Out:
    r = ctx.rng
    variants = [
        (
            "py",
            f'import requests\n\nAPI_TOKEN = "{k.github_token(r)}"\n\n\ndef open_issues(repo):\n    return requests.get(\n'
            f'        f"https://api.github.com/repos/{{repo}}/issues",\n        headers={{"Authorization": f"token {{API_TOKEN}}"}},\n'
            "        timeout=10,\n    ).json()\n",
            "Python with a hard-coded GitHub token",
        ),
        (
            "js",
            f"const stripe = require('stripe')('{k.stripe_live(r)}');\n\nmodule.exports = async (amount) =>\n"
            "  stripe.paymentIntents.create({ amount, currency: 'eur' });\n",
            "JavaScript with a live Stripe key",
        ),
        (
            "go",
            f'package notify\n\nconst slackToken = "{k.slack_token(r)}"\n\nfunc Client() *slack.Client {{\n'
            "\treturn slack.New(slackToken)\n}\n",
            "Go with a Slack bot token",
        ),
        (
            "java",
            f'public class Db {{\n    private static final String URL = "jdbc:postgresql://db:5432/hr";\n'
            f'    private static final String USER = "hr_app";\n    private static final String PASS = "{k.password(r)}";\n}}\n',
            "Java with a database password",
        ),
        (
            "sh",
            f"#!/bin/sh\ncurl -s -X POST '{k.slack_webhook(r)}' -d '{{\"text\":\"deploy done\"}}'\n"
            f"curl -u deploy:{k.password(r)} https://nexus.internal/repository/releases/ -T build.tar.gz\n",
            "shell script with a Slack webhook URL and basic-auth password",
        ),
        (
            "py",
            f'import openai\n\nclient = openai.OpenAI(api_key="{k.openai_key(r)}")\n',
            "Python with an OpenAI key",
        ),
        (
            "sql",
            f"CREATE USER reporting WITH PASSWORD '{k.password(r)}';\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;\n",
            "SQL creating a user with its password",
        ),
        (
            "py",
            f'GOOGLE_MAPS_KEY = "{k.google_api_key(r)}"\nTWILIO_SID, TWILIO_TOKEN = {k.twilio_pair(r)!r}\n',
            "Python settings with a Google API key and Twilio credentials",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


def private_key(ctx: Ctx) -> Out:
    r = ctx.rng
    comment = f"{ctx.fake.user_name()}@{ctx.pick(['build01', 'laptop', 'bastion'])}"
    variants = [
        ("txt", k.openssh_private(r), "an OpenSSH private key"),
        ("pem", k.rsa_private_pem(r), "an RSA private key (PKCS#1 PEM)"),
        ("pem", k.ec_private_pem(r), "an EC private key"),
        ("pem", k.pkcs8_encrypted_pem(r), "an encrypted PKCS#8 private key"),
        ("ppk", k.putty_ppk(r, comment), "a PuTTY private key file"),
        ("asc", k.pgp_private(r), "a PGP private key block"),
        (
            "json",
            to_json(
                {
                    "type": "service_account",
                    "project_id": f"{ctx.fake.word()}-prod-{r.randrange(100, 999)}",
                    "private_key_id": k.hexs(r, 40),
                    "private_key": k.rsa_private_pem(r).replace("RSA PRIVATE", "PRIVATE") + "\n",
                    "client_email": f"deployer@{ctx.fake.word()}.iam.gserviceaccount.com",
                }
            ),
            "a cloud service-account key file",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


# --- look-alikes ------------------------------------------------------------------------------------


def docs_placeholders(ctx: Ctx) -> Out:
    r = ctx.rng
    ex = k.DOC_EXAMPLES
    app = ctx.fake.word()
    port = r.randrange(3000, 9000)
    net = f"192.0.2.{r.randrange(0, 255, 16)}/28"
    variants = [
        (
            "md",
            f"# {app}\n\n## Configuration\n\nSet the credentials in your environment, never in the repository:\n\n```bash\n"
            f"export AWS_ACCESS_KEY_ID={ex['aws_key_id']}\nexport AWS_SECRET_ACCESS_KEY={ex['aws_secret']}\n```\n\n"
            "The values above are the examples from the AWS documentation; replace them with your own.\n",
            "a README using the vendor's documented example key pair",
        ),
        (
            "yml",
            f"services:\n  db:\n    image: postgres:{r.randrange(13, 18)}\n    environment:\n      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?set it in .env}}\n"
            f"      POSTGRES_USER: ${{POSTGRES_USER:-{app}}}\n  api:\n    ports: ['{port}:{port}']\n    environment:\n      STRIPE_KEY: ${{STRIPE_KEY}}\n",
            "compose file that only references variables",
        ),
        (
            "yml",
            f"name: release-{app}\non: {{ push: {{ tags: ['v*'] }} }}\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n"
            f"      - uses: actions/setup-node@v4\n        with: {{ node-version: {r.randrange(18, 24)} }}\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{{{ secrets.NPM_TOKEN }}}}\n",
            "CI workflow reading a secret by name",
        ),
        (
            "py",
            "import os\n\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
            "        'PASSWORD': os.environ['DB_PASSWORD'],\n        'HOST': os.environ.get('DB_HOST', 'localhost'),\n    }\n}\n"
            f"SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nALLOWED_HOSTS = ['{ctx.fake.domain_name()}']\n",
            "settings that read secrets from the environment",
        ),
        (
            "md",
            f"### Firewall example\n\nAllow the office range and the VPN gateway:\n\n```\niptables -A INPUT -s {net} -j ACCEPT\n"
            f"iptables -A INPUT -s 198.51.100.{r.randrange(1, 255)} -p tcp --dport {port} -j ACCEPT\nip6tables -A INPUT -s 2001:db8:1::/48 -j ACCEPT\n```\n\n"
            "Addresses are from the documentation ranges (RFC 5737, RFC 3849).\n",
            "tutorial using documentation IP ranges",
        ),
        (
            "env",
            f"# .env.example – copy to .env and fill in\nDATABASE_URL=postgres://USER:PASSWORD@localhost:5432/{app}\n"
            f"SENDGRID_API_KEY={k.PLACEHOLDERS[0]}\nSLACK_BOT_TOKEN=xoxb-your-token-here\nJWT_SECRET=changeme\n",
            "an .env.example full of placeholders",
        ),
        (
            "tf",
            'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\n'
            f'resource "aws_db_instance" "{app}" {{\n  engine   = "postgres"\n  username = "{app}"\n'
            "  password = var.db_password\n}\n",
            "Terraform taking a password as a variable",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


def public_keys(ctx: Ctx) -> Out:
    r = ctx.rng
    variants = [
        (
            "txt",
            "\n".join(
                k.ssh_public(r, f"{ctx.fake.user_name()}@{ctx.fake.word()}") for _ in range(r.randrange(2, 5))
            )
            + "\n",
            "an authorized_keys file (public keys only)",
        ),
        ("pem", "# CA bundle\n" + k.certificate_pem(r) + "\n" + k.certificate_pem(r) + "\n", "certificates"),
        ("pem", k.public_key_pem(r) + "\n", "a public key"),
        (
            "asc",
            f"Our release signing key ({ctx.company()}):\n\n" + k.pgp_public(r) + "\n",
            "a published PGP public key",
        ),
        (
            "json",
            to_json(
                {
                    "keys": [
                        {
                            "kty": "RSA",
                            "use": "sig",
                            "kid": k.hexs(r, 16),
                            "alg": "RS256",
                            "n": k.b64url(k.rbytes(r, 256)),
                            "e": "AQAB",
                        }
                    ]
                }
            ),
            "a JWKS document (public signing keys)",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


def hashes_log(ctx: Ctx) -> Out:
    r = ctx.rng
    variants = [
        (
            "log",
            f"Step 7/9 : COPY . /app\n ---> {k.hexs(r, 12)}\nSuccessfully built {k.hexs(r, 12)}\n"
            f"latest: digest: sha256:{k.sha256(r)} size: 2204\ncommit {k.git_sha(r)}\nAuthor: CI Bot <ci@{ctx.fake.domain_name()}>\n",
            "build log with image digests and a commit hash",
        ),
        (
            "txt",
            "".join(
                f"{k.sha256(r)}  {n}\n"
                for n in [
                    "app-2.4.1-linux-amd64.tar.gz",
                    "app-2.4.1-darwin-arm64.tar.gz",
                    "app-2.4.1-windows-amd64.zip",
                ]
            ),
            "a SHA256SUMS file",
        ),
        (
            "json",
            to_json(
                {
                    "name": "web",
                    "lockfileVersion": 3,
                    "packages": {
                        f"node_modules/{p}": {
                            "version": f"{r.randrange(1, 9)}.{r.randrange(20)}.{r.randrange(20)}",
                            "resolved": f"https://registry.npmjs.org/{p}/-/{p}.tgz",
                            "integrity": k.sri_sha512(r),
                        }
                        for p in ["react", "lodash", "zod", "date-fns"]
                    },
                }
            ),
            "package-lock.json with integrity hashes",
        ),
        (
            "log",
            "".join(
                f'{{"ts":"2025-03-0{r.randrange(1, 9)}T1{r.randrange(10)}:0{r.randrange(10)}:00Z","level":"info",'
                f'"request_id":"{k.uuid4(r)}","trace_id":"{k.hexs(r, 32)}","route":"/api/items","status":200,"ms":{r.randrange(3, 90)}}}\n'
                for _ in range(5)
            ),
            "service log with request and trace ids",
        ),
    ]
    ext, text, why = ctx.variant(variants)
    return Out(text, why, ext)


_TEST_CARDS = [
    ("Visa", "4242 4242 4242 4242"),
    ("Visa (debit)", "4000 0566 5566 5556"),
    ("Mastercard", "5555 5555 5555 4444"),
    ("American Express", "3782 822463 10005"),
    ("Discover", "6011 1111 1111 1117"),
    ("Visa", "4111 1111 1111 1111"),
    ("JCB", "3566 0020 2036 0505"),
    ("Mastercard (2-series)", "2223 0031 2200 3222"),
]


def test_cards_doc(ctx: Ctx) -> Out:
    rows = ctx.rng.sample(_TEST_CARDS, 4)
    results = [
        "succeeds",
        "requires authentication",
        "declined: insufficient funds",
        "declined: expired card",
    ]
    text = (
        "# Testing payments in sandbox mode\n\nUse these card numbers with any future expiry date and any "
        "three-digit CVC. They only work with test API keys; real cards are declined in the sandbox.\n\n"
        "| Brand | Number | Result |\n|---|---|---|\n"
        + "".join(f"| {b} | {n} | {ctx.pick(results)} |\n" for b, n in rows)
    )
    return Out(text, "payment provider documentation listing its published test cards", "md")
