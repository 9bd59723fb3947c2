"""An OpenAI-compatible server on a real socket: /v1/chat/completions (plain and SSE) and /v1/models."""

from __future__ import annotations

import collections
import hashlib
import json
import math
import threading
import time
from collections.abc import Iterator
from typing import Any, ClassVar

from ops.simulators.answers import Answer, GenRequest
from ops.simulators.common import BaseSimulator
from ops.simulators.http import Handler
from ops.simulators.openai_batch import BatchAPI

LIMIT_REQUESTS = 10_000  # per minute, advertised in x-ratelimit-* headers
LIMIT_TOKENS = 10_000_000
MODEL_CREATED = 1_715_367_049
ROLES = ("system", "developer", "user", "assistant", "tool", "function")
BAD_JSON_MESSAGE = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
    "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
    "have trouble figuring out how to fix this, please contact us through our help center at "
    "help.openai.com.)"
)
NO_KEY_MESSAGE = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
    "auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're "
    "accessing the API from your browser and are prompted for a username and password. You can obtain an API "
    "key from https://platform.openai.com/account/api-keys."
)
SERVER_ERROR_MESSAGE = "The server had an error while processing your request. Sorry about that!"


def error_body(
    message: str, type_: str = "invalid_request_error", param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def _duration(seconds: float) -> str:
    """OpenAI's spelling of a wait: "120ms", "1s", "1.5s"."""
    return f"{round(seconds * 1000)}ms" if seconds < 1 else f"{seconds:g}s"


class OpenAISimulator(BaseSimulator):
    """Speaks the OpenAI REST API as the official `openai` client expects it."""

    kind = "openai"
    error_kinds = frozenset({"429", "500", "timeout", "malformed"})
    default_error_kind = "429"
    stream_content_type = "text/event-stream; charset=utf-8"
    stream_end = b"data: [DONE]\n\n"
    default_models: ClassVar[tuple[str, ...]] = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._window: collections.deque[tuple[float, int]] = collections.deque()  # (when, tokens), last 60 s
        self._window_lock = threading.Lock()
        self.batches = BatchAPI(self, self._invalid)  # /v1/files and /v1/batches (openai_batch.py)

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def common_headers(self) -> dict[str, str]:
        return {"x-request-id": "req_" + self.next_id()[:32], "openai-version": "2020-10-01"}

    def dispatch(self, h: Handler, path: str) -> None:
        body, problem = self.parse_body(h)
        is_completion = (h.command, path) == ("POST", "/v1/chat/completions")
        if is_completion and isinstance(body, dict):
            self.record(body)  # recorded even when refused below: tests prove what tried to leave
        if path.startswith("/v1/") and not self._authorised(h):
            return
        if self.batches.handles(path):
            self.batches.dispatch(h, path)
        elif is_completion:
            self._completion(h, body, problem)
        elif (h.command, path) == ("GET", "/v1/models"):
            h.send_json(200, {"object": "list", "data": [self._model(m) for m in self.listed_models()]})
        elif h.command == "GET" and path.startswith("/v1/models/"):
            model = path.removeprefix("/v1/models/")
            if self.model_known(model):
                h.send_json(200, self._model(model))
            else:
                h.send_json(
                    404,
                    error_body(f"The model '{model}' does not exist", param="model", code="model_not_found"),
                )
        else:
            h.send_json(404, error_body(f"Invalid URL ({h.command} {path})"))

    def _authorised(self, h: Handler) -> bool:
        key = self.config.api_key
        if key is None:
            return True
        header = h.headers.get("Authorization", "")
        sent = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if sent == key:
            return True
        if not sent:
            h.send_json(401, error_body(NO_KEY_MESSAGE))
        else:
            shown = "*" * max(0, len(sent) - 4) + sent[-4:] if len(sent) > 8 else "*" * len(sent)
            message = (
                f"Incorrect API key provided: {shown}. You can find your API key at "
                "https://platform.openai.com/account/api-keys."
            )
            h.send_json(401, error_body(message, code="invalid_api_key"))
        return False

    def _completion(self, h: Handler, body: Any, problem: str | None) -> None:
        if problem or not isinstance(body, dict):
            h.send_json(400, error_body(BAD_JSON_MESSAGE))
            return
        invalid = self._invalid(body)
        if invalid:
            h.send_json(400, error_body(*invalid))
            return
        fmt = body.get("response_format") or {}
        schema = (
            (fmt.get("json_schema") or {}).get("schema", {}) if fmt.get("type") == "json_schema" else None
        )
        limit = body.get("max_completion_tokens")
        limit = body.get("max_tokens") if limit is None else limit
        req = GenRequest(
            model=body["model"],
            messages=body["messages"],
            stream=body.get("stream") is True,
            json_mode=fmt.get("type") == "json_object",
            schema=schema,
            max_tokens=limit if isinstance(limit, int) else None,
            include_usage=bool((body.get("stream_options") or {}).get("include_usage")),
        )
        self.generate(h, req)

    @staticmethod
    def _invalid(body: dict[str, Any]) -> tuple[str, str, str | None, str | None] | None:
        """The 400 the real API gives for this body, as (message, type, param, code), or None."""
        kind = "invalid_request_error"
        if not body.get("model") or not isinstance(body["model"], str):
            return "you must provide a model parameter", kind, None, None
        messages = body.get("messages")
        if messages is None:
            return "Missing required parameter: 'messages'.", kind, "messages", "missing_required_parameter"
        if not isinstance(messages, list) or not messages:
            return (
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty "
                "array instead.",
                kind,
                "messages",
                "empty_array",
            )
        for i, message in enumerate(messages):
            role = message.get("role") if isinstance(message, dict) else None
            if role not in ROLES:
                return (
                    f"Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', "
                    "'function', 'tool', and 'developer'.",
                    kind,
                    f"messages[{i}].role",
                    "invalid_value",
                )
        for name, expected in (("stream_options", dict), ("max_tokens", int), ("max_completion_tokens", int)):
            if body.get(name) is not None and not isinstance(body[name], expected):
                return f"Invalid type for '{name}'.", kind, name, "invalid_type"
        fmt = body.get("response_format")
        if fmt is not None:
            if not isinstance(fmt, dict) or fmt.get("type") not in ("text", "json_object", "json_schema"):
                return (
                    "Invalid value for 'response_format.type': expected one of 'text', 'json_object' or "
                    "'json_schema'.",
                    kind,
                    "response_format.type",
                    "invalid_value",
                )
            spec = fmt.get("json_schema")
            if (
                fmt["type"] == "json_schema"
                and isinstance(spec, dict)
                and not isinstance(spec.get("schema", {}), dict)
            ):
                return (
                    "Invalid type for 'response_format.json_schema.schema'.",
                    kind,
                    "response_format",
                    "invalid_type",
                )
            if fmt["type"] == "json_schema" and not (
                isinstance(spec, dict) and isinstance(spec.get("name"), str)
            ):
                return (
                    "Missing required parameter: 'response_format.json_schema.name'.",
                    kind,
                    "response_format.json_schema.name",
                    "missing_required_parameter",
                )
            if fmt["type"] == "json_object" and "json" not in json.dumps(messages).lower():
                return (
                    "'messages' must contain the word 'json' in some form, to use 'response_format' of type "
                    "'json_object'.",
                    kind,
                    "messages",
                    None,
                )
        if body.get("stream_options") is not None and body.get("stream") is not True:
            return (
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                kind,
                "stream_options",
                None,
            )
        return None

    def _model(self, model: str) -> dict[str, Any]:
        return {"id": model, "object": "model", "created": MODEL_CREATED, "owned_by": "system"}

    def _ratelimit_headers(self, tokens: int, limited: bool = False) -> dict[str, str]:
        now = time.monotonic()
        with self._window_lock:
            if not limited:
                self._window.append((now, tokens))
            while self._window and self._window[0][0] < now - 60:
                self._window.popleft()
            used_requests, used_tokens = len(self._window), sum(t for _, t in self._window)
        return {
            "x-ratelimit-limit-requests": str(LIMIT_REQUESTS),
            "x-ratelimit-limit-tokens": str(LIMIT_TOKENS),
            "x-ratelimit-remaining-requests": "0" if limited else str(max(0, LIMIT_REQUESTS - used_requests)),
            "x-ratelimit-remaining-tokens": str(max(0, LIMIT_TOKENS - used_tokens)),
            "x-ratelimit-reset-requests": _duration(60 / LIMIT_REQUESTS),
            "x-ratelimit-reset-tokens": _duration(60 * used_tokens / LIMIT_TOKENS),
        }

    def success_headers(self, answer: Answer, started_ns: int) -> dict[str, str]:
        elapsed_ms = (time.perf_counter_ns() - started_ns) // 1_000_000
        return self._ratelimit_headers(answer.prompt_tokens + answer.completion_tokens) | {
            "openai-processing-ms": str(elapsed_ms),
        }

    def reply_error(self, h: Handler, kind: str, req: GenRequest) -> None:
        if kind == "unknown_model":
            h.send_json(
                404,
                error_body(
                    f"The model `{req.model}` does not exist or you do not have access to it.",
                    code="model_not_found",
                ),
            )
        elif kind == "429":
            wait_s = self.config.retry_after_s
            message = (
                f"Rate limit reached for {req.model} in organization org-turnoutsim on requests per min "
                f"(RPM): Limit {LIMIT_REQUESTS}, Used {LIMIT_REQUESTS}, Requested 1. Please try again in "
                f"{_duration(wait_s)}. Visit https://platform.openai.com/account/rate-limits to learn more."
            )
            headers = self._ratelimit_headers(0, limited=True) | {
                "retry-after": str(math.ceil(wait_s)),  # HTTP wants whole seconds; the -ms header is exact
                "retry-after-ms": str(round(wait_s * 1000)),
                "x-ratelimit-reset-requests": _duration(wait_s),
            }
            h.send_json(429, error_body(message, "requests", None, "rate_limit_exceeded"), headers)
        else:
            h.send_json(500, error_body(SERVER_ERROR_MESSAGE, "server_error"))

    def _envelope(self, req: GenRequest, completion_id: str, obj: str) -> dict[str, Any]:
        return {
            "id": completion_id,
            "object": obj,
            "created": int(time.time()),
            "model": req.model,
            "service_tier": "default",
            "system_fingerprint": "fp_" + hashlib.sha256(req.model.encode()).hexdigest()[:10],
        }

    @staticmethod
    def _usage(answer: Answer) -> dict[str, Any]:
        return {
            "prompt_tokens": answer.prompt_tokens,
            "completion_tokens": answer.completion_tokens,
            "total_tokens": answer.prompt_tokens + answer.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        }

    def render(self, req: GenRequest, answer: Answer, started_ns: int) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": answer.text,
            "refusal": None,
            "annotations": [],
        }
        choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": answer.finish_reason}
        envelope = self._envelope(req, "chatcmpl-" + self.next_id()[:29], "chat.completion")
        return envelope | {"choices": [choice], "usage": self._usage(answer)}

    def stream_events(
        self, req: GenRequest, answer: Answer, pieces: Iterator[str], started_ns: int
    ) -> Iterator[dict[str, Any]]:
        envelope = self._envelope(req, "chatcmpl-" + self.next_id()[:29], "chat.completion.chunk")
        usage: dict[str, Any] = {"usage": None} if req.include_usage else {}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            return envelope | {"choices": [choice]} | usage

        yield chunk({"role": "assistant", "content": "", "refusal": None})
        for piece in pieces:
            yield chunk({"content": piece})
        yield chunk({}, answer.finish_reason)
        if req.include_usage:
            yield envelope | {"choices": [], "usage": self._usage(answer)}

    def frame(self, data: bytes) -> bytes:
        return b"data: " + data + b"\n\n"
