"""Credentials as their issuers shape them, and the public material that resembles them.

Live-looking values are random in each provider's documented shape (prefix, alphabet, length); the
look-alikes are what is safe to publish: public keys and certificates, digests, lockfile integrity
hashes, the vendors' own documented example keys, and references to secrets rather than secrets.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import textwrap

ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"


def rand(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def rbytes(rng: random.Random, n: int) -> bytes:
    return bytes(rng.randrange(256) for _ in range(n))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def hexs(rng: random.Random, n: int) -> str:
    return rand(rng, n, "0123456789abcdef")


# --- live credentials ----------------------------------------------------------------------------


def aws_pair(rng: random.Random) -> tuple[str, str]:
    return "AKIA" + rand(rng, 16, string.ascii_uppercase + "234567"), rand(rng, 40, B64)


def github_token(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "ghp_" + rand(rng, 36)
    return "github_pat_11" + rand(rng, 20, string.ascii_uppercase + string.digits) + "_" + rand(rng, 59)


def gitlab_token(rng: random.Random) -> str:
    return "glpat-" + rand(rng, 20, URLSAFE)


def slack_token(rng: random.Random) -> str:
    return f"xoxb-{rand(rng, 12, string.digits)}-{rand(rng, 13, string.digits)}-{rand(rng, 24)}"


def slack_webhook(rng: random.Random) -> str:
    up = string.ascii_uppercase + string.digits
    return f"https://hooks.slack.com/services/T{rand(rng, 8, up)}/B{rand(rng, 10, up)}/{rand(rng, 24)}"


def stripe_live(rng: random.Random) -> str:
    return rng.choice(["sk_live_", "rk_live_"]) + rand(rng, 99 if rng.random() < 0.5 else 24)


def google_api_key(rng: random.Random) -> str:
    return "AIza" + rand(rng, 35, URLSAFE)


def openai_key(rng: random.Random) -> str:
    return "sk-proj-" + rand(rng, 74, URLSAFE) + "T3BlbkFJ" + rand(rng, 74, URLSAFE)


def anthropic_key(rng: random.Random) -> str:
    return "sk-ant-api03-" + rand(rng, 93, URLSAFE) + "AA"


def sendgrid_key(rng: random.Random) -> str:
    return f"SG.{rand(rng, 22, URLSAFE)}.{rand(rng, 43, URLSAFE)}"


def twilio_pair(rng: random.Random) -> tuple[str, str]:
    return "AC" + hexs(rng, 32), hexs(rng, 32)


def npm_token(rng: random.Random) -> str:
    return "npm_" + rand(rng, 36)


def vault_token(rng: random.Random) -> str:
    return "hvs." + rand(rng, 24, URLSAFE)


def azure_storage(rng: random.Random, account: str) -> str:
    key = b64(rbytes(rng, 64))
    return (
        f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={key};"
        "EndpointSuffix=core.windows.net"
    )


def jwt(rng: random.Random, sub: str, email: str) -> str:
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(
        json.dumps(
            {"sub": sub, "email": email, "iat": 1767225600 + rng.randrange(10**7), "scope": "admin read:all"}
        ).encode()
    )
    return f"{head}.{body}.{b64url(rbytes(rng, 32))}"


def password(rng: random.Random) -> str:
    words = [
        "Winter",
        "Falcon",
        "Orchid",
        "Harbor",
        "Kestrel",
        "Maple",
        "Quartz",
        "Tundra",
        "Violet",
        "Cobalt",
    ]
    return rng.choice(words) + rand(rng, 3, string.digits) + rng.choice("!#%&*@$") + rand(rng, 6)


def _pem(kind: str, der: bytes) -> str:
    body = "\n".join(textwrap.wrap(b64(der), 64))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"


def rsa_private_pem(rng: random.Random) -> str:
    return _pem("RSA PRIVATE KEY", b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + rbytes(rng, 1180))


def ec_private_pem(rng: random.Random) -> str:
    return _pem("EC PRIVATE KEY", b"\x30\x77\x02\x01\x01\x04\x20" + rbytes(rng, 114))


def pkcs8_encrypted_pem(rng: random.Random) -> str:
    return _pem("ENCRYPTED PRIVATE KEY", b"\x30\x82\x05\x0e\x30\x40\x06\x09\x2a\x86\x48" + rbytes(rng, 1290))


def openssh_private(rng: random.Random) -> str:
    der = b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00\x00\x00\x00\x01"
    body = "\n".join(textwrap.wrap(b64(der + rbytes(rng, 340)), 70))
    return f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----"


def putty_ppk(rng: random.Random, comment: str) -> str:
    pub = "\n".join(textwrap.wrap(b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + rbytes(rng, 32)), 64))
    priv = b64(b"\x00\x00\x00\x20" + rbytes(rng, 32))
    return (
        f"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: {comment}\n"
        f"Public-Lines: {pub.count(chr(10)) + 1}\n{pub}\nPrivate-Lines: 1\n{priv}\n"
        f"Private-MAC: {hexs(rng, 64)}"
    )


def pgp_private(rng: random.Random) -> str:
    body = "\n".join(textwrap.wrap(b64(b"\x95\x03\xc6\x04" + rbytes(rng, 900)), 64))
    return (
        f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{body}\n={b64(rbytes(rng, 3))}\n"
        "-----END PGP PRIVATE KEY BLOCK-----"
    )


def pkcs12_b64(rng: random.Random) -> str:
    return b64(
        b"\x30\x82\x0a\x5c\x02\x01\x03\x30\x82\x0a\x22\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"
        + rbytes(rng, 1500)
    )


def wireguard_key(rng: random.Random) -> str:
    return b64(rbytes(rng, 32))


def age_secret(rng: random.Random) -> str:
    return "AGE-SECRET-KEY-1" + rand(rng, 58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L").upper()


def kube_client_key(rng: random.Random) -> str:
    return b64(rsa_private_pem(rng).encode())


# --- public look-alikes ------------------------------------------------------------------------------


def ssh_public(rng: random.Random, comment: str) -> str:
    if rng.random() < 0.5:
        return (
            "ssh-ed25519 "
            + b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + rbytes(rng, 32))
            + " "
            + comment
        )
    return (
        "ssh-rsa "
        + b64(b"\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x03\x01\x00\x01\x00\x00\x01\x01" + rbytes(rng, 257))
        + " "
        + comment
    )


def certificate_pem(rng: random.Random) -> str:
    return _pem("CERTIFICATE", b"\x30\x82\x03\x8d\x30\x82\x02\x75\xa0\x03\x02\x01\x02" + rbytes(rng, 880))


def public_key_pem(rng: random.Random) -> str:
    return _pem(
        "PUBLIC KEY",
        b"\x30\x82\x01\x22\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01" + rbytes(rng, 276),
    )


def pgp_public(rng: random.Random) -> str:
    body = "\n".join(textwrap.wrap(b64(b"\x99\x01\x0d\x04" + rbytes(rng, 560)), 64))
    return f"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{body}\n={b64(rbytes(rng, 3))}\n-----END PGP PUBLIC KEY BLOCK-----"


def sha256(rng: random.Random) -> str:
    return hashlib.sha256(rbytes(rng, 16)).hexdigest()


def git_sha(rng: random.Random) -> str:
    return hashlib.sha1(rbytes(rng, 16)).hexdigest()


def uuid4(rng: random.Random) -> str:
    h = hexs(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


def sri_sha512(rng: random.Random) -> str:
    return "sha512-" + b64(rbytes(rng, 64))


def gosum_hash(rng: random.Random) -> str:
    return "h1:" + b64(rbytes(rng, 32))


# The vendors' own documentation examples: published, inert, and everywhere in tutorials.
DOC_EXAMPLES = {
    "aws_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}

PLACEHOLDERS = [
    "<YOUR_API_KEY>",
    "${API_TOKEN}",
    "{{ secrets.DEPLOY_TOKEN }}",
    "changeme",
    "your-token-here",
    "${{ secrets.NPM_TOKEN }}",
    "$(cat /run/secrets/db_password)",
    "xxxxxxxxxxxxxxxx",
    "REPLACE_ME",
    "%DB_PASSWORD%",
    "os.environ['STRIPE_SECRET_KEY']",
    "process.env.SENDGRID_API_KEY",
]
