"""One chat call over the OpenAI protocol, shared by the cloud route and the OpenAI-compatible local hosts.

What differs between servers that speak the protocol, handled in one place:
- the token cap: OpenAI proper (and Azure OpenAI) take `max_completion_tokens`; vLLM, llama.cpp, SGLang
  and TGI honour `max_tokens` (llama.cpp silently ignores `max_completion_tokens`);
- structured output, negotiated per host (worker/backends/structured.py);
- refusals: the server's own reason (redacted) goes into the error; a 500 whose reason says the request
  itself is invalid is sent once more (a 500 can be a fluke) and then failed for good, not retried five
  times.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import openai
import structlog
from openai.types.chat import ChatCompletion

from worker.backends.base import Completion, CompletionRequest
from worker.backends.server_errors import (
    body_message,
    refuses_output_format,
    says_request_invalid,
    server_reason,
)
from worker.backends.structured import (
    FormatMemory,
    OutputFormat,
    openai_response_format,
    with_schema_in_prompt,
)
from worker.errors import BackendError, PermanentBackendError, RetryableBackendError
from worker.schema import Usage

log = structlog.get_logger("turnout.backends")

_PERMANENT_CODES = {"insufficient_quota", "context_length_exceeded", "invalid_api_key", "model_not_found"}
_OPENAI_HOSTS = ("api.openai.com",)
_AZURE_SUFFIX = ".openai.azure.com"


def token_cap_param(base_url: str | None) -> str:
    """The parameter that caps an answer's tokens on this server (see the module docstring)."""
    host = (urlsplit(base_url).hostname or "") if base_url else "api.openai.com"
    if host in _OPENAI_HOSTS or host.endswith(_AZURE_SUFFIX):
        return "max_completion_tokens"
    return "max_tokens"


@dataclass
class ChatEndpoint:
    """One OpenAI-protocol server as the calls see it."""

    client: openai.OpenAI
    label: str  # how errors name it: "the OpenAI API", "local server http://gpu2:8000/v1"
    formats: FormatMemory
    cap_param: str

    @property
    def host(self) -> str:
        return str(self.client.base_url).rstrip("/")


def create_chat(
    endpoint: ChatEndpoint,
    request: CompletionRequest,
    max_tokens: int | None,
    on_status_error: Callable[[Mapping[str, str]], object] | None = None,
) -> tuple[ChatCompletion, Mapping[str, str]]:
    """Send one chat call (and, when the server refuses its format, the same call in a plainer one).

    Raises the BackendError a refusal maps to; the SDK's other errors (timeouts, connection) propagate.
    """
    schema = request.json_schema
    level = endpoint.formats.level(endpoint.host, schema) if schema is not None else None
    resent_invalid = False
    while True:
        try:
            raw = endpoint.client.chat.completions.with_raw_response.create(
                **chat_arguments(request, level, endpoint.cap_param, max_tokens)
            )
            return raw.parse(), raw.headers
        except openai.APIStatusError as exc:
            if on_status_error is not None:
                on_status_error(exc.response.headers)
            reason = server_reason(body_message(exc.body) or exc.message, request.messages)
            if schema is not None and level is not None and refuses_output_format(exc.status_code, reason):
                lower = endpoint.formats.refused(endpoint.host, schema, level)
                if lower is not None:
                    log.info("structured_output_downgraded", host=endpoint.host, to=lower.name.lower())
                    level = lower
                    continue
            if exc.status_code >= 500 and says_request_invalid(reason) and not resent_invalid:
                resent_invalid = True
                continue
            raise translate_status_error(exc, endpoint.label, reason) from None


def completion_of(
    response: ChatCompletion,
    request: CompletionRequest,
    backend: str,
    latency_ms: float,
    gpu_ms: float | None = None,
) -> Completion:
    """The answer and the usage the server reported; an answer without either is malformed (retryable)."""
    if response.usage is None or not response.choices:
        raise RetryableBackendError(f"{backend} answered without usage or choices", kind="malformed_response")
    return Completion(
        output=response.choices[0].message.content or "",
        usage=Usage(
            input_tokens=response.usage.prompt_tokens, output_tokens=response.usage.completion_tokens
        ),
        model=request.model,
        backend=backend,
        latency_ms=latency_ms,
        gpu_ms=gpu_ms,
    )


def chat_arguments(
    request: CompletionRequest, level: OutputFormat | None, cap_param: str, max_tokens: int | None
) -> dict[str, Any]:
    """The keyword arguments of `chat.completions.create` for one request at one format level."""
    messages: Any = request.messages  # plain role/content dicts; the SDK's TypedDicts accept them
    arguments: dict[str, Any] = {"model": request.model}
    if request.json_schema is not None and level is not None:
        messages = with_schema_in_prompt(request.messages, level, request.json_schema)
        response_format = openai_response_format(level, request.json_schema)
        if response_format is not None:
            arguments["response_format"] = response_format
    arguments["messages"] = messages
    if max_tokens is not None:
        arguments[cap_param] = max_tokens
    if request.sampling.temperature is not None:
        arguments["temperature"] = request.sampling.temperature
    if request.sampling.seed is not None:
        arguments["seed"] = request.sampling.seed
    return arguments


def translate_status_error(
    exc: openai.APIStatusError, label: str = "the OpenAI API", reason: str | None = None
) -> BackendError:
    """Map the SDK's HTTP errors onto retryable (with the server's hint) versus permanent, with the
    server's own (redacted) reason in the message."""
    status = exc.status_code
    code = getattr(exc, "code", None)
    if reason is None:
        reason = server_reason(body_message(exc.body) or exc.message)
    summary = (
        f"{label} answered {status}" + (f" ({code})" if code else "") + (f": {reason}" if reason else "")
    )
    if code in _PERMANENT_CODES:
        return PermanentBackendError(summary, kind=str(code), status_code=status)
    if status == 429:
        return RetryableBackendError(
            summary, kind="rate_limited", status_code=status, retry_after_s=retry_after_s(exc.response)
        )
    if status >= 500 and says_request_invalid(reason):
        return PermanentBackendError(summary, kind="invalid_request", status_code=status)
    if status >= 500 or status == 408:
        return RetryableBackendError(
            summary, kind="server_error", status_code=status, retry_after_s=retry_after_s(exc.response)
        )
    kind = {401: "auth", 403: "forbidden", 404: "unknown_model"}.get(status, "bad_request")
    return PermanentBackendError(summary, kind=kind, status_code=status)


def retry_after_s(response: object) -> float | None:
    """The server's retry hint: `retry-after-ms` (OpenAI's, more precise) or `retry-after` seconds."""
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) * scale)
        except ValueError:
            continue  # an HTTP date; fall through to no hint rather than guess
    return None
