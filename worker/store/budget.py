"""The spending ledger in Redis (worker/budget/ledger.py says how it works and why it holds): the caps'
ledgers, the reservations and their leases, and the scripts that reserve, settle, release and sweep."""

from __future__ import annotations

from typing import Any

import redis

from worker.budget.ledger import Denial, LedgerUse
from worker.store import keys
from worker.store.lua import source

KEEP_S = 7 * 86_400  # how long a window's ledger (and a reservation record) outlives it


class BudgetLedger:
    """Every Redis access of the budgets: reserve, settle, release, and what the ledgers say."""

    def __init__(self, client: redis.Redis, *, keep_s: int = KEEP_S):
        self.redis: Any = client
        self.keep_s = keep_s
        self._reserve = client.register_script(source("budget_common", "budget_dates", "budget_reserve"))
        self._finish = client.register_script(source("budget_common", "budget_finish"))

    # keys -------------------------------------------------------------------------------------------
    batch_key = staticmethod(keys.budget_batch)
    day_key = staticmethod(keys.budget_day)
    month_key = staticmethod(keys.budget_month)

    # the per-batch cap --------------------------------------------------------------------------------
    def set_batch_cap(self, batch_id: str, cap_pico: int) -> None:
        """A batch's `--max-cost-usd`: written at submission, before any of its jobs is enqueued."""
        if cap_pico < 1:
            raise ValueError("a batch cap must be positive")
        self.redis.hset(self.batch_key(batch_id), "cap", str(cap_pico))

    def batch_cap(self, batch_id: str) -> int | None:
        raw = self.redis.hget(self.batch_key(batch_id), "cap")
        return int(raw) if raw is not None else None

    # reservations -------------------------------------------------------------------------------------
    def reserve(
        self,
        reservation_id: str,
        amount_pico: int,
        *,
        lease_s: float,
        batch_id: str | None = None,
        provider: str | None = None,
        day_cap_pico: int = 0,
        month_cap_pico: int = 0,
    ) -> list[Denial]:
        """Book `amount_pico` against every cap that applies, atomically; [] when granted (or when this
        id is already booked), else the caps that refused (nothing is booked then)."""
        reply = self._reserve(
            args=[
                keys.BUDGET_PREFIX,
                reservation_id,
                str(max(1, int(amount_pico))),  # >= 1: "-0" is not an integer to HINCRBY
                str(max(1, round(lease_s * 1_000_000))),
                str(self.keep_s),
                batch_id or "",
                provider or "",
                str(day_cap_pico if provider else 0),
                str(month_cap_pico if provider else 0),
            ]
        )
        if int(reply[0]) == 1:
            return []
        fields = reply[1:]
        return [
            Denial(
                cap=str(fields[i]),
                hard=int(fields[i + 1]) == 1,
                resets_in_s=None if int(fields[i + 2]) < 0 else float(fields[i + 2]),
                spent_pico=int(fields[i + 3]),
                reserved_pico=int(fields[i + 4]),
                cap_pico=int(fields[i + 5]),
            )
            for i in range(0, len(fields), 6)
        ]

    def settle(self, reservation_id: str, actual_pico: int) -> bool:
        """Replace the estimate with the cost of the usage the provider reported."""
        return self._done(reservation_id, "settle", max(0, int(actual_pico)))

    def release(self, reservation_id: str) -> bool:
        """Give the reservation back: the provider billed nothing (it answered with an error)."""
        return self._done(reservation_id, "release", 0)

    def charge_unknown(self, reservation_id: str) -> bool:
        """Keep the estimate as spent: the call may have been billed, and we will never know its usage."""
        return self._done(reservation_id, "unknown", 0)

    def finish_many(self, settles: list[tuple[str, int]], releases: list[str]) -> None:
        """Settle (id, actual cost) and release ids, in one round trip (a provider batch's join)."""
        pipe = self.redis.pipeline(transaction=False)
        for reservation_id, actual in settles:
            args = [keys.BUDGET_PREFIX, reservation_id, "settle", str(max(0, int(actual))), str(self.keep_s)]
            self._finish(args=args, client=pipe)
        for reservation_id in releases:
            self._finish(
                args=[keys.BUDGET_PREFIX, reservation_id, "release", "0", str(self.keep_s)], client=pipe
            )
        pipe.execute()

    def _done(self, reservation_id: str, mode: str, actual: int) -> bool:
        return bool(
            self._finish(args=[keys.BUDGET_PREFIX, reservation_id, mode, str(actual), str(self.keep_s)])
        )

    # readouts -----------------------------------------------------------------------------------------
    def now(self) -> float:
        """Redis's clock: the one the scripts put calls into windows by."""
        seconds, micros = self.redis.time()
        return int(seconds) + int(micros) / 1_000_000

    def use(self, key: str, default_cap_pico: int = 0) -> LedgerUse:
        """What one ledger says (all zero when nothing was booked in it yet). The cap is the one the
        workers enforced, written with each booking; `default_cap_pico` before the first."""
        return LedgerUse.parse(self.redis.hgetall(key), default_cap_pico)
