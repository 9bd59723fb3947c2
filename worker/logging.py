"""Structured logging, configured once per process: ids, tags, counts and timings, never text or secrets."""

from __future__ import annotations

import logging
import re
import sys
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


def redact(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: drop text-bearing fields and mask anything shaped like a credential."""
    for key in list(event_dict):
        if key.lower() in FORBIDDEN_FIELDS:
            event_dict[key] = REDACTED
        elif isinstance(event_dict[key], str):
            event_dict[key] = _SECRET_PATTERNS.sub(REDACTED, event_dict[key])
    return event_dict


def configure_logging(fmt: str = "console", level: str = "info") -> None:
    """Route structlog and stdlib logging (Celery's included) through one redacting pipeline on stderr."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
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
    for noisy in ("httpx", "httpx2", "httpcore", "openai", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
