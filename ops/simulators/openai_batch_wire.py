"""The wire formats of the simulated Files and Batch APIs: input validation, multipart, pages, errors."""

from __future__ import annotations

import email.parser
import email.policy
import json
from typing import Any

ENDPOINT = "/v1/chat/completions"


def validate(
    content: bytes, max_requests: int, max_bytes: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The input file's request lines, and the validation errors that fail the whole batch."""
    lines: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    if len(content) > max_bytes:
        return [], [
            {
                "code": "file_too_large",
                "message": f"The input file exceeds {max_bytes} bytes.",
                "param": None,
                "line": None,
            }
        ]
    for n, raw in enumerate(content.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            errors.append(
                {
                    "code": "invalid_json_line",
                    "message": "This line is not parseable as valid JSON.",
                    "param": None,
                    "line": n,
                }
            )
            continue
        problem = line_problem(line, seen)
        if problem:
            errors.append({"code": problem[0], "message": problem[1], "param": problem[2], "line": n})
            continue
        seen.add(line["custom_id"])
        lines.append(line)
    if len(lines) > max_requests:
        errors.append(
            {
                "code": "too_many_requests",
                "message": f"The input file has more than {max_requests} requests.",
                "param": None,
                "line": None,
            }
        )
    if not lines and not errors:
        errors.append(
            {"code": "empty_file", "message": "The input file is empty.", "param": None, "line": None}
        )
    return lines, errors


def line_problem(line: Any, seen: set[str]) -> tuple[str, str, str | None] | None:
    if not isinstance(line, dict):
        return "invalid_request", "Each line must be a JSON object.", None
    if not isinstance(line.get("custom_id"), str) or not line["custom_id"]:
        return "missing_required_parameter", "Missing required parameter: 'custom_id'.", "custom_id"
    if line["custom_id"] in seen:
        return (
            "duplicate_custom_id",
            "The custom_id for this request is a duplicate of another request.",
            "custom_id",
        )
    if line.get("method") != "POST":
        return "invalid_method", "Only POST is supported.", "method"
    if line.get("url") != ENDPOINT:
        return "mismatched_url", f"The url must match the batch's endpoint {ENDPOINT}.", "url"
    if not isinstance(line.get("body"), dict):
        return "missing_required_parameter", "Missing required parameter: 'body'.", "body"
    return None


def multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]] | None:
    """The form fields of a multipart/form-data body: name -> (filename, bytes)."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        fields[name] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return fields


def page(
    data: list[dict[str, Any]], query: dict[str, str], default_limit: int, max_limit: int | None = None
) -> dict[str, Any]:
    """A cursor page as OpenAI lists it: `after` is the last id the caller saw."""
    after = query.get("after")
    if after:
        ids = [item["id"] for item in data]
        data = data[ids.index(after) + 1 :] if after in ids else []
    try:
        limit = int(query.get("limit", default_limit))
    except ValueError:
        limit = default_limit
    limit = max(1, min(limit, max_limit or limit))
    page = data[:limit]
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": len(data) > limit,
    }


def error(
    message: str, type_: str = "invalid_request_error", param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}
