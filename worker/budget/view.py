"""What the budgets say now, for `turnout status` and `turnout report`: used, in flight, left, and the bound.

Per cap: spent (settled from reported usage, plus calls charged at their estimate because their outcome
is unknown), reserved for calls in flight, what is left, and the evidence for the overspend bound
(worker/budget/ledger.py): every call's worst case reserved, against the cost settled for them, and
the overrun (reported cost beyond a call's own estimate), which is all a cap can be exceeded by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from worker.budget.config import BudgetsConfig, load_budgets
from worker.budget.gate import to_pico
from worker.budget.ledger import LedgerUse, Windows
from worker.pricing import pico_to_usd
from worker.store.budget import BudgetLedger

if TYPE_CHECKING:
    from worker.store import Store


@dataclass(frozen=True)
class CapView:
    cap: str  # "batch", "day" or "month"
    window: str | None  # the UTC day or month; None for a batch cap
    policy: str  # what a job does when this cap refuses it
    use: LedgerUse
    resets_at: float | None = None  # epoch seconds; None for a batch cap

    def as_json(self) -> dict[str, Any]:
        u = self.use
        shown: dict[str, Any] = {
            "cap_usd": pico_to_usd(u.cap_pico),
            "spent_usd": pico_to_usd(u.spent_pico),
            "settled_usd": pico_to_usd(u.settled_pico),
            "unknown_usd": pico_to_usd(u.unknown_pico),
            "in_flight_usd": pico_to_usd(u.reserved_pico),
            "in_flight_calls": u.in_flight,
            "left_usd": pico_to_usd(u.left_pico),
            "worst_case_usd": pico_to_usd(u.spent_pico + u.reserved_pico),
            "reserved_total_usd": pico_to_usd(u.reserved_total_pico),
            "peak_in_flight_usd": pico_to_usd(u.peak_reserved_pico),
            "overrun_usd": pico_to_usd(u.overrun_pico),
            "calls": u.granted,
            "refused": u.denied,
            "on_exhausted": self.policy,
        }
        if self.window is not None:
            shown["window"] = self.window
        if self.resets_at is not None:
            shown["resets_at"] = dt.datetime.fromtimestamp(self.resets_at, tz=dt.UTC).isoformat()
        return shown

    def line(self, label: str) -> str:
        u = self.use
        in_flight = f", {_usd(u.reserved_pico)} in flight ({u.in_flight} calls)" if u.in_flight else ""
        unknown = f" (incl. {_usd(u.unknown_pico)} charged at estimate)" if u.unknown_pico else ""
        refused = f"; {u.denied} calls refused -> {self.policy}" if u.denied else ""
        return (
            f"budget {label}: {_usd(u.spent_pico)}{unknown} of {_usd(u.cap_pico)} spent{in_flight}, "
            f"{_usd(u.left_pico)} left{refused}"
        )

    def bound_line(self) -> str:
        """The overspend bound's evidence: what was reserved against what was settled, and the overrun."""
        u = self.use
        limit = u.cap_pico + u.overrun_pico
        held = "stays within" if u.spent_pico <= limit else "EXCEEDS"
        sign = "<=" if u.spent_pico <= limit else ">"
        return (
            f"  estimates reserved {_usd(u.reserved_total_pico)} in all (each call's worst case) for "
            f"{_usd(u.settled_pico)} settled (peak in flight {_usd(u.peak_reserved_pico)}); overrun beyond "
            f"estimates {_usd(u.overrun_pico)}: spend {held} cap + overrun "
            f"({_usd(u.spent_pico)} {sign} {_usd(limit)})"
        )


@dataclass(frozen=True)
class BudgetView:
    batch: CapView | None
    providers: dict[str, list[CapView]]

    @property
    def empty(self) -> bool:
        return self.batch is None and not any(self.providers.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch.as_json() if self.batch else None,
            "providers": {
                name: {view.cap: view.as_json() for view in views} for name, views in self.providers.items()
            },
        }

    def lines(self, *, bound: bool = False) -> list[str]:
        out: list[str] = []
        if self.batch is not None:
            out.append(self.batch.line("(batch --max-cost-usd)"))
            if bound:
                out.append(self.batch.bound_line())
        for name, views in self.providers.items():
            for view in views:
                resets = ""
                if view.resets_at is not None:
                    resets = (
                        f", resets {dt.datetime.fromtimestamp(view.resets_at, tz=dt.UTC):%Y-%m-%d %H:%M} UTC"
                    )
                out.append(view.line(f"({name}, {view.cap} {view.window} UTC{resets})"))
        return out


def budget_view(ledger: BudgetLedger, batch_id: str | None, config: BudgetsConfig) -> BudgetView:
    """The batch's cap (when it has one) and every configured provider's current day and month."""
    batch = None
    if batch_id is not None:
        use = ledger.use(ledger.batch_key(batch_id))
        if use.cap_pico:
            batch = CapView("batch", None, config.batch.on_exhausted, use)
    providers: dict[str, list[CapView]] = {}
    if config.providers:
        windows = Windows.at(ledger.now())
        for name, caps in config.providers.items():
            views = []
            if caps.daily is not None:
                use = ledger.use(ledger.day_key(name, windows.day), to_pico(caps.daily.usd))
                views.append(CapView("day", windows.day, caps.daily.on_exhausted, use, windows.day_ends_at))
            if caps.monthly is not None:
                use = ledger.use(ledger.month_key(name, windows.month), to_pico(caps.monthly.usd))
                views.append(
                    CapView("month", windows.month, caps.monthly.on_exhausted, use, windows.month_ends_at)
                )
            providers[name] = views
    return BudgetView(batch=batch, providers=providers)


def _usd(pico: int) -> str:
    return f"${pico_to_usd(pico):,.6f}"


def current_budget(store: Store, batch_id: str | None, config_dir: Path) -> BudgetView | None:
    """The budgets of a batch and of every configured provider, or None when no cap applies at all."""
    view = budget_view(store.budget_ledger, batch_id, load_budgets(config_dir))
    return None if view.empty else view
