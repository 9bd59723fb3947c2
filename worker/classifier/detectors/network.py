"""Network identifiers: IP addresses (as found in logs, headers, tickets).

Public addresses identify a subscriber (personal data under GDPR): `ip_address`. Private ranges
(RFC 1918, CGNAT, IPv6 ULA, link-local) reveal internal topology but no person: `ip_address_private`.
Loopback, unspecified, multicast and broadcast addresses are ignored. Version-like strings
("version 10.2.0.1", "v1.2.3.4") are not addresses.
"""

from __future__ import annotations

import ipaddress
import re

from worker.classifier.detectors.base import Doc, Finding, before, char_after, char_before

_IPV4 = re.compile(
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}"
)
_VERSION_CONTEXT = re.compile(
    r"(?:\bv|version|ver\.?|release|build|firmware|fw|rev\.?|revision|update|patch|sdk|api|os|ios|android)"
    r"\s*[:=]?\s*$"
)
_IPV6 = re.compile(
    r"(?<![0-9A-Za-z:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})?(?![0-9A-Za-z:])"
)
_PRIVATE_V4 = [
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16")
]
# RFC 5737 (TEST-NET-1/2/3) and RFC 3849: reserved for documentation, so never a real subscriber.
_DOCUMENTATION_V4 = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
_DOCUMENTATION_V6 = ipaddress.ip_network("2001:db8::/32")
_IGNORED_V4 = [ipaddress.ip_network(n) for n in ("0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4")]


class NetworkDetector:
    """IPv4 from the numeric runs (cheap); IPv6 only in documents with "::" or many colons."""

    def find(self, doc: Doc) -> list[Finding]:
        text = doc.text
        found: list[Finding] = []
        for run in doc.runs:
            if run.text.count(".") < 3:
                continue
            for m in _IPV4.finditer(run.text):
                start, end = run.start + m.start(), run.start + m.end()
                if not _standalone_v4(text, start, end) or _VERSION_CONTEXT.search(before(doc, start, 16)):
                    continue
                kind = _classify_v4(m.group())
                if kind:
                    found.append(Finding(kind, start, end))
        if "::" in text or text.count(":") >= 7:
            for m in _IPV6.finditer(text):
                kind = _classify_v6(m.group())
                follows_dot_digit = (
                    char_after(text, m.end()) == "." and char_after(text, m.end() + 1).isdigit()
                )
                if kind and not char_after(text, m.end()).isalnum() and not follows_dot_digit:
                    found.append(Finding(kind, m.start(), m.end()))
        return found


def _standalone_v4(text: str, start: int, end: int) -> bool:
    before_char, after_char = char_before(text, start), char_after(text, end)
    if before_char.isalnum() or before_char == "." or after_char.isalnum():
        return False
    # "1.2.3.4.5" is a version, not an address; a trailing full stop ends a sentence.
    return not (after_char == "." and char_after(text, end + 1).isdigit())


def _classify_v4(value: str) -> str | None:
    address = ipaddress.IPv4Address(value)
    if any(address in net for net in _IGNORED_V4) or value == "255.255.255.255":
        return None
    if any(address in net for net in _PRIVATE_V4):
        return "ip_address_private"
    if any(address in net for net in _DOCUMENTATION_V4):
        return "ip_address_documentation"
    return "ip_address"


def _classify_v6(value: str) -> str | None:
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return None
    if value.count(":") < 3 and "::" not in value:
        return None  # "10:30:00"-like times are not addresses
    if address.is_loopback or address.is_unspecified or address.is_multicast:
        return None
    if address.ipv4_mapped is not None:
        return _classify_v4(str(address.ipv4_mapped))
    if address.is_link_local or address in ipaddress.ip_network("fc00::/7"):
        return "ip_address_private"
    if address in _DOCUMENTATION_V6:
        return "ip_address_documentation"
    return "ip_address"
