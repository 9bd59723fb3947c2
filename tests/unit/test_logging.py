"""No document text, prompt, output or secret reaches a log line."""

from __future__ import annotations

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
