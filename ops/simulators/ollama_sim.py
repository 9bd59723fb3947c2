"""An Ollama server on a real socket: /api/chat, /api/generate, /api/tags, /api/ps, /api/show."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from ops.simulators.answers import Answer, GenRequest, stable_hash
from ops.simulators.common import BaseSimulator
from ops.simulators.http import Handler

OLLAMA_VERSION = "0.12.0"
BUSY_MESSAGE = "server busy, please try again.  maximum pending requests exceeded"
SERVER_ERROR_MESSAGE = "an error was encountered while running the model: unexpected EOF"


def _now_rfc3339(offset_s: float = 0.0) -> str:
    return (
        (datetime.now(UTC) + timedelta(seconds=offset_s))
        .isoformat(timespec="microseconds")
        .replace("+00:00", "Z")
    )


_FIELD_TYPES: dict[str, tuple[type, str]] = {
    "model": (str, "string"),
    "prompt": (str, "string"),
    "system": (str, "string"),
    "messages": (list, "[]api.Message"),
    "options": (dict, "map[string]interface {}"),
    "stream": (bool, "bool"),
}
_JSON_TYPES = {str: "string", list: "array", dict: "object", bool: "bool", int: "number", float: "number"}


def _type_error(body: dict[str, Any]) -> str | None:
    """The error Go's encoding/json gives when a field has the wrong JSON type, as Ollama reports it."""
    fields = [(name, body.get(name), *expected) for name, expected in _FIELD_TYPES.items()]
    messages = body.get("messages")
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        if not isinstance(message, dict):
            fields.append((f"messages[{i}]", message, dict, "api.Message"))
            continue
        fields += [(f"messages.{k}", message.get(k), str, "string") for k in ("role", "content")]
    for name, value, expected, go_type in fields:
        if value is not None and not isinstance(value, expected):
            json_type = _JSON_TYPES.get(type(value), "value")
            return f"json: cannot unmarshal {json_type} into Go struct field .{name} of type {go_type}"
    return None


# The simulated GPU: how fast one request is served while the host's slots are all busy (the shipped
# llama3.2:3b throughput in configs/pricing.yaml shared by 4 parallel slots), and a warm model's load time.
# Durations are modelled from the token counts, so they make sense with zero latency (tests, `turnout run`).
SIM_PROMPT_TOKENS_PER_S = 1500
SIM_OUTPUT_TOKENS_PER_S = 150
SIM_LOAD_NS = 2_000_000


def modelled_durations_ns(prompt_tokens: int, completion_tokens: int) -> tuple[int, int, int]:
    """(load, prompt eval, eval) in ns that the simulated GPU spends on a request, before injected latency."""
    prompt = max(1, -(-prompt_tokens * 1_000_000_000 // SIM_PROMPT_TOKENS_PER_S))
    evaluation = max(1, -(-completion_tokens * 1_000_000_000 // SIM_OUTPUT_TOKENS_PER_S))
    return SIM_LOAD_NS, prompt, evaluation


def _counters(answer: Answer, started_ns: int) -> dict[str, int]:
    """Durations in nanoseconds as a GPU spends them: load, then prompt eval and eval at the simulated
    throughput; stretched to the time the request really took when that was longer (injected latency)."""
    load, prompt, evaluation = modelled_durations_ns(answer.prompt_tokens, answer.completion_tokens)
    waited = time.perf_counter_ns() - started_ns - (load + prompt + evaluation)
    if waited > 0:  # the injected latency is half prompt eval, half generation (see BaseSimulator._paced)
        prompt += waited // 2
        evaluation += waited - waited // 2
    return {
        "total_duration": load + prompt + evaluation,
        "load_duration": load,
        "prompt_eval_count": answer.prompt_tokens,
        "prompt_eval_duration": prompt,
        "eval_count": answer.completion_tokens,
        "eval_duration": evaluation,
    }


class OllamaSimulator(BaseSimulator):
    """Speaks the Ollama HTTP API as the official `ollama` client expects it."""

    kind = "ollama"
    error_kinds = frozenset({"busy", "503", "500", "timeout", "malformed"})
    default_error_kind = "busy"
    enforces_parallel = True
    stream_content_type = "application/x-ndjson"
    default_models: ClassVar[tuple[str, ...]] = ("llama3.2:latest", "qwen2.5:7b")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, float] = {}  # model -> when it was last used, for /api/ps

    def normalize_model(self, model: str) -> str:
        return model if ":" in model else f"{model}:latest"

    def dispatch(self, h: Handler, path: str) -> None:
        route = (h.command, path)
        if route in (("GET", "/"), ("HEAD", "/")):
            h.send_bytes(200, b"Ollama is running", "text/plain; charset=utf-8")
        elif route == ("GET", "/api/version"):
            h.send_json(200, {"version": OLLAMA_VERSION})
        elif route == ("GET", "/api/tags"):
            h.send_json(200, {"models": [self._model_info(m) for m in self.listed_models()]})
        elif route == ("GET", "/api/ps"):
            h.send_json(200, {"models": self._running()})
        elif route == ("POST", "/api/show"):
            self._show(h)
        elif route in (("POST", "/api/chat"), ("POST", "/api/generate")):
            self._generation(h, path.rsplit("/", 1)[-1])
        else:
            h.send_bytes(404, b"404 page not found", "text/plain")

    def _generation(self, h: Handler, endpoint: str) -> None:
        body, problem = self.parse_body(h)
        if problem == "empty":
            h.send_json(400, {"error": "missing request body"})
            return
        if problem or not isinstance(body, dict):
            first = h.body.strip()[:1].decode(errors="replace")
            h.send_json(
                400,
                {
                    "error": f"invalid character '{first}' looking for beginning of value"
                    if problem
                    else f"json: cannot unmarshal {type(body).__name__} into Go value of type api.Request"
                },
            )
            return
        self.record(body)
        model, fmt = body.get("model"), body.get("format")
        if mistyped := _type_error(body):
            h.send_json(400, {"error": mistyped})
            return
        if not model:
            h.send_json(400, {"error": "model is required"})
            return
        if fmt not in (None, "", "json") and not isinstance(fmt, dict):
            h.send_json(400, {"error": 'invalid format: expected "json" or a valid JSON schema'})
            return
        if endpoint == "chat":
            messages = body.get("messages") or []
        else:
            messages = [{"role": "user", "content": body["prompt"]}] if body.get("prompt") else []
            if messages and body.get("system"):
                messages.insert(0, {"role": "system", "content": body["system"]})
        num_predict = (body.get("options") or {}).get("num_predict")  # -1 means no limit
        req = GenRequest(
            model=model,
            messages=messages,
            stream=body.get("stream") is not False,
            json_mode=fmt == "json",
            schema=fmt if isinstance(fmt, dict) else None,
            endpoint=endpoint,
            max_tokens=num_predict if isinstance(num_predict, int) and num_predict >= 0 else None,
        )
        if self.model_known(model):
            with self._lock:
                self._loaded[self.normalize_model(model)] = time.time()
            if not messages:  # an empty request only loads the model, as in the real server
                h.send_json(200, self._head(req) | {"done_reason": "load", "done": True})
                return
        self.generate(h, req)

    def _head(self, req: GenRequest, content: str = "") -> dict[str, Any]:
        text: dict[str, Any] = (
            {"message": {"role": "assistant", "content": content}}
            if req.endpoint == "chat"
            else {"response": content}
        )
        return {"model": req.model, "created_at": _now_rfc3339(), **text}

    def render(self, req: GenRequest, answer: Answer, started_ns: int) -> dict[str, Any]:
        final = {"done": True, "done_reason": answer.finish_reason, **_counters(answer, started_ns)}
        return self._head(req, answer.text) | final

    def stream_events(
        self, req: GenRequest, answer: Answer, pieces: Iterator[str], started_ns: int
    ) -> Iterator[dict[str, Any]]:
        for piece in pieces:
            yield self._head(req, piece) | {"done": False}
        yield self.render(req, answer, started_ns) | self._head(req)

    def frame(self, data: bytes) -> bytes:
        return data + b"\n"

    def reply_error(self, h: Handler, kind: str, req: GenRequest) -> None:
        if kind == "unknown_model":
            h.send_json(404, {"error": f'model "{req.model}" not found, try pulling it first'})
        elif kind in ("busy", "503"):
            h.send_json(503, {"error": BUSY_MESSAGE})
        else:
            h.send_json(500, {"error": SERVER_ERROR_MESSAGE})

    def _show(self, h: Handler) -> None:
        body, _ = self.parse_body(h)
        model = (body.get("model") or body.get("name")) if isinstance(body, dict) else None
        if not model:
            h.send_json(400, {"error": "model is required"})
        elif not self.model_known(model):
            h.send_json(404, {"error": f"model '{model}' not found"})
        else:
            info = self._model_info(self.normalize_model(model))
            h.send_json(
                200,
                {
                    "modelfile": f"FROM {info['name']}\n",
                    "parameters": "",
                    "template": "{{ .Prompt }}",
                    "details": info["details"],
                    "model_info": {"general.architecture": info["details"]["family"]},
                    "capabilities": ["completion"],
                    "modified_at": info["modified_at"],
                },
            )

    def _model_info(self, name: str) -> dict[str, Any]:
        name = self.normalize_model(name)
        letters = re.match(r"[a-zA-Z]+", name)
        family = letters.group(0).lower() if letters else "llama"
        size = re.search(r":(\d+(?:\.\d+)?)b", name, re.I)
        return {
            "name": name,
            "model": name,
            "modified_at": "2025-01-01T00:00:00Z",
            "size": 1_000_000_000 + stable_hash(name) % 4_000_000_000,
            "digest": hashlib.sha256(name.encode()).hexdigest(),
            "details": {
                "parent_model": "",
                "format": "gguf",
                "family": family,
                "families": [family],
                "parameter_size": f"{size.group(1)}B" if size else "3.2B",
                "quantization_level": "Q4_K_M",
            },
        }

    def _running(self) -> list[dict[str, Any]]:
        models = []
        with self._lock:
            names = sorted(self._loaded)
        for name in names:
            info = self._model_info(name)
            del info["modified_at"]
            models.append(
                info | {"expires_at": _now_rfc3339(300), "size_vram": info["size"], "context_length": 4096}
            )
        return models
