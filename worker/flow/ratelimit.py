"""A global requests/min and tokens/min limiter for the cloud API, shared by every worker through Redis.

Algorithm: a *scheduled sliding-window log*. Each grant is an entry `(send_at, requests, tokens)` in a
sorted set; one Lua script expires old entries, finds the earliest `send_at` (never before the newest
entry already granted) at which the window ending there holds room for the new request in both budgets,
and appends the entry — or answers "not within your timeout" and appends nothing. The caller sleeps
exactly until `send_at`, once; nobody polls.

Why a log and not a token bucket / GCRA: a bucket of capacity C refilling at R per window admits C + R
in some window, so it meets "never above R in any 60 s window" only with C -> 0, and then a GCRA with
variable costs still overshoots by the last request's cost. The log checks the invariant itself: a grant
at t is made only if every entry in (t - W, t] plus the new one fits, and grants are appended in `send_at`
order, so every window of length W — wherever it starts — holds at most the limit. The price is memory
(one entry per request in the last window, ~100 bytes each) and a burst of up to the whole budget at the
start of a window; the reservation queue gives FIFO fairness between waiting workers.

Time is Redis's `TIME`, so workers on machines with skewed clocks share one timeline. `slack_s` keeps an
entry counted a little longer than the window, so jitter between our send time and the provider's arrival
time cannot make two requests look closer than W to the provider.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import redis

from worker.errors import NoBackendAvailable, PermanentBackendError

__all__ = [
    "RateLimitWait",
    "RateLimiter",
    "RequestTooLarge",
    "Reservation",
    "estimate_tokens",
    "parse_duration_s",
]

_US = 1_000_000

# Shared Lua helpers: entries are `requests:tokens` strings in a hash, keyed by reservation id, scored by
# their send time (integer microseconds, exact in a double) in a sorted set; running sums in a hash.
_LUA_COMMON = """
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local function parse(v)
  if not v then return 0, 0 end
  local n, k = string.match(v, '^(%-?%d+):(%-?%d+)$')
  return tonumber(n), tonumber(k)
end
-- Forget entries that no window from `now` on can contain (ts <= now - window).
local function expire(now, window)
  while true do
    local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window, 'LIMIT', 0, 500)
    if #old == 0 then return end
    local costs = redis.call('HMGET', KEYS[2], unpack(old))
    local dn, dk = 0, 0
    for _, v in ipairs(costs) do
      local n, k = parse(v)
      dn = dn + n
      dk = dk + k
    end
    redis.call('ZREM', KEYS[1], unpack(old))
    redis.call('HDEL', KEYS[2], unpack(old))
    redis.call('HINCRBY', KEYS[3], 'req', -dn)
    redis.call('HINCRBY', KEYS[3], 'tok', -dk)
  end
end
local function sums()
  local s = redis.call('HMGET', KEYS[3], 'req', 'tok')
  return tonumber(s[1] or '0'), tonumber(s[2] or '0')
end
local function add(id, at, n, k, now, window)
  redis.call('ZADD', KEYS[1], at, id)
  redis.call('HSET', KEYS[2], id, string.format('%d:%d', n, k))
  redis.call('HINCRBY', KEYS[3], 'req', n)
  redis.call('HINCRBY', KEYS[3], 'tok', k)
  -- An idle limiter cleans itself up once every entry has left the window.
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local ttl_ms = math.ceil((tonumber(last[2]) - now + window) / 1000) + 1000
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ttl_ms) end
end
-- The earliest time >= max(now, newest entry) at which (at - window, at] has room for n requests and
-- k tokens: free the oldest entries until both budgets fit; `at` is when the last one freed leaves.
local function earliest(now, window, rpm, tpm, n, k)
  local req, tok = sums()
  local at = now
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if #newest > 0 and tonumber(newest[2]) > at then at = tonumber(newest[2]) end
  local offset = 0
  local function over()
    return (rpm > 0 and req + n > rpm) or (tpm > 0 and tok + k > tpm)
  end
  while over() do
    local batch = redis.call('ZRANGE', KEYS[1], offset, offset + 199, 'WITHSCORES')
    if #batch == 0 then return nil end
    local ids = {}
    for i = 1, #batch, 2 do ids[#ids + 1] = batch[i] end
    local costs = redis.call('HMGET', KEYS[2], unpack(ids))
    for j = 1, #ids do
      if not over() then break end
      local dn, dk = parse(costs[j])
      req = req - dn
      tok = tok - dk
      local leaves = tonumber(batch[2 * j]) + window
      if leaves > at then at = leaves end
    end
    offset = offset + 200
  end
  return at
end
"""

# KEYS: log, costs, sums. ARGV: rpm, tpm, window_us, tokens, max_wait_us, id.
# Returns {1, wait_us} (granted, send after wait_us) or {0, wait_us} (would wait longer than max_wait_us).
_ACQUIRE = (
    _LUA_COMMON
    + """
local rpm, tpm, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens, max_wait = tonumber(ARGV[4]), tonumber(ARGV[5])
local now = now_us()
expire(now, window)
local at = earliest(now, window, rpm, tpm, 1, tokens)
if not at then return {-1, 0, 0} end
local wait = at - now
if wait > max_wait then return {0, wait, 0} end
add(ARGV[6], at, 1, tokens, now, window)
return {1, wait, at}
"""
)

# KEYS: log, costs, sums. ARGV: id, actual tokens. Returns 1 if the entry was still there.
_SETTLE = """
local v = redis.call('HGET', KEYS[2], ARGV[1])
if not v then return 0 end
local n, k = string.match(v, '^(%-?%d+):(%-?%d+)$')
redis.call('HSET', KEYS[2], ARGV[1], n .. ':' .. ARGV[2])
redis.call('HINCRBY', KEYS[3], 'tok', tonumber(ARGV[2]) - tonumber(k))
return 1
"""

# KEYS: log, costs, sums. ARGV: id. Returns 1 if the entry was still there.
_RELEASE = """
local v = redis.call('HGET', KEYS[2], ARGV[1])
if not v then return 0 end
local n, k = string.match(v, '^(%-?%d+):(%-?%d+)$')
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], 'req', -tonumber(n))
redis.call('HINCRBY', KEYS[3], 'tok', -tonumber(k))
return 1
"""

# KEYS: log, costs, sums. ARGV: rpm, tpm, window_us, remaining_req, reset_req_us, remaining_tok,
# reset_tok_us, id_prefix (remaining -1 = not reported). Adds "phantom" entries for usage the provider
# counts and we do not (another client on the same key, a lower real limit), expiring when the provider
# says its budget is whole again. Returns {phantom_requests, phantom_tokens}.
_OBSERVE = (
    _LUA_COMMON
    + """
local rpm, tpm, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_us()
expire(now, window)
local req, tok = sums()
local out = {0, 0}
local function phantom(slot, limit, used, remaining, reset_us, tolerance)
  if limit <= 0 or remaining < 0 then return end
  local missing = (limit - used) - remaining
  if missing <= tolerance then return end
  local n, k = 0, 0
  if slot == 1 then n = missing else k = missing end
  local leaves = now + math.min(reset_us, window)
  add(ARGV[8] .. slot, leaves - window, n, k, now, window)
  out[slot] = missing
end
phantom(1, rpm, req, tonumber(ARGV[4]), tonumber(ARGV[5]), 0)
phantom(2, tpm, tok, tonumber(ARGV[6]), tonumber(ARGV[7]), math.floor(tpm / 100))
return out
"""
)

# KEYS: log, costs, sums. ARGV: window_us. Returns {requests, tokens} counted in the window now
# (future reservations included).
_USAGE = (
    _LUA_COMMON
    + """
expire(now_us(), tonumber(ARGV[1]))
local req, tok = sums()
return {req, tok}
"""
)


class RateLimitWait(NoBackendAvailable):
    """The budget frees up later than the caller is willing to wait; re-schedule after `retry_after_s`.

    A NoBackendAvailable: nothing was sent, so it is not a failed attempt, only a wait."""

    retry_after_s: float

    def __init__(self, retry_after_s: float):
        super().__init__(
            f"cloud rate limit: next slot in {retry_after_s:.2f}s",
            kind="rate_limit_wait",
            retry_after_s=retry_after_s,
        )


class RequestTooLarge(PermanentBackendError):
    """One request needs more tokens than the whole per-window budget: it can never be sent."""

    def __init__(self, tokens: int, tpm: int):
        super().__init__(
            f"request needs ~{tokens} tokens, more than the {tpm} tokens/min limit", kind="too_many_tokens"
        )


def estimate_tokens(messages: Sequence[Mapping[str, object]], max_output_tokens: int) -> int:
    """Tokens a chat call may cost before it is sent: ~4 characters per token, the chat template's few
    tokens per message, plus the most the answer may take. An overestimate is settled after the call."""
    prompt = 3
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            content = "\n".join(
                str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text"
            )
        prompt += 4 + math.ceil(len(content if isinstance(content, str) else "") / 4)
    return prompt + max(0, max_output_tokens)


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def parse_duration_s(text: str) -> float | None:
    """OpenAI's reset durations ("120ms", "1s", "6m0s", "1h2m3.5s") in seconds; None if unparsable."""
    text = text.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))  # a bare number: seconds
    except ValueError:
        pass
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(a + b for a, b in parts) != text:
        return None
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(value) * scale[unit] for value, unit in parts)


@dataclass
class Reservation:
    """One granted request: settle it with the reported usage, or release it if nothing was sent."""

    limiter: RateLimiter
    id: str
    estimated_tokens: int
    waited_s: float
    send_at_s: float  # on Redis's clock (epoch seconds): where the limiter booked this request
    done: bool = field(default=False, init=False)

    def settle(self, actual_tokens: int) -> None:
        """Replace the estimate with the usage the provider reported (frees budget when we overestimated)."""
        if not self.done:
            self.done = True
            self.limiter._settle(self.id, max(0, actual_tokens))

    def release(self) -> None:
        """Give the request back: only when nothing reached the provider (it counts what it received)."""
        if not self.done:
            self.done = True
            self.limiter._release(self.id)


class RateLimiter:
    """Requests/window and tokens/window budgets shared through Redis by every process on every machine.

    `rpm` / `tpm` of None switch that budget off. `window_s` is 60 for real limits; benchmarks may shrink
    it (the limits then mean "per window"). Keys live under one hash tag, so Redis Cluster works.
    """

    def __init__(
        self,
        redis_client: redis.Redis,
        key_prefix: str,
        rpm: int | None,
        tpm: int | None,
        *,
        window_s: float = 60.0,
        slack_s: float = 1.0,
    ):
        if rpm is None and tpm is None:
            raise ValueError("a RateLimiter needs rpm, tpm or both")
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value < 1:
                raise ValueError(f"{name} must be >= 1")
        if window_s <= 0 or slack_s < 0:
            raise ValueError("window_s must be > 0 and slack_s >= 0")
        self.redis = redis_client
        self.rpm = rpm
        self.tpm = tpm
        self.window_s = window_s
        self.slack_s = slack_s
        self._window_us = round((window_s + slack_s) * _US)
        base = f"tn:rl:{{{key_prefix}}}"
        self.keys = [f"{base}:log", f"{base}:cost", f"{base}:sum"]
        self._acquire = redis_client.register_script(_ACQUIRE)
        self._settle_script = redis_client.register_script(_SETTLE)
        self._release_script = redis_client.register_script(_RELEASE)
        self._observe = redis_client.register_script(_OBSERVE)
        self._usage = redis_client.register_script(_USAGE)

    def acquire(self, estimated_tokens: int, timeout_s: float) -> Reservation:
        """Block until both budgets allow this request (one exact sleep), or raise RateLimitWait at once
        when that would take longer than `timeout_s`. Raises RequestTooLarge if it can never fit."""
        tokens = max(0, int(estimated_tokens))
        if self.tpm is not None and tokens > self.tpm:
            raise RequestTooLarge(tokens, self.tpm)
        reservation_id = uuid.uuid4().hex
        status, wait_us, send_at_us = self._acquire(
            keys=self.keys,
            args=[
                self.rpm or 0,
                self.tpm or 0,
                self._window_us,
                tokens,
                max(0, round(timeout_s * _US)),
                reservation_id,
            ],
        )
        wait_s = int(wait_us) / _US
        if int(status) == 0:
            raise RateLimitWait(retry_after_s=wait_s)
        if int(status) < 0:  # only reachable if the limits changed under a running fleet
            raise RequestTooLarge(tokens, self.tpm or 0)
        if wait_s > 0:
            time.sleep(wait_s)
        return Reservation(self, reservation_id, tokens, wait_s, int(send_at_us) / _US)

    def observe_headers(self, headers: Mapping[str, str]) -> tuple[int, int]:
        """Adapt to the provider's `x-ratelimit-remaining-*` / `x-ratelimit-reset-*` headers.

        When the provider has less left than our ledger says (another client on the same key, a lower real
        limit), the difference is booked until the provider's reset time, so every worker slows down.
        Returns the (requests, tokens) booked; (0, 0) when the provider agrees with us or sent nothing."""
        lowered = {k.lower(): v for k, v in headers.items()}

        def remaining(kind: str) -> tuple[int, int]:
            try:
                left = int(float(lowered[f"x-ratelimit-remaining-{kind}"]))
            except (KeyError, ValueError):
                return -1, 0
            reset_s = parse_duration_s(lowered.get(f"x-ratelimit-reset-{kind}", "")) or self.window_s
            return max(0, left), round(reset_s * _US)

        left_req, reset_req = remaining("requests")
        left_tok, reset_tok = remaining("tokens")
        if left_req < 0 and left_tok < 0:
            return 0, 0
        booked_req, booked_tok = self._observe(
            keys=self.keys,
            args=[
                self.rpm or 0,
                self.tpm or 0,
                self._window_us,
                left_req if self.rpm else -1,
                reset_req,
                left_tok if self.tpm else -1,
                reset_tok,
                f"hdr:{uuid.uuid4().hex}:",
            ],
        )
        return int(booked_req), int(booked_tok)

    def usage(self) -> tuple[int, int]:
        """(requests, tokens) booked in the current window, reservations not yet sent included."""
        req, tok = self._usage(keys=self.keys, args=[self._window_us])
        return int(req), int(tok)

    def reset(self) -> None:
        """Forget every booking (tests, benchmarks, an operator after changing limits)."""
        self.redis.delete(*self.keys)

    def _settle(self, reservation_id: str, tokens: int) -> None:
        self._settle_script(keys=self.keys, args=[reservation_id, tokens])

    def _release(self, reservation_id: str) -> None:
        self._release_script(keys=self.keys, args=[reservation_id])
