"""Total cost of ownership (docs/tco.md): a job's share of the local GPUs and the models it ran on,
recorded once with its result, and the report sections built from the batch's counters.

The counter names read here are the ones the record script (worker/store/scripts/record_result.lua) writes (`tco:*`, `model:*`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from worker.pricing import PICO_PER_USD, pico_to_usd
from worker.schema import LocalCost, ModelUse

_MTOK = 1_000_000


@dataclass(frozen=True)
class LocalUse:
    """What a job's calls on local models used (cloud calls are not counted here)."""

    calls: int = 0
    gpu_ms: float | None = None  # GPU time charged to the calls that reported one (see Completion.gpu_ms)
    input_tokens: int = 0
    output_tokens: int = 0
    cost_pico: int = 0  # GPU time priced, or tokens at the host's throughput where none was reported
    baseline_pico: int = 0  # the same tokens at the cloud baseline's list price

    @property
    def gpu_us(self) -> int:
        return round((self.gpu_ms or 0.0) * 1000)


@dataclass(frozen=True)
class JobFootprint:
    """Written with a job's result: its local use, the fleet it ran on, and its models with their licenses."""

    local: LocalUse = LocalUse()
    fleet_hosts: int = 0  # local hosts configured when it ran
    host_pico_per_hour: int = 0  # what one of them costs per hour (configs/pricing.yaml `gpu`)
    models: tuple[tuple[str, str], ...] = ()  # (model, license; "" when none is stated), each model once


def local_cost(counters: Mapping[str, int], duration_s: float) -> LocalCost:
    """The local GPUs' cost per million local tokens, busy and with the fleet's idle time, next to the
    cloud baseline's price for the same tokens."""
    input_tokens = counters.get("tco:input_tokens", 0)
    output_tokens = counters.get("tco:output_tokens", 0)
    tokens = input_tokens + output_tokens
    busy_pico = counters.get("tco:cost_pico", 0)
    gpu_s = counters.get("tco:gpu_us", 0) / 1_000_000
    hosts = counters.get("tco:fleet_hosts", 0)
    fleet_s = hosts * duration_s
    # The whole fleet for the batch's wall time; never below the busy cost (a simulator's modelled GPU
    # time, or overlapping batches, can add up to more than the wall time).
    fleet_pico = (
        max(busy_pico, round(counters.get("tco:host_pico_per_hour", 0) * fleet_s / 3600)) if hosts else 0
    )

    def per_mtok(pico: int) -> float | None:
        return pico / PICO_PER_USD / tokens * _MTOK if tokens else None

    return LocalCost(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        gpu_s=round(gpu_s, 3),
        busy_usd=pico_to_usd(busy_pico),
        busy_usd_per_mtok=per_mtok(busy_pico),
        fleet_hosts=hosts,
        fleet_usd=pico_to_usd(fleet_pico) if hosts else None,
        fleet_usd_per_mtok=per_mtok(fleet_pico) if hosts else None,
        gpu_utilization=round(min(1.0, gpu_s / fleet_s), 4) if fleet_s > 0 else None,
        cloud_usd_per_mtok=per_mtok(counters.get("tco:baseline_pico", 0)),
    )


def models_used(counters: Mapping[str, int], licenses: Mapping[str, str]) -> dict[str, ModelUse]:
    """Jobs per model the batch's calls used, with the license each had when it ran (None: unstated)."""
    used: dict[str, ModelUse] = {}
    for field, jobs in counters.items():
        if field.startswith("model:") and field.endswith(":jobs"):
            model = field[len("model:") : -len(":jobs")]
            used[model] = ModelUse(jobs=jobs, license=licenses.get(model) or None)
    return dict(sorted(used.items()))
