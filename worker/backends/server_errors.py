"""What a model server said when it refused a call: its own words, made safe to keep.

A server's error text is what a user needs to act ("Input should be 'text' or 'json_object'"), but
servers echo requests in their errors (pydantic's `'input': ...`, a prompt quoted back, a traceback).
`server_reason` keeps the server's message with every echo of the request's messages removed, tracebacks
dropped and the length capped, so it can go into `error.message`, results and logs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

MAX_REASON_CHARS = 240
_SCAN_CHARS = 2000
_REDACTED = "[redacted]"
# pydantic and FastAPI quote the offending value back as `'input': ...` / `"input": ...`.
_ECHOED_INPUT = re.compile(
    r"""['"]input['"]\s*:\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\[[^\]]*\]?|\{[^}]*\}?|[^,}\n]*)""",
    re.S,
)
_TRACEBACK = re.compile(r"(\n\s*File \"|Traceback \(most recent call last\))")
_SHORTEST_ECHO_WORDS = 3  # this many words of the request in a row are taken for an echo
# A single word that looks like data (digits, @) and appears in the request is an echo too.
_DATA_WORD = re.compile(r"[@\d]")

# Phrases with which servers say the request itself is wrong, even when they answer it with a 500.
_INVALID_REQUEST = re.compile(
    r"validation error|input should be|literal_error|unprocessable|invalid|not supported|unsupported|"
    r"must be|is required|extra inputs are not permitted|unrecognized|unknown (?:field|parameter)",
    re.I,
)
_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|guided_json|grammar|\bformat\b", re.I)


def body_message(body: object) -> str:
    """The message in an error body as servers send it: OpenAI's `{"error": {"message"}}`, FastAPI's
    `{"detail": ...}`, TGI's `{"error": "..."}`, Ollama's `{"error": "..."}`, or plain text."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            for key in ("message", "detail", "msg"):
                if inner.get(key):
                    return _text(inner[key])
            return _text(inner)
        if inner is not body and inner:
            return _text(inner)
        for key in ("message", "detail", "msg"):
            if body.get(key):
                return _text(body[key])
        return _text(body)
    return _text(body) if body is not None else ""


def server_reason(raw: str, messages: Iterable[dict[str, str]] = ()) -> str:
    """The server's message, with echoes of `messages` redacted, no traceback, at most MAX_REASON_CHARS."""
    text = raw[:_SCAN_CHARS]
    cut = _TRACEBACK.search(text)
    if cut:
        text = text[: cut.start()]
    text = _ECHOED_INPUT.sub(f"'input': {_REDACTED}", text)
    text = " ".join(text.split())
    text = _redact_echoes(text, " ".join(" ".join(m.get("content", "").split()) for m in messages))
    if len(text) > MAX_REASON_CHARS:
        text = text[: MAX_REASON_CHARS - 3].rstrip() + "..."
    return text


def says_request_invalid(reason: str) -> bool:
    """Whether the server's words say the request itself is wrong (so resending it cannot help)."""
    return bool(_INVALID_REQUEST.search(reason))


def refuses_output_format(status: int, reason: str) -> bool:
    """Whether a refusal is about the structured-output format asked for (so a plainer one may pass)."""
    return status in (400, 404, 415, 422, 500, 501) and bool(_FORMAT_WORDS.search(reason))


def _redact_echoes(text: str, source: str) -> str:
    if not source or not text:
        return text
    words = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        end = i
        while end < len(words) and " ".join(words[i : end + 1]) in source:
            end += 1
        span = end - i
        if span >= _SHORTEST_ECHO_WORDS or (span >= 1 and _DATA_WORD.search(words[i]) and len(words[i]) > 3):
            if not out or out[-1] != _REDACTED:
                out.append(_REDACTED)
            i = end
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)
