"""Credentials in SQL and in the dot-files clients read them from (issue 18, set C): `CREATE USER ... WITH
PASSWORD '...'`, `ALTER ROLE ... PASSWORD`, `IDENTIFIED BY '...'`, `SET PASSWORD ... = '...'`; `.pgpass`
lines (`host:port:database:user:password`) and `.netrc` entries (`machine ... login ... password ...`).
`.my.cnf` is an INI file whose `password=` line secrets.py already reads. API clients' exports (Postman and
Insomnia collections and environments) keep credentials as `{"key": NAME, "value": VALUE}` entries: the
auth block's `value`/`token`/`password`, or a variable named like a secret (`apiKey`, `client_secret`).

Each is led by a literal (gated by a word of the document), and a placeholder value (`'<password>'`,
`:PASSWORD`, `${PGPASSWORD}`) is reported as `secret_reference` (public), not as a password.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, wordset

_SQL_VERBS = wordset("create", "alter", "set")
# The quoted value after the SQL keyword; a bind variable or psql variable (:pw, $1, ?) is not a value.
_SQL = re.compile(
    r"(?i)(?:\b(?:create|alter)\s+(?:user|role|login)\b[^;]{0,200}?\bpassword\s*(?:=\s*)?|"
    r"\bidentified\s+(?:with\s+\w+\s+)?by\s+(?:password\s+)?|\bset\s+password\b[^;=]{0,80}=\s*(?:password\s*\(\s*)?)"
    r"(['\"])([^'\"\n]{4,200})\1"
)
# .pgpass: host:port:database:user:password, one per line (a "*" wildcard allowed in the first four).
_PGPASS = re.compile(r"(?m)^[\w.\-*\[\]]+:(?:\d{2,5}|\*):[\w.\-*]+:[\w.\-@*]+:(\S{4,})$")
# Led by a literal ":" (a fast scan) before the line-anchored pattern runs.
_PGPASS_HINT = re.compile(r":(?:\d{2,5}|\*):[\w.\-*]+:[\w.\-@*]+:\S")
_HEX_COLONS = re.compile(r"(?i)[0-9a-f:]+")
_NETRC = re.compile(r"(?i)\bmachine\s+\S+\s+(?:login\s+\S+\s+)?password\s+(\S{4,})")
# {"key": "token", "value": "..."}: the name, then the value, in one JSON object (either order of spacing).
_KEY_VALUE = re.compile(r'"key"\s*:\s*"([A-Za-z_][\w.\-]{0,40})"\s*,\s*"value"\s*:\s*"([^"\n]{8,300})"')
_SECRET_NAME = re.compile(r"(?i)^(?:value|token|password|passwd|.*(?:api_?key|secret|token|password))$")
_CLIENT_PLACEHOLDER = re.compile(r"^\{\{[^}]*\}\}$")  # Postman's {{variable}}
_PLACEHOLDER = re.compile(r"(?i)^(?:<[^>]*>|\$\{?\w+\}?|:\w+|\*+|x{3,}|changeme|password|secret|\.\.\.)$")


class CredentialFileDetector:
    """Passwords in SQL statements, .pgpass, .netrc and API clients' exports: see the module docstring."""

    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        words = doc.words
        if b"identified" in words or (b"password" in words and not _SQL_VERBS.isdisjoint(words)):
            for m in _SQL.finditer(text):
                found.append(self._finding(m.group(2), m.start(), m.end()))
        if b"machine" in words and b"password" in words:
            for m in _NETRC.finditer(text):
                found.append(self._finding(m.group(1), m.start(), m.end()))
        if '"key"' in text and '"value"' in text:
            for m in _KEY_VALUE.finditer(text):
                if _SECRET_NAME.match(m.group(1)):
                    value = m.group(2)
                    placeholder = _CLIENT_PLACEHOLDER.match(value) or _PLACEHOLDER.match(value)
                    kind = "secret_reference" if placeholder else "password_assignment"
                    found.append(Finding(kind, m.start(), m.end()))
        # A .pgpass line has four colons and a port: cheap to rule out with a count first.
        if text.count(":") >= 4 and _PGPASS_HINT.search(text):
            for m in _PGPASS.finditer(text):
                if _HEX_COLONS.fullmatch(m.group()):
                    continue  # an IPv6 address or a MAC-like run, not a .pgpass line
                found.append(self._finding(m.group(1), m.start(), m.end()))
        return found

    @staticmethod
    def _finding(value: str, start: int, end: int) -> Finding:
        kind = "secret_reference" if _PLACEHOLDER.match(value) else "password_assignment"
        return Finding(kind, start, end)
