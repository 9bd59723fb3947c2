"""Cost accounting: usage the backend reported times the price table, in exact integer picodollars.

Costs are kept as integers (1 USD = 10**12 pico) so batch totals are exact sums of job costs; they are
shown as floats only at the edge.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Self

from pydantic import Field, model_validator

from worker.config import ConfigModel, load
from worker.errors import UnknownModelError
from worker.schema import Usage

PICO_PER_USD = 10**12
_MILLION = Decimal(1_000_000)
_SECONDS_PER_HOUR = Decimal(3600)


class CloudPrice(ConfigModel):
    input_usd_per_mtok: Decimal = Field(ge=0)
    output_usd_per_mtok: Decimal = Field(ge=0)


class LocalPrice(ConfigModel):
    """A GPU cost model: what an hour of the GPU costs, and how many tokens it pushes when busy."""

    gpu_hour_usd: Decimal = Field(ge=0)
    input_tokens_per_s: Decimal = Field(gt=0)
    output_tokens_per_s: Decimal = Field(gt=0)

    @property
    def input_usd_per_mtok(self) -> Decimal:
        return self.gpu_hour_usd / _SECONDS_PER_HOUR / self.input_tokens_per_s * _MILLION

    @property
    def output_usd_per_mtok(self) -> Decimal:
        return self.gpu_hour_usd / _SECONDS_PER_HOUR / self.output_tokens_per_s * _MILLION


class PriceTable(ConfigModel):
    version: int = 1
    baseline_model: str
    cloud: dict[str, CloudPrice]
    local: dict[str, LocalPrice] = Field(default_factory=dict)
    # The cloud-batch route: explicit batch prices per model, else the cloud price less this discount.
    batch: dict[str, CloudPrice] = Field(default_factory=dict)
    batch_discount_pct: Decimal = Field(default=Decimal(50), ge=0, le=100)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.baseline_model not in self.cloud:
            raise ValueError(f"baseline_model {self.baseline_model!r} is not in the cloud price table")
        return self

    def price_of(self, model: str) -> CloudPrice | LocalPrice:
        price = self.cloud.get(model) or self.local.get(model)
        if price is None:
            raise UnknownModelError(
                f"model {model!r} is not in the price table; add it to configs/pricing.yaml"
            )
        return price

    def cost_pico(self, model: str, usage: Usage) -> int:
        """Exact cost of `usage` on `model`, in picodollars; raises UnknownModelError for unpriced models."""
        price = self.price_of(model)
        usd = (
            Decimal(usage.input_tokens) * price.input_usd_per_mtok
            + Decimal(usage.output_tokens) * price.output_usd_per_mtok
        ) / _MILLION
        return int((usd * PICO_PER_USD).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    def batch_price_of(self, model: str) -> CloudPrice:
        """The Batch API's price of a cloud model; raises UnknownModelError for a model with no cloud price."""
        if model in self.batch:
            return self.batch[model]
        listed = self.cloud.get(model)
        if listed is None:
            raise UnknownModelError(
                f"model {model!r} has no batch or cloud price; add it to configs/pricing.yaml"
            )
        keep = (Decimal(100) - self.batch_discount_pct) / Decimal(100)
        return CloudPrice(
            input_usd_per_mtok=listed.input_usd_per_mtok * keep,
            output_usd_per_mtok=listed.output_usd_per_mtok * keep,
        )

    def batch_cost_pico(self, model: str, usage: Usage) -> int:
        """Exact cost of `usage` on `model` through the Batch API, in picodollars."""
        price = self.batch_price_of(model)
        usd = (
            Decimal(usage.input_tokens) * price.input_usd_per_mtok
            + Decimal(usage.output_tokens) * price.output_usd_per_mtok
        ) / _MILLION
        return int((usd * PICO_PER_USD).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    def baseline_pico(self, usage: Usage) -> int:
        """What the same usage would have cost on the closed API alone."""
        return self.cost_pico(self.baseline_model, usage)


def pico_to_usd(pico: int) -> float:
    return pico / PICO_PER_USD


def load_price_table(path: Path) -> PriceTable:
    return load(PriceTable, path)
