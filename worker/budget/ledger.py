"""The spending ledger: caps on cloud spend that hold across every worker on every machine, in Redis.

A cloud call first *reserves* its worst-case cost (input tokens estimated, output at its maximum, priced
with the price table) against every cap that applies to it: its batch's `--max-cost-usd`, and its
provider's UTC day and UTC month. One Lua script checks all of them and books all of them, or none, so two
workers can never both take the last dollar. After the call the reservation is *settled* with the cost of
the usage the provider reported, or *released* when the provider answered with an error (it bills
nothing then), or *charged at the estimate* when we cannot know (a timeout, a lost worker).

Each ledger (a hash) holds: `cap`, `reserved` (in flight now) and `in_flight` (calls), `settled`
(reported usage), `unknown` (charged at the estimate), `overrun` (reported cost beyond its estimate),
`reserved_total` (every estimate ever granted), `peak_reserved`, and counters. Amounts are integer
picodollars, like every other cost in Turnout. A call is granted only if, for every cap,

    spent + reserved + estimate <= cap          (spent = settled + unknown)

The bound. Let L be the last call granted against a cap. At L's grant, spent(L) + Σ est(c) <= cap, the sum
over the calls then in flight (L included). No call is granted after L, so every later settle belongs to
one of those calls, and

    final spent <= cap + Σ over the calls in flight at L of max(0, actual(c) - est(c)).

Overspend is bounded by the calls in flight at the last grant, and only by how far each one's reported
cost exceeds its own estimate. Output cannot exceed its estimate (the provider enforces
`max_completion_tokens`, which is what we reserve), so only an input-token undercount can: the ledger
records it as `overrun`, and it is zero whenever the estimate is an upper bound (the simulators count
exactly the way the estimate does). A denial that only in-flight reservations cause is *soft* (budget
may come back when they settle); one that settled spend alone causes is *hard*. The proof holds per cap,
so it holds for the batch cap and the provider's day and month at once.

Time is Redis's `TIME`, so every machine agrees on which UTC day and month a call belongs to; a call is
settled into the windows it was reserved in. Window ledgers expire `keep_s` after their window ends.
Reservations carry a lease: one whose worker died (never settled) is charged at its estimate when the
lease runs out, and a late settle or release still corrects it, so the ledger never forgets money.

Amounts travel as decimal strings and are added with HINCRBY (exact 64-bit integers); only comparisons
use Lua's doubles, exact below 2**53 picodollars (about $9,000), well within a rounding error above.
All keys share one hash tag, so the scripts are cluster-safe. The ledger itself (its keys, its scripts and
every Redis command) is worker/store/budget.py; this module holds what it says, in values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Denial:
    """One cap that refused a reservation."""

    cap: str  # "batch", "day" or "month"
    hard: bool  # settled spend alone leaves no room: only a reset (or a bigger cap) helps
    resets_in_s: float | None  # None: never (a batch cap)
    spent_pico: int
    reserved_pico: int
    cap_pico: int


@dataclass(frozen=True)
class LedgerUse:
    """What one ledger says now (all amounts in picodollars)."""

    cap_pico: int
    spent_pico: int  # settled + unknown
    settled_pico: int
    unknown_pico: int
    reserved_pico: int
    in_flight: int
    reserved_total_pico: int
    peak_reserved_pico: int
    overrun_pico: int
    granted: int
    denied: int

    @property
    def left_pico(self) -> int:
        return max(0, self.cap_pico - self.spent_pico - self.reserved_pico)

    @classmethod
    def parse(cls, raw: dict[str, str], default_cap_pico: int = 0) -> LedgerUse:
        """`default_cap_pico`: the cap when the ledger has none yet (no call has been booked in it)."""

        def n(name: str) -> int:
            return int(raw.get(name) or 0)

        return cls(
            cap_pico=n("cap") or default_cap_pico,
            spent_pico=n("settled") + n("unknown"),
            settled_pico=n("settled"),
            unknown_pico=n("unknown"),
            reserved_pico=n("reserved"),
            in_flight=n("in_flight"),
            reserved_total_pico=n("reserved_total"),
            peak_reserved_pico=n("peak_reserved"),
            overrun_pico=n("overrun"),
            granted=n("granted"),
            denied=n("denied"),
        )


@dataclass(frozen=True)
class Windows:
    """The UTC day and month a moment falls in, and when each ends (epoch seconds)."""

    day: str  # 2025-06-30
    month: str  # 2025-06
    day_ends_at: float
    month_ends_at: float

    @classmethod
    def at(cls, epoch_s: float) -> Windows:
        moment = dt.datetime.fromtimestamp(epoch_s, tz=dt.UTC)
        day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        first = day.replace(day=1)
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        return cls(
            day=day.strftime("%Y-%m-%d"),
            month=first.strftime("%Y-%m"),
            day_ends_at=(day + dt.timedelta(days=1)).timestamp(),
            month_ends_at=next_month.timestamp(),
        )
