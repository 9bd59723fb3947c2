"""Secrets: cloud and API keys, private key blocks, passwords and tokens in config-like text,
connection strings with credentials."""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, char_before, wordset

# Provider token formats. Each starts with a literal so the regex engine can skip ahead cheaply; the
# word boundary before the match is checked in code (a leading \b would disable that fast path).
_AWS_PREFIXES = "AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA"
_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aws_access_key", re.compile(rf"(?:{_AWS_PREFIXES})[0-9A-Z]{{16}}(?![0-9A-Za-z])")),
    ("anthropic_api_key", re.compile(r"sk-ant-[a-z]{3,6}[0-9]{2}-[A-Za-z0-9_\-]{20,}")),
    ("openai_api_key", re.compile(r"sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}")),
    ("github_token", re.compile(r"gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255}")),
    ("gitlab_token", re.compile(r"gl(?:pat|dt|rt|soat|cbt|ptt)-[A-Za-z0-9_\-]{20,}")),
    ("slack_token", re.compile(r"xox[abposre]-[A-Za-z0-9\-]{10,}")),
    (
        "slack_webhook",
        re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_\-]{20,}"),
    ),
    ("google_api_key", re.compile(r"AIza[0-9A-Za-z_\-]{35}(?![A-Za-z0-9_\-])")),
    ("google_api_key", re.compile(r"GOCSPX-[A-Za-z0-9_\-]{28}")),
    ("stripe_key", re.compile(r"[sr]k_(?:live|test)_[0-9A-Za-z]{16,}")),
    ("stripe_key", re.compile(r"whsec_[0-9A-Za-z]{24,}")),
    ("twilio_key", re.compile(r"SK[0-9a-f]{32}(?![0-9A-Za-z])")),
    ("sendgrid_key", re.compile(r"SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{30,50}")),
    ("huggingface_token", re.compile(r"hf_[A-Za-z0-9]{30,}")),
    ("npm_token", re.compile(r"npm_[A-Za-z0-9]{36}")),
    ("azure_storage_key", re.compile(r"(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40,}={0,2}")),
    ("jwt", re.compile(r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")),
    ("private_key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
)
_BEARER_GATE = wordset("bearer")
_BEARER = re.compile(r"bearer\s+(?!eyj)[a-z0-9_\-.~+/]{20,}=*")

# Secret-bearing key names as they appear in .env, YAML, JSON, INI and code ("DB_PASSWORD", "apiKey").
_KEY_GATE = wordset(
    "password",
    "passwd",
    "passwort",
    "passphrase",
    "pwd",
    "pass",
    "secret",
    "secrets",
    "token",
    "key",
    "apikey",
    "credential",
    "credentials",
    "kennwort",
    "pin",
    "passcode",
    "contrase",
    "contraseña",
    "mot",
)
_KEY_WORD = re.compile(
    r"password|passwd|passwort|passphrase|pwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|"
    r"auth[_\-]?key|private[_\-]?key|secret[_\-]?key|signing[_\-]?key|encryption[_\-]?key|"
    r"master[_\-]?key|session[_\-]?key|credentials?"
)
_ASSIGNED = re.compile(r"[a-z0-9_\-]*[\"']?\s*(:=|=>|=|:)[ \t]*(\"[^\"\n]{4,}\"|'[^'\n]{4,}'|[^\s\"',;]{4,})")
_PROSE_PASSWORD = re.compile(
    r"(?:password|passcode|passwort|kennwort|mot de passe|contrase[ñn]a|pin)"
    r"\s+(?:is|was|ist|est|es|=)\s*:?\s*[\"'“]?([^\s\"'”]{4,})"
)
_AWS_SECRET = re.compile(
    r"(?:aws.{0,20}?(?:secret|private).{0,20}?key|secret_?access_?key)[\"']?\s*[:=]\s*[\"']?"
    r"[a-z0-9/+]{40}(?![a-z0-9/+])"
)
_CONNECTION = re.compile(
    r"[a-z][a-z0-9+.\-]{1,20}://([^\s:/@\"'<>]{1,64}):([^\s@/\"'<>]{1,128})@[^\s/\"'<>]+"
)
_PLACEHOLDER = re.compile(
    r"(?i)^(?:\*+|x{3,}|\.{2,}|-+|_+|<[^>]*>|\[[^\]]*\]|\{\{?[^}]*\}\}?|\$\{?[a-z0-9_]+\}?|%\(?[a-z0-9_]*\)?s?|"
    r"%[a-z0-9_]+%|null|nil|none|true|false|undefined|empty|required|optional|string|str|int|bool|"
    r"changeme|change_me|redacted|hidden|masked|secret|password|passwd|token|example\w*|sample\w*|dummy\w*|"
    r"placeholder|your[_\-]?\w*|my[_\-]?\w*|test|todo|tbd|n/a|env|os\.environ.*|getenv.*|process\.env.*)$"
)
_CODE_VALUE = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(.*)?$|.*\(.*|^[A-Za-z_]\w*\[")


class SecretsDetector:
    """Provider key formats plus credentials assigned in config-like text; placeholders are ignored."""

    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        for kind, pattern in _TOKENS:
            for match in pattern.finditer(text):
                if not char_before(text, match.start()).isalnum():
                    found.append(Finding(kind, match.start(), match.end()))
        if doc.has(_BEARER_GATE):
            found.extend(Finding("bearer_token", m.start(), m.end()) for m in _BEARER.finditer(doc.lower))
        if "://" in text:
            for match in _CONNECTION.finditer(doc.lower):
                if not _PLACEHOLDER.match(match.group(2)):
                    found.append(Finding("connection_string", match.start(), match.end()))
        if doc.has(_KEY_GATE):
            found.extend(self._assignments(doc))
        return found

    @staticmethod
    def _assignments(doc: Doc) -> list[Finding]:
        lower, text = doc.lower, doc.text
        out = [Finding("aws_secret_key", m.start(), m.end()) for m in _AWS_SECRET.finditer(lower)]
        for hit in _KEY_WORD.finditer(lower):
            assigned = _ASSIGNED.match(lower, hit.end())
            if not assigned:
                continue
            # Read the value from the original text: case matters for "does it look machine-made".
            value = text[assigned.start(2) : assigned.end(2)].strip("\"'")
            if _is_credential_value(value, strict=assigned.group(1) == ":"):
                out.append(Finding("password_assignment", hit.start(), assigned.end()))
        for match in _PROSE_PASSWORD.finditer(lower):
            value = text[match.start(1) : match.end(1)].rstrip(".,;:!?)")
            if _is_credential_value(value, strict=True) or (value.isdigit() and 4 <= len(value) <= 8):
                out.append(Finding("password_assignment", match.start(), match.end()))
        return out


def _is_credential_value(value: str, *, strict: bool) -> bool:
    """Whether an assigned value looks like a real credential rather than a placeholder, a word or code.

    `strict` applies to `key: value` (YAML, headers, but also prose such as "Token: see the wiki"): the
    value must then look machine-made (a digit or symbol, mixed case, or 12+ characters).
    """
    if len(value) < 4 or _PLACEHOLDER.match(value) or _CODE_VALUE.match(value):
        return False
    if value.isdigit() and len(value) < 6:
        return False
    if not strict:
        return len(value) >= 6 or any(not c.isalpha() for c in value)
    if value.isalpha() and value.islower() and len(value) < 12:
        return False
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() and c not in "_-." for c in value)
    mixed_case = value != value.lower() and value != value.upper()
    return len(value) >= 6 and (has_digit or has_symbol or mixed_case or len(value) >= 12)
