"""What every simulator shares: its config and the generation flow (model check, slots, faults, latency,
answer). The HTTP layer: ops/simulators/http.py; what they answer: ops/simulators/answers.py.

Standard library only. Nothing here logs per request: request bodies carry document text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from ops.simulators.answers import (
    Answer,
    GenRequest,
    answer_for,
    estimate_tokens,
    prompt_tokens,
    split_pieces,
)
from ops.simulators.divergence import (
    Divergence,
    check_divergence,
)
from ops.simulators.http import Abort, Handler, SimServer, dumps
from ops.simulators.screening import parse_markers


@dataclass
class SimConfig:
    """Fault injection and behaviour of one simulator; change it at runtime with `set_config`."""

    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_kind: str = "auto"
    retry_after_s: float = 1.0
    models: tuple[str, ...] = ()
    api_key: str | None = None
    max_parallel: int = 0
    seed: int = 0
    timeout_hang_s: float = 30.0  # how long the "timeout" error kind holds a request before answering
    # The next N answers to requests that ask for JSON (a schema or JSON mode) are "{}": valid JSON that
    # fails any schema with required fields, to exercise validation and repair. Counts down as used.
    invalid_answers: int = 0
    # Model -> strength: that model's answers diverge from the reference answer with probability
    # min(1, strength x the document's complexity score), decided per (model, document, seed); see
    # ops/simulators/divergence.py. Empty: every model gives the reference answer.
    divergence: dict[str, float] = field(default_factory=dict)
    # Turnout's second-line check (a privacy yes/no before a document leaves) answers "sensitive" for a
    # document containing one of these, "MARKER" or "MARKER=CATEGORY"; "not sensitive" otherwise
    # (ops/simulators/screening.py).
    second_line_yes_markers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.models = tuple(self.models)
        self.second_line_yes_markers = parse_markers(self.second_line_yes_markers)
        self.divergence = check_divergence(self.divergence)
        for name in ("latency_ms", "retry_after_s", "max_parallel", "timeout_hang_s", "invalid_answers"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate must be within [0, 1]")


# ----------------------------------------------------------------------------------------- the simulators


class BaseSimulator:
    """One simulated backend on a real socket: lifecycle, control endpoints, fault injection, pacing."""

    kind: ClassVar[str]
    error_kinds: ClassVar[frozenset[str]]
    default_error_kind: ClassVar[str]
    enforces_parallel: ClassVar[bool] = False
    stream_content_type: ClassVar[str]
    stream_end: ClassVar[bytes] = b""
    default_models: ClassVar[tuple[str, ...]] = ()  # listed when SimConfig.models is empty

    def __init__(self, host: str = "127.0.0.1", port: int = 0, config: SimConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._config = self._checked(dataclasses.replace(config) if config else SimConfig())
        self._rng = random.Random(self._config.seed)
        self._counter = 0
        self._in_flight = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.requests: list[dict[str, Any]] = []
        # Every successful answer with the usage it reported, so tests can check what callers recorded.
        self.answered: list[dict[str, Any]] = []
        self.internal_errors: list[str] = []
        self.host = host
        self._server = SimServer((host, port), self)
        self.port: int = self._server.server_address[1]

    # -- lifecycle
    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def connections_accepted(self) -> int:
        """Client connections opened so far; a client that keeps its connections alive opens few."""
        return self._server.accepted

    def close_connections(self) -> None:
        """Close every client connection, as a server's keep-alive timeout would."""
        self._server.close_connections()

    @property
    def in_flight(self) -> int:
        """Generation requests being answered right now."""
        with self._lock:
            return self._in_flight

    @property
    def config(self) -> SimConfig:
        with self._lock:
            return self._config

    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                daemon=True,
                name=f"turnout-sim-{self.kind}",
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stopping.set()  # wakes requests held by latency or the "timeout" fault
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        self._server.close_connections()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_config(self, **changes: Any) -> None:
        """Change fault injection at runtime; unknown fields or bad values raise, nothing half-applies."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(SimConfig)}
        if unknown:
            raise TypeError(f"unknown SimConfig fields: {sorted(unknown)}")
        with self._lock:
            self._config = self._checked(dataclasses.replace(self._config, **changes))
            if "seed" in changes:
                self._rng = random.Random(self._config.seed)

    def _checked(self, config: SimConfig) -> SimConfig:
        if config.error_kind != "auto" and config.error_kind not in self.error_kinds:
            raise ValueError(
                f"error_kind for {self.kind} must be 'auto' or one of {sorted(self.error_kinds)}"
            )
        return config

    # -- helpers for subclasses
    def next_id(self) -> str:
        with self._lock:
            self._counter += 1
            n = self._counter
        return hashlib.sha256(f"{self._config.seed}:{self.kind}:{n}".encode()).hexdigest()

    def common_headers(self) -> dict[str, str]:
        return {}

    def model_known(self, model: str) -> bool:
        models = self.config.models
        return not models or self.normalize_model(model) in {self.normalize_model(m) for m in models}

    def normalize_model(self, model: str) -> str:
        return model

    def listed_models(self) -> tuple[str, ...]:
        return self.config.models or self.default_models

    def wait(self, seconds: float) -> None:
        if seconds > 0 and self._stopping.wait(seconds):
            raise Abort

    # -- request handling
    def handle(self, h: Handler, path: str) -> None:
        if path.startswith("/_sim/"):
            self._control(h, path)
        else:
            self.dispatch(h, path)

    def _control(self, h: Handler, path: str) -> None:
        if path == "/_sim/requests" and h.command == "GET":
            with self._lock:
                snapshot = list(self.requests)
            h.send_json(200, {"requests": snapshot})
        elif path == "/_sim/reset" and h.command == "POST":
            with self._lock:
                self.requests.clear()
                self.answered.clear()
            h.send_json(200, {"status": "ok"})
        elif path == "/_sim/config" and h.command in ("GET", "POST"):
            if h.command == "POST":
                try:
                    changes = json.loads(h.body or b"{}")
                    if not isinstance(changes, dict):
                        raise ValueError("expected a JSON object of SimConfig fields")
                    self.set_config(**changes)
                except (ValueError, TypeError) as exc:
                    h.send_json(400, {"error": str(exc)})
                    return
            shown = dataclasses.asdict(self.config)
            shown["api_key"] = "***" if shown["api_key"] else None  # never echo a secret
            h.send_json(200, {"config": shown})
        else:
            h.send_json(404, {"error": f"no control endpoint {h.command} {path}"})

    @staticmethod
    def parse_body(h: Handler) -> tuple[Any, str | None]:
        """The request's JSON, or why it is not JSON ("empty" for no body)."""
        if not h.body.strip():
            return None, "empty"
        try:
            return json.loads(h.body), None
        except ValueError as exc:
            return None, str(exc)

    def record(self, body: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(body)

    def _draw_error(self, config: SimConfig) -> str | None:
        with self._lock:
            hit = self._rng.random() < config.error_rate
        if not hit:
            return None
        return self.default_error_kind if config.error_kind == "auto" else config.error_kind

    def generate(self, h: Handler, req: GenRequest) -> None:
        """The flow both APIs share: model check, parallel slots, injected faults, latency, answer."""
        config = self.config
        if not self.model_known(req.model):
            self.reply_error(h, "unknown_model", req)
            return
        with self._lock:
            busy = self.enforces_parallel and 0 < config.max_parallel <= self._in_flight
            if not busy:
                self._in_flight += 1
        if busy:
            self.reply_error(h, "busy", req)
            return
        try:
            self._generate(h, req, config)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _generate(self, h: Handler, req: GenRequest, config: SimConfig) -> None:
        started_ns = time.perf_counter_ns()
        fault = self._draw_error(config)
        if fault == "timeout":
            self.wait(config.timeout_hang_s)
        elif fault == "malformed":
            answer = self.answer(req, config)
            whole = next(self.stream_events(req, answer, iter(()), started_ns)) if req.stream else None
            body = dumps(whole or self.render(req, answer, started_ns))
            broken = body[: len(body) // 2]  # a JSON object cut in half never parses
            if req.stream:
                h.send_chunked(200, self.stream_content_type, {}, [self.frame(broken)])
            else:
                h.send_bytes(200, broken, "application/json; charset=utf-8")
            return
        elif fault:
            self.reply_error(h, fault, req)
            return
        answer = self._invalid_answer(req) or self.answer(req, config)
        with self._lock:
            self.answered.append(
                {
                    "model": req.model,
                    "messages": req.messages,
                    "prompt_tokens": answer.prompt_tokens,
                    "completion_tokens": answer.completion_tokens,
                }
            )
        latency_s = config.latency_ms / 1000
        if req.stream:
            pieces = self._paced(split_pieces(answer.text), latency_s)
            events = self.stream_events(req, answer, pieces, started_ns)
            frames = (self.frame(dumps(e)) for e in events)
            h.send_chunked(
                200,
                self.stream_content_type,
                self.success_headers(answer, started_ns),
                _chain(frames, self.stream_end),
            )
        else:
            self.wait(latency_s)
            h.send_json(200, self.render(req, answer, started_ns), self.success_headers(answer, started_ns))

    def answer(self, req: GenRequest, config: SimConfig | None = None) -> Answer:
        """The answer to a generation request: the reference answer, or a diverged one (see SimConfig)."""
        config = config or self.config
        model = self.normalize_model(req.model)
        strength = next(
            (s for name, s in config.divergence.items() if self.normalize_model(name) == model), 0.0
        )
        diverging = Divergence(strength, f"{config.seed}:{model}") if strength > 0 else None
        return answer_for(req, diverging, config.second_line_yes_markers)

    def _invalid_answer(self, req: GenRequest) -> Answer | None:
        """An injected invalid JSON answer, while `invalid_answers` lasts (see SimConfig)."""
        if req.schema is None and not req.json_mode:
            return None
        with self._lock:
            if self._config.invalid_answers <= 0:
                return None
            left = self._config.invalid_answers - 1
            self._config = dataclasses.replace(self._config, invalid_answers=left)
        return Answer("{}", "stop", prompt_tokens(req.messages), estimate_tokens("{}"))

    def _paced(self, pieces: list[str], latency_s: float) -> Iterator[str]:
        """Half the latency before the first token (prompt eval), the other half spread over the rest."""
        self.wait(latency_s / 2)
        step = latency_s / 2 / max(1, len(pieces) - 1)
        for i, piece in enumerate(pieces):
            if i:
                self.wait(step)
            yield piece
        if len(pieces) <= 1:
            self.wait(latency_s / 2)

    # -- what each API defines
    def dispatch(self, h: Handler, path: str) -> None:
        raise NotImplementedError

    def reply_error(self, h: Handler, kind: str, req: GenRequest) -> None:
        raise NotImplementedError

    def render(self, req: GenRequest, answer: Answer, started_ns: int) -> dict[str, Any]:
        raise NotImplementedError

    def stream_events(
        self, req: GenRequest, answer: Answer, pieces: Iterator[str], started_ns: int
    ) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def frame(self, data: bytes) -> bytes:
        raise NotImplementedError

    def success_headers(self, answer: Answer, started_ns: int) -> dict[str, str]:
        return {}


def _chain(frames: Iterator[bytes], tail: bytes) -> Iterator[bytes]:
    yield from frames
    yield tail
