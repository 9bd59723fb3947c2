"""The cloud backend charges its calls: the official client against the OpenAI simulator, a real Redis.

Settled with the usage the provider reported, released when the provider answered with an error (it bills
none), kept at the estimate when the outcome is unknown, refused before any byte leaves when a cap is spent,
and nothing at all when no cap applies.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
import redis

from ops.simulators import OpenAISimulator, SimConfig
from producer.local_stack import RedisServer, free_port
from worker.backends.base import CompletionRequest
from worker.backends.breaker import CircuitBreaker
from worker.backends.openai import OpenAIBackend
from worker.budget.config import BudgetsConfig, ProviderCaps, WindowCap
from worker.budget.gate import BudgetExhausted, BudgetGate
from worker.budget.ledger import LedgerUse, Windows
from worker.errors import RetryableBackendError
from worker.model_catalog import load_models_config
from worker.pricing import load_price_table
from worker.schema import Sensitivity
from worker.settings import REPO_CONFIG_DIR
from worker.store.budget import BudgetLedger

pytestmark = pytest.mark.integration

MODEL = "gpt-4o-mini"
MESSAGES = [
    {"role": "system", "content": "Summarize the document in two sentences."},
    {"role": "user", "content": "The warehouse count moved to Thursday; bring the new rota and the keys."},
]
PRICES = load_price_table(REPO_CONFIG_DIR / "pricing.yaml")
MODELS = load_models_config(REPO_CONFIG_DIR / "models.yaml")


@pytest.fixture
def client(own_redis: RedisServer) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(own_redis.url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def sim() -> Iterator[OpenAISimulator]:
    with OpenAISimulator() as sim:
        yield sim


def gate(client: redis.Redis, config: BudgetsConfig | None = None, provider: str | None = None) -> BudgetGate:
    config = config or BudgetsConfig()
    caps = (provider, config.providers[provider]) if provider else None
    return BudgetGate(BudgetLedger(client), config, caps, PRICES, MODELS, lease_s=60)


def backend(base_url: str, budget: BudgetGate, timeout_s: float = 5.0, **kwargs: object) -> OpenAIBackend:
    return OpenAIBackend(
        base_url=base_url,
        api_key="sk-test",
        timeout_s=timeout_s,
        max_output_tokens=256,
        budget=budget,
        **kwargs,  # type: ignore[arg-type]
    )


def request(batch_id: str | None = None) -> CompletionRequest:
    """A call of a job of `batch_id` (None: of no batch, e.g. a comparison run)."""
    return CompletionRequest(
        job_id="b.1", model=MODEL, messages=MESSAGES, sensitivity=Sensitivity.PUBLIC, batch_id=batch_id
    )


def capped_batch(budget: BudgetGate, usd: str = "1") -> tuple[str, LedgerUse]:
    batch_id = f"b-{uuid.uuid4().hex[:8]}"
    budget.ledger.set_batch_cap(batch_id, int(Decimal(usd) * 10**12))
    return batch_id, budget.ledger.use(budget.ledger.batch_key(batch_id))


def batch_use(budget: BudgetGate, batch_id: str) -> LedgerUse:
    return budget.ledger.use(budget.ledger.batch_key(batch_id))


def test_a_call_is_settled_with_the_cost_of_the_usage_the_provider_reported(
    client: redis.Redis, sim: OpenAISimulator
) -> None:
    budget = gate(client)
    batch_id, _ = capped_batch(budget)
    completion = backend(sim.base_url, budget).complete(request(batch_id))
    use = batch_use(budget, batch_id)
    assert use.settled_pico == PRICES.cost_pico(MODEL, completion.usage) > 0
    assert (use.reserved_pico, use.in_flight, use.unknown_pico, use.overrun_pico) == (0, 0, 0, 0)
    assert use.reserved_total_pico == budget.estimate_pico(MODEL, MESSAGES, 256) > use.settled_pico


def test_an_error_the_provider_answered_is_released(client: redis.Redis, sim: OpenAISimulator) -> None:
    budget = gate(client)
    batch_id, _ = capped_batch(budget)
    sim.set_config(error_rate=1.0, error_kind="500")
    with pytest.raises(RetryableBackendError):
        backend(sim.base_url, budget).complete(request(batch_id))
    use = batch_use(budget, batch_id)
    assert (use.spent_pico, use.reserved_pico, use.in_flight, use.granted) == (0, 0, 0, 1)


def test_a_timeout_keeps_the_estimate_as_spent_since_the_provider_may_have_billed_it(
    client: redis.Redis,
) -> None:
    budget = gate(client)
    batch_id, _ = capped_batch(budget)
    hang = SimConfig(error_rate=1.0, error_kind="timeout", timeout_hang_s=3)
    with OpenAISimulator(config=hang) as slow, pytest.raises(RetryableBackendError) as raised:
        backend(slow.base_url, budget, timeout_s=0.5).complete(request(batch_id))
    assert raised.value.kind == "timeout"
    use = batch_use(budget, batch_id)
    assert use.unknown_pico == use.spent_pico == budget.estimate_pico(MODEL, MESSAGES, 256)
    assert use.in_flight == 0


def test_a_refused_connection_sent_nothing_and_is_released(client: redis.Redis) -> None:
    budget = gate(client)
    batch_id, _ = capped_batch(budget)
    with pytest.raises(RetryableBackendError) as raised:
        backend(f"http://127.0.0.1:{free_port()}/v1", budget).complete(request(batch_id))
    assert raised.value.kind == "connection"
    assert (batch_use(budget, batch_id).spent_pico, batch_use(budget, batch_id).in_flight) == (0, 0)


def test_a_spent_cap_refuses_before_any_byte_leaves_and_does_not_open_the_breaker(
    client: redis.Redis, sim: OpenAISimulator
) -> None:
    budget = gate(client)
    batch_id, _ = capped_batch(budget, usd="0.00000001")
    cloud = backend(sim.base_url, budget, breaker=CircuitBreaker("cloud API", failure_threshold=1, open_s=60))
    for _ in range(3):  # a breaker counting these would open after the first
        with pytest.raises(BudgetExhausted) as raised:
            cloud.complete(request(batch_id))
        assert raised.value.cap == "batch" and raised.value.hard and raised.value.policy == "local"
    assert sim.requests == []
    assert batch_use(budget, batch_id).denied == 3
    cloud.complete(request("another-batch-without-a-cap"))  # the breaker is still closed
    assert len(sim.requests) == 1


def test_a_provider_day_cap_charges_every_call_with_or_without_a_batch(
    client: redis.Redis, sim: OpenAISimulator
) -> None:
    name = f"sim-{uuid.uuid4().hex[:6]}"
    config = BudgetsConfig(
        providers={
            name: ProviderCaps(base_url=sim.base_url, daily=WindowCap(usd=Decimal(1), on_exhausted="hold"))
        }
    )
    budget = gate(client, config, provider=name)
    cloud = backend(sim.base_url, budget)
    first = cloud.complete(request())  # no batch scope at all (e.g. a comparison run): still charged
    second = cloud.complete(request("no-cap-batch"))
    day = budget.ledger.use(budget.ledger.day_key(name, Windows.at(budget.ledger.now()).day))
    assert day.settled_pico == PRICES.cost_pico(MODEL, first.usage) + PRICES.cost_pico(MODEL, second.usage)
    assert day.cap_pico == 10**12 and day.granted == 2


def test_without_any_cap_a_call_costs_no_redis_round_trip(
    client: redis.Redis, sim: OpenAISimulator, own_redis: RedisServer
) -> None:
    """The shipped default: no budgets.yaml caps and no --max-cost-usd. The batch's cap is read once per
    process and batch, then every call goes straight out."""
    budget = gate(client)
    cloud = backend(sim.base_url, budget)

    def calls(command: str) -> int:
        return int(client.info("commandstats").get(f"cmdstat_{command}", {}).get("calls", 0))

    before = {c: calls(c) for c in ("evalsha", "eval", "hget", "hset")}
    for _ in range(5):
        cloud.complete(request("b-uncapped"))
    after = {c: calls(c) for c in before}
    assert after["evalsha"] == before["evalsha"] and after["eval"] == before["eval"]
    assert after["hset"] == before["hset"]
    assert after["hget"] - before["hget"] == 1  # the batch's cap, once
    assert client.keys("tn:budget:*batch:b-uncapped") == []
