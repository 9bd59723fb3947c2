"""The simulator's Files and Batch APIs, judged by the official `openai` client over a real socket."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from ops.simulators import OpenAISimulator, SimConfig

BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Summarize: the plant opened."}]}


def jsonl(ids: list[str], body: dict[str, Any] = BODY) -> bytes:
    lines = [{"custom_id": i, "method": "POST", "url": "/v1/chat/completions", "body": body} for i in ids]
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


@pytest.fixture
def sim() -> Iterator[OpenAISimulator]:
    simulator = OpenAISimulator(config=SimConfig(api_key="sk-sim")).start()
    simulator.batches.configure(completion_s=0.4)
    yield simulator
    simulator.stop()
    assert simulator.internal_errors == []


@pytest.fixture
def client(sim: OpenAISimulator) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=sim.base_url, api_key="sk-sim", max_retries=0) as made:
        yield made


def wait_done(client: openai.OpenAI, batch_id: str, timeout_s: float = 5) -> Any:
    deadline = time.monotonic() + timeout_s
    while (batch := client.batches.retrieve(batch_id)).status not in (
        "completed",
        "failed",
        "expired",
        "cancelled",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return batch


def results(client: openai.OpenAI, file_id: str | None) -> dict[str, dict[str, Any]]:
    if file_id is None:
        return {}
    lines = [json.loads(line) for line in client.files.content(file_id).text.splitlines()]
    return {line["custom_id"]: line for line in lines}


def test_files_upload_list_retrieve_download_delete(client: openai.OpenAI, sim: OpenAISimulator) -> None:
    content = jsonl(["a", "b"])
    uploaded = client.files.create(file=("requests.jsonl", content), purpose="batch")
    assert (uploaded.object, uploaded.purpose, uploaded.filename, uploaded.bytes) == (
        "file",
        "batch",
        "requests.jsonl",
        len(content),
    )
    assert uploaded.expires_at is not None and uploaded.expires_at > uploaded.created_at
    assert client.files.retrieve(uploaded.id).id == uploaded.id
    assert [f.id for f in client.files.list(purpose="batch")] == [uploaded.id]
    assert list(client.files.list(purpose="fine-tune")) == []
    assert client.files.content(uploaded.id).read() == content
    assert client.files.delete(uploaded.id).deleted is True
    with pytest.raises(openai.NotFoundError):
        client.files.retrieve(uploaded.id)
    # What left the caller is recorded like real-time calls are.
    assert sim.requests == [BODY, BODY] and [c for _, c in sim.batches.uploaded] == ["a", "b"]


def test_a_batch_goes_from_validating_to_completed_with_progress(
    client: openai.OpenAI, sim: OpenAISimulator
) -> None:
    sim.batches.configure(completion_s=1.0)
    file = client.files.create(file=("in.jsonl", jsonl([f"r{i}" for i in range(10)])), purpose="batch")
    batch = client.batches.create(
        input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h", metadata={"k": "v"}
    )
    assert batch.status == "validating" and batch.metadata == {"k": "v"} and batch.input_file_id == file.id
    seen = {batch.status}
    counts = []
    while batch.status != "completed":
        time.sleep(0.05)
        batch = client.batches.retrieve(batch.id)
        seen.add(batch.status)
        assert batch.request_counts is not None
        counts.append(batch.request_counts.completed)
    assert {"validating", "in_progress", "completed"} <= seen
    assert counts == sorted(counts) and any(0 < c < 10 for c in counts)  # it grows while in progress
    assert batch.request_counts is not None and batch.request_counts.total == 10
    assert batch.request_counts.completed == 10 and batch.error_file_id is None
    assert batch.usage is not None and batch.usage.total_tokens > 0
    outputs = results(client, batch.output_file_id)
    assert set(outputs) == {f"r{i}" for i in range(10)}
    body = outputs["r3"]["response"]["body"]
    assert outputs["r3"]["response"]["status_code"] == 200 and body["object"] == "chat.completion"
    assert body["usage"]["prompt_tokens"] > 0 and len(sim.answered) == 10


def test_output_order_is_not_input_order(client: openai.OpenAI, sim: OpenAISimulator) -> None:
    ids = [f"r{i:02d}" for i in range(20)]
    file = client.files.create(file=("in.jsonl", jsonl(ids)), purpose="batch")
    batch = wait_done(
        client,
        client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        ).id,
    )
    assert batch.output_file_id is not None
    order = [
        json.loads(line)["custom_id"] for line in client.files.content(batch.output_file_id).text.splitlines()
    ]
    assert sorted(order) == ids and order != ids


def test_partial_failures_land_in_the_error_file(client: openai.OpenAI, sim: OpenAISimulator) -> None:
    sim.batches.configure(fail_custom_ids={"b"})
    file = client.files.create(file=("in.jsonl", jsonl(["a", "b", "c"])), purpose="batch")
    batch = wait_done(
        client,
        client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        ).id,
    )
    assert batch.status == "completed" and batch.request_counts is not None
    assert (batch.request_counts.completed, batch.request_counts.failed) == (2, 1)
    assert set(results(client, batch.output_file_id)) == {"a", "c"}
    failed = results(client, batch.error_file_id)["b"]
    assert (
        failed["response"]["status_code"] == 500
        and failed["response"]["body"]["error"]["type"] == "server_error"
    )


def test_an_expired_batch_answers_some_and_reports_the_rest(
    client: openai.OpenAI, sim: OpenAISimulator
) -> None:
    sim.batches.configure(expire=True, expire_answered=1)
    file = client.files.create(file=("in.jsonl", jsonl(["a", "b", "c"])), purpose="batch")
    batch = wait_done(
        client,
        client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        ).id,
    )
    assert batch.status == "expired" and batch.expired_at is not None
    assert set(results(client, batch.output_file_id)) == {"a"}
    errors = results(client, batch.error_file_id)
    assert set(errors) == {"b", "c"} and errors["b"]["error"]["code"] == "batch_expired"


def test_a_batch_can_be_cancelled(client: openai.OpenAI, sim: OpenAISimulator) -> None:
    sim.batches.configure(completion_s=30)
    file = client.files.create(file=("in.jsonl", jsonl(["a", "b"])), purpose="batch")
    batch = client.batches.create(
        input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    assert client.batches.cancel(batch.id).status == "cancelling"
    done = wait_done(client, batch.id)
    assert done.status == "cancelled" and done.cancelled_at is not None
    assert results(client, done.error_file_id)["a"]["error"]["code"] == "batch_cancelled"
    with pytest.raises(openai.ConflictError):
        client.batches.cancel(batch.id)


def test_batches_are_listed_newest_first_with_cursor_pages(client: openai.OpenAI) -> None:
    file = client.files.create(file=("in.jsonl", jsonl(["a"])), purpose="batch")
    made = [
        client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        ).id
        for _ in range(5)
    ]
    first = client.batches.list(limit=2)
    assert [b.id for b in first.data] == made[::-1][:2] and first.has_more
    assert [b.id for b in client.batches.list(limit=2)] == made[::-1]  # auto-pagination follows `after`


def test_an_invalid_input_file_fails_the_batch_with_line_errors(client: openai.OpenAI) -> None:
    content = jsonl(["a", "a"]) + b"{not json\n"
    file = client.files.create(file=("in.jsonl", content), purpose="batch")
    batch = wait_done(
        client,
        client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        ).id,
    )
    assert batch.status == "failed" and batch.errors is not None and batch.errors.data
    assert {(e.code, e.line) for e in batch.errors.data} == {
        ("duplicate_custom_id", 2),
        ("invalid_json_line", 3),
    }


def test_too_many_requests_fail_validation(client: openai.OpenAI, sim: OpenAISimulator) -> None:
    sim.batches.configure(max_requests=2)
    file = client.files.create(file=("in.jsonl", jsonl(["a", "b", "c"])), purpose="batch")
    batch = wait_done(
        client,
        client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        ).id,
    )
    assert batch.status == "failed" and batch.errors is not None
    assert [e.code for e in batch.errors.data or []] == ["too_many_requests"]


def test_bad_requests_are_refused_with_the_apis_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError):
        client.batches.create(
            input_file_id="file-missing", endpoint="/v1/chat/completions", completion_window="24h"
        )
    with pytest.raises(openai.NotFoundError):
        client.batches.retrieve("batch_missing")
    with pytest.raises(openai.BadRequestError):
        client.files.create(file=("in.jsonl", b"{}"), purpose="nonsense")  # type: ignore[arg-type]


def test_per_request_errors_follow_the_real_api(client: openai.OpenAI, sim: OpenAISimulator) -> None:
    sim.set_config(models=("gpt-4o-mini",))
    unknown = {"model": "gpt-9", "messages": BODY["messages"]}
    lines = (
        jsonl(["ok"])
        + jsonl(["unknown"], unknown)
        + jsonl(["empty"], {"model": "gpt-4o-mini", "messages": []})
    )
    file = client.files.create(file=("in.jsonl", lines), purpose="batch")
    batch = wait_done(
        client,
        client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        ).id,
    )
    errors = results(client, batch.error_file_id)
    assert (
        errors["unknown"]["response"]["status_code"] == 404
        and errors["empty"]["response"]["status_code"] == 400
    )
    assert set(results(client, batch.output_file_id)) == {"ok"}


def test_injected_server_errors_then_recovery(client: openai.OpenAI, sim: OpenAISimulator) -> None:
    sim.batches.configure(fail_next_calls=1)
    with pytest.raises(openai.InternalServerError):
        client.files.list()
    assert list(client.files.list()) == []


def test_the_batch_api_needs_the_key_too(sim: OpenAISimulator) -> None:
    with (
        openai.OpenAI(base_url=sim.base_url, api_key="sk-wrong", max_retries=0) as wrong,
        pytest.raises(openai.AuthenticationError),
    ):
        wrong.files.create(file=("in.jsonl", jsonl(["a"])), purpose="batch")
    assert sim.requests == []
