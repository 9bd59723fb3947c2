"""The Batch API's files: request lines in, result lines out, and splitting at the provider's limits.

An input line is `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`; `custom_id` is
the job id. Result lines come back in any order, in the output file (answered) or the error file (failed,
expired, cancelled), and are joined back on `custom_id`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final, Literal

from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from worker.backends.base import CompletionRequest
from worker.backends.openai_chat import chat_arguments
from worker.backends.structured import OutputFormat
from worker.schema import Usage

ENDPOINT: Final[Literal["/v1/chat/completions"]] = "/v1/chat/completions"


def request_body(request: CompletionRequest, max_output_tokens: int | None = None) -> dict[str, Any]:
    """The chat completion request the real-time cloud route would send to OpenAI for `request`: strict
    structured output, the task's sampling, and the tighter of the task's cap and `max_output_tokens`."""
    caps = [c for c in (request.sampling.max_output_tokens, max_output_tokens) if c is not None]
    return chat_arguments(
        request, OutputFormat.JSON_SCHEMA, "max_completion_tokens", min(caps) if caps else None
    )


def request_line(custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}


def encode(line: dict[str, Any]) -> bytes:
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def split(sizes: list[int], max_requests: int, max_bytes: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Cut consecutive lines of these byte sizes into files within the limits.

    Returns the (start, end) index ranges of the files, and the indexes of lines too big for any file.
    """
    files: list[tuple[int, int]] = []
    oversized: list[int] = []
    start, used = 0, 0
    for i, size in enumerate(sizes):
        if size > max_bytes:
            if i > start:
                files.append((start, i))
            oversized.append(i)
            start, used = i + 1, 0
            continue
        if i - start >= max_requests or used + size > max_bytes:
            files.append((start, i))
            start, used = i, 0
        used += size
    if start < len(sizes):
        files.append((start, len(sizes)))
    return files, oversized


@dataclass(frozen=True)
class Answered:
    output: str
    usage: Usage


@dataclass(frozen=True)
class Unanswered:
    kind: str  # batch_request_failed, batch_expired, batch_cancelled, ...
    message: str  # from the provider's error: no document text
    status_code: int | None = None


Outcome = Answered | Unanswered


def parse_results(content: bytes) -> dict[str, Outcome]:
    """Outcome per custom_id from an output or error file; unreadable lines are skipped."""
    outcomes: dict[str, Outcome] = {}
    for raw in content.splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("custom_id"), str):
            outcomes[entry["custom_id"]] = _outcome(entry)
    return outcomes


def _outcome(entry: dict[str, Any]) -> Outcome:
    error = entry.get("error")
    if isinstance(error, dict):
        code = str(error.get("code") or "failed")
        kind = code if code.startswith("batch_") else f"batch_{code}"
        return Unanswered(kind=kind, message=f"batch request not answered ({code})")
    response = entry.get("response")
    if not isinstance(response, dict):
        return Unanswered(kind="batch_malformed_result", message="batch result without a response")
    status = response.get("status_code")
    body = response.get("body")
    if status != 200 or not isinstance(body, dict):
        reason = _error_code(body)
        return Unanswered(
            kind="batch_request_failed",
            message=f"batch request answered {status}" + (f" ({reason})" if reason else ""),
            status_code=status if isinstance(status, int) else None,
        )
    try:
        completion = ChatCompletion.model_validate(body)
    except ValidationError:
        return Unanswered(kind="batch_malformed_result", message="malformed chat completion in batch result")
    if completion.usage is None or not completion.choices:
        return Unanswered(kind="batch_malformed_result", message="batch result without usage or choices")
    return Answered(
        output=completion.choices[0].message.content or "",
        usage=Usage(
            input_tokens=completion.usage.prompt_tokens, output_tokens=completion.usage.completion_tokens
        ),
    )


def _error_code(body: Any) -> str | None:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    code = error.get("code") or error.get("type")
    return str(code) if code else None
