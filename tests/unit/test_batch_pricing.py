"""Batch prices: explicit per model, else the cloud price less the discount; never a silent $0."""

from __future__ import annotations

from decimal import Decimal

import pytest

from worker.errors import UnknownModelError
from worker.pricing import PICO_PER_USD, CloudPrice, PriceTable, load_price_table
from worker.schema import Usage
from worker.settings import REPO_CONFIG_DIR

MILLION = Usage(input_tokens=1_000_000, output_tokens=1_000_000)


def table(**extra: object) -> PriceTable:
    return PriceTable(
        baseline_model="gpt-4o-mini",
        cloud={
            "gpt-4o-mini": CloudPrice(
                input_usd_per_mtok=Decimal("0.15"), output_usd_per_mtok=Decimal("0.60")
            ),
            "gpt-4.1": CloudPrice(input_usd_per_mtok=Decimal("2.00"), output_usd_per_mtok=Decimal("8.00")),
        },
        **extra,  # type: ignore[arg-type]
    )


def test_an_explicit_batch_price_wins() -> None:
    prices = table(
        batch={"gpt-4.1": CloudPrice(input_usd_per_mtok=Decimal(1), output_usd_per_mtok=Decimal(3))}
    )
    assert prices.batch_cost_pico("gpt-4.1", MILLION) == 4 * PICO_PER_USD


def test_other_cloud_models_cost_their_price_less_the_discount() -> None:
    assert table().batch_cost_pico("gpt-4.1", MILLION) == 5 * PICO_PER_USD  # half of 2 + 8
    assert table(batch_discount_pct=Decimal(25)).batch_cost_pico("gpt-4.1", MILLION) == int(
        7.5 * PICO_PER_USD
    )


def test_a_model_without_a_cloud_or_batch_price_is_an_error_never_free() -> None:
    with pytest.raises(UnknownModelError, match="no batch or cloud price"):
        table().batch_cost_pico("llama3.2:3b", MILLION)


def test_the_discount_is_a_percentage() -> None:
    with pytest.raises(ValueError):
        table(batch_discount_pct=Decimal(101))


def test_the_shipped_table_prices_the_batch_route_at_half_the_list_price() -> None:
    prices = load_price_table(REPO_CONFIG_DIR / "pricing.yaml")
    for model in prices.cloud:
        assert prices.batch_cost_pico(model, MILLION) * 2 == prices.cost_pico(model, MILLION)
