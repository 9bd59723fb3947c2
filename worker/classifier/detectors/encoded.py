"""Secrets that hide from the token patterns: keys split across lines, secrets wrapped in base64, and
private-key containers other than a PEM header (PuTTY .ppk, OpenSSH and PKCS#8/PKCS#1/PKCS#12 bodies
in base64, with or without their armour).

Each hidden value is rebuilt (fragments joined, base64 decoded) and handed to the ordinary secrets
detector; a hit is reported over the span of the original, encoded text.
"""

from __future__ import annotations

import base64
import binascii
import re

from worker.classifier.detectors.base import Doc, Finding
from worker.classifier.detectors.secrets import SecretsDetector

_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=")
# A line that starts with a token: the continuation of a value split at the end of the line before.
_LINE_START = re.compile(r"\n[ \t]*[\"']?([A-Za-z0-9_\-+/=]{4,})")
_JUNK_AT_LINE_END = " \t\"'+\\"
_BASE64 = re.compile(r"[A-Za-z0-9+/_\-]{16,}={0,2}")
_PPK = re.compile(r"PuTTY-User-Key-File-[0-9]+:|Private-Lines:\s*[0-9]+")
# "openssh-key-v1\0" in base64, at the start of an OpenSSH private key body.
_OPENSSH_MAGIC = "b3BlbnNzaC1rZXktdjE"
# DER: SEQUENCE (0x30) with a long-form length, then INTEGER version 0 (PKCS#1, PKCS#8), 1 (SEC1 EC)
# or 3 (PKCS#12 PFX). A certificate starts SEQUENCE, SEQUENCE instead: public, not reported.
_DER_PRIVATE_VERSIONS = (b"\x02\x01\x00", b"\x02\x01\x01", b"\x02\x01\x03")
_PRINTABLE = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}


class EncodedSecretsDetector:
    """Split, base64-wrapped and container-format secrets; see the module docstring."""

    def __init__(self, secrets: SecretsDetector) -> None:
        self._secrets = secrets

    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        if "PuTTY" in text or "Private-Lines" in text:
            found.extend(Finding("private_key", m.start(), m.end()) for m in _PPK.finditer(text))
        candidates = [(*join, True) for join in _joined_fragments(text)] if "\n" in text else []
        if doc.long_tokens:
            candidates.extend((*token, False) for token in _long_tokens(text, doc.long_tokens))
        for start, end, value, joined in candidates:
            kind = self._hidden_secret(value, joined=joined)
            if kind:
                found.append(Finding(kind, start, end))
        return found

    def _hidden_secret(self, value: str, *, joined: bool) -> str | None:
        """The kind of secret `value` holds once joined or decoded, or None."""
        if _OPENSSH_MAGIC in value:
            return "private_key"
        if joined:  # a provider key split over lines reads whole once joined
            hit = self._secrets.tokens(Doc(value))
            if hit:
                return hit[0].kind
        decoded = _b64decode(value)
        if decoded is None:
            return None
        if _is_der_private_key(decoded):
            return "private_key"
        if len(decoded) >= 12 and sum(b in _PRINTABLE for b in decoded) >= 0.95 * len(decoded):
            inner = Doc(decoded.decode("utf-8", "replace"))
            hits = self._secrets.find(inner) + self.find(inner)
            if hits:
                return hits[0].kind
        return None


def _joined_fragments(text: str) -> list[tuple[int, int, str]]:
    """Values broken over lines, rejoined: the token ending one line plus the tokens that continue it
    ("sk-proj-AbC...\\n...XyZ", a quoted string concatenated over lines, a PEM body without its header)."""
    joins: list[tuple[int, int, str]] = []
    for m in _LINE_START.finditer(text):
        cut = m.start()
        while cut > 0 and text[cut - 1] in _JUNK_AT_LINE_END:
            cut -= 1
        start = cut
        while start > 0 and text[start - 1] in _TOKEN_CHARS:
            start -= 1
        if cut - start < 6:
            continue
        if joins and joins[-1][1] == cut:  # the previous join ended on this line's token: extend it
            first, _, value = joins.pop()
            joins.append((first, m.end(1), value + m.group(1)))
        else:
            joins.append((start, m.end(1), text[start:cut] + m.group(1)))
    return [
        (start, end, value)
        for start, end, value in joins
        if len(value) >= 16 and any(c.isdigit() for c in value)
    ]


def _long_tokens(text: str, long_tokens: str) -> list[tuple[int, int, str]]:
    """Whole-token base64 candidates (quotes and punctuation trimmed), with their positions."""
    out, offset = [], 0
    for token in long_tokens.split("\n"):
        at = text.find(token, offset)
        if at < 0:
            at = text.find(token)
        offset = at + len(token)
        m = _BASE64.search(token)
        if m and len(m.group()) >= 16 and not m.group().isalpha():
            out.append((at + m.start(), at + m.end(), m.group()))
    return out


def _b64decode(value: str) -> bytes | None:
    if len(value) < 16 or value.isdigit():
        return None
    padded = value + "=" * (-len(value) % 4)
    try:
        if "-" in value or "_" in value:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None


def _is_der_private_key(data: bytes) -> bool:
    if len(data) < 64 or data[0] != 0x30 or data[1] not in (0x81, 0x82, 0x83):
        return False
    body = data[2 + (data[1] - 0x80) :]
    return body[:3] in _DER_PRIVATE_VERSIONS
