"""Set I's secret-bearing configs (language ``code``), each a container new to the held-out sets: rclone.conf,
Terraform .tfvars, Ansible INI inventories, Android keystore.properties and MySQL ~/.my.cnf. Every one has a
look-alike in the same container that holds no working secret: env_auth and key files, sizing-only tfvars
with the password left to TF_VAR_*, key-based inventories with vault-variable references, signing config
read from the environment, socket authentication."""

from __future__ import annotations

import base64
import string

from .doc import Ctx, Out

_USERS = ("deploy", "ops", "backup", "ci-runner", "svc-app", "admin")
_HOSTS = ("db-01", "db-02", "app-ams-1", "app-nbo-2", "cache-1", "files-lhr", "batch-7")
_PUNCT = "!#%+-_.@^"


def _tok(ctx: Ctx, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(ctx.rng.choice(alphabet) for _ in range(n))


def _password(ctx: Ctx) -> str:
    """A human-chosen-looking strong password: letters, digits and a couple of punctuation marks."""
    core = _tok(ctx, ctx.rng.randrange(12, 20))
    i, j = sorted(ctx.rng.sample(range(len(core)), 2))
    return core[:i] + ctx.rng.choice(_PUNCT) + core[i:j] + ctx.rng.choice(_PUNCT) + core[j:]


def _ip(ctx: Ctx) -> str:
    return f"10.{ctx.rng.randrange(0, 255)}.{ctx.rng.randrange(0, 255)}.{ctx.rng.randrange(2, 250)}"


# ---- rclone.conf -----------------------------------------------------------------------------------------
def _rclone_obscured(ctx: Ctx) -> str:
    """rclone's `obscure` output: base64url, no padding, of a 16-byte IV and the encrypted password; it is
    reversible by anyone with rclone, so it is a working secret."""
    raw = bytes(ctx.rng.getrandbits(8) for _ in range(16 + ctx.rng.randrange(10, 24)))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def rclone_live(ctx: Ctx) -> Out:
    bucket = f"{ctx.pick(('media', 'backups', 'archive', 'exports'))}-{ctx.rng.randrange(100, 999)}"
    text = (
        "[offsite]\ntype = s3\nprovider = AWS\n"
        f"access_key_id = AKIA{_tok(ctx, 16, string.ascii_uppercase + '234567')}\n"
        f"secret_access_key = {_tok(ctx, 40, string.ascii_letters + string.digits + '+/')}\n"
        f"region = {ctx.pick(('eu-west-1', 'af-south-1', 'ap-south-1', 'me-central-1'))}\n"
        f"location_constraint =\nacl = private\n# bucket {bucket}\n\n"
        f"[nas]\ntype = sftp\nhost = {_ip(ctx)}\nuser = {ctx.pick(_USERS)}\n"
        f"pass = {_rclone_obscured(ctx)}\nshell_type = unix\n"
    )
    return Out(text, "an rclone.conf with S3 keys and an obscured (reversible) SFTP password", "conf")


def rclone_env_auth(ctx: Ctx) -> Out:
    text = (
        "[offsite]\ntype = s3\nprovider = AWS\n# credentials come from the instance role / AWS_* variables\n"
        f"env_auth = true\nregion = {ctx.pick(('eu-west-1', 'af-south-1', 'ap-south-1', 'me-central-1'))}\n"
        "acl = private\n\n"
        f"[nas]\ntype = sftp\nhost = {_ip(ctx)}\nuser = {ctx.pick(_USERS)}\n"
        "key_file = ~/.ssh/id_ed25519\nask_password = false\nshell_type = unix\n"
    )
    return Out(text, "an rclone.conf using env_auth and an SSH key file path; no secret", "conf")


# ---- Terraform .tfvars -----------------------------------------------------------------------------------
def _tf_common(ctx: Ctx) -> str:
    return (
        f'environment    = "{ctx.pick(("prod", "staging", "prod-eu"))}"\n'
        f'region         = "{ctx.pick(("eu-west-1", "af-south-1", "ap-south-1"))}"\n'
        f'instance_type  = "{ctx.pick(("t3.medium", "m6i.large", "r6g.xlarge"))}"\n'
        f"replica_count  = {ctx.rng.randrange(1, 5)}\n"
        f"allocated_storage_gb = {ctx.rng.randrange(2, 40) * 50}\n"
        'tags = {\n  owner = "platform"\n  cost_centre = "'
        f'{ctx.rng.randrange(1000, 9999)}"\n}}\n'
    )


def tfvars_secret(ctx: Ctx) -> Out:
    text = (
        "# terraform.tfvars (production)\n" + _tf_common(ctx) + f'db_username    = "{ctx.pick(_USERS)}"\n'
        f'db_password    = "{_password(ctx)}"\n'
        f'grafana_admin_password = "{_password(ctx)}"\n'
        f'cloudflare_api_token   = "{_tok(ctx, 40, string.ascii_letters + string.digits + "_-")}"\n'
    )
    return Out(text, "a terraform.tfvars with the database password and an API token", "tfvars")


def tfvars_sizing(ctx: Ctx) -> Out:
    text = (
        "# terraform.tfvars: sizing only. db_password is NOT set here; CI exports TF_VAR_db_password\n"
        "# from the secret store, and variables.tf marks it sensitive = true.\n"
        + _tf_common(ctx)
        + f'db_username    = "{ctx.pick(_USERS)}"\n'
        f"backup_retention_days = {ctx.rng.randrange(3, 35)}\n"
    )
    return Out(
        text, "a terraform.tfvars with sizing and tags only; the password comes from TF_VAR_*", "tfvars"
    )


# ---- Ansible INI inventory -------------------------------------------------------------------------------
def _hosts(ctx: Ctx, extra: str) -> str:
    return "".join(
        f"{h} ansible_host={_ip(ctx)} ansible_user={ctx.pick(_USERS)}{extra}\n"
        for h in ctx.rng.sample(_HOSTS, ctx.rng.randrange(2, 4))
    )


def ansible_passwords(ctx: Ctx) -> Out:
    text = (
        "[db]\n"
        + _hosts(ctx, f" ansible_password={_password(ctx)}")
        + "\n[web]\n"
        + _hosts(ctx, "")
        + f"\n[all:vars]\nansible_become=true\nansible_become_password={_password(ctx)}\n"
        "ansible_python_interpreter=/usr/bin/python3\n"
    )
    return Out(text, "an Ansible inventory with SSH and become passwords in clear", "ini")


def ansible_key_auth(ctx: Ctx) -> Out:
    text = (
        "# passwords live in group_vars/all/vault.yml (ansible-vault encrypted)\n[db]\n"
        + _hosts(ctx, " ansible_ssh_private_key_file=~/.ssh/deploy_ed25519")
        + "\n[web]\n"
        + _hosts(ctx, "")
        + '\n[all:vars]\nansible_become=true\nansible_become_password="{{ vault_become_password }}"\n'
        "ansible_python_interpreter=/usr/bin/python3\n"
    )
    return Out(text, "an Ansible inventory with key auth and a vault variable reference", "ini")


# ---- Android keystore.properties -------------------------------------------------------------------------
_APPS = (
    "com.sokoni.wallet",
    "com.afya.booking",
    "app.harambee.pay",
    "com.tuktuk.rides",
    "org.maktaba.reader",
)


def android_keystore(ctx: Ctx) -> Out:
    text = (
        f"# keystore.properties for {ctx.pick(_APPS)} release builds\n"
        '# read by app/build.gradle.kts: Properties().load(rootProject.file("keystore.properties"))\n'
        f"# generated {ctx.day(2023, 2026).isoformat()} with keytool -genkeypair -keyalg RSA -keysize 2048\n"
        f"storeFile=../keys/upload-{ctx.rng.randrange(2021, 2026)}.jks\n"
        f"storePassword={_password(ctx)}\nkeyAlias=upload\nkeyPassword={_password(ctx)}\n"
    )
    return Out(text, "an Android keystore.properties with the upload keystore passwords", "properties")


def android_signing_env(ctx: Ctx) -> Out:
    text = (
        f"// app/build.gradle.kts (signing) for {ctx.pick(_APPS)}: values come from CI secrets\n"
        'signingConfigs {\n    create("release") {\n'
        '        storeFile = file(System.getenv("ANDROID_KEYSTORE_PATH") ?: "upload.jks")\n'
        '        storePassword = System.getenv("ANDROID_KEYSTORE_PASSWORD")\n'
        '        keyAlias = "upload"\n'
        '        keyPassword = System.getenv("ANDROID_KEY_PASSWORD")\n    }\n}\n'
        f"// min SDK {ctx.rng.randrange(21, 27)}, target SDK {ctx.rng.randrange(33, 36)}\n"
    )
    return Out(text, "an Android signing config that reads its passwords from the environment", "kts")


# ---- MySQL ~/.my.cnf -------------------------------------------------------------------------------------
def mycnf_password(ctx: Ctx) -> Out:
    text = (
        f"# ~/.my.cnf on {ctx.pick(_HOSTS)} (nightly dump job)\n"
        f"[client]\nuser={ctx.pick(_USERS)}\npassword={_password(ctx)}\n"
        f"host={ctx.pick(_HOSTS)}.internal\nport=3306\ndefault-character-set=utf8mb4\n\n"
        "[mysql]\nauto-rehash\n\n[mysqldump]\nsingle-transaction\nquick\nroutines\n"
    )
    return Out(text, "a ~/.my.cnf with the client password", "cnf")


def mycnf_socket(ctx: Ctx) -> Out:
    text = (
        f"# ~/.my.cnf on {ctx.pick(_HOSTS)}; auth_socket: the OS user is the MySQL user, no password is stored\n"
        f"[client]\nuser={ctx.pick(_USERS)}\nsocket=/run/mysqld/mysqld.sock\n\n"
        f"[mysql]\nprompt=\\u@{ctx.pick(_HOSTS)} [\\d]>\\_\nauto-rehash\ndefault-character-set=utf8mb4\n\n"
        "[mysqldump]\nsingle-transaction\nquick\nroutines\n"
    )
    return Out(text, "a ~/.my.cnf with socket authentication; no password", "cnf")
