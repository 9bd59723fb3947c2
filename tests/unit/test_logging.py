"""No document text, prompt, output or secret reaches a log line."""

from __future__ import annotations

import pytest

from worker.logging import REDACTED, redact


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

    import structlog

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    structlog.reset_defaults()
    root.handlers[:] = handlers
    root.setLevel(level)


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
