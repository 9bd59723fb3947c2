"""Structured output, negotiated per host: the strictest format a server accepts, remembered once refused.

Servers differ in what they take: OpenAI and vLLM honour `response_format: json_schema`; llama.cpp's
Python server refuses it (HTTP 500) but takes `json_object` with a `schema` (a grammar); some servers take
only a prompt. A call starts at the host's remembered level; when the server refuses that format, the call
is sent again at the next level at once (no attempt is spent) and the host keeps the lower level for the
life of the process. The level is remembered per host and schema: a server may refuse one schema (OpenAI's
strict mode refuses optional properties) and take the next, and one batch's schema must not lower the
format every later batch gets. The schema is also written into the prompt below the strictest level, so a model the
server cannot constrain still knows the shape to answer in. Answers are validated either way
(worker/extraction.py).
"""

from __future__ import annotations

import enum
import hashlib
import json
import threading
from typing import Any


class OutputFormat(enum.IntEnum):
    JSON_SCHEMA = 0  # response_format json_schema (OpenAI, vLLM, SGLang); Ollama: format=<schema>
    JSON_OBJECT = 1  # response_format json_object (+ schema, as llama.cpp reads it); Ollama: format="json"
    PROMPT = 2  # nothing in the request: the schema is in the prompt only


class FormatMemory:
    """The format level each host accepts for each schema, learnt from its refusals. Thread-safe."""

    def __init__(self) -> None:
        self._levels: dict[tuple[str, str], OutputFormat] = {}
        self._lock = threading.Lock()

    def level(self, host: str, schema: dict[str, object]) -> OutputFormat:
        with self._lock:
            return self._levels.get((host, _key(schema)), OutputFormat.JSON_SCHEMA)

    def refused(self, host: str, schema: dict[str, object], level: OutputFormat) -> OutputFormat | None:
        """Note that `host` refused `level` for `schema`; the next level to try, or None when none is left."""
        if level is OutputFormat.PROMPT:
            return None
        key = (host, _key(schema))
        with self._lock:
            self._levels[key] = max(self._levels.get(key, OutputFormat.JSON_SCHEMA), OutputFormat(level + 1))
            return self._levels[key]


def _key(schema: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]


def openai_response_format(level: OutputFormat, schema: dict[str, object]) -> dict[str, Any] | None:
    if level is OutputFormat.JSON_SCHEMA:
        return {"type": "json_schema", "json_schema": {"name": "fields", "schema": schema, "strict": True}}
    if level is OutputFormat.JSON_OBJECT:
        return {"type": "json_object", "schema": schema}
    return None


def ollama_format(level: OutputFormat, schema: dict[str, object]) -> dict[str, object] | str | None:
    if level is OutputFormat.JSON_SCHEMA:
        return dict(schema)
    return "json" if level is OutputFormat.JSON_OBJECT else None


def with_schema_in_prompt(
    messages: list[dict[str, str]], level: OutputFormat, schema: dict[str, object]
) -> list[dict[str, str]]:
    """Below the strictest level, the schema goes into the system prompt too."""
    if level is OutputFormat.JSON_SCHEMA:
        return messages
    note = (
        "Answer with one JSON object only, no prose and no code fence, that follows this JSON Schema: "
        + json.dumps(schema, sort_keys=True, separators=(",", ":"))
    )
    if messages and messages[0].get("role") == "system":
        return [{**messages[0], "content": f"{messages[0]['content']}\n\n{note}"}, *messages[1:]]
    return [{"role": "system", "content": note}, *messages]
