"""Cost accounting: usage the backend reported times the price table, in exact integer picodollars.

Costs are kept as integers (1 USD = 10**12 pico) so batch totals are exact sums of job costs; they are
shown as floats only at the edge.

Cloud models cost their list price per million tokens. Local models cost the GPU time they used
(docs/tco.md): one hour of a local host's GPU costs `gpu.hour_usd` (a price, or amortized hardware plus
power), a call is charged the GPU time the backend reported for it, and a call that reported none falls
back to its tokens at the host's sustained throughput.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any, Self

from pydantic import Field, model_validator

from worker.config import ConfigModel, load
from worker.errors import UnknownModelError
from worker.schema import Usage

PICO_PER_USD = 10**12
_MILLION = Decimal(1_000_000)
_SECONDS_PER_HOUR = Decimal(3600)
_MS_PER_HOUR = Decimal(3_600_000)
HOURS_PER_YEAR = Decimal(8760)  # 365 days: amortization spreads the hardware over every hour it exists
_AMORTIZED = ("hardware_usd", "amortization_years", "power_watts", "usd_per_kwh")


class TokenPrice(ConfigModel):
    """A price per million input and output tokens."""

    input_usd_per_mtok: Decimal = Field(ge=0)
    output_usd_per_mtok: Decimal = Field(ge=0)


class CloudPrice(TokenPrice):
    """A closed model's list price."""


class GpuCost(ConfigModel):
    """What an hour of one local host's GPU(s) costs: a price (rental or internal rate), or the hardware
    amortized over its life plus the power it draws. Exactly one of the two forms."""

    gpu_hour_usd: Decimal | None = Field(default=None, ge=0)
    hardware_usd: Decimal | None = Field(default=None, ge=0)
    amortization_years: Decimal | None = Field(default=None, gt=0)
    power_watts: Decimal | None = Field(default=None, ge=0)
    usd_per_kwh: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        given = [name for name in _AMORTIZED if getattr(self, name) is not None]
        if self.gpu_hour_usd is not None and given:
            raise ValueError(
                f"give either gpu_hour_usd or the amortized hardware ({', '.join(_AMORTIZED)}), not both"
            )
        if self.gpu_hour_usd is None and len(given) != len(_AMORTIZED):
            missing = [name for name in _AMORTIZED if name not in given]
            raise ValueError(
                f"give gpu_hour_usd, or all of {', '.join(_AMORTIZED)} (missing: {', '.join(missing)})"
            )
        return self

    @property
    def hour_usd(self) -> Decimal:
        if self.gpu_hour_usd is not None:
            return self.gpu_hour_usd
        # Every field is set here (checked above); the asserts only narrow the types.
        assert self.hardware_usd is not None and self.amortization_years is not None
        assert self.power_watts is not None and self.usd_per_kwh is not None
        hardware = self.hardware_usd / (self.amortization_years * HOURS_PER_YEAR)
        return hardware + self.power_watts / Decimal(1000) * self.usd_per_kwh


class LocalThroughput(ConfigModel):
    """A local model's sustained throughput on one host when busy (all its parallel slots in use): the
    fallback price of a call whose backend reported no GPU time, and what `turnout estimate` assumes."""

    input_tokens_per_s: Decimal = Field(gt=0)
    output_tokens_per_s: Decimal = Field(gt=0)

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: Any) -> Any:
        if isinstance(data, dict) and "gpu_hour_usd" in data:
            raise ValueError("gpu_hour_usd moved to the top-level `gpu:` section (see docs/tco.md)")
        return data


class PriceTable(ConfigModel):
    version: int = 1
    baseline_model: str
    cloud: dict[str, CloudPrice]
    # The GPU cost model of the local hosts (one host class: every Ollama host serves every local model).
    gpu: GpuCost | None = None
    local: dict[str, LocalThroughput] = Field(default_factory=dict)
    # The cloud-batch route: explicit batch prices per model, else the cloud price less this discount.
    batch: dict[str, CloudPrice] = Field(default_factory=dict)
    batch_discount_pct: Decimal = Field(default=Decimal(50), ge=0, le=100)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.baseline_model not in self.cloud:
            raise ValueError(f"baseline_model {self.baseline_model!r} is not in the cloud price table")
        if self.local and self.gpu is None:
            raise ValueError("local models are priced but there is no `gpu:` section (their GPU cost)")
        both = sorted(set(self.cloud) & set(self.local))
        if both:
            raise ValueError(f"model(s) {', '.join(both)} are under both cloud and local; keep one")
        return self

    def is_local(self, model: str) -> bool:
        return model in self.local

    def price_of(self, model: str) -> TokenPrice:
        """A model's price per million tokens (a local model: the GPU-hour at its throughput)."""
        cloud = self.cloud.get(model)
        if cloud is not None:
            return cloud
        local = self.local.get(model)
        if local is None or self.gpu is None:
            raise UnknownModelError(
                f"model {model!r} is not in the price table; add it to configs/pricing.yaml"
            )
        usd_per_s = self.gpu.hour_usd / _SECONDS_PER_HOUR
        return TokenPrice(
            input_usd_per_mtok=usd_per_s / local.input_tokens_per_s * _MILLION,
            output_usd_per_mtok=usd_per_s / local.output_tokens_per_s * _MILLION,
        )

    def cost_pico(self, model: str, usage: Usage) -> int:
        """Exact cost of `usage` on `model`, in picodollars; raises UnknownModelError for unpriced models.

        A local model is priced here by its throughput: the fallback when no GPU time was reported."""
        return _tokens_pico(self.price_of(model), usage)

    def gpu_pico(self, gpu_ms: float) -> int:
        """Exact cost of `gpu_ms` milliseconds of one local host's GPU time, in picodollars."""
        if self.gpu is None:
            raise UnknownModelError("no `gpu:` section in configs/pricing.yaml to price local GPU time")
        usd = Decimal(str(gpu_ms)) * self.gpu.hour_usd / _MS_PER_HOUR
        return _to_pico(usd)

    def call_cost_pico(self, model: str, usage: Usage, gpu_ms: float | None) -> int:
        """One answered call: a local model's call costs the GPU time reported for it, or, when none
        was reported, its tokens at the throughput; any other model costs its tokens."""
        if gpu_ms is not None and self.is_local(model):
            return self.gpu_pico(gpu_ms)
        return self.cost_pico(model, usage)

    def host_pico_per_hour(self) -> int:
        """What one local host costs per hour, busy or idle, in picodollars (0 with no `gpu:` section)."""
        return _to_pico(self.gpu.hour_usd) if self.gpu is not None else 0

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
        return _tokens_pico(self.batch_price_of(model), usage)

    def baseline_pico(self, usage: Usage) -> int:
        """What the same usage would have cost on the closed API alone."""
        return self.cost_pico(self.baseline_model, usage)


def _tokens_pico(price: TokenPrice, usage: Usage) -> int:
    usd = (
        Decimal(usage.input_tokens) * price.input_usd_per_mtok
        + Decimal(usage.output_tokens) * price.output_usd_per_mtok
    ) / _MILLION
    return _to_pico(usd)


def _to_pico(usd: Decimal) -> int:
    return int((usd * PICO_PER_USD).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def pico_to_usd(pico: int) -> float:
    return pico / PICO_PER_USD


def load_price_table(path: Path) -> PriceTable:
    return load(PriceTable, path)
