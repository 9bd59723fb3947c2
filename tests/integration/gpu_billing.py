"""What a local job must have been billed: the GPU time the simulated Ollama reported for its calls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from ops.simulators.ollama_sim import modelled_durations_ns
from worker.pricing import PriceTable
from worker.schema import JobResult


def modelled_gpu_ms(calls: Sequence[dict[str, Any]], slots: int) -> float:
    """The least GPU time the simulator reports for `calls` (it models durations from their tokens and
    stretches them only when a request took longer), shared by the host's `slots` (docs/tco.md)."""
    ns = sum(sum(modelled_durations_ns(c["prompt_tokens"], c["completion_tokens"])) for c in calls)
    return ns / slots / 1_000_000


def assert_billed_for_gpu_time(
    result: JobResult, prices: PriceTable, calls: Sequence[dict[str, Any]], slots: int
) -> None:
    """The job carries the GPU time its calls reported, and costs exactly that time at the GPU price
    (each call is rounded to the picodollar on its own, hence one picodollar of slack per call)."""
    assert result.gpu_ms is not None
    assert result.gpu_ms >= modelled_gpu_ms(calls, slots) - 0.001 * len(calls)  # microsecond rounding
    assert result.cost_usd == pytest.approx(prices.gpu_pico(result.gpu_ms) / 1e12, abs=1e-12 * len(calls))
    assert result.cost_usd > 0
