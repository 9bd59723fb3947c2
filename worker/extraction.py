"""Structured extraction: the schema answers must follow, checking answers, repairs, and merging parts.

Validation errors are described from the schema's side only (where, and which rule), never with the
value that failed: answers are derived from documents, and these descriptions end up in results and logs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from referencing import Registry

from worker.errors import ConfigError, InvalidOutput

# (step, messages) -> the model's answer text
Ask = Callable[[str, list[dict[str, str]]], str]
# (messages so far, invalid answer, error description) -> messages asking for a corrected answer
Repair = Callable[[list[dict[str, str]], str, str], list[dict[str, str]]]

_MAX_ERRORS_SHOWN = 3
_LENIENT = json.JSONDecoder(strict=False)  # strict=False: control characters inside strings are allowed
_FENCE = re.compile(r"```[A-Za-z]*[ \t]*\n?(.*?)```", re.S)
_OPENERS = re.compile(r"[{\[]")
_MAX_JSON_STARTS = 20  # where prose holds many brackets, the JSON is looked for from the first 20 only
_EMPTY: tuple[object, ...] = (None, "", [], {})


class SchemaFileError(ConfigError):
    """A --schema file Turnout cannot use; the message says why."""


def load_schema_file(path: Path) -> tuple[tuple[str, ...], str | None]:
    """Read --schema FILE: a JSON list of field names, or a JSON Schema for an object.

    Returns the top-level field names and, for a JSON Schema, its canonical JSON text (None for a list,
    whose schema is derived from the names).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaFileError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SchemaFileError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, list):
        names = tuple(str(n).strip() for n in data if isinstance(n, str))
        if len(names) != len(data) or not names or not all(names):
            raise SchemaFileError(f"{path}: a list of fields must hold non-empty strings only")
        if len(set(names)) != len(names):
            raise SchemaFileError(f"{path}: a field is listed twice")
        return names, None
    if not isinstance(data, dict):
        raise SchemaFileError(f"{path}: expected a JSON Schema object or a JSON list of field names")
    check_schema(data, str(path))
    return tuple(data["properties"]), json.dumps(data, sort_keys=True, separators=(",", ":"))


def check_schema(schema: dict[str, Any], where: str = "schema") -> None:
    """Refuse a schema that is invalid, not for an object, or that would need fetching other schemas."""
    try:
        jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator).check_schema(
            schema
        )
    except jsonschema.SchemaError as exc:
        raise SchemaFileError(f"{where}: not a valid JSON Schema: {exc.message}") from None
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        raise SchemaFileError(f'{where}: the schema must describe an object ("type": "object", "properties")')
    if not schema["properties"]:
        raise SchemaFileError(f"{where}: the schema has no properties to extract")
    remote = sorted({ref for ref in _refs(schema) if not ref.startswith("#")})
    if remote:
        raise SchemaFileError(
            f"{where}: only local $ref ('#/...') are supported, Turnout never fetches schemas: {remote[:3]}"
        )


def strict_mode_problems(schema: dict[str, Any]) -> list[str]:
    """Why OpenAI's strict structured outputs would refuse this schema (empty: it will accept it).

    Strict mode wants every object to list all its properties as required and to forbid others.
    """
    problems: list[str] = []
    for where, node in _objects(schema, "$"):
        props = node.get("properties", {})
        if node.get("additionalProperties") is not False:
            problems.append(f"{where}: additionalProperties must be false")
        if isinstance(props, dict) and set(node.get("required", [])) != set(props):
            problems.append(f"{where}: every property must be required (use a null type for optional ones)")
    return problems


def validator_for(schema: dict[str, Any]) -> Validator:
    # An empty registry: a $ref that is not local can never trigger a download.
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    # The draft's format checker, so `format: date` (and email, uuid, ipv4...) is enforced, not only noted.
    return cls(schema, registry=Registry(), format_checker=cls.FORMAT_CHECKER)  # type: ignore[call-arg]


def check_answer(answer: str, validator: Validator) -> tuple[Any, str | None]:
    """The parsed answer and None, or None and why it is invalid."""
    try:
        value = parse_json_answer(answer)
    except json.JSONDecodeError as exc:
        # json's messages can end in "at" ("Invalid control character at"): don't say "at at".
        reason = exc.msg.removesuffix(" at")
        return None, f"not valid JSON ({reason} at line {exc.lineno} column {exc.colno})"
    return value, check_value(value, validator)


def parse_json_answer(answer: str) -> Any:
    """The JSON value in a model's answer, as real models write it: bare, in a code fence, or with prose
    around it; raw control characters (a newline typed inside a string) are accepted. Raises the first
    JSONDecodeError when no JSON object or array can be found."""
    text = answer.strip()
    first_error: json.JSONDecodeError | None = None
    for candidate in (text, *(m.group(1).strip() for m in _FENCE.finditer(text))):
        try:
            return _LENIENT.decode(candidate)
        except json.JSONDecodeError as exc:
            first_error = first_error or exc
    for n, start in enumerate(_OPENERS.finditer(text)):
        if n >= _MAX_JSON_STARTS:
            break
        try:
            value, _ = _LENIENT.raw_decode(text, start.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict | list):
            return value
    assert first_error is not None
    raise first_error


def check_value(value: Any, validator: Validator) -> str | None:
    errors = sorted(validator.iter_errors(value), key=lambda e: (list(e.absolute_path), e.validator))
    if not errors:
        return None
    shown = "; ".join(describe(error) for error in errors[:_MAX_ERRORS_SHOWN])
    more = len(errors) - _MAX_ERRORS_SHOWN
    return shown + (f"; and {more} more" if more > 0 else "")


def describe(error: ValidationError) -> str:
    """Where the answer broke which rule, in the schema's words only (never the offending value)."""
    where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    if error.validator == "required" and isinstance(error.validator_value, list):
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [name for name in error.validator_value if name not in present]
        return f"{where}: missing required {', '.join(map(str, missing))}"
    rule = json.dumps(error.validator_value, sort_keys=True)
    if len(rule) > 80:
        rule = rule[:77] + "..."
    return f"{where}: must satisfy {error.validator}={rule}"


def ask_valid(
    ask: Ask,
    step: str,
    messages: list[dict[str, str]],
    validator: Validator,
    repair: Repair,
    max_repairs: int,
) -> Any:
    """Ask, and while the answer does not validate, send it back with the error (at most max_repairs times)."""
    answer = ask(step, messages)
    value, error = check_answer(answer, validator)
    for n in range(1, max_repairs + 1):
        if error is None:
            return value
        messages = repair(messages, answer, error)
        answer = ask(f"{step}:repair{n}", messages)
        value, error = check_answer(answer, validator)
    if error is None:
        return value
    raise InvalidOutput(f"answer did not validate after {max_repairs} repair(s): {error}")


def merge_answers(values: list[Any]) -> Any:
    """One answer from the answers for each part: per field, the first non-empty value in document order.

    Empty means null, "", [] or {}. A field no part found keeps the first part's (empty) value, so the
    merged object has the same keys every part had.
    """
    if not values:
        raise ValueError("nothing to merge")
    if not all(isinstance(v, dict) for v in values):
        return next((v for v in values if v not in _EMPTY), values[0])
    merged: dict[str, Any] = {}
    for value in values:
        for key, item in value.items():
            if key not in merged or (merged[key] in _EMPTY and item not in _EMPTY):
                merged[key] = item
    return merged


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _objects(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object-typed subschema, with where it sits."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _objects(item, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in node:
        yield where, node
    for key, value in node.items():
        if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            for name, sub in value.items():
                yield from _objects(sub, f"{where}.{name}")
        elif key in ("items", "anyOf", "oneOf", "allOf"):
            yield from _objects(value, where)
