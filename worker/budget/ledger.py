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
All keys share one hash tag, so the scripts are cluster-safe.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import redis

PREFIX = "tn:budget:{budget}"
KEEP_S = 7 * 86_400  # how long a window's ledger (and a reservation record) outlives it

_LUA_COMMON = """
local P = ARGV[1]
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local function split(s)
  local out = {}
  for w in string.gmatch(s, '%S+') do out[#out + 1] = w end
  return out
end
local function is_window(k)
  return string.find(k, ':p:', 1, true) ~= nil
end
-- A ledger recreated by a late write after its window's key expired must expire again.
local function keep(k, keep_s)
  if is_window(k) and redis.call('TTL', k) == -1 then redis.call('EXPIRE', k, keep_s) end
end
-- Reservations whose lease ran out (their worker died or hung): charge them at their estimate, since
-- we cannot know what the provider billed. The record stays, so a late settle or release corrects it.
local function sweep(now)
  local ids = redis.call('ZRANGEBYSCORE', P .. ':leases', '-inf', now, 'LIMIT', 0, 25)
  for _, id in ipairs(ids) do
    local rk = P .. ':res:' .. id
    local r = redis.call('HMGET', rk, 'amount', 'ledgers', 'state')
    if r[1] and r[3] == 'live' then
      for _, k in ipairs(split(r[2])) do
        redis.call('HINCRBY', k, 'reserved', '-' .. r[1])
        redis.call('HINCRBY', k, 'in_flight', -1)
        redis.call('HINCRBY', k, 'unknown', r[1])
        redis.call('HINCRBY', k, 'expired', 1)
      end
      redis.call('HSET', rk, 'state', 'expired')
    end
    redis.call('ZREM', P .. ':leases', id)
  end
end
"""

# Civil dates from days since 1970-01-01 and back (H. Hinnant's algorithms): Redis's Lua has no os.date.
_LUA_DATES = """
local function civil(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
"""

# ARGV: prefix, id, amount, lease_us, keep_s, batch_id ('' none), provider ('' none), day_cap, month_cap
# ('0' none). Returns {1} (granted, or already reserved under this id) or {0, then per denying cap:
# name, hard (1/0), resets_in_s (-1 never), spent, reserved, cap}.
_RESERVE = (
    _LUA_COMMON
    + _LUA_DATES
    + """
local id, amount_s, keep_s = ARGV[2], ARGV[3], tonumber(ARGV[5])
local now = now_us()
sweep(now)
local rk = P .. ':res:' .. id
if redis.call('EXISTS', rk) == 1 then return {1} end
local ledgers = {}
if ARGV[6] ~= '' then
  local k = P .. ':batch:' .. ARGV[6]
  local cap = redis.call('HGET', k, 'cap')
  if cap then ledgers[#ledgers + 1] = {k, cap, 'batch', -1, 0} end
end
if ARGV[7] ~= '' then
  local sec = math.floor(now / 1000000)
  local days = math.floor(sec / 86400)
  local y, m, d = civil(days)
  local base = P .. ':p:' .. ARGV[7]
  if ARGV[8] ~= '0' then
    local ends = (days + 1) * 86400
    ledgers[#ledgers + 1] = {base .. string.format(':day:%04d-%02d-%02d', y, m, d), ARGV[8], 'day', ends - sec, ends}
  end
  if ARGV[9] ~= '0' then
    local ny, nm = y, m + 1
    if nm == 13 then ny, nm = y + 1, 1 end
    local ends = days_from_civil(ny, nm, 1) * 86400
    ledgers[#ledgers + 1] = {base .. string.format(':month:%04d-%02d', y, m), ARGV[9], 'month', ends - sec, ends}
  end
end
if #ledgers == 0 then return {1} end
local amount = tonumber(amount_s)
local out = {0}
for _, L in ipairs(ledgers) do
  local v = redis.call('HMGET', L[1], 'settled', 'unknown', 'reserved')
  local spent = tonumber(v[1] or '0') + tonumber(v[2] or '0')
  local reserved = tonumber(v[3] or '0')
  local cap = tonumber(L[2])
  local hard = spent + amount > cap
  if hard or spent + reserved + amount > cap then
    redis.call('HINCRBY', L[1], 'denied', 1)
    if L[5] > 0 then
      redis.call('HSET', L[1], 'cap', L[2])
      redis.call('EXPIREAT', L[1], string.format('%d', L[5] + keep_s))
    end
    for _, x in ipairs({L[3], hard and 1 or 0, L[4], string.format('%d', spent), string.format('%d', reserved), L[2]}) do
      out[#out + 1] = x
    end
  end
end
if #out > 1 then return out end
local keys = {}
for _, L in ipairs(ledgers) do
  local k = L[1]
  local reserved = redis.call('HINCRBY', k, 'reserved', amount_s)
  redis.call('HINCRBY', k, 'in_flight', 1)
  redis.call('HINCRBY', k, 'granted', 1)
  redis.call('HINCRBY', k, 'reserved_total', amount_s)
  if reserved > tonumber(redis.call('HGET', k, 'peak_reserved') or '0') then
    redis.call('HSET', k, 'peak_reserved', string.format('%d', reserved))
  end
  if L[5] > 0 then
    redis.call('HSET', k, 'cap', L[2])
    redis.call('EXPIREAT', k, string.format('%d', L[5] + keep_s))
  end
  keys[#keys + 1] = k
end
redis.call('HSET', rk, 'amount', amount_s, 'ledgers', table.concat(keys, ' '), 'state', 'live')
redis.call('EXPIRE', rk, string.format('%d', keep_s + math.ceil(tonumber(ARGV[4]) / 1000000)))
redis.call('ZADD', P .. ':leases', string.format('%d', now + tonumber(ARGV[4])), id)
return {1}
"""
)

# ARGV: prefix, id, mode (settle | release | unknown), actual cost (settle), keep_s.
# Returns 1, or 0 when there is no such reservation (settled already, or nothing was booked).
_FINISH = (
    _LUA_COMMON
    + """
local id, mode, keep_s = ARGV[2], ARGV[3], tonumber(ARGV[5])
local rk = P .. ':res:' .. id
local r = redis.call('HMGET', rk, 'amount', 'ledgers', 'state')
if not r[1] then return 0 end
redis.call('DEL', rk)
redis.call('ZREM', P .. ':leases', id)
local over = mode == 'settle' and tonumber(ARGV[4]) - tonumber(r[1]) or 0
for _, k in ipairs(split(r[2])) do
  if r[3] == 'live' then
    redis.call('HINCRBY', k, 'reserved', '-' .. r[1])
    redis.call('HINCRBY', k, 'in_flight', -1)
  else
    redis.call('HINCRBY', k, 'unknown', '-' .. r[1])  -- charged when its lease ran out: undo that
  end
  if mode == 'settle' then
    redis.call('HINCRBY', k, 'settled', ARGV[4])
    redis.call('HINCRBY', k, 'settled_calls', 1)
    if over > 0 then redis.call('HINCRBY', k, 'overrun', string.format('%d', over)) end
  elseif mode == 'unknown' then
    redis.call('HINCRBY', k, 'unknown', r[1])
    redis.call('HINCRBY', k, 'unknown_calls', 1)
  else
    redis.call('HINCRBY', k, 'released', 1)
  end
  keep(k, keep_s)
end
return 1
"""
)

_SWEEP = (
    _LUA_COMMON
    + """
sweep(now_us())
return 1
"""
)


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


class BudgetLedger:
    """Every Redis access of the budgets: reserve, settle, release, and what the ledgers say."""

    def __init__(self, client: redis.Redis, *, keep_s: int = KEEP_S):
        self.redis: Any = client
        self.keep_s = keep_s
        self._reserve = client.register_script(_RESERVE)
        self._finish = client.register_script(_FINISH)
        self._sweep = client.register_script(_SWEEP)

    # keys -------------------------------------------------------------------------------------------
    @staticmethod
    def batch_key(batch_id: str) -> str:
        return f"{PREFIX}:batch:{batch_id}"

    @staticmethod
    def day_key(provider: str, day: str) -> str:
        return f"{PREFIX}:p:{provider}:day:{day}"

    @staticmethod
    def month_key(provider: str, month: str) -> str:
        return f"{PREFIX}:p:{provider}:month:{month}"

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
                PREFIX,
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
            args = [PREFIX, reservation_id, "settle", str(max(0, int(actual))), str(self.keep_s)]
            self._finish(args=args, client=pipe)
        for reservation_id in releases:
            self._finish(args=[PREFIX, reservation_id, "release", "0", str(self.keep_s)], client=pipe)
        pipe.execute()

    def sweep(self) -> None:
        """Charge reservations whose lease ran out (also done by every reserve)."""
        self._sweep(args=[PREFIX])

    def _done(self, reservation_id: str, mode: str, actual: int) -> bool:
        return bool(self._finish(args=[PREFIX, reservation_id, mode, str(actual), str(self.keep_s)]))

    # readouts -----------------------------------------------------------------------------------------
    def now(self) -> float:
        """Redis's clock: the one the scripts put calls into windows by."""
        seconds, micros = self.redis.time()
        return int(seconds) + int(micros) / 1_000_000

    def use(self, key: str, default_cap_pico: int = 0) -> LedgerUse:
        """What one ledger says (all zero when nothing was booked in it yet). The cap is the one the
        workers enforced, written with each booking; `default_cap_pico` before the first."""
        return LedgerUse.parse(self.redis.hgetall(key), default_cap_pico)
