"""The simulators' answer to Turnout's second line (worker/second_line.py): a privacy check of a document,
asked before it leaves for the cloud, answered "sensitive" on cue.

A check is recognised by what it asks for: a JSON answer with `sensitive` and `categories` (in the
request's schema, or spelt out in its prompt when the server is sent JSON mode). It is answered
`{"sensitive": true, "categories": [CATEGORY]}` when the document contains one of the configured markers
(`--second-line-yes-markers MARKER[=CATEGORY],...`, case-insensitive; the category defaults to
other_confidential), `{"sensitive": false, "categories": []}` otherwise. Standard library only.
"""

from __future__ import annotations

import json
import re
from typing import Any

DEFAULT_CATEGORY = "other_confidential"
_DOCUMENT = re.compile(r"<document>\s*(.*?)\s*</document>", re.S)


def parse_markers(spec: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """`A=health,B` or ("A=health", "B") -> ("A=health", "B"); a marker may not be empty."""
    items = spec.split(",") if isinstance(spec, str) else [p for s in spec for p in s.split(",")]
    markers = tuple(item.strip() for item in items if item.strip())
    for marker in markers:
        if not marker.split("=", 1)[0].strip():
            raise ValueError(f"second-line marker {marker!r} has no text before '='")
    return markers


def is_check(system: str, schema: dict[str, Any] | None) -> bool:
    props = schema.get("properties") if isinstance(schema, dict) else None
    if isinstance(props, dict) and {"sensitive", "categories"} <= set(props):
        return True
    return '"sensitive"' in system and '"categories"' in system


def check_answer(user: str, markers: tuple[str, ...]) -> str:
    """The verdict on the document in the check's user message, by the configured markers."""
    found = _DOCUMENT.search(user)
    document = (found.group(1) if found else user).casefold()
    for marker in markers:
        text, _, category = marker.partition("=")
        if text.strip().casefold() in document:
            return json.dumps({"sensitive": True, "categories": [category.strip() or DEFAULT_CATEGORY]})
    return json.dumps({"sensitive": False, "categories": []})
