"""Batch API files: request lines like the real-time route's, splitting at the limits, joining results."""

from __future__ import annotations

import json

from worker.backends.base import CompletionRequest
from worker.batch.calls import call_field
from worker.batch.jsonl import Answered, Unanswered, encode, parse_results, request_body, request_line, split
from worker.schema import Sensitivity, Usage

MESSAGES = [{"role": "system", "content": "Summarize."}, {"role": "user", "content": "Text."}]


def request(schema: dict[str, object] | None = None) -> CompletionRequest:
    return CompletionRequest("b.000001", "gpt-4o-mini", MESSAGES, Sensitivity.PUBLIC, schema)


def test_a_request_line_carries_the_job_id_and_the_real_time_body() -> None:
    line = request_line("b.000001", request_body(request(), max_output_tokens=512))
    assert line == {
        "custom_id": "b.000001",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {
            "model": "gpt-4o-mini",
            "messages": MESSAGES,
            "max_completion_tokens": 512,
            "temperature": 0.0,
        },
    }
    assert encode(line).endswith(b"\n") and json.loads(encode(line)) == line


def test_a_schema_becomes_a_strict_structured_output() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    body = request_body(request(schema))
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "fields", "schema": schema, "strict": True},
    }
    assert "max_completion_tokens" not in body


def test_files_are_cut_at_the_request_limit() -> None:
    assert split([10] * 5, max_requests=2, max_bytes=1000) == ([(0, 2), (2, 4), (4, 5)], [])


def test_files_are_cut_at_the_byte_limit() -> None:
    assert split([40, 40, 40, 10], max_requests=100, max_bytes=90) == ([(0, 2), (2, 4)], [])


def test_a_line_bigger_than_a_file_is_set_apart() -> None:
    assert split([10, 500, 10], max_requests=100, max_bytes=100) == ([(0, 1), (2, 3)], [1])


def test_nothing_to_split() -> None:
    assert split([], max_requests=1, max_bytes=1) == ([], [])


def completion(content: str) -> dict[str, object]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
    }


def test_results_are_joined_on_custom_id_in_any_order() -> None:
    lines = [
        {
            "id": "r2",
            "custom_id": "b",
            "response": {"status_code": 200, "body": completion("B")},
            "error": None,
        },
        {
            "id": "r1",
            "custom_id": "a",
            "response": {"status_code": 200, "body": completion("A")},
            "error": None,
        },
    ]
    outcomes = parse_results(b"".join(encode(line) for line in lines))
    assert outcomes == {
        "a": Answered("A", Usage(input_tokens=12, output_tokens=3)),
        "b": Answered("B", Usage(input_tokens=12, output_tokens=3)),
    }


def test_failed_expired_and_malformed_results_are_unanswered_with_a_kind() -> None:
    error_body = {"error": {"message": "boom", "type": "server_error", "code": None}}
    lines = [
        {"custom_id": "failed", "response": {"status_code": 500, "body": error_body}, "error": None},
        {"custom_id": "expired", "response": None, "error": {"code": "batch_expired", "message": "late"}},
        {"custom_id": "odd", "response": {"status_code": 200, "body": {"choices": "no"}}, "error": None},
    ]
    content = b"".join(encode(line) for line in lines) + b"not json\n"
    outcomes = parse_results(content)
    assert outcomes["failed"] == Unanswered(
        "batch_request_failed", "batch request answered 500 (server_error)", 500
    )
    assert isinstance(outcomes["expired"], Unanswered) and outcomes["expired"].kind == "batch_expired"
    assert isinstance(outcomes["odd"], Unanswered) and outcomes["odd"].kind == "batch_malformed_result"
    assert len(outcomes) == 3


def test_a_call_is_stored_under_its_step_and_exactly_what_was_asked() -> None:
    plain, structured = request(), request({"type": "object"})
    assert call_field("whole", plain) == call_field("whole", request())
    assert call_field("whole", plain) != call_field("whole", structured)
    assert call_field("whole", plain).startswith("whole:") and call_field("map1", plain) != call_field(
        "whole", plain
    )
