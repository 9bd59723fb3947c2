"""Set E, secrets in containers that neither C nor D used (.npmrc, kubeconfig, JWT-bearing access logs,
tokens pasted in chat, a terminal dump of an agent key, .netrc, docker config.json auths), and their
look-alikes in the same containers: environment references, exec plugins and public CA data, the jwt.io
documentation token, public-key fingerprints, placeholder .netrc docs, credential helpers."""

from __future__ import annotations

import json

from ..heldout4 import creds
from ..heldout4.shapes import chat
from .doc import Ctx, Out

JWT_IO = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5"
    "MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)


def _user(ctx: Ctx) -> tuple[str, str]:
    n = ctx.name()
    return n, ctx.email_of(n)


# --- secrets -----------------------------------------------------------------------------------------


def npmrc_token(ctx: Ctx) -> Out:
    lines = [
        "registry=https://registry.npmjs.org/",
        f"//registry.npmjs.org/:_authToken={creds.npm_token(ctx.rng)}",
        "@acme:registry=https://npm.pkg.github.com",
    ]
    if ctx.k % 2:
        lines.append(f"//npm.pkg.github.com/:_authToken={creds.github_token(ctx.rng)}")
    lines.append("always-auth=true")
    return Out("\n".join(lines) + "\n", ".npmrc with a live npm/GitHub token", "npmrc")


def kubeconfig_embedded(ctx: Ctx) -> Out:
    user = ctx.variant(["admin", "ci-deployer", "ops"])
    cred = (
        f"    client-certificate-data: {creds.b64(creds.certificate_pem(ctx.rng).encode())[:120]}\n"
        f"    client-key-data: {creds.kube_client_key(ctx.rng)}\n"
        if ctx.k % 2 == 0
        else f"    token: {creds.jwt(ctx.rng, 'system:serviceaccount:prod:' + user, user + '@cluster.local')}\n"
    )
    body = (
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.20.0.1:6443\n  name: prod\n"
        f"contexts:\n- context:\n    cluster: prod\n    user: {user}\n  name: prod\ncurrent-context: prod\n"
        f"users:\n- name: {user}\n  user:\n{cred}"
    )
    return Out(body, "kubeconfig with an embedded client key or bearer token", "yaml")


def jwt_access_log(ctx: Ctx) -> Out:
    name, mail = _user(ctx)
    tok = creds.jwt(ctx.rng, str(ctx.rng.randrange(10**6, 10**7)), mail)
    ip = f"10.{ctx.rng.randrange(256)}.{ctx.rng.randrange(256)}.{ctx.rng.randrange(256)}"
    body = (
        f'{ip} - - [04/May/2026:10:1{ctx.k % 10}:07 +0000] "GET /api/v2/orders HTTP/1.1" 200 512 '
        f'"-" "okhttp/4.12" auth="Bearer {tok}"\n'
        f'{ip} - - [04/May/2026:10:1{ctx.k % 10}:09 +0000] "GET /api/v2/me HTTP/1.1" 200 88 "-" "okhttp/4.12"\n'
    )
    return Out(body, "access log carrying a signed bearer JWT (user e-mail in payload)", "log")


def chat_token_paste(ctx: Ctx) -> Out:
    a, b = ctx.name(), ctx.name()
    tok = ctx.variant([creds.stripe_live, creds.slack_token, creds.github_token, creds.sendgrid_key])(ctx.rng)
    lines = [
        (0, "prod deploy is failing, which key do I use?"),
        (1, "use this one, don't share:"),
        (1, tok),
        (0, "thx"),
    ]
    return Out(chat(ctx, [a, b], lines, "slack"), "chat with a pasted live token", "txt")


def agent_key_dump(ctx: Ctx) -> Out:
    host = ctx.variant(["bastion-1", "build-07", "db-admin"])
    body = (
        f"{ctx.fake.user_name()}@{host}:~$ ssh-add -l\n256 SHA256:{creds.b64(creds.rbytes(ctx.rng, 32))[:43]} deploy (ED25519)\n"
        f"{ctx.fake.user_name()}@{host}:~$ cat ~/.ssh/id_ed25519\n{creds.openssh_private(ctx.rng)}\n"
        f"{ctx.fake.user_name()}@{host}:~$ exit\n"
    )
    return Out(body, "terminal dump printing an agent's private key", "txt")


def netrc_creds(ctx: Ctx) -> Out:
    _, mail = _user(ctx)
    body = (
        f"machine api.heroku.com\n  login {mail}\n  password {creds.hexs(ctx.rng, 8)}-{creds.hexs(ctx.rng, 4)}-{creds.hexs(ctx.rng, 4)}-{creds.hexs(ctx.rng, 12)}\n"
        f"machine github.com\n  login {mail.split('@')[0]}\n  password {creds.github_token(ctx.rng)}\n"
        f"machine ftp.{ctx.rng.choice(['acme', 'corp', 'intra'])}.net login backup password {creds.password(ctx.rng)}\n"
    )
    return Out(body, ".netrc with live logins", "netrc")


def docker_auths(ctx: Ctx) -> Out:
    _, mail = _user(ctx)
    user = mail.split("@")[0]
    auths = {
        "https://index.docker.io/v1/": {"auth": creds.b64(f"{user}:{creds.password(ctx.rng)}".encode())},
        "ghcr.io": {"auth": creds.b64(f"{user}:{creds.github_token(ctx.rng)}".encode())},
    }
    return Out(
        json.dumps({"auths": auths}, indent=2) + "\n", "docker config.json with base64 user:password", "json"
    )


# --- look-alikes -------------------------------------------------------------------------------------


def npmrc_env(ctx: Ctx) -> Out:
    ref = ctx.variant(["${NPM_TOKEN}", "${{ secrets.NPM_TOKEN }}", "${GITHUB_TOKEN}"])
    body = f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={ref}\n@acme:registry=https://npm.pkg.github.com\nengine-strict=true\n"
    return Out(body, ".npmrc reading its token from the environment", "npmrc")


def kubeconfig_exec(ctx: Ctx) -> Out:
    ca = creds.b64(creds.certificate_pem(ctx.rng).encode())
    body = (
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
        f"    certificate-authority-data: {ca}\n    server: https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com\n  name: eks\n"
        "users:\n- name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: aws\n      args: [eks, get-token, --cluster-name, demo]\n"
    )
    return Out(body, "kubeconfig: public CA data and an exec plugin, no credential", "yaml")


def jwt_docs(ctx: Ctx) -> Out:
    body = (
        '## Decoding a token\n\nThe example token from jwt.io decodes to `{"sub": "1234567890", "name": "John Doe"}`:\n\n'
        f"```\nAuthorization: Bearer {JWT_IO}\n```\n\nNever paste real tokens into online decoders.\n"
    )
    return Out(body, "docs with the jwt.io example token", "md")


def ssh_fingerprints(ctx: Ctx) -> Out:
    lines = [
        f"256 SHA256:{creds.b64(creds.rbytes(ctx.rng, 32))[:43]} {ctx.fake.user_name()}@laptop (ED25519)"
        for _ in range(2)
    ]
    pub = creds.ssh_public(ctx.rng, "deploy@ci")
    return Out(
        "$ ssh-add -l\n" + "\n".join(lines) + f"\n$ ssh-add -L\n{pub}\n",
        "ssh-add listing: fingerprints and a public key",
        "txt",
    )


def netrc_doc(ctx: Ctx) -> Out:
    body = "# ~/.netrc (example; replace the values)\nmachine example.com\n  login <username>\n  password <personal-access-token>\n"
    return Out(body, ".netrc documentation with placeholders", "netrc")


def docker_helper(ctx: Ctx) -> Out:
    cfg = {
        "auths": {"ghcr.io": {}, "https://index.docker.io/v1/": {}},
        "credsStore": ctx.variant(["desktop", "osxkeychain", "pass"]),
    }
    cfg["credHelpers"] = {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"}
    return Out(json.dumps(cfg, indent=2) + "\n", "docker config.json with credential helpers only", "json")
