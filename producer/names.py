"""Document names (file paths, record ids) made safe to store and to print.

A name comes from the file system or from a record, so it may hold anything but NUL: bytes that are not
UTF-8 (Python carries them as lone surrogates, which neither Redis nor JSON can encode), newlines and
other control characters (which could forge a `rejected …` line on the console), bidi controls (which
reorder what the eye reads). Such a name is stored escaped, not rejected: the document itself is fine,
the name is only its label, and the record of a rejection needs a storable name anyway.

The escaping is one-to-one (a backslash is escaped too), so `unescape_name` gives the original back:
`\\xNN` is a raw byte that is not UTF-8, `\\n` `\\r` `\\t` `\\\\` the usual, `\\uNNNN` any other
control or format character. Ordinary names, accents and scripts included, are left as they are.
"""

from __future__ import annotations

import re
import unicodedata

_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Bidi embeddings, overrides and isolates, and the implicit marks: what "Trojan Source" names use.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPE = re.compile(r"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})|\\([\\nrt])")
_UNNAMED = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def _needs_escape(char: str) -> bool:
    return char in _NAMED or char in _BIDI or unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")


def _escaped(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode carries it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def escape_name(name: str) -> str:
    """`name` with every character that could not be stored or could mislead on a console escaped."""
    if not any(_needs_escape(char) for char in name):
        return name
    return "".join(_escaped(char) if _needs_escape(char) else char for char in name)


def unescape_name(escaped: str) -> str:
    """The name `escape_name` was given (raw bytes come back as the surrogates os.fsdecode uses)."""

    def original(match: re.Match[str]) -> str:
        byte, code, named = match.groups()
        if byte is not None:
            return chr(0xDC00 + int(byte, 16))
        if code is not None:
            return chr(int(code, 16))
        return _UNNAMED[named]

    return _ESCAPE.sub(original, escaped)
