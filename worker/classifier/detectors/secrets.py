"""Secrets: cloud and API keys, private key blocks, passwords and tokens in config-like text,
connection strings with credentials.

Every pattern starts with a literal (a provider prefix such as "AKIA" or "ghp_", or a key word such as
"password"), so the regex engine skips through ordinary text at string-search speed.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, char_before
from worker.classifier.detectors.testdata import EXAMPLE_TOKENS

_AWS_PREFIXES = "AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA"
# Provider token formats; the word boundary before a match is checked in code (a leading \b would
# disable the literal fast path). All but the PEM header are 15+ characters without whitespace, so they
# are first looked for in `Doc.long_tokens` only.
_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("aws_access_key", rf"(?:{_AWS_PREFIXES})[0-9A-Z]{{16}}(?![0-9A-Za-z])"),
        ("anthropic_api_key", r"sk-ant-[a-z]{3,6}[0-9]{2}-[A-Za-z0-9_\-]{20,}"),
        ("openai_api_key", r"sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}"),
        ("github_token", r"gh[pousr]_[A-Za-z0-9]{30,255}"),
        ("github_token", r"github_pat_[A-Za-z0-9_]{22,255}"),
        ("gitlab_token", r"gl(?:pat|dt|rt|soat|cbt|ptt)-[A-Za-z0-9_\-]{20,}"),
        ("slack_token", r"xox[abposre]-[A-Za-z0-9\-]{10,}"),
        ("slack_webhook", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_\-]{20,}"),
        # Webhook URLs whose path is the credential (anyone holding one can post): Discord, Microsoft
        # Teams/Power Automate incoming webhooks, Google Chat (key= and token= in the query).
        ("webhook_url", r"https://(?:\w+\.)?discord(?:app)?\.com/api/webhooks/[0-9]{5,}/[A-Za-z0-9_\-]{30,}"),
        ("webhook_url", r"https://[\w.\-]+\.webhook\.office\.com/webhookb2/[A-Za-z0-9@/_\-]{30,}"),
        (
            "webhook_url",
            r"https://chat\.googleapis\.com/v1/spaces/[\w\-]+/messages\?key=[\w\-]{20,}&token=[\w\-%]{20,}",
        ),
        ("google_api_key", r"AIza[0-9A-Za-z_\-]{35}(?![A-Za-z0-9_\-])"),
        ("google_api_key", r"GOCSPX-[A-Za-z0-9_\-]{28}"),
        ("stripe_key", r"sk_(?:live|test)_[0-9A-Za-z]{16,}"),
        ("stripe_key", r"rk_(?:live|test)_[0-9A-Za-z]{16,}"),
        ("stripe_key", r"whsec_[0-9A-Za-z]{24,}"),
        ("twilio_key", r"SK[0-9a-f]{32}(?![0-9A-Za-z])"),
        ("sendgrid_key", r"SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{30,50}"),
        ("huggingface_token", r"hf_[A-Za-z0-9]{30,}"),
        ("npm_token", r"npm_[A-Za-z0-9]{36}"),
        # HashiCorp Vault service, batch and recovery tokens (Vault 1.10+: "hvs." + 24+ base62).
        ("vault_token", r"hv[sbr]\.[A-Za-z0-9_\-]{24,}"),
        # age (filippo.io/age) identity files: the secret key itself, Bech32 after its fixed prefix.
        ("private_key", r"AGE-SECRET-KEY-1[0-9A-Z]{58}"),
        ("azure_storage_key", r"AccountKey=[A-Za-z0-9+/]{40,}={0,2}"),
        ("azure_storage_key", r"SharedAccessKey=[A-Za-z0-9+/]{40,}={0,2}"),
        ("jwt", r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
        ("private_key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    )
)
# A private-key header broken over lines, even mid-word ("-----BEGIN RSA PRIV\nATE KEY-----"): read with
# its whitespace removed.
_SPLIT_PEM_HEADER = re.compile(r"-----\s*B\s*E\s*G\s*I\s*N\s([A-Z0-9\s]{1,60}?)-----")
_BEARER = re.compile(r"bearer\s+(?!eyj)[a-z0-9_\-.~+/]{20,}=*")
_CONNECTION = re.compile(r"://([^\s:/@\"'<>]{1,64}):([^\s@/\"'<>]{1,128})@[^\s/\"'<>]+")
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]{1,20}$")

# Key names that carry secrets in .env, YAML, JSON, INI and code ("DB_PASSWORD", "clientSecret",
# "api_key"), found by literal; the identifier around the hit is then read whole.
_KEY_WORDS = tuple(
    re.compile(word)
    for word in (
        r"pass(?:word|wd|phrase|wort|code)?",
        "pwd",
        "secret",
        "token",
        "key",
        "credential",
        "kennwort",
    )
)
# A bare "...key" identifier is a secret only with one of these qualifiers ("api_key", "secretKey").
_KEY_QUALIFIERS = (
    "api",
    "access",
    "auth",
    "secret",
    "private",
    "signing",
    "encryption",
    "master",
    "session",
    "client",
    "license",
    "subscription",
)
# Identifiers that name a number or a location, not the secret itself ("max_tokens", "token_url").
_NOT_SECRET_SUFFIXES = (
    "s",
    "_count",
    "count",
    "_limit",
    "limit",
    "_ttl",
    "ttl",
    "_expiry",
    "expiry",
    "_length",
    "length",
    "_url",
    "url",
    "_uri",
    "uri",
    "_endpoint",
    "endpoint",
    "_type",
    "type",
    "_name",
    "name",
    "_file",
    "file",
    "_path",
    "path",
    "_id",
    "id",
    "_policy",
    "policy",
    "_size",
    "size",
)
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-.")
_ASSIGNED = re.compile(r"[\"']?\s*(:=|=>|=|:)[ \t]*(\"[^\"\n]{4,}\"|'[^'\n]{4,}'|[^\s\"',;]{4,})")
_PROSE_PASSWORD = tuple(
    (gate.encode(), re.compile(word + r"\s+(?:is|was|ist|est|es|=)\s*:?\s*[\"'“]?([^\s\"'”]{4,})"))
    for gate, word in (
        ("password", "password"),
        ("passcode", "passcode"),
        ("passwort", "passwort"),
        ("kennwort", "kennwort"),
        ("passe", "mot de passe"),
        ("contraseña", "contraseña"),
        ("contrasena", "contrasena"),
        ("pin", "pin"),
    )
)
# A password given on a command line (sqlcmd -P, mysql --password=, plink -pw, net use /password: or the
# positional one after /user:): what shell histories, process audit logs (Windows event 4688) and CI
# logs record.
_CLI_PASSWORD = re.compile(
    r"(?:--?(?:password|passwd|pwd|pass|pw)|-[Pp]|/password:?|/user:[^\s\":=]+)(?:=|:|[ \t]+)(\"[^\"\n]{4,}\"|'[^'\n]{4,}'|[^\s\"'<>&]{4,})"
)
# After "-p"/"-P": a port or port mapping (ssh -p 2222, docker -p 8080:80), a path (mkdir -p /srv/x), an
# option or a shell variable, not a password.
_NOT_CLI_PASSWORD = re.compile(r"[0-9.:/\-]*$|.*[/\\]|[-.~$%]")
_CLI_GATE = ("-p", "-P", "/password", "/user:")
# Passwords a command line carries in a client's own short form: the MySQL/MariaDB client's `-pSECRET`
# (attached: `-p SECRET` would be a database name) and curl's `-u user:SECRET` / `--user user:SECRET`.
_MYSQL_ATTACHED = re.compile(r"\b(?:mysql|mariadb)[\w-]*[^\n]{0,200}?[ \t]-p([^\s\"'<>&]{4,})")
_USER_COLON = re.compile(r"(?:^|(?<=[\s;|&]))(?:-u|--user)[ \t=]+[^\s:\"']{1,64}:([^\s\"'<>&]{4,})")
_AWS_SECRET = re.compile(
    r"aws.{0,20}?(?:secret|private).{0,20}?key[\"']?\s*[:=]\s*[\"']?[a-z0-9/+]{40}(?![a-z0-9/+])"
)
_PLACEHOLDER = re.compile(
    r"(?i)^(?:\*+|x{3,}|\.{2,}|-+|_+|<[^>]*>|\[[^\]]*\]|\{\{?[^}]*\}\}?|\$\{?[a-z0-9_]+\}?|\$\{[a-z0-9_.\-]+(?::[^}]*)?\}|\$\{[a-z0-9_]+:?[-?=+].*|%\(?[a-z0-9_]*\)?s?|"
    r"%[a-z0-9_]+%|null|nil|none|true|false|undefined|empty|required|optional|string|str|int|bool|"
    r"changeme|change_me|redacted|hidden|masked|secret|password|passwd|token|example\w*|sample\w*|dummy\w*|"
    r"placeholder|your[_\-]?\w*|my[_\-]?\w*|test|todo|tbd|n/a|env|os\.environ.*|getenv.*|process\.env.*|\$\(.*)$"
)
# Placeholder words inside a provider-prefixed token: generated keys are random and never spell these.
_PLACEHOLDER_TOKEN = re.compile(
    r"(?i)(?:your|[_\-]here(?![a-z])|replace|placeholder|changeme|insert|example|x{6,}|0{10,})"
)
# Code, not a value: a dotted name or a call ("settings.DB_PASSWORD", "get_secret(...)"). A value that
# merely contains "(" ("Tr0ub(4dor") is a password (issue 18: three misses read as code).
_CODE_VALUE = re.compile(
    r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(.*)?$|^[A-Za-z_][\w.]*\((?:.*\))?[;,]?$|^[A-Za-z_]\w*\[|^https?://"
)
# An environment or template variable standing for the secret: API_KEY, $DB_PASS, {{ token }}.
_REFERENCE = re.compile(r"^(?:\$\{?|%|\{\{\s*)?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:\}|%|\s*\}\})?$")


class SecretsDetector:
    """Provider key formats plus credentials assigned in config-like text; placeholders are ignored."""

    def find(self, doc: Doc) -> list[Finding]:
        found = self.tokens(doc)
        lower = doc.lower
        if b"bearer" in doc.words:
            found.extend(Finding("bearer_token", m.start(), m.end()) for m in _BEARER.finditer(lower))
        for match in _CONNECTION.finditer(lower):
            scheme = _SCHEME.search(lower, max(0, match.start() - 21), match.start())
            if scheme and not _PLACEHOLDER.match(match.group(2)):
                found.append(Finding("connection_string", scheme.start(), match.end()))
        found.extend(self._assignments(doc))
        return found

    @staticmethod
    def tokens(doc: Doc) -> list[Finding]:
        """Provider key formats and private-key headers only."""
        text = doc.text
        found: list[Finding] = []
        long_tokens = doc.long_tokens
        for kind, pattern in _TOKENS:
            # Search the (short) list of long tokens first; only a hit pays for a scan of the whole text.
            if (long_tokens and pattern.search(long_tokens)) or (
                kind == "private_key" and "-----BEGIN" in text
            ):
                for match in pattern.finditer(text):
                    if not char_before(text, match.start()).isalnum():
                        # AWS documents its sample keys with "EXAMPLE" in them (AKIAIOSFODNN7EXAMPLE); other
                        # documented samples (the jwt.io token) are known by heart (testdata.EXAMPLE_TOKENS).
                        example = "EXAMPLE" in match.group() or match.group() in EXAMPLE_TOKENS
                        if not example and _PLACEHOLDER_TOKEN.search(match.group()):
                            # "xoxb-your-token-here", "ghp_XXXXXXXX...": a provider prefix on a placeholder
                            # (a .env.example); reported public so the decision shows in the reasons.
                            found.append(Finding("secret_reference", match.start(), match.end()))
                            continue
                        if kind == "private_key" and _placeholder_pem(text, match.end()):
                            # "-----BEGIN PRIVATE KEY-----\\nPRIVATE_KEY\\n-----END...": a key file's
                            # template, no key in it; reported public so the decision is in the reasons.
                            found.append(Finding("secret_reference", match.start(), match.end()))
                            continue
                        found.append(
                            Finding("example_secret" if example else kind, match.start(), match.end())
                        )
        if "-----" in text and "\n" in text:
            for match in _SPLIT_PEM_HEADER.finditer(text):
                if "PRIVATEKEY" in "".join(match.group(1).split()) and not _placeholder_pem(
                    text, match.end()
                ):
                    found.append(Finding("private_key", match.start(), match.end()))
        return found

    @staticmethod
    def _assignments(doc: Doc) -> list[Finding]:
        lower, text, out = doc.lower, doc.text, []
        for key_word in _KEY_WORDS:
            for hit in key_word.finditer(lower):
                end = hit.end()
                while end < len(lower) and lower[end] in _IDENT_CHARS:
                    end += 1
                if not _ASSIGNED.match(lower, end):
                    continue
                start, end = _identifier_bounds(lower, hit.start(), end)
                identifier = lower[start:end]
                if not _secret_key_name(identifier, hit.group() if hit.group() != "pass" else "pass"):
                    continue
                assigned = _ASSIGNED.match(lower, end)
                if not assigned:
                    continue
                # Read the value from the original text: case matters for "does it look machine-made".
                raw = text[assigned.start(2) : assigned.end(2)]
                # Backticks: Markdown code spans around the assignment ("`DB_PASSWORD=${DB_PASSWORD}`").
                value, quoted = raw.strip("\"'`"), raw[:1] in "\"'"
                if identifier in ("pwd", "oldpwd") and value.startswith(("/", "~")):
                    continue  # the shell's working directory (sudo logs, env dumps), not a password
                if (_REFERENCE.match(value.rstrip("})];`")) and not quoted) or _PLACEHOLDER.match(value):
                    # ${POSTGRES_PASSWORD}, API_KEY, <your-token>: a reference, not the secret. Reported
                    # (public by default) so the decision is visible in the reasons.
                    out.append(Finding("secret_reference", start, assigned.end()))
                elif _is_credential_value(value, strict=assigned.group(1) == ":", quoted=quoted):
                    out.append(Finding("password_assignment", start, assigned.end()))
        if any(gate in text for gate in _CLI_GATE):
            for m in _CLI_PASSWORD.finditer(text):
                if char_before(text, m.start()) not in " \t\n\"'>=(":
                    continue
                raw = m.group(1)
                value, quoted = raw.strip("\"'"), raw[:1] in "\"'"
                if _NOT_CLI_PASSWORD.match(value):
                    continue
                if _REFERENCE.match(value) or _PLACEHOLDER.match(value):
                    out.append(Finding("secret_reference", m.start(), m.end()))
                elif _is_credential_value(value, strict=True, quoted=quoted):
                    out.append(Finding("password_assignment", m.start(), m.end()))
        for literal, client in (
            ("mysql", _MYSQL_ATTACHED),
            ("mariadb", _MYSQL_ATTACHED),
            ("-u", _USER_COLON),
        ):
            if literal not in lower:
                continue
            for m in client.finditer(text):
                value = m.group(1)
                if _REFERENCE.match(value) or _PLACEHOLDER.match(value):
                    out.append(Finding("secret_reference", m.start(), m.end()))
                elif _is_credential_value(value, strict=True):
                    out.append(Finding("password_assignment", m.start(), m.end()))
        if "aws" in lower:
            for m in _AWS_SECRET.finditer(lower):
                example = "example" in m.group()
                out.append(Finding("example_secret" if example else "aws_secret_key", m.start(), m.end()))
        for gate, pattern in _PROSE_PASSWORD:
            if gate not in doc.words:
                continue
            for match in pattern.finditer(lower):
                value = text[match.start(1) : match.end(1)].rstrip(".,;:!?)")
                if _is_credential_value(value, strict=True) or (value.isdigit() and 4 <= len(value) <= 8):
                    out.append(Finding("password_assignment", match.start(), match.end()))
        return out


# A key file template's body: nothing, or a placeholder (PRIVATE_KEY, <YOUR_KEY>, ${KEY}, "..."). Base64
# key material has lower-case letters and digits, so even a truncated real key ("MIIEow...") is not one.
_PEM_PLACEHOLDER_BODY = re.compile(r"[A-Z_.<>{}\[\]$\-\s]*")


def _placeholder_pem(text: str, header_end: int) -> bool:
    """Whether the block after a private-key header holds a placeholder, not a key."""
    end = text.find("-----END", header_end, header_end + 4096)
    if end == -1:
        return False
    body = text[header_end:end].replace("\\n", "").replace("\\", "")
    return _PEM_PLACEHOLDER_BODY.fullmatch(body) is not None


def _identifier_bounds(lower: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and lower[start - 1] in _IDENT_CHARS:
        start -= 1
    while end < len(lower) and lower[end] in _IDENT_CHARS:
        end += 1
    return start, end


def _secret_key_name(identifier: str, word: str) -> bool:
    """Whether an identifier containing a key word names a secret ("db_password", "clientSecret",
    "api_key") rather than something about one ("max_tokens", "token_url", "passenger")."""
    if word == "pass" and not identifier.endswith("pass"):
        return False
    if identifier.endswith(_NOT_SECRET_SUFFIXES) and not identifier.endswith(
        ("secrets", "credentials", "pass")
    ):
        return False
    if word == "key":
        head = identifier[: identifier.rfind("key")]
        return any(qualifier in head for qualifier in _KEY_QUALIFIERS)
    return True


def _is_credential_value(value: str, *, strict: bool, quoted: bool = False) -> bool:
    """Whether an assigned value looks like a real credential rather than a placeholder, a word or code.

    `strict` applies to `key: value` (YAML, headers, but also prose such as "Token: see the wiki"): the
    value must then look machine-made (a digit or symbol, mixed case, or 12+ characters).
    """
    if len(value) < 4 or value.isdigit() or _PLACEHOLDER.match(value):
        return False
    if not quoted and _CODE_VALUE.match(value):  # a quoted string is data even when it contains "("
        return False
    if not strict:
        return len(value) >= 6 or any(not c.isalpha() for c in value)
    if value.isalpha() and value.islower() and len(value) < 12:
        return False
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() and c not in "_-." for c in value)
    mixed_case = value != value.lower() and value != value.upper()
    return len(value) >= 6 and (has_digit or has_symbol or mixed_case or len(value) >= 12)
