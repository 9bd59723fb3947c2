"""The backend simulators, judged by the official `ollama` and `openai` clients over real sockets."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import ollama
import openai
import pytest

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from ops.simulators.answers import estimate_tokens, make_answer, prompt_tokens
from ops.simulators.common import BaseSimulator
from ops.simulators.ollama_sim import BUSY_MESSAGE

REPO = Path(__file__).resolve().parents[2]
DOC = (
    "Summarize this document.\n\nDocument:\nThe quarterly report shows growth. Revenue rose 12%. Costs fell."
)
MESSAGES: Any = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": DOC}]

Factory = Callable[..., Any]


def wait_for(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


@pytest.fixture
def sims() -> Iterator[Factory]:
    started: list[BaseSimulator] = []

    def start(cls: type[BaseSimulator], **config: Any) -> Any:
        sim = cls(config=SimConfig(**config)).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()
        assert sim.internal_errors == []


@pytest.fixture
def ollama_sim(sims: Factory) -> Factory:
    return lambda **config: sims(OllamaSimulator, **config)


@pytest.fixture
def openai_sim(sims: Factory) -> Factory:
    return lambda **config: sims(OpenAISimulator, **config)


def oa_client(sim: OpenAISimulator, **kwargs: Any) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=sim.base_url, api_key=kwargs.pop("api_key", "test"), max_retries=0, **kwargs
    )


# ------------------------------------------------------------------------------------------------- Ollama


def test_ollama_chat_returns_answer_with_counters_matching_the_estimate(ollama_sim: Factory) -> None:
    sim = ollama_sim()
    r = ollama.Client(host=sim.url).chat(model="llama3.2", messages=MESSAGES)
    assert r.message.role == "assistant"
    assert r.message.content == "The quarterly report shows growth. Revenue rose 12%."
    assert r.done and r.done_reason == "stop"
    assert r.prompt_eval_count == prompt_tokens(MESSAGES)
    assert r.eval_count == estimate_tokens(r.message.content)
    parts = [r.load_duration, r.prompt_eval_duration, r.eval_duration]
    assert all(p and p > 0 for p in parts) and r.total_duration == sum(parts)  # type: ignore[arg-type]
    assert r.created_at and r.created_at.endswith("Z")
    assert len(sim.requests) == 1
    assert sim.requests[0]["messages"] == MESSAGES and sim.requests[0]["stream"] is False


def test_ollama_chat_stream_joins_to_the_plain_answer_and_ends_with_counters(ollama_sim: Factory) -> None:
    client = ollama.Client(host=ollama_sim().url)
    plain = client.chat(model="llama3.2", messages=MESSAGES)
    chunks = list(client.chat(model="llama3.2", messages=MESSAGES, stream=True))
    assert len(chunks) > 2
    assert all(not c.done for c in chunks[:-1]) and chunks[-1].done and chunks[-1].done_reason == "stop"
    assert "".join(c.message.content or "" for c in chunks) == plain.message.content
    assert (chunks[-1].prompt_eval_count, chunks[-1].eval_count) == (
        plain.prompt_eval_count,
        plain.eval_count,
    )


def test_ollama_streams_ndjson_when_stream_is_absent_as_the_real_api_does(ollama_sim: Factory) -> None:
    sim = ollama_sim()
    r = httpx.post(f"{sim.url}/api/chat", json={"model": "m", "messages": MESSAGES})
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert r.headers["content-type"] == "application/x-ndjson"
    assert len(lines) > 2 and lines[-1]["done"] is True and not lines[0]["done"]


def test_ollama_generate_plain_and_streaming(ollama_sim: Factory) -> None:
    client = ollama.Client(host=ollama_sim().url)
    r = client.generate(
        model="llama3.2", prompt="Classify the text. Labels: billing, legal, other\n\nA billing query"
    )
    assert r.response == "billing" and r.done_reason == "stop" and r.eval_count == estimate_tokens("billing")
    chunks = list(client.generate(model="llama3.2", prompt=DOC, stream=True))
    assert "".join(c.response or "" for c in chunks).startswith("The quarterly report") and chunks[-1].done


def test_ollama_json_format_and_schema_give_json_answers(ollama_sim: Factory) -> None:
    client = ollama.Client(host=ollama_sim().url)
    prompt = "Extract the fields: invoice_number, total\n\nDocument:\nInvoice number: A-17\nTotal: $40.00"
    r = client.chat(model="m", messages=[{"role": "user", "content": prompt}], format="json")
    assert json.loads(r.message.content or "") == {"invoice_number": "A-17", "total": "$40.00"}
    schema = {
        "type": "object",
        "properties": {"total": {"type": "number"}, "paid": {"type": "boolean"}, "id": {"type": "string"}},
        "required": ["total", "paid", "id"],
    }
    r = client.chat(model="m", messages=[{"role": "user", "content": prompt}], format=schema)
    value = json.loads(r.message.content or "")
    assert value["total"] == 40.0 and isinstance(value["paid"], bool) and isinstance(value["id"], str)


def test_ollama_tags_ps_version_and_root(ollama_sim: Factory) -> None:
    sim = ollama_sim(models=("llama3.2:latest", "qwen2.5:7b"))
    client = ollama.Client(host=sim.url)
    assert [m.model for m in client.list().models] == ["llama3.2:latest", "qwen2.5:7b"]
    assert client.ps().models == []
    client.chat(model="llama3.2", messages=MESSAGES)  # "llama3.2" is "llama3.2:latest", as in Ollama
    assert [m.model for m in client.ps().models] == ["llama3.2:latest"]
    assert httpx.get(f"{sim.url}/api/version").json() == {"version": "0.12.0"}
    assert httpx.get(sim.url).text == "Ollama is running"


def test_ollama_unknown_model_is_404_with_the_real_message(ollama_sim: Factory) -> None:
    sim = ollama_sim(models=("llama3.2:latest",))
    with pytest.raises(ollama.ResponseError) as e:
        ollama.Client(host=sim.url).chat(model="mistral", messages=MESSAGES)
    assert e.value.status_code == 404 and e.value.error == 'model "mistral" not found, try pulling it first'


def test_ollama_rejects_bad_json_and_missing_model_with_400(ollama_sim: Factory) -> None:
    sim = ollama_sim()
    bad = httpx.post(f"{sim.url}/api/chat", content=b"{not json")
    missing = httpx.post(f"{sim.url}/api/chat", json={"messages": MESSAGES})
    assert (bad.status_code, missing.status_code) == (400, 400)
    assert missing.json() == {"error": "model is required"} and "error" in bad.json()


@pytest.mark.parametrize(("kind", "status"), [("auto", 503), ("busy", 503), ("500", 500)])
def test_ollama_injected_errors_surface_as_response_errors(
    ollama_sim: Factory, kind: str, status: int
) -> None:
    sim = ollama_sim(error_rate=1.0, error_kind=kind)
    with pytest.raises(ollama.ResponseError) as e:
        ollama.Client(host=sim.url).chat(model="m", messages=MESSAGES)
    assert e.value.status_code == status
    assert (e.value.error == BUSY_MESSAGE) == (status == 503)


def test_ollama_max_parallel_answers_busy_while_slots_are_full(ollama_sim: Factory) -> None:
    sim = ollama_sim(max_parallel=1, latency_ms=400)
    client = ollama.Client(host=sim.url)
    first: list[Any] = []
    holder = threading.Thread(target=lambda: first.append(client.chat(model="m", messages=MESSAGES)))
    holder.start()
    wait_for(lambda: sim.in_flight == 1)
    with pytest.raises(ollama.ResponseError) as e:
        ollama.Client(host=sim.url).chat(model="m", messages=MESSAGES)
    assert e.value.status_code == 503 and e.value.error == BUSY_MESSAGE
    holder.join(5)
    assert first and first[0].done
    assert client.chat(model="m", messages=MESSAGES).done  # the slot is free again


def test_ollama_latency_is_applied_and_concurrent_requests_overlap(ollama_sim: Factory) -> None:
    # Overlap is shown by all four requests being inside the server at once, not by a wall-clock bound
    # (a loaded machine stretches any bound); the latency is long enough for four threads to arrive.
    sim = ollama_sim(latency_ms=3000)
    results: list[Any] = []

    def call() -> None:
        results.append(ollama.Client(host=sim.url).chat(model="m", messages=MESSAGES))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    peak = 0
    while time.monotonic() < deadline and peak < 4 and any(t.is_alive() for t in threads):
        peak = max(peak, sim.in_flight)
        time.sleep(0.01)
    for t in threads:
        t.join(15)
    assert peak == 4
    assert len(results) == 4 and all(r.total_duration >= 3_000_000_000 for r in results)


def test_ollama_malformed_body_makes_the_client_raise(ollama_sim: Factory) -> None:
    client = ollama.Client(host=ollama_sim(error_rate=1.0, error_kind="malformed").url)
    with pytest.raises(json.JSONDecodeError):
        client.chat(model="m", messages=MESSAGES)
    with pytest.raises(json.JSONDecodeError):
        list(client.chat(model="m", messages=MESSAGES, stream=True))


def test_ollama_timeout_fault_trips_the_client_timeout_and_stop_is_prompt(ollama_sim: Factory) -> None:
    sim = ollama_sim(error_rate=1.0, error_kind="timeout")
    with pytest.raises(httpx.TimeoutException):
        ollama.Client(host=sim.url, timeout=0.3).chat(model="m", messages=MESSAGES)
    wait_for(lambda: sim.in_flight == 1)
    started = time.monotonic()
    sim.stop()  # wakes the held request instead of waiting out timeout_hang_s
    wait_for(lambda: sim.in_flight == 0, timeout_s=2)
    assert time.monotonic() - started < 2


def test_error_injection_is_reproducible_from_the_seed(ollama_sim: Factory) -> None:
    def outcomes(sim: OllamaSimulator) -> list[bool]:
        client, seen = ollama.Client(host=sim.url), []
        for _ in range(20):
            try:
                client.chat(model="m", messages=MESSAGES)
                seen.append(True)
            except ollama.ResponseError:
                seen.append(False)
        return seen

    first = outcomes(ollama_sim(error_rate=0.5, seed=7))
    assert first == outcomes(ollama_sim(error_rate=0.5, seed=7))
    assert True in first and False in first


def test_set_config_changes_faults_at_runtime_and_rejects_unknown_fields(ollama_sim: Factory) -> None:
    sim = ollama_sim()
    client = ollama.Client(host=sim.url)
    assert client.chat(model="m", messages=MESSAGES).done
    sim.set_config(error_rate=1.0)
    with pytest.raises(ollama.ResponseError):
        client.chat(model="m", messages=MESSAGES)
    with pytest.raises(TypeError):
        sim.set_config(error_rat=0.0)
    with pytest.raises(ValueError):
        sim.set_config(error_kind="429")  # an OpenAI kind, not an Ollama one
    assert sim.config.error_rate == 1.0


def test_control_endpoints_record_reset_and_configure(ollama_sim: Factory) -> None:
    sim = ollama_sim()
    ollama.Client(host=sim.url).chat(model="m", messages=MESSAGES)
    recorded = httpx.get(f"{sim.url}/_sim/requests").json()["requests"]
    assert [r["messages"] for r in recorded] == [MESSAGES]
    assert httpx.post(f"{sim.url}/_sim/reset").status_code == 200 and sim.requests == []
    r = httpx.post(f"{sim.url}/_sim/config", json={"error_rate": 1.0, "models": ["a"]})
    assert r.status_code == 200 and sim.config.error_rate == 1.0 and sim.config.models == ("a",)
    assert httpx.post(f"{sim.url}/_sim/config", json={"nope": 1}).status_code == 400


def test_connections_are_kept_alive_across_plain_and_streamed_answers(ollama_sim: Factory) -> None:
    sim = ollama_sim()
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    for stream in (True, False, True):
        conn.request("POST", "/api/chat", json.dumps({"model": "m", "messages": MESSAGES, "stream": stream}))
        r = conn.getresponse()
        lines = r.read().decode().splitlines()
        assert r.status == 200 and json.loads(lines[-1])["done"] is True
        assert r.getheader("Connection") != "close"
    sock = conn.sock
    conn.request("GET", "/api/version")
    assert conn.getresponse().read() and conn.sock is sock  # same socket: the server did not close it
    conn.close()


# ------------------------------------------------------------------------------------------------- OpenAI


def test_openai_chat_returns_a_chat_completion_with_usage_and_headers(openai_sim: Factory) -> None:
    sim = openai_sim()
    raw = oa_client(sim).chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES)
    c = raw.parse()
    assert c.id.startswith("chatcmpl-") and c.object == "chat.completion" and c.model == "gpt-4o-mini"
    assert c.choices[0].message.content == "The quarterly report shows growth. Revenue rose 12%."
    assert c.choices[0].finish_reason == "stop" and c.choices[0].message.refusal is None
    assert c.usage is not None
    assert c.usage.prompt_tokens == prompt_tokens(MESSAGES)
    assert c.usage.completion_tokens == estimate_tokens(c.choices[0].message.content)
    assert c.usage.total_tokens == c.usage.prompt_tokens + c.usage.completion_tokens
    for header in (
        "x-request-id",
        "x-ratelimit-limit-requests",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-tokens",
        "openai-processing-ms",
    ):
        assert raw.headers.get(header), header
    assert sim.requests[0]["messages"] == MESSAGES and sim.requests[0]["model"] == "gpt-4o-mini"


def test_openai_stream_with_usage_joins_to_the_plain_answer(openai_sim: Factory) -> None:
    client = oa_client(openai_sim())
    plain = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    chunks = list(
        client.chat.completions.create(
            model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage == plain.usage
    assert len({c.id for c in chunks}) == 1


def test_openai_stream_without_include_usage_sends_no_usage(openai_sim: Factory) -> None:
    chunks = list(oa_client(openai_sim()).chat.completions.create(model="m", messages=MESSAGES, stream=True))
    assert chunks and all(c.usage is None and c.choices for c in chunks)


def test_openai_response_formats_give_json(openai_sim: Factory) -> None:
    client = oa_client(openai_sim())
    msgs: Any = [
        {"role": "user", "content": "Return JSON. Fields: email\n\nDocument:\nWrite to ann@example.com"}
    ]
    r = client.chat.completions.create(model="m", messages=msgs, response_format={"type": "json_object"})
    assert json.loads(r.choices[0].message.content or "") == {"email": "ann@example.com"}
    schema = {
        "type": "object",
        "properties": {"label": {"type": "string", "enum": ["spam", "ham"]}, "score": {"type": "integer"}},
        "required": ["label", "score"],
        "additionalProperties": False,
    }
    r = client.chat.completions.create(
        model="m",
        messages=MESSAGES,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "c", "schema": schema, "strict": True},
        },
    )
    value = json.loads(r.choices[0].message.content or "")
    assert value["label"] in ("spam", "ham") and isinstance(value["score"], int)


def test_openai_json_object_without_the_word_json_is_rejected_like_the_real_api(openai_sim: Factory) -> None:
    with pytest.raises(openai.BadRequestError) as e:
        oa_client(openai_sim()).chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}], response_format={"type": "json_object"}
        )
    assert e.value.status_code == 400 and e.value.param == "messages"


def test_openai_max_tokens_truncates_with_finish_reason_length(openai_sim: Factory) -> None:
    r = oa_client(openai_sim()).chat.completions.create(model="m", messages=MESSAGES, max_tokens=3)
    assert r.choices[0].finish_reason == "length" and r.usage is not None and r.usage.completion_tokens == 3


def test_openai_models_list_and_retrieve(openai_sim: Factory) -> None:
    client = oa_client(openai_sim(models=("gpt-4o-mini", "gpt-4o")))
    assert [m.id for m in client.models.list()] == ["gpt-4o-mini", "gpt-4o"]
    assert client.models.retrieve("gpt-4o").owned_by == "system"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-9")


def test_openai_429_carries_retry_hints_in_headers_and_body(openai_sim: Factory) -> None:
    sim = openai_sim(error_rate=1.0, retry_after_s=0.25)
    with pytest.raises(openai.RateLimitError) as e:
        oa_client(sim).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    err = e.value
    assert err.status_code == 429 and err.code == "rate_limit_exceeded" and err.type == "requests"
    assert err.response.headers["retry-after-ms"] == "250" and err.response.headers["retry-after"] == "1"
    assert err.response.headers["x-ratelimit-remaining-requests"] == "0"
    assert "Please try again in 250ms" in err.message and err.request_id


def test_openai_client_retries_honour_the_retry_after_ms_hint(openai_sim: Factory) -> None:
    sim = openai_sim(error_rate=0.5, seed=3, retry_after_s=0.05)
    client = oa_client(sim)
    client = client.with_options(max_retries=10)
    started = time.monotonic()
    for _ in range(3):
        assert client.chat.completions.create(model="m", messages=MESSAGES).choices
    assert len(sim.requests) > 3 and time.monotonic() - started < 5  # retried after 50 ms, not the backoff


@pytest.mark.parametrize(
    ("config", "api_key", "model", "error", "code"),
    [
        ({"error_rate": 1.0, "error_kind": "500"}, "test", "m", openai.InternalServerError, None),
        (
            {"api_key": "sk-right-key-1234"},
            "sk-wrong-key-9999",
            "m",
            openai.AuthenticationError,
            "invalid_api_key",
        ),
        ({"models": ("gpt-4o",)}, "test", "gpt-5", openai.NotFoundError, "model_not_found"),
    ],
)
def test_openai_errors_surface_as_the_clients_own_exceptions(
    openai_sim: Factory,
    config: dict[str, Any],
    api_key: str,
    model: str,
    error: type[openai.APIStatusError],
    code: str | None,
) -> None:
    sim = openai_sim(**config)
    with pytest.raises(error) as e:
        oa_client(sim, api_key=api_key).chat.completions.create(model=model, messages=MESSAGES)
    assert e.value.code == code
    assert "sk-wrong-key-9999" not in e.value.message  # the key is never echoed whole
    assert len(sim.requests) == 1  # recorded even when refused: tests can prove what tried to leave


def test_openai_accepts_the_right_key(openai_sim: Factory) -> None:
    sim = openai_sim(api_key="sk-right-key-1234")
    assert (
        oa_client(sim, api_key="sk-right-key-1234").chat.completions.create(model="m", messages=MESSAGES).id
    )


def test_openai_bad_bodies_are_400_invalid_request_error(openai_sim: Factory) -> None:
    sim = openai_sim()
    with pytest.raises(openai.BadRequestError) as e:
        oa_client(sim).chat.completions.create(model="m", messages=[])
    assert e.value.code == "empty_array" and e.value.type == "invalid_request_error"
    r = httpx.post(f"{sim.base_url}/chat/completions", content=b"{oops")
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"


def test_openai_malformed_body_makes_the_client_raise(openai_sim: Factory) -> None:
    client = oa_client(openai_sim(error_rate=1.0, error_kind="malformed"))
    with pytest.raises(json.JSONDecodeError):
        client.chat.completions.create(model="m", messages=MESSAGES)
    with pytest.raises(json.JSONDecodeError):
        list(client.chat.completions.create(model="m", messages=MESSAGES, stream=True))


def test_openai_timeout_fault_raises_api_timeout_error(openai_sim: Factory) -> None:
    sim = openai_sim(error_rate=1.0, error_kind="timeout")
    with pytest.raises(openai.APITimeoutError):
        oa_client(sim, timeout=0.3).chat.completions.create(model="m", messages=MESSAGES)


def test_openai_control_endpoints_need_no_key(openai_sim: Factory) -> None:
    sim = openai_sim(api_key="secret-key-123")
    with pytest.raises(openai.AuthenticationError):
        oa_client(sim, api_key="wrong").chat.completions.create(model="m", messages=MESSAGES)
    assert len(httpx.get(f"{sim.url}/_sim/requests").json()["requests"]) == 1
    shown = httpx.get(f"{sim.url}/_sim/config").json()["config"]
    assert shown["api_key"] == "***"


# ------------------------------------------------------------------------------------------ answers and CLI


def test_answers_follow_the_task_in_the_prompt() -> None:
    assert (
        make_answer("Classify. Labels: invoice, contract, memo", "This contract binds A and B.") == "contract"
    )
    extracted = make_answer(
        "", "Extract as JSON. Fields: email, date\n\nDocument:\nMail a@b.io on 2024-05-01."
    )
    assert json.loads(extracted) == {"email": "a@b.io", "date": "2024-05-01"}
    assert make_answer("Summarize.", "One. Two. Three.") == "One. Two."
    assert make_answer("Summarize.", "One. Two. Three.") == make_answer("Summarize.", "One. Two. Three.")


def test_serve_forever_prints_its_url_and_stops_on_sigterm() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ops.simulators", "ollama", "--port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("turnout sim ollama listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[-1]
        assert httpx.get(f"{url}/api/version").json()["version"] == "0.12.0"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
        assert proc.stdout.read() == "" and proc.stderr is not None and proc.stderr.read() == ""
    finally:
        if proc.poll() is None:
            proc.kill()
