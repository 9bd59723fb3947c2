"""Ollama hosts, through the official `ollama` client on httpx's own transport: one of the local
route's two kinds of host."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import ollama
import pydantic

from worker.backends.base import Completion, CompletionRequest
from worker.backends.server_errors import refuses_output_format, server_reason
from worker.backends.structured import FormatMemory, OutputFormat, ollama_format, with_schema_in_prompt
from worker.errors import BackendError, PermanentBackendError, RetryableBackendError
from worker.schema import Usage

_RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}
# An idle connection is kept this long for the next call. Between two jobs of a batch a slot's connection
# idles for a few ms; between batches it may as well reconnect.
KEEPALIVE_EXPIRY_S = 30.0


class OllamaHost:
    """One Ollama host through the official client (the local route's HostClient, worker/backends/local.py).

    Ollama's own options carry what the task asks: `temperature`, `seed`, `num_predict` (the answer's
    token cap) and `num_ctx`, the model's window from configs/models.yaml, so a long prompt is never
    silently cut to Ollama's default window. Structured output: `format=<schema>`, else `format="json"`,
    else the prompt (worker/backends/structured.py)."""

    kind = "ollama"

    def __init__(
        self,
        url: str,
        timeout_s: float,
        context_tokens: Callable[[str], int] | None = None,
        slots: int = 4,
    ):
        """`slots`: the host's parallel slots, which bound the connections kept open to it."""
        self.url = url
        self._client = _client(url, timeout_s, slots)
        self._context_tokens = context_tokens
        self._formats = FormatMemory()

    def call(self, request: CompletionRequest, slots: int) -> Completion:
        started = time.perf_counter()
        schema = request.json_schema
        level = self._formats.level(self.url, schema) if schema is not None else None
        while True:
            try:
                response = self._chat(request, level)
                break
            except ollama.ResponseError as exc:
                reason = server_reason(str(exc.error), request.messages)
                if (
                    schema is not None
                    and level is not None
                    and refuses_output_format(exc.status_code, reason)
                ):
                    lower = self._formats.refused(self.url, schema, level)
                    if lower is not None:
                        level = lower
                        continue
                raise _translate_response_error(exc.status_code, reason, self.url, request.model) from None
            except ConnectionError:
                raise RetryableBackendError(
                    f"cannot connect to Ollama at {self.url}", kind="connection"
                ) from None
            except httpx.TimeoutException:
                raise RetryableBackendError(f"Ollama at {self.url} timed out", kind="timeout") from None
            except httpx.HTTPError as exc:
                raise RetryableBackendError(
                    f"HTTP error talking to Ollama at {self.url}: {type(exc).__name__}", kind="connection"
                ) from None
            except (pydantic.ValidationError, json.JSONDecodeError, ValueError):
                raise RetryableBackendError(
                    f"malformed response from Ollama at {self.url}", kind="malformed_response"
                ) from None
        latency_ms = (time.perf_counter() - started) * 1000
        usage = Usage(input_tokens=response.prompt_eval_count or 0, output_tokens=response.eval_count or 0)
        return Completion(
            output=response.message.content or "",
            usage=usage,
            model=request.model,
            backend=f"ollama:{self.url}",
            latency_ms=latency_ms,
            gpu_ms=gpu_ms_of(response, slots),
        )

    def _chat(self, request: CompletionRequest, level: OutputFormat | None) -> ollama.ChatResponse:
        messages = request.messages
        fmt: Any = None
        if request.json_schema is not None and level is not None:
            messages = with_schema_in_prompt(messages, level, request.json_schema)
            fmt = ollama_format(level, request.json_schema)
        return self._client.chat(
            model=request.model, messages=messages, stream=False, format=fmt, options=self._options(request)
        )

    def _options(self, request: CompletionRequest) -> dict[str, Any]:
        sampling = request.sampling
        options: dict[str, Any] = {}
        if sampling.temperature is not None:
            options["temperature"] = sampling.temperature
        if sampling.seed is not None:
            options["seed"] = sampling.seed
        if sampling.max_output_tokens is not None:
            options["num_predict"] = sampling.max_output_tokens
        if self._context_tokens is not None:
            options["num_ctx"] = self._context_tokens(request.model)
        return options

    def close(self) -> None:
        self._client.close()


def _client(url: str, timeout_s: float, slots: int) -> ollama.Client:
    """The official client for one host. httpx keeps up to `slots` idle connections to it (one per call
    the host runs at once), so a busy host's calls reuse their connections rather than reconnect: httpx's
    default keeps 20. The slots (worker/flow/slots.py) bound how many calls are in flight, not the pool."""
    limits = httpx.Limits(
        max_connections=None, max_keepalive_connections=slots, keepalive_expiry=KEEPALIVE_EXPIRY_S
    )
    return ollama.Client(host=url, timeout=timeout_s, limits=limits)


def gpu_ms_of(response: ollama.ChatResponse, slots: int) -> float | None:
    """The GPU time to charge one answered request, in ms (microsecond resolution); None if none reported.

    Ollama reports, per request, the time spent loading the model, evaluating the prompt and generating
    (ns); `total_duration` also holds time spent queued, which is not GPU work. With `slots` parallel
    slots, requests in flight together overlap and each reports its own span of the same GPU time, so one
    request is charged its span divided by the slots: exact when the host is full (as it is while a batch
    keeps it fed), an under-charge when it is not; the report's fleet figure counts the rest as idle time.
    """
    parts = (response.load_duration, response.prompt_eval_duration, response.eval_duration)
    if all(part is None for part in parts):
        return None
    busy_ns = sum(part or 0 for part in parts)
    return round(busy_ns / max(1, slots) / 1_000_000, 3)


def _translate_response_error(status: int, reason: str, url: str, model: str) -> BackendError:
    where = f"Ollama at {url}"
    if status == 404 and "not found" in reason.casefold() and "model" in reason.casefold():
        # Ollama's own words for a model it lacks, e.g. 'model "llama3.2:3b" not found, try pulling it first'.
        return PermanentBackendError(
            f"{where}: {reason} (run `ollama pull {model}` on that host)",
            kind="unknown_model",
            status_code=status,
        )
    if status == 404:
        return PermanentBackendError(
            f"{where} answered 404 ({reason}): is it an Ollama server? An OpenAI-compatible server (vLLM, "
            "llama.cpp) goes in TURNOUT_LOCAL_OPENAI_HOSTS",
            kind="not_ollama",
            status_code=status,
        )
    if status in _RETRYABLE_STATUS or status == -1:
        kind = "server_busy" if status == 503 else "server_error"
        return RetryableBackendError(f"{where} answered {status}: {reason}", kind=kind, status_code=status)
    return PermanentBackendError(
        f"{where} answered {status}: {reason}", kind="bad_request", status_code=status
    )
