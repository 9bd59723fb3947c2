"""Shared plumbing of the backend simulators: config, HTTP/1.1 server, generation flow, answers and tokens.

The servers are standard library only. Nothing here logs per request: request bodies carry document text.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import hashlib
import json
import math
import random
import re
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

from ops.simulators.divergence import (
    Divergence,
    alter_object,
    check_divergence,
    complexity,
    infer_task,
    other_label,
    vague_summary,
)


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

    def __post_init__(self) -> None:
        self.models = tuple(self.models)
        self.divergence = check_divergence(self.divergence)
        for name in ("latency_ms", "retry_after_s", "max_parallel", "timeout_hang_s", "invalid_answers"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate must be within [0, 1]")


class _Abort(Exception):
    """The simulator is stopping: drop the connection without answering."""


# --------------------------------------------------------------------------------------------- HTTP layer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sim: BaseSimulator) -> None:
        self.sim = sim
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        self.accepted = 0  # client connections ever opened (keep-alive reuse shows as fewer)
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the FQDN of the host, which can stall for seconds without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._conns_lock:
            (self._conns.add if add else self._conns.discard)(conn)
            self.accepted += add

    def close_connections(self) -> None:
        with self._conns_lock:
            conns, self._conns = list(self._conns), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a traceback could quote a document; the handler records failures in sim.internal_errors


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server
    body: bytes = b""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        pass

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def do_GET(self) -> None:
        self.sent = False
        try:
            self.body = self._read_body()
            self.server.sim._handle(self, urlsplit(self.path).path)
        except (_Abort, OSError):
            self.close_connection = True
        except Exception as exc:  # a simulator bug: answer 500, keep the type name for tests, log nothing
            self.server.sim.internal_errors.append(type(exc).__name__)
            if not self.sent:
                self.send_json(500, {"error": "simulator internal error"})
            self.close_connection = True

    do_POST = do_PUT = do_DELETE = do_HEAD = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(parts)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _head(self, status: int, headers: dict[str, str]) -> bytes:
        lines = [
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
            f"Date: {email.utils.formatdate(usegmt=True)}",
        ]
        lines += [f"{k}: {v}" for k, v in {**self.server.sim.common_headers(), **headers}.items()]
        if self.close_connection:
            lines.append("Connection: close")
        self.sent = True
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def send_bytes(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        head = self._head(
            status, {"Content-Type": content_type, "Content-Length": str(len(body)), **(headers or {})}
        )
        self.wfile.write(head if self.command == "HEAD" else head + body)  # one write: no Nagle stalls

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self.send_bytes(status, dumps(obj), "application/json; charset=utf-8", headers)

    def send_chunked(
        self, status: int, content_type: str, headers: dict[str, str], chunks: Iterable[bytes]
    ) -> None:
        """Stream `chunks` with chunked transfer encoding, so the connection stays reusable."""
        self.wfile.write(
            self._head(status, {"Content-Type": content_type, "Transfer-Encoding": "chunked", **headers})
        )
        for chunk in chunks:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def stable_hash(text: str) -> int:
    return zlib.crc32(text.encode())


# ----------------------------------------------------------------------------------------- the simulators


@dataclass
class GenRequest:
    """A generation request, normalised from either API's body."""

    model: str
    messages: list[dict[str, Any]]
    stream: bool
    json_mode: bool = False
    schema: dict[str, Any] | None = None
    max_tokens: int | None = None
    include_usage: bool = False
    endpoint: str = "chat"  # ollama: "chat" or "generate"


@dataclass
class Answer:
    text: str
    finish_reason: str  # "stop" | "length"
    prompt_tokens: int
    completion_tokens: int


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
        self._server = _Server((host, port), self)
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
            raise _Abort

    # -- request handling
    def _handle(self, h: _Handler, path: str) -> None:
        if path.startswith("/_sim/"):
            self._control(h, path)
        else:
            self.dispatch(h, path)

    def _control(self, h: _Handler, path: str) -> None:
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
    def parse_body(h: _Handler) -> tuple[Any, str | None]:
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

    def generate(self, h: _Handler, req: GenRequest) -> None:
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

    def _generate(self, h: _Handler, req: GenRequest, config: SimConfig) -> None:
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
        return _answer_for(req, Divergence(strength, f"{config.seed}:{model}") if strength > 0 else None)

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
    def dispatch(self, h: _Handler, path: str) -> None:
        raise NotImplementedError

    def reply_error(self, h: _Handler, kind: str, req: GenRequest) -> None:
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


# ------------------------------------------------------------------------------------- tokens and answers


def estimate_tokens(text: str) -> int:
    """About four characters per token, as BPE tokenizers average on English text."""
    return math.ceil(len(text) / 4)


def content_text(content: Any) -> str:
    """The text of a message's content: a string, or OpenAI's list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"
        )
    return ""


def prompt_tokens(messages: list[dict[str, Any]]) -> int:
    """Content tokens plus the chat template's few tokens per message and for priming the reply."""
    return 3 + sum(4 + estimate_tokens(content_text(m.get("content"))) for m in messages)


def split_pieces(text: str) -> list[str]:
    """Token-like stream pieces (a word and its trailing space) that join back to `text`."""
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])


def _answer_for(req: GenRequest, divergence: Divergence | None = None) -> Answer:
    system = "\n".join(
        content_text(m.get("content")) for m in req.messages if m.get("role") in ("system", "developer")
    )
    users = [content_text(m.get("content")) for m in req.messages if m.get("role") == "user"]
    text = make_answer(
        system, users[-1] if users else "", json_mode=req.json_mode, schema=req.schema, divergence=divergence
    )
    finish = "stop"
    if req.max_tokens is not None and estimate_tokens(text) > req.max_tokens:
        text, finish = text[: max(0, req.max_tokens) * 4], "length"
    return Answer(text, finish, prompt_tokens(req.messages), estimate_tokens(text))


_INSTRUCTION = re.compile(
    r"summar|extract|classif|label|categor|field|json|respond|return|answer|reply|output|you are", re.I
)
_DOC_TAG = re.compile(r"<(document|doc|text)>\s*(.*?)\s*</\1>", re.I | re.S)
_DOC_MARKER = re.compile(
    r"^\s*(?:document|text|input|content)\s*:\s*$|^\s*(?:-{3,}|={3,}|\"\"\"|```\w*)\s*$", re.I | re.M
)
_LIST_LINE = r"\b(?:{})\s*(?:to extract|allowed)?\s*:[ \t]*(\S.*)$"
_LABELS = re.compile(_LIST_LINE.format(r"labels?|categories|classes|allowed labels|choices"), re.I | re.M)
_LABELS_INLINE = re.compile(r"\bone of\s*(?::|\[)\s*([^\n\]]+)", re.I)
_FIELDS = re.compile(_LIST_LINE.format(r"fields?|keys|properties"), re.I | re.M)
_FIELDS_BULLETS = re.compile(
    r"^\s*(?:fields?|keys|properties)\b[^\n]*:\s*\n((?:\s*[-*]\s*\S[^\n]*\n?)+)", re.I | re.M
)
_EXTRACTORS = {
    "email": r"[\w.+-]+@[\w-]+\.[\w.-]+",
    "phone": r"\+?\d[\d\s().-]{7,}\d",
    "date": r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b[A-Z][a-z]+ \d{1,2}, \d{4}\b",
    "url": r"https?://\S+",
    "amount": r"[$€£]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*\.\d{2}\b",
}
_ALIASES = {
    "total": "amount",
    "price": "amount",
    "cost": "amount",
    "sum": "amount",
    "website": "url",
    "mail": "email",
    "telephone": "phone",
    "when": "date",
}


def make_answer(
    system: str,
    user: str,
    *,
    json_mode: bool = False,
    schema: dict[str, Any] | None = None,
    divergence: Divergence | None = None,
) -> str:
    """A deterministic, plausible model answer: a label, a JSON object of fields, or a short summary.

    With `divergence`, the answer differs from that reference answer as often as the document's
    complexity and the divergence strength say (ops/simulators/divergence.py).
    """
    doc = _document(system, user)
    instructions = f"{system}\n{user.replace(doc, '') if doc else user}"  # a document cannot steer its task
    labels = _list_after(_LABELS, instructions) or _list_after(_LABELS_INLINE, instructions)
    fields = _list_after(_FIELDS, instructions) or _bullets(instructions)
    off = divergence is not None and divergence.hits(
        doc, complexity(doc, infer_task(instructions, labels, fields, schema))
    )
    key = divergence.key if divergence is not None else ""
    label = _pick_label(labels, doc) if labels else None
    if schema is not None:
        value = _from_schema(schema, doc, "", label)
        return json.dumps(alter_object(value, schema, key, doc) if off else value)
    if label is not None and off:
        label = other_label(labels, label, key, doc)
    summary = (vague_summary if off else _summary)(doc)
    if json_mode or (fields and re.search(r"json", instructions, re.I)):
        if fields:
            extracted = {f: _extract(f, doc) for f in fields}
            return json.dumps(alter_object(extracted, None, key, doc) if off else extracted)
        return json.dumps({"label": label} if label else {"summary": summary})
    return label if label else summary


def _document(system: str, user: str) -> str:
    if m := _DOC_TAG.search(user) or _DOC_TAG.search(system):
        return m.group(2)
    parts = _DOC_MARKER.split(user)
    if len(parts) > 1:
        return max(parts[1:], key=len).strip()
    if system.strip():
        return user.strip()  # instructions in the system prompt, the document alone in the user message
    paragraphs = [p for p in re.split(r"\n\s*\n", user.strip()) if p.strip()]
    while len(paragraphs) > 1 and _INSTRUCTION.search(paragraphs[0]):
        paragraphs.pop(0)
    while len(paragraphs) > 1 and _INSTRUCTION.search(paragraphs[-1]):
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def _list_after(pattern: re.Pattern[str], text: str) -> list[str]:
    m = pattern.search(text)
    if not m:
        return []
    items = re.split(r",|\||;|\bor\b", m.group(1))
    return [s for s in (i.strip().strip("`'\"[]().* ") for i in items) if s]


def _bullets(text: str) -> list[str]:
    m = _FIELDS_BULLETS.search(text)
    return (
        [
            re.sub(r"^\s*[-*]\s*", "", line).split(":")[0].strip("`'\" ")
            for line in m.group(1).splitlines()
            if line.strip()
        ]
        if m
        else []
    )


def _pick_label(labels: list[str], doc: str) -> str:
    lowered = doc.lower()
    scores = [lowered.count(label.lower()) for label in labels]
    best = max(scores)
    return labels[scores.index(best)] if best else labels[stable_hash(doc) % len(labels)]


def _summary(doc: str) -> str:
    text = " ".join(doc.split())
    if not text:
        return "The document is empty."
    words = " ".join(re.split(r"(?<=[.!?])\s+", text)[:2]).split()
    return " ".join(words[:40]) + ("..." if len(words) > 40 else "")


def _extract(field: str, doc: str) -> str | None:
    label = re.escape(field.replace("_", " ").strip())
    if m := re.search(rf"^\W*{label}\W*[:=-]\s*(.+)$", doc, re.I | re.M):
        return m.group(1).strip()
    key = field.lower()
    for name, pattern in _EXTRACTORS.items():
        if name in key or any(alias in key and target == name for alias, target in _ALIASES.items()):
            m = re.search(pattern, doc)
            return m.group(0).strip() if m else None
    if any(word in key for word in ("title", "subject", "name", "heading")):
        first = next((line.strip() for line in doc.splitlines() if line.strip()), "")
        return first[:80] or None
    if "summary" in key or "description" in key:
        return _summary(doc)
    return None


def _from_schema(
    schema: Any, doc: str, name: str, label: str | None, defs: dict | None = None, depth: int = 0
) -> Any:
    """A value that validates against `schema`, filled from the document where a field name suggests how."""
    if not isinstance(schema, dict) or depth > 12:  # `true` schemas, and recursive ones cut short
        return None
    defs = defs if defs is not None else {**schema.get("definitions", {}), **schema.get("$defs", {})}
    if isinstance(ref := schema.get("$ref"), str):
        return _from_schema(defs.get(ref.rsplit("/", 1)[-1]), doc, name, label, defs, depth + 1)
    for combo in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(combo), list) and schema[combo]:
            options = [s for s in schema[combo] if isinstance(s, dict) and s.get("type") != "null"]
            return _from_schema((options or schema[combo])[0], doc, name, label, defs, depth + 1)
    if "const" in schema:
        return schema["const"]
    if enum := schema.get("enum"):
        choices = [str(e) for e in enum]
        return (
            enum[choices.index(label)] if label in choices else enum[choices.index(_pick_label(choices, doc))]
        )
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _from_schema(v, doc, k, label, defs, depth + 1) for k, v in props.items()}
    if kind == "array":
        return [_from_schema(schema.get("items", {}), doc, name, label, defs, depth + 1)]
    found = _extract(name, doc) if name else None
    if kind in ("integer", "number"):
        digits = re.search(r"-?\d+(?:\.\d+)?", (found or "").replace(",", ""))
        value = float(digits.group(0)) if digits else 0
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return bool(found)
    if kind == "null":
        return None
    if name in ("label", "category", "class") and label:
        return label
    return found if found is not None else _summary(doc) if not name or "summ" in name else "unknown"
