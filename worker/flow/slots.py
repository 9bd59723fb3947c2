"""Fleet-wide slots per local host in Redis: in-flight requests per host never exceed its `parallel`.

Hosts of both kinds (Ollama, OpenAI-compatible servers such as vLLM or llama.cpp) share one set of slots:
each host has its own slot count (a vLLM host takes dozens of requests at once, an Ollama host a few).

Each host has a sorted set of leases scored by their expiry (Redis `TIME`, microseconds). One Lua script
drops expired leases, skips hosts in cool-down (a key with a TTL, shared by the fleet), picks the host
with the fewest live leases (ties: config order) and adds the lease — atomically, so two workers on two
machines can never both take a host's last slot. A holder renews its leases from a background thread
every `RENEW_EVERY_S` (`lease_s / 3` for a shorter lease); a killed worker stops renewing and its slots
come back within `lease_s`. The renewer is a thread of the local pool's process, so on a busy machine it
waits for the GIL and for a core behind the pool's threads: a renewal runs late by up to seconds
(tests/bench/bench_lease_renewal.py), which is what the lease must outlast, not the interval.

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

from worker.settings import OLLAMA_SLOT_LEASE_S
from worker.store.slots import SlotLeases

__all__ = ["HostSlots", "SlotLease"]

log = structlog.get_logger("turnout.flow.slots")
_MAX_BLOCK_S = 0.25
# A host's first failure sidelines it this long (capped by `cooldown_s`); each further failure in a row
# doubles it, up to `cooldown_s`. Ollama's 503 "server busy" and vLLM's 5xx carry no Retry-After, and
# one of them from the only host must not stall every local job for the whole cool-down.
FIRST_COOLDOWN_S = 1.0
RENEW_EVERY_S = 1.0  # a renewal is one EVALSHA per process, whatever it holds: cheap to send often


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
        leases: SlotLeases,
        hosts: tuple[str, ...],
        slots_per_host: int | Mapping[str, int],
        lease_s: float = OLLAMA_SLOT_LEASE_S,
        *,
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
        self._leases = leases  # the Redis side: worker/store/slots.py
        self.urls = tuple(hosts)
        self.slots = per_host
        self.lease_s = lease_s
        self.cooldown_s = cooldown_s
        self._failures: dict[str, int] = {}  # failures in a row per host, as this process saw them
        self._renew_enabled = renew
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
            index, wait_us = self._leases.acquire(self.urls, self._counts(), barred, self.lease_s, lease_id)
            if index > 0:
                return self._hold(SlotLease(self, self.urls[index - 1], lease_id))
            if index < 0:
                return None
            left_s = deadline - time.monotonic()
            if left_s <= 0:
                return None
            hint_s = wait_us / 1_000_000 if wait_us >= 0 else left_s
            # A release wakes one waiter at once; an expiry or a cool-down ending is bounded by the hint.
            # The cap is a safety net for a wake-up taken by a waiter that could not use it (`exclude`).
            wait_s = min(left_s, hint_s + 0.001, _MAX_BLOCK_S)
            self._leases.wait_for_release(max(0.001, wait_s))

    def cool_down(self, url: str, seconds: float | None = None) -> None:
        """Take `url` out of rotation for every worker of the fleet (extends, never shortens).

        `seconds`: the host's own word (Retry-After). Without it: `FIRST_COOLDOWN_S`, doubled for each
        failure in a row since the host last answered, at most `cooldown_s`."""
        if seconds is None:
            with self._held_lock:
                in_a_row = self._failures[url] = self._failures.get(url, 0) + 1
            seconds = min(self.cooldown_s, FIRST_COOLDOWN_S * 2 ** min(in_a_row - 1, 32))
        if seconds > 0:
            self._leases.cool_down(url, max(1, round(seconds * 1000)))

    def answered(self, url: str) -> None:
        """`url` answered: its next failure starts the cool-downs from the first again."""
        if url in self._failures:
            with self._held_lock:
                self._failures.pop(url, None)

    def in_flight(self) -> dict[str, int]:
        """Live leases per host across the fleet."""
        return {url: n for url, (n, _) in self.status().items()}

    def status(self) -> dict[str, tuple[int, float]]:
        """Per host: (live leases, seconds of cool-down left)."""
        found = self._leases.status(self.urls)
        return {
            url: (leases, cool_ms / 1000) for url, (leases, cool_ms) in zip(self.urls, found, strict=True)
        }

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

    def _counts(self) -> list[int]:
        return [self.slots[url] for url in self.urls]

    def _release(self, lease: SlotLease) -> None:
        with self._held_lock:
            self._held.pop(lease.id, None)
        self._leases.release(lease.host, lease.id, self.total_slots)

    def renew(self) -> int:
        """Extend every lease this process holds; returns how many had already expired (and were lost)."""
        with self._held_lock:
            held = list(self._held.values())
        if not held:
            return 0
        flags = self._leases.renew([(lease.host, lease.id) for lease in held], self.lease_s)
        lost = [lease for lease, ok in zip(held, flags, strict=True) if not ok]
        with self._held_lock:  # gone from Redis: renewing it again would only warn again every second
            for lease in lost:
                self._held.pop(lease.id, None)
        for lease in lost:
            log.warning("slot_lease_lost", host=lease.host)
        return len(lost)

    def _renew_loop(self) -> None:
        stop = self._stop
        while not stop.wait(min(RENEW_EVERY_S, self.lease_s / 3)):
            with self._held_lock:
                if not self._held:  # idle: stop; the next lease starts a new renewer
                    self._renewer = None
                    return
            try:
                self.renew()
            except redis.RedisError as exc:
                log.warning("slot_renew_failed", error_type=type(exc).__name__)
