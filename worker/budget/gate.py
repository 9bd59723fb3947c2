"""Charging cloud calls to the caps: estimate a call's worst case, reserve it, settle or release it after.

The gate is what the cloud backends talk to (worker/store/budget.py is the ledger it books in). A call is
charged to its batch's cap (when the batch has one) and to the provider's daily and monthly caps (when
configs/budgets.yaml sets them). When nothing applies the gate answers without touching Redis, so a
deployment with no caps pays nothing for budgets on the hot path (one read per batch and process, for the
batch's cap, cached).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from worker.budget.config import BudgetsConfig, ProviderCaps
from worker.budget.ledger import Denial
from worker.errors import NoBackendAvailable, PermanentBackendError, UnknownModelError
from worker.flow.ratelimit import estimate_tokens
from worker.model_catalog import ModelsConfig
from worker.pricing import PICO_PER_USD, PriceTable
from worker.schema import Usage
from worker.store.budget import BudgetLedger
from worker.tokens import counter_for

_CACHED_BATCHES = 4096


def usd(pico: int) -> str:
    return f"${pico / PICO_PER_USD:.6f}"


class BudgetExhausted(NoBackendAvailable):
    """A cap refused a cloud call before anything was sent. `policy` says what the job does now.

    A NoBackendAvailable: nothing was sent, so the attempt does not count. Hard: the cap's settled spend leaves
    no room (only its reset helps); soft: calls in flight hold the room and may give some back.
    """

    def __init__(self, denial: Denial, policy: str, estimate_pico: int):
        what = {
            "batch": "the batch's --max-cost-usd",
            "day": "the provider's daily",
            "month": "the provider's monthly",
        }
        in_flight = f", {usd(denial.reserved_pico)} in flight" if denial.reserved_pico else ""
        super().__init__(
            f"cloud budget exhausted: {what[denial.cap]} cap of {usd(denial.cap_pico)} "
            f"({usd(denial.spent_pico)} spent{in_flight}); the call needs up to {usd(estimate_pico)}",
            kind="budget_exhausted",
            retry_after_s=denial.resets_in_s,
        )
        self.cap = denial.cap
        self.policy = policy
        self.hard = denial.hard
        self.resets_in_s = denial.resets_in_s


@dataclass
class Charge:
    """One reserved call: settle it with the reported usage, release it, or keep its estimate."""

    ledger: BudgetLedger
    id: str
    estimate_pico: int
    done: bool = field(default=False, init=False)

    def settle(self, actual_pico: int) -> None:
        if not self.done:
            self.done = True
            self.ledger.settle(self.id, actual_pico)

    def release(self) -> None:
        if not self.done:
            self.done = True
            self.ledger.release(self.id)

    def charge_unknown(self) -> None:
        if not self.done:
            self.done = True
            self.ledger.charge_unknown(self.id)


class BudgetGate:
    """Reserves a cloud call's worst-case cost against every cap that applies to it, or says which refused."""

    def __init__(
        self,
        ledger: BudgetLedger,
        config: BudgetsConfig,
        provider: tuple[str, ProviderCaps] | None,
        prices: PriceTable,
        models: ModelsConfig,
        *,
        lease_s: float,
    ):
        self.ledger = ledger
        self.config = config
        self.prices = prices
        self._models = models
        self.lease_s = lease_s
        self.provider = provider[0] if provider else None
        caps = provider[1] if provider else None
        self._daily = caps.daily if caps else None
        self._monthly = caps.monthly if caps else None
        self._day_pico = to_pico(self._daily.usd) if self._daily else 0
        self._month_pico = to_pico(self._monthly.usd) if self._monthly else 0
        self._batch_caps: dict[str, int | None] = {}

    @property
    def provider_capped(self) -> bool:
        return bool(self._day_pico or self._month_pico)

    def batch_cap(self, batch_id: str | None) -> int | None:
        """The batch's cap, read once per process: it is written before any of the batch's jobs exists."""
        if batch_id is None:
            return None
        if batch_id not in self._batch_caps:
            if len(self._batch_caps) >= _CACHED_BATCHES:
                self._batch_caps.clear()
            self._batch_caps[batch_id] = self.ledger.batch_cap(batch_id)
        return self._batch_caps[batch_id]

    def may_apply(self, batch_id: str | None) -> bool:
        """Whether any cap can apply to this batch's calls (else there is nothing to book or settle)."""
        return self.provider_capped or self.batch_cap(batch_id) is not None

    def policy(self, cap: str) -> str:
        if cap == "batch":
            return self.config.batch.on_exhausted
        window = self._daily if cap == "day" else self._monthly
        return window.on_exhausted if window else "fail"

    # estimates and costs --------------------------------------------------------------------------------
    def cost_pico(self, model: str, usage: Usage, *, batch_rates: bool = False) -> int:
        try:
            if batch_rates:
                return self.prices.batch_cost_pico(model, usage)
            return self.prices.cost_pico(model, usage)
        except UnknownModelError as exc:
            raise PermanentBackendError(str(exc), kind="unpriced_model") from None

    def estimate_pico(
        self,
        model: str,
        messages: Sequence[Mapping[str, str]],
        max_output_tokens: int,
        *,
        batch_rates: bool = False,
    ) -> int:
        """The most the call can cost: input tokens estimated (the larger of the model's tokenizer count
        and characters / 4, plus the margin), output at the maximum the request allows."""
        by_chars = estimate_tokens(messages, 0)
        counted = counter_for(self._models.info(model).tokenizer).count_messages([dict(m) for m in messages])
        margin = 1 + self.config.input_margin_pct / Decimal(100)
        input_tokens = math.ceil(Decimal(max(by_chars, counted)) * margin)
        usage = Usage(input_tokens=input_tokens, output_tokens=max(0, max_output_tokens))
        return self.cost_pico(model, usage, batch_rates=batch_rates)

    # reservations ------------------------------------------------------------------------------------
    def reserve(
        self,
        model: str,
        messages: Sequence[Mapping[str, str]],
        max_output_tokens: int,
        *,
        batch_id: str | None = None,
        batch_rates: bool = False,
        reservation_id: str | None = None,
        lease_s: float | None = None,
    ) -> Charge | None:
        """Reserve the call's worst case, or raise BudgetExhausted. None when no cap applies to it.

        `batch_id`: the batch whose cap (if any) the call counts against. A fixed `reservation_id` makes the
        reservation idempotent (the cloud-batch route books each staged request once, whoever stages it)."""
        batch_cap = self.batch_cap(batch_id)
        if batch_cap is None and not self.provider_capped:
            return None  # the hot path of a deployment without caps: no Redis round trip
        estimate = self.estimate_pico(model, messages, max_output_tokens, batch_rates=batch_rates)
        charge_id = reservation_id or uuid.uuid4().hex
        denials = self.ledger.reserve(
            charge_id,
            estimate,
            lease_s=lease_s or self.lease_s,
            batch_id=batch_id if batch_cap is not None else None,
            provider=self.provider if self.provider_capped else None,
            day_cap_pico=self._day_pico,
            month_cap_pico=self._month_pico,
        )
        if denials:
            binding = binding_denial(denials)
            raise BudgetExhausted(binding, self.policy(binding.cap), estimate)
        return Charge(self.ledger, charge_id, estimate)


def binding_denial(denials: list[Denial]) -> Denial:
    """The cap that decides: a hard one over a soft one; among hard ones, the one that resets last (a
    batch cap never does): waiting for an earlier reset would not help."""
    hard = [d for d in denials if d.hard]
    if not hard:
        return denials[0]
    return max(hard, key=lambda d: math.inf if d.resets_in_s is None else d.resets_in_s)


def to_pico(amount_usd: Decimal) -> int:
    return int((amount_usd * PICO_PER_USD).to_integral_value())
