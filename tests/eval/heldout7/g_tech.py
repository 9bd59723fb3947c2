"""Set G's secrets in containers no earlier set used (HAR captures, Postman collections, s3cmd .s3cfg, TOML
service configs, syslog sudo lines), each next to a look-alike in the same container: static-asset HAR,
Postman variables, a documented .s3cfg template, TOML that points at environment variables or secret files,
and sudo lines without credentials."""

from __future__ import annotations

import json
import string

from .doc import Ctx, Out

B62 = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


def rand(ctx: Ctx, n: int, alphabet: str = B62) -> str:
    return "".join(ctx.rng.choice(alphabet) for _ in range(n))


def _slug(ctx: Ctx) -> str:
    return "".join(c for c in ctx.company().lower() if c.isascii() and c.isalnum())[:14] or "acme"


def _har(entries: list[dict[str, object]]) -> str:
    log = {"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "133.0"}, "entries": entries}}
    return json.dumps(log, indent=2) + "\n"


def _entry(
    ctx: Ctx, method: str, url: str, headers: list[tuple[str, str]], status: int, mime: str
) -> dict[str, object]:
    return {
        "startedDateTime": f"{ctx.day(2025, 2026).isoformat()}T{ctx.rng.randrange(24):02d}:{ctx.rng.randrange(60):02d}:07.412Z",
        "time": ctx.rng.randrange(20, 900),
        "request": {
            "method": method,
            "url": url,
            "httpVersion": "HTTP/2",
            "headers": [{"name": k, "value": v} for k, v in headers],
        },
        "response": {"status": status, "content": {"mimeType": mime, "size": ctx.rng.randrange(200, 90000)}},
    }


def har_auth_capture(ctx: Ctx) -> Out:
    host = f"api.{_slug(ctx)}.com"
    token = rand(ctx, 48)
    cookie = f"sessionid={rand(ctx, 32, HEX)}; csrftoken={rand(ctx, 32)}"
    entries = [
        _entry(
            ctx,
            "GET",
            f"https://{host}/v2/orders?page=1",
            [("Authorization", f"Bearer {token}"), ("Accept", "application/json")],
            200,
            "application/json",
        ),
        _entry(
            ctx,
            "POST",
            f"https://{host}/v2/orders/{ctx.rng.randrange(10000, 99999)}/refund",
            [("Authorization", f"Bearer {token}"), ("Cookie", cookie)],
            201,
            "application/json",
        ),
    ]
    return Out(_har(entries), "a HAR capture with a live bearer token and session cookie", "har")


def har_static_assets(ctx: Ctx) -> Out:
    host = f"www.{_slug(ctx)}.com"
    entries = [
        _entry(
            ctx,
            "GET",
            f"https://{host}/static/{p}",
            [("Accept", mime), ("If-None-Match", f'"{rand(ctx, 16, HEX)}"')],
            (200, 304)[ctx.rng.randrange(2)],
            mime,
        )
        for p, mime in (
            ("app.3f9c.js", "application/javascript"),
            ("main.css", "text/css"),
            ("logo.svg", "image/svg+xml"),
        )
    ]
    return Out(_har(entries), "a HAR capture of static assets, no credentials", "har")


def _postman(ctx: Ctx, auth_value: str, base: str | None) -> str:
    host = f"https://api.{_slug(ctx)}.com/v1"
    coll = {
        "info": {
            "name": f"{ctx.company()} API",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "auth": {
            "type": "apikey",
            "apikey": [{"key": "key", "value": "X-Api-Key"}, {"key": "value", "value": auth_value}],
        },
        "item": [{"name": "List invoices", "request": {"method": "GET", "url": f"{base or host}/invoices"}}],
        "variable": [{"key": "baseUrl", "value": host}],
    }
    return json.dumps(coll, indent=2) + "\n"


def postman_apikey(ctx: Ctx) -> Out:
    key = f"{rand(ctx, 8, HEX)}-{rand(ctx, 4, HEX)}-{rand(ctx, 4, HEX)}-{rand(ctx, 4, HEX)}-{rand(ctx, 12, HEX)}.{rand(ctx, 24)}"
    return Out(
        _postman(ctx, key, None),
        "a Postman collection exported with its API key",
        "postman_collection.json",
    )


def postman_vars(ctx: Ctx) -> Out:
    return Out(
        _postman(ctx, "{{apiKey}}", "{{baseUrl}}"),
        "a Postman collection whose key is a {{variable}}",
        "postman_collection.json",
    )


def s3cfg_keys(ctx: Ctx) -> Out:
    region = ctx.pick(["fra1", "ams3", "nyc3", "sgp1"])
    text = (
        "[default]\n"
        f"access_key = DO00{rand(ctx, 16, string.ascii_uppercase + string.digits)}\n"
        f"secret_key = {rand(ctx, 43, B62 + '+/')}\n"
        f"host_base = {region}.digitaloceanspaces.com\n"
        f"host_bucket = %(bucket)s.{region}.digitaloceanspaces.com\n"
        "use_https = True\n"
        f"gpg_passphrase = {rand(ctx, 14)}\n"
    )
    return Out(text, "an s3cmd config with live Spaces keys and a GPG passphrase", "s3cfg")


def s3cfg_template(ctx: Ctx) -> Out:
    region = ctx.pick(["fra1", "ams3", "nyc3", "sgp1"])
    text = (
        "# Copy to ~/.s3cfg and fill in your own keys (Control Panel > API > Spaces keys).\n"
        "[default]\n"
        "access_key = <YOUR_SPACES_ACCESS_KEY>\n"
        "secret_key = <YOUR_SPACES_SECRET_KEY>\n"
        f"host_base = {region}.digitaloceanspaces.com\n"
        f"host_bucket = %(bucket)s.{region}.digitaloceanspaces.com\n"
        "use_https = True\n"
        "gpg_passphrase =\n"
    )
    return Out(text, "a documented .s3cfg template with placeholders", "s3cfg")


def toml_db_password(ctx: Ctx) -> Out:
    svc = ctx.pick(["orders", "billing", "ledger", "catalog"])
    text = (
        f'[service]\nname = "{svc}-api"\nport = {ctx.rng.randrange(8000, 9000)}\n\n'
        f'[database]\nurl = "postgres://svc_{svc}:{rand(ctx, 20)}@db-prod-{ctx.rng.randrange(1, 5)}.internal:5432/{svc}"\n'
        f"pool_size = {ctx.rng.randrange(5, 40)}\n\n"
        f'[smtp]\nhost = "smtp.{_slug(ctx)}.com"\nuser = "noreply"\npassword = "{rand(ctx, 18)}"\n'
    )
    return Out(text, "a TOML service config with a live database URL password and SMTP password", "toml")


def toml_env_ref(ctx: Ctx) -> Out:
    svc = ctx.pick(["orders", "billing", "ledger", "catalog"])
    text = (
        f'[service]\nname = "{svc}-api"\nport = {ctx.rng.randrange(8000, 9000)}\n\n'
        '[database]\nurl = "${DATABASE_URL}"  # injected by the platform\n'
        f"pool_size = {ctx.rng.randrange(5, 40)}\n\n"
        f'[smtp]\nhost = "smtp.{_slug(ctx)}.com"\nuser = "noreply"\npassword_file = "/run/secrets/smtp_password"\n'
    )
    return Out(text, "a TOML service config that reads secrets from the environment and files", "toml")


def _sudo(ctx: Ctx, cmds: list[str]) -> str:
    host = ctx.pick(["db01", "web-prod-3", "bastion", "ci-runner-7"])
    user = ctx.pick(["deploy", "jenkins", "ops", "backup"])
    out = []
    for c in cmds:
        d = ctx.day(2025, 2026)
        out.append(
            f"{d.strftime('%b')} {d.day:2d} {ctx.rng.randrange(24):02d}:{ctx.rng.randrange(60):02d}:{ctx.rng.randrange(60):02d} {host} sudo[{ctx.rng.randrange(1000, 60000)}]:   {user} : TTY=pts/{ctx.rng.randrange(4)} ; PWD=/srv ; USER=root ; COMMAND={c}\n"
        )
    return "".join(out)


def syslog_sudo_password(ctx: Ctx) -> Out:
    cmds = [
        "/usr/bin/systemctl status nginx",
        f"/usr/bin/mysql -u root -p{rand(ctx, 16)} -e SHOW DATABASES",
        f"/usr/bin/curl -u admin:{rand(ctx, 14)} https://grafana.{_slug(ctx)}.com/api/admin/users",
    ]
    return Out(_sudo(ctx, cmds), "sudo log lines whose commands carry live passwords", "log")


def syslog_sudo_plain(ctx: Ctx) -> Out:
    cmds = [
        "/usr/bin/systemctl restart nginx",
        "/usr/bin/apt-get -y upgrade",
        "/usr/bin/mysql --defaults-extra-file=/etc/mysql/backup.cnf -e SHOW DATABASES",
    ]
    return Out(_sudo(ctx, cmds), "sudo log lines without credentials", "log")
