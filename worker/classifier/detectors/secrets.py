"""Secrets: cloud and API keys, private key blocks, passwords and tokens in config-like text,
connection strings with credentials."""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding

# Provider token formats, each with a distinctive literal prefix, so the scan is cheap.
_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aws_access_key", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[0-9A-Z]{16}\b")),  # noqa: E501
    ("anthropic_api_key", re.compile(r"\bsk-ant-[a-z]{3,6}\d{2}-[A-Za-z0-9_\-]{20,}")),
    ("openai_api_key", re.compile(r"\bsk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}")),
    ("github_token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b")),
    ("gitlab_token", re.compile(r"\bgl(?:pat|dt|rt|soat|cbt|ptt)-[A-Za-z0-9_\-]{20,}")),
    ("slack_token", re.compile(r"\bxox[abposre]-[A-Za-z0-9\-]{10,}")),
    ("slack_webhook", re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_\-]{20,}")),
    ("google_api_key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}(?![A-Za-z0-9_\-])|\bGOCSPX-[A-Za-z0-9_\-]{28}")),
    ("stripe_key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b|\bwhsec_[0-9A-Za-z]{24,}\b")),
    ("twilio_key", re.compile(r"\bSK[0-9a-f]{32}\b")),
    ("sendgrid_key", re.compile(r"\bSG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{30,50}\b")),
    ("huggingface_token", re.compile(r"\bhf_[A-Za-z0-9]{30,}\b")),
    ("npm_token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("azure_storage_key", re.compile(r"(?i:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40,}={0,2}")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")),
    ("private_key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    ("bearer_token", re.compile(r"\b[Bb]earer\s+(?!eyJ)[A-Za-z0-9_\-.~+/]{20,}=*")),
)
# The literal prefixes above: a document containing none of them skips the token scan.
_TOKEN_HINTS = (
    "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA", "sk-",
    "gh", "github_pat_", "gl", "xox", "hooks.slack.com", "AIza", "GOCSPX-", "_live_", "_test_", "whsec_",
    "SK", "SG.", "hf_", "npm_", "Key=", "key=", "eyJ", "PRIVATE KEY", "earer",
)

_AWS_SECRET = re.compile(
    r"(?i:aws.{0,20}?(?:secret|private).{0,20}?key|secret_?access_?key)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])"
)
# key = value / key: value, with the secret-bearing key names people use in .env, YAML, JSON, INI and code.
_ASSIGNMENT = re.compile(
    r"(?i)(?<![a-z0-9])[\"']?([a-z0-9_.\-]*?(?:password|passwd|passwort|passphrase|pwd|secret|token|"
    r"api[_\-]?key|apikey|(?:access|auth|secret|signing|encryption|master|private|session)[_\-]?key|"
    r"client[_\-]?secret|credentials?))"
    r"[\"']?\s*(:=|=>|=|:)[ \t]*(\"[^\"\n]{4,}\"|'[^'\n]{4,}'|[^\s\"',;]{4,})"
)
_PROSE_PASSWORD = re.compile(
    r"(?i)\b(?:password|passcode|passwort|kennwort|mot de passe|contrase[ñn]a|pin)"
    r"\s+(?:is|was|ist|est|es|=)\s*:?\s*"
    r"[\"'“]?([^\s\"'”]{4,})"
)
_CONNECTION = re.compile(r"\b[a-z][a-z0-9+.\-]{1,20}://([^\s:/@\"'<>]{1,64}):([^\s@/\"'<>]{1,128})@[^\s/\"'<>]+")
_PLACEHOLDER = re.compile(
    r"(?i)^(?:\*+|x{3,}|\.{2,}|-+|_+|<[^>]*>|\[[^\]]*\]|\{\{?[^}]*\}\}?|\$\{?[a-z0-9_]+\}?|%\(?[a-z0-9_]*\)?s?|"
    r"%[a-z0-9_]+%|null|nil|none|true|false|undefined|empty|required|optional|string|str|int|bool|"
    r"changeme|change_me|redacted|hidden|masked|secret|password|passwd|token|example\w*|sample\w*|dummy\w*|"
    r"placeholder|your[_\-]?\w*|my[_\-]?\w*|test|todo|tbd|n/a|env|os\.environ.*|getenv.*|process\.env.*)$"
)
_CODE_VALUE = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+(?:\(.*)?$|.*\(.*|^[A-Za-z_]\w*\[")
_ASSIGNMENT_HINTS = ("pass", "pwd", "secret", "token", "key", "credential", "kennwort", "contrase", "pin", "://")


class SecretsDetector:
    """Provider key formats plus credentials assigned in config-like text; placeholders are ignored."""

    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        if any(hint in text for hint in _TOKEN_HINTS):
            for kind, pattern in _TOKENS:
                found.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(text))
        lower = doc.lower
        if not any(hint in lower for hint in _ASSIGNMENT_HINTS):
            return found
        found.extend(Finding("aws_secret_key", m.start(), m.end()) for m in _AWS_SECRET.finditer(text))
        for match in _ASSIGNMENT.finditer(text):
            value = match.group(3).strip("\"'")
            if _is_credential_value(value, strict=match.group(2) == ":"):
                found.append(Finding("password_assignment", match.start(), match.end()))
        for match in _PROSE_PASSWORD.finditer(text):
            value = match.group(1).rstrip(".,;:!?)")
            if _is_credential_value(value, strict=True) or (value.isdigit() and 4 <= len(value) <= 8):
                found.append(Finding("password_assignment", match.start(), match.end()))
        for match in _CONNECTION.finditer(text):
            if not _PLACEHOLDER.match(match.group(2)):
                found.append(Finding("connection_string", match.start(), match.end()))
        return found


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
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() and c not in "_-." for c in value)
    mixed_case = value != value.lower() and value != value.upper()
    if value.isalpha() and value.islower() and len(value) < 12:
        return False
    return len(value) >= 6 and (has_digit or has_symbol or mixed_case or len(value) >= 12)
