"""The local route's two kinds of host, against real sockets: what each is told, what each is found to be,
and what a refusal says."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import redis

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from worker.backends.base import CompletionRequest, Sampling
from worker.backends.local import HostClient, LocalBackend
from worker.backends.local_openai import LocalOpenAIHost
from worker.backends.ollama import OllamaHost
from worker.backends.openai import OpenAIBackend
from worker.backends.probe import Problem, check_local_hosts
from worker.errors import PermanentBackendError
from worker.flow.slots import HostSlots
from worker.schema import Sensitivity
from worker.settings import Settings
from worker.store.slots import SlotLeases

pytestmark = pytest.mark.integration

MODEL = "m1"
SAMPLING = Sampling(temperature=0.0, seed=11, max_output_tokens=40)


def request(sensitivity: Sensitivity = Sensitivity.PUBLIC) -> CompletionRequest:
    messages = [{"role": "user", "content": "Summarize: the warehouse count moved to Thursday."}]
    return CompletionRequest("b.1", MODEL, messages, sensitivity, sampling=SAMPLING)


@pytest.fixture
def sims() -> Iterator[tuple[OllamaSimulator, OpenAISimulator]]:
    with (
        OllamaSimulator(config=SimConfig(models=(MODEL,))) as ollama,
        OpenAISimulator(config=SimConfig(models=(MODEL,))) as openai,
    ):
        yield ollama, openai


def mixed_fleet(
    client: redis.Redis, ollama: OllamaSimulator, openai: OpenAISimulator, context_tokens: int = 8192
) -> LocalBackend:
    slots = HostSlots(
        SlotLeases(client, uuid.uuid4().hex),
        (ollama.url, openai.base_url),
        {ollama.url: 1, openai.base_url: 3},
    )
    hosts: dict[str, HostClient] = {
        ollama.url: OllamaHost(ollama.url, 5.0, lambda model: context_tokens),
        openai.base_url: LocalOpenAIHost(openai.base_url, 5.0),
    }
    return LocalBackend(slots, hosts, slot_wait_s=5.0)


def test_both_kinds_serve_the_local_route_sensitive_jobs_included(
    client: redis.Redis, sims: tuple[OllamaSimulator, OpenAISimulator]
) -> None:
    """Given an Ollama host and an OpenAI-compatible host, when restricted jobs run on the local route at
    once, then both hosts answer them: these hosts are local, no guard stands between them and the job."""
    ollama, openai = sims
    backend = mixed_fleet(client, ollama, openai)
    try:
        results: list[str] = []
        threads = [
            threading.Thread(
                target=lambda: results.append(backend.complete(request(Sensitivity.RESTRICTED)).backend)
            )
            for _ in range(4)
        ]
        ollama.set_config(latency_ms=300)  # the Ollama host's one slot stays busy while the others arrive
        openai.set_config(latency_ms=300)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        backend.close()
    assert len(results) == 4
    assert {r.split(":", 1)[0] for r in results} == {"ollama", "local-openai"}
    assert sum(r == f"local-openai:{openai.base_url}" for r in results) >= 2  # it has the most slots


def test_each_kind_is_told_the_tasks_sampling_in_its_own_words(
    client: redis.Redis, sims: tuple[OllamaSimulator, OpenAISimulator]
) -> None:
    ollama, openai = sims
    backend = mixed_fleet(client, ollama, openai, context_tokens=8192)
    try:
        OllamaHost(ollama.url, 5.0, lambda model: 8192).call(request(), slots=1)
        LocalOpenAIHost(openai.base_url, 5.0).call(request(), slots=1)
    finally:
        backend.close()
    (sent_ollama,) = ollama.requests
    assert sent_ollama["options"] == {"temperature": 0.0, "seed": 11, "num_predict": 40, "num_ctx": 8192}
    (sent_openai,) = openai.requests
    assert sent_openai["max_tokens"] == 40 and "max_completion_tokens" not in sent_openai
    assert (sent_openai["temperature"], sent_openai["seed"]) == (0.0, 11)
    assert openai.answered[0]["completion_tokens"] <= 40


def test_the_cloud_route_caps_answers_as_its_server_understands(
    sims: tuple[OllamaSimulator, OpenAISimulator],
) -> None:
    """OpenAI itself takes max_completion_tokens; any other OpenAI-compatible provider gets max_tokens,
    which llama.cpp, vLLM and the rest honour. The tighter of the task's cap and the route's wins."""
    _, openai = sims
    backend = OpenAIBackend(base_url=openai.base_url, api_key="sk-x", timeout_s=5.0, max_output_tokens=30)
    try:
        backend.complete(request())
    finally:
        backend.close()
    (sent,) = openai.requests
    assert sent["max_tokens"] == 30 and "max_completion_tokens" not in sent


def test_a_404_from_a_server_that_is_not_ollama_never_says_pull(
    sims: tuple[OllamaSimulator, OpenAISimulator],
) -> None:
    _, openai = sims
    host = OllamaHost(openai.url, 5.0)  # an OpenAI-compatible server listed as Ollama
    with pytest.raises(PermanentBackendError) as caught:
        host.call(request(), slots=1)
    assert caught.value.kind == "not_ollama"
    assert "TURNOUT_LOCAL_OPENAI_HOSTS" in str(caught.value) and "pull" not in str(caught.value)


def test_a_model_ollama_lacks_says_pull_it_on_that_host(
    sims: tuple[OllamaSimulator, OpenAISimulator],
) -> None:
    ollama, _ = sims
    missing = CompletionRequest("b.1", "qwen9:1b", request().messages, Sensitivity.PUBLIC)
    with pytest.raises(PermanentBackendError, match=r"ollama pull qwen9:1b"):
        OllamaHost(ollama.url, 5.0).call(missing, slots=1)


def test_the_host_check_says_which_host_what_was_found_and_what_to_set(
    sims: tuple[OllamaSimulator, OpenAISimulator],
) -> None:
    ollama, openai = sims
    settings = Settings(
        ollama_hosts=(ollama.url, openai.url),
        local_openai_hosts=(openai.base_url, f"{ollama.url}/v1", "http://127.0.0.1:9/v1"),
    )
    found = {p.host: p for p in check_local_hosts(settings, MODEL, timeout_s=2.0)}
    (no_v1,) = check_local_hosts(Settings(local_openai_hosts=(openai.url,)), MODEL, timeout_s=2.0)
    assert ollama.url not in found and openai.base_url not in found  # the right kind, serving the model
    assert found[openai.url].problem is Problem.WRONG_KIND
    assert f"TURNOUT_LOCAL_OPENAI_HOSTS={openai.base_url}" in found[openai.url].line
    assert found[f"{ollama.url}/v1"].problem is Problem.WRONG_KIND
    assert f"TURNOUT_OLLAMA_HOSTS={ollama.url}" in found[f"{ollama.url}/v1"].line
    assert no_v1.problem is Problem.WRONG_URL and f"TURNOUT_LOCAL_OPENAI_HOSTS={openai.url}/v1" in no_v1.line
    assert found["http://127.0.0.1:9/v1"].problem is Problem.UNREACHABLE
    assert not found["http://127.0.0.1:9/v1"].problem.fatal
    for problem in [*found.values(), no_v1]:
        assert problem.line.startswith(f"local host {problem.host}: ") and "\n" not in problem.line


def test_the_host_check_names_a_missing_model_and_what_the_host_serves(
    sims: tuple[OllamaSimulator, OpenAISimulator],
) -> None:
    ollama, openai = sims
    settings = Settings(ollama_hosts=(ollama.url,), local_openai_hosts=(openai.base_url,))
    found = {p.host: p for p in check_local_hosts(settings, "qwen9:1b", timeout_s=2.0)}
    assert (
        found[ollama.url].problem is Problem.MISSING_MODEL
        and "ollama pull qwen9:1b" in found[ollama.url].line
    )
    line = found[openai.base_url].line
    assert "serves 'm1', not 'qwen9:1b'" in line and "--served-model-name" in line and "pull" not in line


Answer = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]


class _Scripted(ThreadingHTTPServer):
    """A chat server on a real socket that answers each request body as `answer` says, and keeps them."""

    def __init__(self, answer: Answer):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.bodies: list[dict[str, Any]] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        assert isinstance(self.server, _Scripted)
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        self.server.bodies.append(body)
        status, answer = self.server.answer(body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def _pydantic_500(loc: str, msg: str, echoed: str) -> tuple[int, dict[str, Any]]:
    """How llama-cpp-python's server answers a request it cannot validate (seen on 0.3.36)."""
    message = (
        f"1 validation error:\n  {{'type': 'literal_error', 'loc': ('body', {loc}), 'msg': \"{msg}\", "
        f"'input': '{echoed}'}}\n\n  File \"/srv/llama_cpp/server/app.py\", line 376, in create_chat_completion"
    )
    return 500, {"error": {"message": message, "type": "internal_server_error", "param": None, "code": None}}


def _completion(content: str) -> tuple[int, dict[str, Any]]:
    return 200, {
        "id": "c1",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25},
    }


def like_llama_cpp(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Refuses `json_schema` as llama.cpp does, takes `json_object` with a schema."""
    if (body.get("response_format") or {}).get("type") == "json_schema":
        return _pydantic_500(
            "'response_format', 'type'", "Input should be 'text' or 'json_object'", "json_schema"
        )
    return _completion('{"name": "Ada"}')


def test_a_server_that_refuses_json_schema_is_asked_in_json_object_and_remembered_per_host() -> None:
    schema: dict[str, object] = {"type": "object", "properties": {"name": {"type": "string"}}}
    structured = CompletionRequest("b.1", MODEL, request().messages, Sensitivity.PUBLIC, schema, SAMPLING)
    server = _Scripted(like_llama_cpp)
    host = LocalOpenAIHost(server.base_url, 5.0)
    try:
        first = host.call(structured, slots=1)
        second = host.call(structured, slots=1)
    finally:
        host.close()
        server.close()
    assert first.output == second.output == '{"name": "Ada"}'
    kinds = [b.get("response_format", {}).get("type") for b in server.bodies]
    assert kinds == ["json_schema", "json_object", "json_object"]  # refused once, then remembered
    assert server.bodies[1]["response_format"]["schema"] == schema
    assert '"name"' in server.bodies[1]["messages"][0]["content"]  # the schema is in the prompt too


def test_a_500_that_says_the_request_is_invalid_is_permanent_after_one_retry() -> None:
    server = _Scripted(
        lambda body: _pydantic_500(
            "'temperature'", "Input should be a valid number", "Summarize: the warehouse"
        )
    )
    try:
        with pytest.raises(PermanentBackendError) as caught:
            LocalOpenAIHost(server.base_url, 5.0).call(request(), slots=1)
    finally:
        server.close()
    assert len(server.bodies) == 2
    error = caught.value
    assert error.kind == "invalid_request" and error.status_code == 500
    assert "Input should be a valid number" in str(error) and "app.py" not in str(error)
    assert "warehouse" not in str(error)  # the echoed request is redacted
