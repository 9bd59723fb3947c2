"""Fleet-wide slots per local host in Redis: in-flight requests per host never exceed its `parallel`.

Hosts of both kinds (Ollama, OpenAI-compatible servers such as vLLM or llama.cpp) share one set of slots:
each host has its own slot count (a vLLM host takes dozens of requests at once, an Ollama host a few).

Each host has a sorted set of leases scored by their expiry (Redis `TIME`, microseconds). One Lua script
drops expired leases, skips hosts in cool-down (a key with a TTL, shared by the fleet), picks the host
with the fewest live leases (ties: config order) and adds the lease — atomically, so two workers on two
machines can never both take a host's last slot. A holder renews its leases from a background thread
every `lease_s / 3`; a killed worker stops renewing and its slots come back within `lease_s`.

Waiting is not polling: a release pushes a token on a wake-up list that waiters BLPOP, and when nothing
will be released (all hosts cooling down, or a dead holder's lease still running) the script says how
long until the next slot can free up, which bounds the wait.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import redis
import structlog

__all__ = ["HostSlots", "SlotLease"]

log = structlog.get_logger("turnout.flow.slots")

_US = 1_000_000
_MAX_BLOCK_S = 0.25

# KEYS: wake list, then (leases, cooldown) per host. ARGV: lease_us, id, then per host its slots and a
# 0/1 (1 = may not be picked). Returns {index, 0} for a granted host (1-based), {0, wait_us} when every
# allowed host is full or cooling (wait_us: until the next lease expiry or cool-down end, -1 unknown),
# {-1, 0} when no host may be picked at all.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local lease = tonumber(ARGV[1])
local hosts = (#KEYS - 1) / 2
local best, best_count, next_free, allowed = nil, nil, -1, 0
local function sooner(us)
  if us >= 0 and (next_free < 0 or us < next_free) then next_free = us end
end
for i = 1, hosts do
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i], '-inf', now)
  -- Sent again (a lost reply, a re-sent pipeline): the lease this id already holds, not a second one.
  if redis.call('ZSCORE', KEYS[2 * i], ARGV[2]) then return {i, 0} end
end
for i = 1, hosts do
  local leases, cool = KEYS[2 * i], KEYS[2 * i + 1]
  local slots = tonumber(ARGV[1 + 2 * i])
  if ARGV[2 + 2 * i] == '0' then
    allowed = allowed + 1
    local cooling = redis.call('PTTL', cool)
    if cooling > 0 then
      sooner(cooling * 1000)
    else
      local count = redis.call('ZCARD', leases)
      if count < slots then
        if best == nil or count < best_count then best, best_count = i, count end
      else
        local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
        if #first > 0 then sooner(tonumber(first[2]) - now) end
      end
    end
  end
end
if best then
  local leases = KEYS[2 * best]
  redis.call('ZADD', leases, now + lease, ARGV[2])
  redis.call('PEXPIRE', leases, math.ceil(lease / 1000) * 2)
  return {best, 0}
end
if allowed == 0 then return {-1, 0} end
return {0, next_free}
"""

# KEYS: wake list, leases. ARGV: id, wake list cap. Returns 1 if the lease was still held.
_RELEASE = """
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('LPUSH', KEYS[1], '1')
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], 60000)
return 1
"""

# KEYS: leases of each held lease. ARGV: lease_us, then the ids in KEYS order. Returns 1/0 per lease
# (0: it had already expired and may be held by someone else now).
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local lease = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  local score = redis.call('ZSCORE', KEYS[i], ARGV[1 + i])
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[i], now + lease, ARGV[1 + i])
    redis.call('PEXPIRE', KEYS[i], math.ceil(lease / 1000) * 2)
    out[i] = 1
  else
    redis.call('ZREM', KEYS[i], ARGV[1 + i])
    out[i] = 0
  end
end
return out
"""

# KEYS: cooldown. ARGV: ms. Extends a cool-down, never shortens one.
_COOL = """
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
"""

# KEYS: (leases, cooldown) per host. Returns {live leases, cool-down ms left} per host.
_STATUS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local out = {}
for i = 1, #KEYS / 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i - 1], '-inf', now)
  out[2 * i - 1] = redis.call('ZCARD', KEYS[2 * i - 1])
  out[2 * i] = math.max(0, redis.call('PTTL', KEYS[2 * i]))
end
return out
"""


@dataclass
class SlotLease:
    """One slot on `host`, held until released (or until its holder stops renewing it)."""

    slots: HostSlots
    host: str
    id: str
    released: bool = field(default=False, init=False)

    def release(self) -> None:
        """Give the slot back (once; a second call does nothing)."""
        if not self.released:
            self.released = True
            self.slots._release(self)

    def __enter__(self) -> SlotLease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class HostSlots:
    """The local hosts as the whole fleet sees them. Thread-safe; one per worker process is enough.

    `slots_per_host`: one count for every host, or a count per host URL."""

    def __init__(
        self,
        redis_client: redis.Redis,
        hosts: tuple[str, ...],
        slots_per_host: int | Mapping[str, int],
        lease_s: float = 15.0,
        *,
        key_prefix: str = "local",
        cooldown_s: float = 10.0,
        renew: bool = True,
    ):
        if not hosts:
            raise ValueError("HostSlots needs at least one host")
        if len(set(hosts)) != len(hosts):
            raise ValueError("hosts must be distinct")
        per_host = (
            {url: slots_per_host for url in hosts}
            if isinstance(slots_per_host, int)
            else {url: slots_per_host[url] for url in hosts}
        )
        if min(per_host.values()) < 1 or lease_s <= 0:
            raise ValueError("slots_per_host must be >= 1 and lease_s > 0")
        self.redis = redis_client
        self.urls = tuple(hosts)
        self.slots = per_host
        self.lease_s = lease_s
        self.cooldown_s = cooldown_s
        self._renew_enabled = renew
        base = f"tn:slots:{{{key_prefix}}}"
        self._wake_key = f"{base}:wake"
        self._lease_keys = {url: f"{base}:leases:{url}" for url in self.urls}
        self._cool_keys = {url: f"{base}:cool:{url}" for url in self.urls}
        self._acquire_script = redis_client.register_script(_ACQUIRE)
        self._release_script = redis_client.register_script(_RELEASE)
        self._renew_script = redis_client.register_script(_RENEW)
        self._cool_script = redis_client.register_script(_COOL)
        self._status_script = redis_client.register_script(_STATUS)
        self._held: dict[str, SlotLease] = {}
        self._held_lock = threading.Lock()
        self._renewer: threading.Thread | None = None
        self._renewer_pid = 0
        self._stop = threading.Event()

    @property
    def total_slots(self) -> int:
        return sum(self.slots.values())

    def slots_of(self, url: str) -> int:
        return self.slots[url]

    # -- the API the backend uses ---------------------------------------------------------------------
    def acquire(
        self, timeout_s: float, exclude: Collection[str] = (), only: Collection[str] | None = None
    ) -> SlotLease | None:
        """A slot on the least-loaded healthy host, waiting up to `timeout_s` for one to free up.

        None when the time is up, or at once when `exclude`/`only` leave no host to pick from."""
        barred = [url in exclude or (only is not None and url not in only) for url in self.urls]
        deadline = time.monotonic() + max(0.0, timeout_s)
        while True:
            lease_id = uuid.uuid4().hex
            keys, args = self._acquire_call(lease_id, barred)
            index, wait_us = self._acquire_script(keys=keys, args=args)
            if int(index) > 0:
                return self._hold(SlotLease(self, self.urls[int(index) - 1], lease_id))
            if int(index) < 0:
                return None
            left_s = deadline - time.monotonic()
            if left_s <= 0:
                return None
            hint_s = int(wait_us) / _US if int(wait_us) >= 0 else left_s
            # A release wakes one waiter at once; an expiry or a cool-down ending is bounded by the hint.
            # The cap is a safety net for a wake-up taken by a waiter that could not use it (`exclude`).
            wait_s = min(left_s, hint_s + 0.001, _MAX_BLOCK_S)
            self.redis.blpop([self._wake_key], timeout=max(0.001, wait_s))

    def cool_down(self, url: str, seconds: float | None = None) -> None:
        """Take `url` out of rotation for every worker of the fleet (extends, never shortens)."""
        seconds = self.cooldown_s if seconds is None else seconds
        if seconds > 0:
            self._cool_script(keys=[self._cool_keys[url]], args=[max(1, round(seconds * 1000))])

    def in_flight(self) -> dict[str, int]:
        """Live leases per host across the fleet."""
        return {url: n for url, (n, _) in self.status().items()}

    def status(self) -> dict[str, tuple[int, float]]:
        """Per host: (live leases, seconds of cool-down left)."""
        keys: list[str] = []
        for url in self.urls:
            keys += [self._lease_keys[url], self._cool_keys[url]]
        raw = self._status_script(keys=keys)
        return {url: (int(raw[2 * i]), int(raw[2 * i + 1]) / 1000) for i, url in enumerate(self.urls)}

    def ready_in_s(self) -> float:
        """How long until some host may take a job: the shortest cool-down left, a moment if all are busy."""
        cooling = [left_s for _, left_s in self.status().values()]
        if any(left_s <= 0 for left_s in cooling):
            return 0.2  # a healthy host is full: a slot frees up when a call ends
        return max(0.05, min(cooling))

    # -- lifecycle ------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop renewing and give back every slot this process holds."""
        self._stop.set()
        with self._held_lock:
            held = list(self._held.values())
        for lease in held:
            lease.release()

    def _hold(self, lease: SlotLease) -> SlotLease:
        with self._held_lock:
            if self._renewer_pid != os.getpid():  # a forked child must not count its parent's leases
                self._held.clear()
                self._renewer = None
                self._renewer_pid = os.getpid()
            self._held[lease.id] = lease
            if self._renew_enabled and self._renewer is None:
                self._stop = threading.Event()
                self._renewer = threading.Thread(
                    target=self._renew_loop, name="turnout-slot-renewer", daemon=True
                )
                self._renewer.start()
        return lease

    def _acquire_call(self, lease_id: str, barred: list[bool]) -> tuple[list[str], list[str | int]]:
        """The acquire script's keys and arguments (`barred`: per host, True if it may not be picked)."""
        keys = [self._wake_key]
        for url in self.urls:
            keys += [self._lease_keys[url], self._cool_keys[url]]
        per_host: list[str | int] = []
        for url, bar in zip(self.urls, barred, strict=True):
            per_host += [self.slots[url], "1" if bar else "0"]
        return keys, [round(self.lease_s * _US), lease_id, *per_host]

    def _release_call(self, lease: SlotLease) -> tuple[list[str], list[str | int]]:
        return [self._wake_key, self._lease_keys[lease.host]], [
            lease.id,
            self.total_slots,
        ]

    def _release(self, lease: SlotLease) -> None:
        with self._held_lock:
            self._held.pop(lease.id, None)
        keys, args = self._release_call(lease)
        self._release_script(keys=keys, args=args)

    def renew(self) -> int:
        """Extend every lease this process holds; returns how many had already expired (and were lost)."""
        with self._held_lock:
            held = list(self._held.values())
        if not held:
            return 0
        flags = self._renew_script(
            keys=[self._lease_keys[lease.host] for lease in held],
            args=[round(self.lease_s * _US), *(lease.id for lease in held)],
        )
        lost = [lease for lease, ok in zip(held, flags, strict=True) if not int(ok)]
        for lease in lost:
            log.warning("slot_lease_lost", host=lease.host)
        return len(lost)

    def _renew_loop(self) -> None:
        stop = self._stop
        while not stop.wait(self.lease_s / 3):
            with self._held_lock:
                if not self._held:  # idle: stop; the next lease starts a new renewer
                    self._renewer = None
                    return
            try:
                self.renew()
            except redis.RedisError as exc:
                log.warning("slot_renew_failed", error_type=type(exc).__name__)
