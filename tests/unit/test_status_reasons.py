"""What `turnout status` says about an unfinished batch: retries and their cause, stalled queues."""

from __future__ import annotations

from producer.stalls import QueueView
from worker.errors import RetryableBackendError
from worker.retry_notes import RetryGroup, Retrying, backend_address


def test_the_backend_address_is_taken_from_the_error_without_credentials_or_path() -> None:
    assert backend_address(RetryableBackendError("cannot connect to Ollama at http://gpu1:11434")) == (
        "http://gpu1:11434"
    )
    assert backend_address(RetryableBackendError("Ollama at http://u:pw@gpu2:11434/api: timed out")) == (
        "http://gpu2:11434"
    )
    assert backend_address(RetryableBackendError("OpenAI API answered 500")) is None


def test_the_retry_line_names_the_cause_and_the_next_try() -> None:
    one_cause = Retrying(10, (RetryGroup("server_error", "http://gpu1:11434", 10),), 8.2)
    assert one_cause.line() == "10 jobs retrying: server_error from http://gpu1:11434, next try in 8 s"
    two = Retrying(
        3, (RetryGroup("connection", "http://a:1", 2), RetryGroup("rate_limited", "the cloud API", 1)), None
    )
    assert two.line() == (
        "3 jobs retrying: connection from http://a:1 (2), rate_limited from the cloud API (1), next try due now"
    )


def view(waiting: dict[str, int], consumers: dict[str, tuple[str, ...]], unacked: int = 0) -> QueueView:
    workers = len({node for nodes in consumers.values() for node in nodes})
    return QueueView(waiting=waiting, unacked=unacked, consumers=consumers, workers=workers)


def test_a_queue_with_messages_and_no_consumer_is_named_and_stops_progress() -> None:
    stalled = view({"classify": 4, "local": 0}, {"local": ("local@h",), "cloud": ("cloud@h",)})
    assert stalled.lines() == [
        "no worker is consuming `classify` (4 messages waiting): start `turnout worker --pool classify`"
    ]
    assert stalled.stuck_reason() == stalled.lines()[0]


def test_a_batch_can_still_progress_while_a_worker_holds_a_message_or_another_queue_flows() -> None:
    consumers = {"local": ("local@h",)}
    assert view({"classify": 4}, consumers, unacked=1).stuck_reason() is None  # a job is running
    assert view({"classify": 4, "local": 2}, consumers).stuck_reason() is None  # local still drains


def test_no_worker_at_all_is_said_plainly() -> None:
    nobody = view({"classify": 3}, {})
    assert nobody.stuck_reason() == (
        "no worker is running (3 messages waiting): start the pools, `turnout worker --pool classify|local|cloud`"
    )
