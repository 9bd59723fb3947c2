"""No document text, prompt, output or secret reaches a log line."""

from __future__ import annotations

import pytest

from worker.logging import REDACTED, redact, redact_redis_text


def test_text_bearing_fields_are_dropped() -> None:
    event = redact(
        None,
        "info",
        {
            "event": "job_failed",
            "text": "Dear Dr. Smith",
            "prompt": "p",
            "output": "o",
            "messages": [{"content": "x"}],
            "job_id": "b.1",
        },
    )
    assert event["text"] == event["prompt"] == event["output"] == event["messages"] == REDACTED
    assert event["job_id"] == "b.1"


def test_credentials_inside_strings_are_masked() -> None:
    event = redact(
        None,
        "error",
        {
            "event": "backend_error",
            "detail": "auth failed for sk-proj-abcdefghijklmnopqrstuvwx with Bearer abc.def.ghi123",
            "url": "redis://:hunter2secret@redis:6379/0",
            "aws": "key AKIAIOSFODNN7EXAMPLE leaked",
        },
    )
    joined = " ".join(str(v) for v in event.values())
    for secret in (
        "sk-proj-abcdefghijklmnopqrstuvwx",
        "abc.def.ghi123",
        "hunter2secret",
        "AKIAIOSFODNN7EXAMPLE",
    ):
        assert secret not in joined


def test_authorization_and_api_key_fields_are_dropped() -> None:
    event = redact(None, "info", {"event": "x", "Authorization": "Bearer zzz", "api_key": "k", "attempt": 2})
    assert event["Authorization"] == REDACTED and event["api_key"] == REDACTED and event["attempt"] == 2


@pytest.fixture
def configured_logging():  # type: ignore[no-untyped-def]
    """Configure logging for one test, then restore the defaults (later tests must not log to a closed capture)."""
    import logging
    import sys
    import threading

    import structlog

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    structlog.reset_defaults()
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


def test_tracebacks_keep_frames_and_types_but_not_messages(capsys, configured_logging) -> None:  # type: ignore[no-untyped-def]
    import logging

    import structlog

    from worker.logging import configure_logging

    configure_logging("json", "info")
    document = "Patient Jonathan Meyers, MRN 00482913, diagnosed with atrial fibrillation"
    try:
        raise ValueError(f"could not parse {document}")
    except ValueError:
        structlog.get_logger("t").exception("job_internal_error", job_id="b.1")
        logging.getLogger("celery.worker").exception("Task raised unexpected")
    err = capsys.readouterr().err
    assert "ValueError" in err and "b.1" in err and "test_logging.py" in err
    assert "Jonathan Meyers" not in err and "00482913" not in err


# redis-py quotes a pipeline's command in its errors: a document's first words, after SET tn:doc:<sha>.
PIPELINE_ERROR = (
    "Command # 277 (SET tn:doc:2f8e92b0 # Board strategy pack for Northwind, do not circulate...) of "
    "pipeline caused error: command not allowed when used memory > 'maxmemory'."
)


def test_redis_command_arguments_are_stripped_and_the_reason_kept() -> None:
    assert redact_redis_text(PIPELINE_ERROR) == (
        "Command # 277 of pipeline caused error: command not allowed when used memory > 'maxmemory'."
    )
    unknown = "unknown command 'FOO', with args beginning with: 'Board strategy pack' 'x' "
    assert "Board" not in redact_redis_text(unknown) and "unknown command" in redact_redis_text(unknown)


def test_a_document_that_imitates_the_annotation_is_still_removed_whole() -> None:
    forged = (
        "Command # 3 (SET tn:doc:ab Board pack) of pipeline caused error: fake...) of pipeline caused "
        "error: OOM command not allowed"
    )
    assert redact_redis_text(forged) == "Command # 3 of pipeline caused error: OOM command not allowed"


def test_celery_lines_quoting_a_redis_error_lose_its_arguments() -> None:
    """Celery's own lines quote exceptions ("Unrecoverable error: %r", "Task ... raised: %s")."""
    event = redact(
        None, "critical", {"event": f"Task turnout.classify[x] raised unexpected: {PIPELINE_ERROR}"}
    )
    assert "Board strategy" not in event["event"] and "maxmemory" in event["event"]


def test_a_redis_error_logged_or_uncaught_never_shows_the_document(capsys, configured_logging) -> None:  # type: ignore[no-untyped-def]
    """Through the configured pipeline: a stdlib logger's message, its traceback, and an exception that
    nothing caught in a thread."""
    import logging
    import threading

    import redis

    from worker.logging import configure_logging

    configure_logging("json", "info")
    error = redis.exceptions.OutOfMemoryError(PIPELINE_ERROR)
    try:
        raise error
    except redis.RedisError as exc:
        logging.getLogger("celery.worker").critical("Unrecoverable error: %s", exc, exc_info=True)

    def crash() -> None:
        raise error

    thread = threading.Thread(target=crash)
    thread.start()
    thread.join()
    err = capsys.readouterr().err
    assert err.count("OutOfMemoryError") >= 2 and "uncaught_exception" in err
    assert "Board strategy" not in err and "Northwind" not in err
