"""What real model servers write and answer, made usable: JSON in prose, server errors, request shapes."""

from __future__ import annotations

import json

import pytest
from openai.types.chat import ChatCompletion

from worker.backends.base import CompletionRequest, Sampling
from worker.backends.local_openai import gpu_ms_of as local_gpu_ms_of
from worker.backends.openai_chat import chat_arguments, token_cap_param
from worker.backends.server_errors import (
    body_message,
    refuses_output_format,
    says_request_invalid,
    server_reason,
)
from worker.backends.structured import FormatMemory, OutputFormat
from worker.extraction import check_answer, parse_json_answer, validator_for
from worker.schema import Sensitivity

SCHEMA: dict[str, object] = {
    "type": "object",
    "properties": {"name": {"type": ["string", "null"]}},
    "required": ["name"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    "answer",
    [
        '{"name": "Ada"}',
        '```json\n{"name": "Ada"}\n```',
        'Sure! Here is the JSON you asked for:\n{"name": "Ada"}\nLet me know if you need more.',
        '```\n{"name": "Ada"}\n```',
    ],
)
def test_json_answers_are_found_in_fences_and_prose(answer: str) -> None:
    assert parse_json_answer(answer) == {"name": "Ada"}


def test_raw_control_characters_inside_strings_are_accepted() -> None:
    assert parse_json_answer('{"name": "Ada\nLovelace\tB"}') == {"name": "Ada\nLovelace\tB"}


def test_an_answer_without_json_says_why_once() -> None:
    value, error = check_answer("I could not find any fields.", validator_for(SCHEMA))
    assert value is None and error is not None
    assert error.startswith("not valid JSON (Expecting value at line 1")
    assert "at at" not in error


def test_the_server_reason_keeps_the_message_and_drops_echoes_and_tracebacks() -> None:
    """llama.cpp's refusal of json_schema, as it answers it (a 500 with a pydantic error and a traceback)."""
    body = {
        "error": {
            "message": "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
            "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}\n\n"
            '  File "/srv/llama_cpp/server/app.py", line 376, in create_chat_completion\n',
            "type": "internal_server_error",
        }
    }
    reason = server_reason(body_message(body))
    assert "Input should be 'text' or 'json_object'" in reason
    assert "app.py" not in reason and "'input': [redacted]" in reason
    assert says_request_invalid(reason) and refuses_output_format(500, reason)


def test_the_server_reason_never_carries_the_documents_words() -> None:
    messages = [
        {"role": "user", "content": "Patient Jane Roe, SSN 123-45-6789, was seen on Tuesday morning."}
    ]
    raw = "could not process prompt 'Patient Jane Roe, SSN 123-45-6789, was seen': context overflow"
    reason = server_reason(raw, messages)
    assert "Jane" not in reason and "123-45-6789" not in reason
    assert reason.startswith("could not process prompt") and reason.endswith("context overflow")


def test_long_reasons_are_cut() -> None:
    assert len(server_reason("x " * 1000)) <= 240


@pytest.mark.parametrize(
    ("base_url", "param"),
    [
        (None, "max_completion_tokens"),
        ("https://api.openai.com/v1", "max_completion_tokens"),
        ("https://acme.openai.azure.com/openai/v1", "max_completion_tokens"),
        ("http://gpu2:8000/v1", "max_tokens"),
        ("https://api.together.xyz/v1", "max_tokens"),
    ],
)
def test_the_token_cap_goes_in_the_parameter_the_server_honours(base_url: str | None, param: str) -> None:
    assert token_cap_param(base_url) == param


def test_requests_carry_the_tasks_sampling_and_the_format_level() -> None:
    request = CompletionRequest(
        job_id="b.1",
        model="m",
        messages=[{"role": "system", "content": "Be careful."}, {"role": "user", "content": "doc"}],
        sensitivity=Sensitivity.PUBLIC,
        json_schema=SCHEMA,
        sampling=Sampling(temperature=0.0, seed=7, max_output_tokens=64),
    )
    strict = chat_arguments(request, OutputFormat.JSON_SCHEMA, "max_tokens", 64)
    assert strict["response_format"]["type"] == "json_schema"
    assert strict["max_tokens"] == 64 and strict["temperature"] == 0.0 and strict["seed"] == 7
    assert strict["messages"] == request.messages
    loose = chat_arguments(request, OutputFormat.JSON_OBJECT, "max_completion_tokens", 64)
    assert loose["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert "max_tokens" not in loose and loose["max_completion_tokens"] == 64
    prompt_only = chat_arguments(request, OutputFormat.PROMPT, "max_tokens", None)
    assert "response_format" not in prompt_only and "max_tokens" not in prompt_only
    assert json.dumps(SCHEMA, sort_keys=True, separators=(",", ":")) in prompt_only["messages"][0]["content"]


def test_a_refused_format_is_remembered_per_host_and_schema() -> None:
    memory = FormatMemory()
    other: dict[str, object] = {"type": "object", "properties": {"x": {"type": "string"}}}
    assert memory.refused("http://a/v1", SCHEMA, OutputFormat.JSON_SCHEMA) is OutputFormat.JSON_OBJECT
    assert memory.level("http://a/v1", SCHEMA) is OutputFormat.JSON_OBJECT
    assert memory.level("http://a/v1", dict(SCHEMA)) is OutputFormat.JSON_OBJECT  # the same schema
    assert memory.level("http://b/v1", SCHEMA) is OutputFormat.JSON_SCHEMA  # another host
    assert memory.level("http://a/v1", other) is OutputFormat.JSON_SCHEMA  # another schema
    assert memory.refused("http://a/v1", SCHEMA, OutputFormat.JSON_OBJECT) is OutputFormat.PROMPT
    assert memory.refused("http://a/v1", SCHEMA, OutputFormat.PROMPT) is None


def test_llama_cpp_timings_are_gpu_time_shared_by_the_slots() -> None:
    """llama.cpp's server reports `timings` with each answer; other servers report none (priced by tokens)."""
    body: dict[str, object] = {
        "id": "c",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12},
    }
    timed = ChatCompletion.model_validate({**body, "timings": {"prompt_ms": 30.5, "predicted_ms": 89.5}})
    assert local_gpu_ms_of(timed, slots=1) == 120.0
    assert local_gpu_ms_of(timed, slots=4) == 30.0
    assert local_gpu_ms_of(ChatCompletion.model_validate(body), slots=4) is None
