"""Both backends through the official clients against the simulators: one contract, then each one's errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from producer.local_stack import RedisServer, free_port
from worker.backends.base import Backend, CompletionRequest
from worker.backends.local import LocalBackend
from worker.backends.local_openai import LocalOpenAIHost
from worker.backends.ollama import OllamaHost
from worker.backends.openai import OpenAIBackend
from worker.errors import PermanentBackendError, RetryableBackendError, SensitiveDataBlocked
from worker.flow.slots import HostSlots
from worker.schema import Sensitivity
from worker.store.slots import SlotLeases

MESSAGES = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Summarize: the warehouse count moved to Thursday."},
]


def request(sensitivity: Sensitivity = Sensitivity.PUBLIC, model: str = "m1") -> CompletionRequest:
    return CompletionRequest(job_id="b.1", model=model, messages=MESSAGES, sensitivity=sensitivity)


def ollama_backend(
    *sims: OllamaSimulator, timeout_s: float = 5.0, urls: tuple[str, ...] = ()
) -> LocalBackend:
    hosts = urls or tuple(s.url for s in sims)
    slots = HostSlots(SlotLeases(_REDIS[0], uuid.uuid4().hex), hosts, slots_per_host=2, cooldown_s=30)
    return LocalBackend(slots, {url: OllamaHost(url, timeout_s) for url in hosts}, slot_wait_s=timeout_s)


_REDIS: list[redis.Redis] = []  # the session's redis-server, for the hosts' shared slots


@pytest.fixture(autouse=True)
def _slots_redis(redis_server: RedisServer) -> Iterator[None]:
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    _REDIS[:] = [client]
    yield
    client.close()


def openai_backend(sim: OpenAISimulator, timeout_s: float = 5.0) -> OpenAIBackend:
    return OpenAIBackend(base_url=sim.base_url, api_key="sk-test", timeout_s=timeout_s)


@pytest.fixture
def ollama_sim() -> Iterator[OllamaSimulator]:
    with OllamaSimulator() as sim:
        yield sim


@pytest.fixture
def openai_sim() -> Iterator[OpenAISimulator]:
    with OpenAISimulator(config=SimConfig(api_key="sk-test")) as sim:
        yield sim


def local_openai_backend(sim: OpenAISimulator, timeout_s: float = 5.0) -> LocalBackend:
    """The local route on one OpenAI-compatible host (vLLM, llama.cpp), played by the OpenAI simulator."""
    slots = HostSlots(SlotLeases(_REDIS[0], uuid.uuid4().hex), (sim.base_url,), slots_per_host=2)
    host = LocalOpenAIHost(sim.base_url, timeout_s, api_key="sk-test")
    return LocalBackend(slots, {sim.base_url: host}, slot_wait_s=timeout_s)


@pytest.fixture(params=["ollama", "openai", "local-openai"])
def any_backend(
    request: pytest.FixtureRequest, ollama_sim: OllamaSimulator, openai_sim: OpenAISimulator
) -> Iterator[tuple[Backend, OllamaSimulator | OpenAISimulator]]:
    backend: Backend
    if request.param == "ollama":
        backend, sim = ollama_backend(ollama_sim), ollama_sim
    elif request.param == "local-openai":
        backend, sim = local_openai_backend(openai_sim), openai_sim
    else:
        backend, sim = openai_backend(openai_sim), openai_sim
    yield backend, sim
    backend.close()


# The contract every backend keeps -------------------------------------------------------------------


def test_a_completion_carries_output_and_the_usage_the_server_reported(any_backend) -> None:  # type: ignore[no-untyped-def]
    backend, sim = any_backend
    completion = backend.complete(request())
    assert completion.output
    assert completion.model == "m1"
    assert completion.backend.endswith(sim.url) or sim.url in completion.backend
    (answered,) = sim.answered
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (
        answered["prompt_tokens"],
        answered["completion_tokens"],
    )


def test_a_server_error_is_retryable(any_backend) -> None:  # type: ignore[no-untyped-def]
    backend, sim = any_backend
    sim.set_config(error_rate=1.0, error_kind="500")
    with pytest.raises(RetryableBackendError):
        backend.complete(request())


def test_a_malformed_body_is_retryable(any_backend) -> None:  # type: ignore[no-untyped-def]
    backend, sim = any_backend
    sim.set_config(error_rate=1.0, error_kind="malformed")
    with pytest.raises(RetryableBackendError, match="malformed"):
        backend.complete(request())


def test_an_unknown_model_is_permanent(any_backend) -> None:  # type: ignore[no-untyped-def]
    backend, sim = any_backend
    sim.set_config(models=("m1",))
    with pytest.raises(PermanentBackendError) as info:
        backend.complete(request(model="not-pulled"))
    assert info.value.kind == "unknown_model" or info.value.status_code == 404


# OpenAI ---------------------------------------------------------------------------------------------


def test_cloud_backend_refuses_sensitive_jobs_before_any_request(openai_sim: OpenAISimulator) -> None:
    backend = openai_backend(openai_sim)
    for level in (Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED):
        with pytest.raises(SensitiveDataBlocked):
            backend.complete(request(level))
    assert openai_sim.requests == []


def test_rate_limit_carries_the_servers_retry_hint(openai_sim: OpenAISimulator) -> None:
    openai_sim.set_config(error_rate=1.0, error_kind="429", retry_after_s=2.5)
    with pytest.raises(RetryableBackendError) as info:
        openai_backend(openai_sim).complete(request())
    assert info.value.kind == "rate_limited" and info.value.status_code == 429
    assert info.value.retry_after_s == pytest.approx(2.5)
    assert len(openai_sim.requests) == 1  # the SDK did not retry on its own


def test_bad_api_key_is_permanent(openai_sim: OpenAISimulator) -> None:
    backend = OpenAIBackend(base_url=openai_sim.base_url, api_key="sk-wrong", timeout_s=5)
    with pytest.raises(PermanentBackendError) as info:
        backend.complete(request())
    assert info.value.status_code == 401


def test_cloud_timeout_is_retryable(openai_sim: OpenAISimulator) -> None:
    openai_sim.set_config(error_rate=1.0, error_kind="timeout")
    with pytest.raises(RetryableBackendError, match="timed out"):
        openai_backend(openai_sim, timeout_s=0.5).complete(request())


# Ollama ---------------------------------------------------------------------------------------------


def test_a_busy_host_is_skipped_and_the_next_host_answers(ollama_sim: OllamaSimulator) -> None:
    with OllamaSimulator() as healthy:
        ollama_sim.set_config(error_rate=1.0, error_kind="busy")
        backend = ollama_backend(ollama_sim, healthy)
        completion = backend.complete(request())
        assert completion.backend == f"ollama:{healthy.url}"
        # The busy host is cooling down: the next call goes straight to the healthy one.
        backend.complete(request())
        assert len(ollama_sim.requests) == 1 and len(healthy.requests) == 2


def test_all_hosts_busy_is_retryable_with_the_503(ollama_sim: OllamaSimulator) -> None:
    ollama_sim.set_config(error_rate=1.0, error_kind="busy")
    with pytest.raises(RetryableBackendError) as info:
        ollama_backend(ollama_sim).complete(request())
    assert info.value.status_code == 503


def test_unreachable_host_is_retryable() -> None:
    backend = ollama_backend(urls=(f"http://127.0.0.1:{free_port()}",))
    with pytest.raises(RetryableBackendError, match="cannot connect"):
        backend.complete(request())


def test_local_timeout_is_retryable(ollama_sim: OllamaSimulator) -> None:
    ollama_sim.set_config(error_rate=1.0, error_kind="timeout")
    with pytest.raises(RetryableBackendError, match="timed out"):
        ollama_backend(ollama_sim, timeout_s=0.5).complete(request())


def test_cloud_circuit_opens_after_consecutive_failures_and_stops_calling(
    openai_sim: OpenAISimulator,
) -> None:
    from worker.backends.breaker import CircuitBreaker
    from worker.errors import NoBackendAvailable

    openai_sim.set_config(error_rate=1.0, error_kind="500")
    backend = OpenAIBackend(
        base_url=openai_sim.base_url,
        api_key="sk-test",
        timeout_s=5,
        breaker=CircuitBreaker("cloud API", failure_threshold=3, open_s=60),
    )
    for _ in range(3):
        with pytest.raises(RetryableBackendError):
            backend.complete(request())
    with pytest.raises(NoBackendAvailable, match="circuit open"):
        backend.complete(request())
    assert len(openai_sim.requests) == 3  # the fourth call never left


def test_rate_limits_do_not_open_the_circuit(openai_sim: OpenAISimulator) -> None:
    from worker.backends.breaker import CircuitBreaker

    openai_sim.set_config(error_rate=1.0, error_kind="429", retry_after_s=0.1)
    backend = OpenAIBackend(
        base_url=openai_sim.base_url,
        api_key="sk-test",
        timeout_s=5,
        breaker=CircuitBreaker("cloud API", failure_threshold=2, open_s=60),
    )
    for _ in range(4):
        with pytest.raises(RetryableBackendError, match="429"):
            backend.complete(request())
    assert len(openai_sim.requests) == 4
