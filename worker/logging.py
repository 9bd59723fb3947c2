"""Structured logging, configured once per process: ids, tags, counts and timings, never text or secrets."""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import MutableMapping
from typing import Any

import structlog

# Fields that could carry document text, prompts, outputs or credentials are dropped whole.
FORBIDDEN_FIELDS = frozenset(
    {
        "text",
        "prompt",
        "prompts",
        "messages",
        "content",
        "output",
        "document",
        "body",
        "response",
        "api_key",
        "authorization",
        "headers",
        "password",
        "secret",
        "token",
    }
)
_SECRET_PATTERNS = re.compile(
    r"(sk-[A-Za-z0-9_\-]{16,}|Bearer\s+[A-Za-z0-9._\-]{8,}|AKIA[0-9A-Z]{16}|"
    r"(?:redis|rediss|amqp|postgres(?:ql)?)://[^\s:@/]*:[^\s@/]+@)"
)
REDACTED = "[redacted]"
# redis-py puts the command in a pipeline's error ("Command # 3 (SET tn:doc:… <the document's first words>)
# of pipeline caused error: …", the command cut to 100 characters); Redis itself quotes the arguments of a
# command it does not know ("… with args beginning with: 'a' 'b'"). Greedy within the 100-character cut,
# so a command that itself contains ") of pipeline" is still removed whole.
_REDIS_PIPELINE_COMMAND = re.compile(r"(Command # \d+) \(.{0,120}\) (of pipeline caused error)", re.DOTALL)
_REDIS_QUOTED_ARGS = re.compile(r"(with args beginning with:)[^\n]*")


def redact(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: drop text-bearing fields and mask anything shaped like a credential.

    Tracebacks keep their frames and the exception's type, not its message: messages can quote input
    (a validation error echoing a document, a client error echoing a prompt).
    """
    for key in list(event_dict):
        if key.lower() in FORBIDDEN_FIELDS:
            event_dict[key] = REDACTED
        elif key == "exception" and isinstance(event_dict[key], str):
            event_dict[key] = strip_exception_messages(event_dict[key])
        elif isinstance(event_dict[key], str):
            # Celery's own lines quote exceptions ("Unrecoverable error: %r", "… raised: %r").
            event_dict[key] = _SECRET_PATTERNS.sub(REDACTED, redact_redis_text(event_dict[key]))
    return event_dict


def redact_redis_text(text: str) -> str:
    """Drop the command arguments that redis-py and Redis quote in their error messages (document text,
    say), keeping the command's position and the server's reason: `Command # 3 of pipeline caused error:
    command not allowed when used memory > 'maxmemory'.`"""
    text = _REDIS_PIPELINE_COMMAND.sub(r"\1 \2", text)
    return _REDIS_QUOTED_ARGS.sub(rf"\1 {REDACTED}", text)


def strip_exception_messages(traceback_text: str) -> str:
    """Keep a formatted traceback's frame lines and exception types; drop messages and source excerpts."""
    kept: list[str] = []
    for line in traceback_text.splitlines():
        if line.startswith("  File "):
            kept.append(line)
        elif line and not line.startswith(" "):
            head = line.split(":", 1)[0]  # "ValueError: <message>" -> "ValueError"
            kept.append(head if " " not in head or head.startswith("Traceback") else REDACTED)
    return "\n".join(kept)


def _log_uncaught(exc_type: type[BaseException], exc: BaseException | None, tb: Any) -> None:
    uncaught = (exc_type, exc, tb)
    logging.getLogger("turnout").critical("uncaught_exception", exc_info=uncaught)  # type: ignore[arg-type]


def configure_logging(fmt: str = "console", level: str = "info") -> None:
    """Route structlog and stdlib logging (Celery's included) through one redacting pipeline on stderr."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,  # render tracebacks first, so redaction sees them
        redact,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    structlog.configure(
        processors=[*shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
            foreign_pre_chain=shared,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # An exception nothing caught (the process's, a thread's) goes through the same redaction too, not
    # straight to stderr with its message (redis-py's name the command's arguments).
    sys.excepthook = _log_uncaught
    threading.excepthook = lambda hook: _log_uncaught(hook.exc_type, hook.exc_value, hook.exc_traceback)
    for noisy in ("httpx", "httpx2", "httpcore", "openai", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if root.level <= logging.INFO:
        # Celery's per-task "received"/"succeeded" lines duplicate our job_* events (which carry the ids,
        # route, tokens and cost) and cost ~1 ms of CPU per job; keep them for --log-level debug.
        for per_task in ("celery.app.trace", "celery.worker.strategy"):
            logging.getLogger(per_task).setLevel(logging.WARNING)
