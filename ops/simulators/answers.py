"""What a simulator answers: requests and answers normalised from either API, token estimates, and
answers that look like a model's (a summary, extracted fields, a label), optionally diverging on cue."""

from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass
from typing import Any

from ops.simulators.divergence import (
    Divergence,
    alter_object,
    complexity,
    infer_task,
    other_label,
    vague_summary,
)
from ops.simulators.screening import check_answer, is_check


@dataclass
class GenRequest:
    """A generation request, normalised from either API's body."""

    model: str
    messages: list[dict[str, Any]]
    stream: bool
    json_mode: bool = False
    schema: dict[str, Any] | None = None
    max_tokens: int | None = None
    include_usage: bool = False
    endpoint: str = "chat"  # ollama: "chat" or "generate"


@dataclass
class Answer:
    text: str
    finish_reason: str  # "stop" | "length"
    prompt_tokens: int
    completion_tokens: int


def stable_hash(text: str) -> int:
    return zlib.crc32(text.encode())


def estimate_tokens(text: str) -> int:
    """About four characters per token, as BPE tokenizers average on English text."""
    return math.ceil(len(text) / 4)


def content_text(content: Any) -> str:
    """The text of a message's content: a string, or OpenAI's list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"
        )
    return ""


def prompt_tokens(messages: list[dict[str, Any]]) -> int:
    """Content tokens plus the chat template's few tokens per message and for priming the reply."""
    return 3 + sum(4 + estimate_tokens(content_text(m.get("content"))) for m in messages)


def split_pieces(text: str) -> list[str]:
    """Token-like stream pieces (a word and its trailing space) that join back to `text`."""
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])


def answer_for(
    req: GenRequest, divergence: Divergence | None = None, yes_markers: tuple[str, ...] = ()
) -> Answer:
    """`yes_markers`: the documents Turnout's second-line check is told are sensitive (screening.py)."""
    system = "\n".join(
        content_text(m.get("content")) for m in req.messages if m.get("role") in ("system", "developer")
    )
    users = [content_text(m.get("content")) for m in req.messages if m.get("role") == "user"]
    user = users[-1] if users else ""
    if is_check(system, req.schema):
        text = check_answer(user, yes_markers)
    else:
        text = make_answer(system, user, json_mode=req.json_mode, schema=req.schema, divergence=divergence)
    finish = "stop"
    if req.max_tokens is not None and estimate_tokens(text) > req.max_tokens:
        text, finish = text[: max(0, req.max_tokens) * 4], "length"
    return Answer(text, finish, prompt_tokens(req.messages), estimate_tokens(text))


_INSTRUCTION = re.compile(
    r"summar|extract|classif|label|categor|field|json|respond|return|answer|reply|output|you are", re.I
)
_DOC_TAG = re.compile(r"<(document|doc|text)>\s*(.*?)\s*</\1>", re.I | re.S)
_DOC_MARKER = re.compile(
    r"^\s*(?:document|text|input|content)\s*:\s*$|^\s*(?:-{3,}|={3,}|\"\"\"|```\w*)\s*$", re.I | re.M
)
_LIST_LINE = r"\b(?:{})\s*(?:to extract|allowed)?\s*:[ \t]*(\S.*)$"
_LABELS = re.compile(_LIST_LINE.format(r"labels?|categories|classes|allowed labels|choices"), re.I | re.M)
_LABELS_INLINE = re.compile(r"\bone of\s*(?::|\[)\s*([^\n\]]+)", re.I)
_FIELDS = re.compile(_LIST_LINE.format(r"fields?|keys|properties"), re.I | re.M)
_FIELDS_BULLETS = re.compile(
    r"^\s*(?:fields?|keys|properties)\b[^\n]*:\s*\n((?:\s*[-*]\s*\S[^\n]*\n?)+)", re.I | re.M
)
_EXTRACTORS = {
    "email": r"[\w.+-]+@[\w-]+\.[\w.-]+",
    "phone": r"\+?\d[\d\s().-]{7,}\d",
    "date": r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b[A-Z][a-z]+ \d{1,2}, \d{4}\b",
    "url": r"https?://\S+",
    "amount": r"[$€£]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*\.\d{2}\b",
}
_ALIASES = {
    "total": "amount",
    "price": "amount",
    "cost": "amount",
    "sum": "amount",
    "website": "url",
    "mail": "email",
    "telephone": "phone",
    "when": "date",
}


def make_answer(
    system: str,
    user: str,
    *,
    json_mode: bool = False,
    schema: dict[str, Any] | None = None,
    divergence: Divergence | None = None,
) -> str:
    """A deterministic, plausible model answer: a label, a JSON object of fields, or a short summary.

    With `divergence`, the answer differs from that reference answer as often as the document's
    complexity and the divergence strength say (ops/simulators/divergence.py).
    """
    doc = _document(system, user)
    instructions = f"{system}\n{user.replace(doc, '') if doc else user}"  # a document cannot steer its task
    labels = _list_after(_LABELS, instructions) or _list_after(_LABELS_INLINE, instructions)
    fields = _list_after(_FIELDS, instructions) or _bullets(instructions)
    off = divergence is not None and divergence.hits(
        doc, complexity(doc, infer_task(instructions, labels, fields, schema))
    )
    key = divergence.key if divergence is not None else ""
    label = _pick_label(labels, doc) if labels else None
    if schema is not None:
        value = _from_schema(schema, doc, "", label)
        return json.dumps(alter_object(value, schema, key, doc) if off else value)
    if label is not None and off:
        label = other_label(labels, label, key, doc)
    summary = (vague_summary if off else _summary)(doc)
    if json_mode or (fields and re.search(r"json", instructions, re.I)):
        if fields:
            extracted = {f: _extract(f, doc) for f in fields}
            return json.dumps(alter_object(extracted, None, key, doc) if off else extracted)
        return json.dumps({"label": label} if label else {"summary": summary})
    return label if label else summary


def _document(system: str, user: str) -> str:
    if m := _DOC_TAG.search(user) or _DOC_TAG.search(system):
        return m.group(2)
    parts = _DOC_MARKER.split(user)
    if len(parts) > 1:
        return max(parts[1:], key=len).strip()
    if system.strip():
        return user.strip()  # instructions in the system prompt, the document alone in the user message
    paragraphs = [p for p in re.split(r"\n\s*\n", user.strip()) if p.strip()]
    while len(paragraphs) > 1 and _INSTRUCTION.search(paragraphs[0]):
        paragraphs.pop(0)
    while len(paragraphs) > 1 and _INSTRUCTION.search(paragraphs[-1]):
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def _list_after(pattern: re.Pattern[str], text: str) -> list[str]:
    m = pattern.search(text)
    if not m:
        return []
    items = re.split(r",|\||;|\bor\b", m.group(1))
    return [s for s in (i.strip().strip("`'\"[]().* ") for i in items) if s]


def _bullets(text: str) -> list[str]:
    m = _FIELDS_BULLETS.search(text)
    return (
        [
            re.sub(r"^\s*[-*]\s*", "", line).split(":")[0].strip("`'\" ")
            for line in m.group(1).splitlines()
            if line.strip()
        ]
        if m
        else []
    )


def _pick_label(labels: list[str], doc: str) -> str:
    lowered = doc.lower()
    scores = [lowered.count(label.lower()) for label in labels]
    best = max(scores)
    return labels[scores.index(best)] if best else labels[stable_hash(doc) % len(labels)]


def _summary(doc: str) -> str:
    text = " ".join(doc.split())
    if not text:
        return "The document is empty."
    words = " ".join(re.split(r"(?<=[.!?])\s+", text)[:2]).split()
    return " ".join(words[:40]) + ("..." if len(words) > 40 else "")


def _extract(field: str, doc: str) -> str | None:
    label = re.escape(field.replace("_", " ").strip())
    if m := re.search(rf"^\W*{label}\W*[:=-]\s*(.+)$", doc, re.I | re.M):
        return m.group(1).strip()
    key = field.lower()
    for name, pattern in _EXTRACTORS.items():
        if name in key or any(alias in key and target == name for alias, target in _ALIASES.items()):
            m = re.search(pattern, doc)
            return m.group(0).strip() if m else None
    if any(word in key for word in ("title", "subject", "name", "heading")):
        first = next((line.strip() for line in doc.splitlines() if line.strip()), "")
        return first[:80] or None
    if "summary" in key or "description" in key:
        return _summary(doc)
    return None


def _from_schema(
    schema: Any, doc: str, name: str, label: str | None, defs: dict | None = None, depth: int = 0
) -> Any:
    """A value that validates against `schema`, filled from the document where a field name suggests how."""
    if not isinstance(schema, dict) or depth > 12:  # `true` schemas, and recursive ones cut short
        return None
    defs = defs if defs is not None else {**schema.get("definitions", {}), **schema.get("$defs", {})}
    if isinstance(ref := schema.get("$ref"), str):
        return _from_schema(defs.get(ref.rsplit("/", 1)[-1]), doc, name, label, defs, depth + 1)
    for combo in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(combo), list) and schema[combo]:
            options = [s for s in schema[combo] if isinstance(s, dict) and s.get("type") != "null"]
            return _from_schema((options or schema[combo])[0], doc, name, label, defs, depth + 1)
    if "const" in schema:
        return schema["const"]
    if enum := schema.get("enum"):
        choices = [str(e) for e in enum]
        return (
            enum[choices.index(label)] if label in choices else enum[choices.index(_pick_label(choices, doc))]
        )
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _from_schema(v, doc, k, label, defs, depth + 1) for k, v in props.items()}
    if kind == "array":
        return [_from_schema(schema.get("items", {}), doc, name, label, defs, depth + 1)]
    found = _extract(name, doc) if name else None
    if kind in ("integer", "number"):
        digits = re.search(r"-?\d+(?:\.\d+)?", (found or "").replace(",", ""))
        value = float(digits.group(0)) if digits else 0
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return bool(found)
    if kind == "null":
        return None
    if name in ("label", "category", "class") and label:
        return label
    return found if found is not None else _summary(doc) if not name or "summ" in name else "unknown"
