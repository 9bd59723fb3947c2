"""Costs add up: exact integer arithmetic, local GPU pricing, and no silent $0 for unknown models."""

from __future__ import annotations

from decimal import Decimal

import pytest

from worker.errors import ConfigError, UnknownModelError
from worker.pricing import (
    PICO_PER_USD,
    CloudPrice,
    GpuCost,
    LocalThroughput,
    PriceTable,
    load_price_table,
    pico_to_usd,
)
from worker.schema import Usage
from worker.settings import REPO_CONFIG_DIR


def table() -> PriceTable:
    return PriceTable(
        baseline_model="gpt-4o-mini",
        cloud={
            "gpt-4o-mini": CloudPrice(input_usd_per_mtok=Decimal("0.15"), output_usd_per_mtok=Decimal("0.60"))
        },
        gpu=GpuCost(gpu_hour_usd=Decimal("0.72")),
        local={
            "llama3.2:3b": LocalThroughput(
                input_tokens_per_s=Decimal(2000),
                output_tokens_per_s=Decimal(200),
            )
        },
    )


def test_cloud_cost_is_tokens_times_list_price() -> None:
    pico = table().cost_pico("gpt-4o-mini", Usage(input_tokens=1_000_000, output_tokens=500_000))
    assert pico == (Decimal("0.15") + Decimal("0.30")) * PICO_PER_USD


def test_local_cost_without_gpu_time_comes_from_the_throughput_not_zero() -> None:
    # $0.72/h = $0.0002/s; 2000 input tok/s: $1e-7 per input token; 200 output tok/s: $1e-6 per output token
    pico = table().cost_pico("llama3.2:3b", Usage(input_tokens=1000, output_tokens=100))
    assert pico_to_usd(pico) == pytest.approx(1000 * 1e-7 + 100 * 1e-6)
    assert pico > 0


def test_unknown_model_is_an_error_never_free() -> None:
    with pytest.raises(UnknownModelError, match="not in the price table"):
        table().cost_pico("gpt-5-imaginary", Usage(input_tokens=1, output_tokens=1))


def test_baseline_prices_the_same_usage_on_the_reference_model() -> None:
    usage = Usage(input_tokens=1234, output_tokens=567)
    assert table().baseline_pico(usage) == table().cost_pico("gpt-4o-mini", usage)


def test_batch_total_is_the_exact_sum_of_job_costs() -> None:
    t = table()
    usages = [Usage(input_tokens=n * 37 % 997, output_tokens=n * 13 % 211) for n in range(1, 500)]
    costs = [t.cost_pico("llama3.2:3b", u) for u in usages]
    total = sum(costs)
    assert isinstance(total, int)
    assert pico_to_usd(total) == pytest.approx(sum(pico_to_usd(c) for c in costs), abs=1e-12)


def test_baseline_model_must_be_priced(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "pricing.yaml"
    path.write_text(
        "baseline_model: nope\ncloud: {gpt-4o-mini: {input_usd_per_mtok: 1, output_usd_per_mtok: 2}}\n"
    )
    with pytest.raises(ConfigError, match="baseline_model 'nope'"):
        load_price_table(path)


def test_shipped_price_table_prices_the_shipped_routing_models() -> None:
    from worker.routing import load_routing_policy

    prices = load_price_table(REPO_CONFIG_DIR / "pricing.yaml")
    routing = load_routing_policy(REPO_CONFIG_DIR / "routing.yaml")
    assert prices.price_of(routing.models.local)
    assert prices.price_of(routing.models.cloud)
