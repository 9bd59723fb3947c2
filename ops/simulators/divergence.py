"""The divergence knob: a model's answers differ from the reference answer more often on complex documents.

`SimConfig.divergence` maps a model to a strength s. For each document a request carries, the simulator
scores its complexity c with the classifier's own scorer (worker/classifier/complexity.py, with the task
read back from the prompt, so the buckets line up with what `turnout compare` reports), and the answer
diverges with probability min(1, s x c). The draw is a hash of (seed, model, document): the same document
gets the same decision every time for the same model and seed, and raising s only adds documents (one
that diverged at a lower strength still diverges).

A diverged answer really differs, and stays valid for its task: another label, altered extracted fields
(still of the schema's types, so no repair is triggered), a vague summary that shares few words with
the reference. Without divergence nothing here runs and answers are exactly the reference answers.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

_SUMMARY_TASK = re.compile(r"\bsummar", re.I)
_EMPTY_STRINGS = frozenset({"", "unknown", "null", "none", "n/a"})


def parse_divergence(specs: str | list[str] | tuple[str, ...]) -> dict[str, float]:
    """`"llama3.2:3b=0.8,qwen2.5:7b=0.3"` (or several such strings) as {model: strength}."""
    items = [specs] if isinstance(specs, str) else list(specs)
    parsed: dict[str, float] = {}
    for item in items:
        for part in (p.strip() for p in item.split(",")):
            if not part:
                continue
            model, sep, raw = part.rpartition("=")
            if not sep or not model.strip():
                raise ValueError(f"divergence {part!r}: expected MODEL=STRENGTH, e.g. llama3.2:3b=0.8")
            try:
                parsed[model.strip()] = float(raw)
            except ValueError:
                raise ValueError(f"divergence {part!r}: strength {raw!r} is not a number") from None
    return check_divergence(parsed)


def check_divergence(value: Any) -> dict[str, float]:
    """A validated copy of SimConfig.divergence: model names to finite strengths >= 0."""
    if not isinstance(value, Mapping):
        raise ValueError("divergence must be a mapping of model name to strength")
    checked: dict[str, float] = {}
    for model, strength in value.items():
        if not isinstance(model, str) or not model.strip():
            raise ValueError("divergence: model names must be non-empty strings")
        if isinstance(strength, bool) or not isinstance(strength, int | float):
            raise ValueError(f"divergence for {model!r} must be a number")
        if not math.isfinite(strength) or strength < 0:
            raise ValueError(f"divergence for {model!r} must be a finite number >= 0")
        checked[model.strip()] = float(strength)
    return checked


@dataclass(frozen=True)
class Divergence:
    """How one model diverges: its strength, and the (seed, model) key every draw is hashed with."""

    strength: float
    key: str

    def probability(self, complexity: float) -> float:
        return min(1.0, max(0.0, self.strength * complexity))

    def hits(self, doc: str, complexity: float) -> bool:
        return unit_draw(self.key, "diverge", doc) < self.probability(complexity)


def unit_draw(*parts: str) -> float:
    """A deterministic number in [0, 1) from `parts` (the same parts, the same number, on any machine)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _pick(n: int, *parts: str) -> int:
    return int(unit_draw(*parts) * n)


# --------------------------------------------------------------------------------- complexity of a request


def infer_task(instructions: str, labels: list[str], fields: list[str], schema: dict[str, Any] | None) -> Any:
    """The TaskSpec a request was made for, read back from its prompt (the classifier scores by task)."""
    from worker.schema import TaskKind, TaskSpec

    properties = schema.get("properties") if isinstance(schema, dict) else None
    if isinstance(properties, dict) and list(properties) == ["label"] and "enum" in properties["label"]:
        # Turnout's classify schema: one `label` among the labels (worker/prompts.py output_json_schema).
        return TaskSpec(kind=TaskKind.CLASSIFY, labels=tuple(str(e) for e in properties["label"]["enum"]))
    if isinstance(properties, dict):
        fields = [str(name) for name in properties]
    if fields:
        return TaskSpec(kind=TaskKind.EXTRACT, fields=tuple(fields))
    if labels:
        return TaskSpec(kind=TaskKind.CLASSIFY, labels=tuple(labels))
    if _SUMMARY_TASK.search(instructions):
        return TaskSpec(kind=TaskKind.SUMMARIZE)
    return TaskSpec(kind=TaskKind.CUSTOM, prompt=instructions)


def complexity(doc: str, task: Any) -> float:
    """The classifier's complexity score (0..1) of `doc` for `task`, with the shipped complexity config."""
    from worker.classifier.detectors.base import Doc

    _, score, _ = _scorer().score(Doc(doc), task)
    return float(score)


@cache
def _scorer() -> Any:
    # Imported on first use: simulators without divergence never load the classifier.
    from worker.classifier.complexity import ComplexityScorer
    from worker.classifier.config import ComplexityConfig

    return ComplexityScorer(ComplexityConfig())


# ------------------------------------------------------------------------------------- diverged answers


def other_label(labels: list[str], label: str, key: str, doc: str) -> str:
    """A label other than `label` (a model that misread the document)."""
    others = [candidate for candidate in labels if candidate.casefold() != label.casefold()]
    return others[_pick(len(others), key, "label", doc)] if others else label


def vague_summary(doc: str) -> str:
    """A summary that misses the point: a few of the document's longest words, out of order, and a shrug.

    It shares few words, and fewer in order, with the reference summary (the document's lead sentences),
    so any order-aware similarity such as ROUGE-L keeps it well apart.
    """
    words = sorted({w.lower() for w in re.findall(r"[^\W\d_]{4,}", doc)}, key=lambda w: (-len(w), w))
    picked = words[:3] or ["nothing"]
    listed = picked[0] if len(picked) == 1 else f"{', '.join(picked[:-1])} and {picked[-1]}"
    return f"In short: {listed}; the rest is unclear."


def alter_object(value: Any, schema: Any, key: str, doc: str) -> Any:
    """`value` (a JSON answer) with about half its fields altered, at least one, keeping their types."""
    if not isinstance(value, dict):
        return alter_value(value, schema, key, doc, "$")
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    props = props if isinstance(props, dict) else {}
    names = [name for name in value if _alterable(value[name], props.get(name))]
    if not names:
        return value
    chosen = [name for name in names if unit_draw(key, "field", name, doc) < 0.5]
    if not chosen:
        chosen = [names[_pick(len(names), key, "field", doc)]]
    return {
        name: alter_value(item, props.get(name), key, doc, name) if name in chosen else item
        for name, item in value.items()
    }


def alter_value(value: Any, schema: Any, key: str, doc: str, where: str) -> Any:
    """A different value of the same JSON type (what the schema allows), as a model that misread would give."""
    schema = schema if isinstance(schema, dict) else {}
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) > 1:
        others = [e for e in enum if e != value]
        return others[_pick(len(others), key, "enum", where, doc)]
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return round(value + 1.0, 2)
    if isinstance(value, dict):
        return alter_object(value, schema, f"{key}/{where}", doc)
    if isinstance(value, list):
        return value[:-1] if len(value) > schema.get("minItems", 0) else value
    if value is None or (isinstance(value, str) and value.strip().lower() in _EMPTY_STRINGS):
        # Not in the document, and the model made something up.
        return f"ref-{_pick(9000, key, 'invent', where, doc) + 1000}"
    if isinstance(value, str):
        if _allows_null(schema):
            return None  # the model missed a value that is there
        return _misread(value)
    return value


def _misread(text: str) -> str:
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if digits:
        i = digits[-1]
        return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1 :]
    words = text.split()
    if len(words) > 1:
        return " ".join(words[: max(1, len(words) // 2)])
    return f"{text} (approx.)"


def _alterable(value: Any, schema: Any) -> bool:
    if isinstance(schema, dict) and "const" in schema:
        return False
    if value is None and isinstance(schema, dict) and schema:
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        return "string" in kinds
    return True


def _allows_null(schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return "null" in kinds
    options = schema.get("anyOf") or schema.get("oneOf") or []
    return kinds == "null" or any(isinstance(o, dict) and o.get("type") == "null" for o in options)
