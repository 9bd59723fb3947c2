"""The Redis side of the fleet-wide host slots (worker/flow/slots.py says how they work): each host's
leases and cool-down, the wake-up list, and the scripts that take, give back, renew and read them."""

from __future__ import annotations

from typing import Any

import redis

from worker.store import keys
from worker.store.lua import source

_US = 1_000_000


class SlotLeases:
    """The slots of one set of hosts (`key_prefix`: the fleet's; tests use their own)."""

    def __init__(self, client: redis.Redis, key_prefix: str = "local"):
        self.redis: Any = client
        self.key_prefix = key_prefix
        self.wake_key = keys.slot_wake(key_prefix)
        self._acquire = client.register_script(source("slots_acquire"))
        self._release = client.register_script(source("slots_release"))
        self._renew = client.register_script(source("slots_renew"))
        self._cool = client.register_script(source("slots_cool"))
        self._status = client.register_script(source("slots_status"))

    def acquire(
        self, urls: tuple[str, ...], slots: list[int], barred: list[bool], lease_s: float, lease_id: str
    ) -> tuple[int, int]:
        """Take a slot on the least-loaded host that is not `barred`, under `lease_id`: (its index in
        `urls`, 1-based, 0); (0, microseconds until one may free up, -1 unknown) when all are full or
        cooling; (-1, 0) when every host is barred."""
        keys_ = [self.wake_key]
        for url in urls:
            keys_ += [keys.slot_leases(self.key_prefix, url), keys.slot_cooldown(self.key_prefix, url)]
        per_host: list[str | int] = []
        for count, bar in zip(slots, barred, strict=True):
            per_host += [count, "1" if bar else "0"]
        index, wait_us = self._acquire(keys=keys_, args=[round(lease_s * _US), lease_id, *per_host])
        return int(index), int(wait_us)

    def wait_for_release(self, timeout_s: float) -> None:
        """Block until a slot is given back somewhere in the fleet, or `timeout_s` passes."""
        self.redis.blpop([self.wake_key], timeout=timeout_s)

    def release(self, url: str, lease_id: str, total_slots: int) -> None:
        # The wake-up list is capped at the fleet's slots: more tokens than that could wake nobody useful.
        self._release(
            keys=[self.wake_key, keys.slot_leases(self.key_prefix, url)], args=[lease_id, total_slots]
        )

    def renew(self, held: list[tuple[str, str]], lease_s: float) -> list[bool]:
        """Extend each (url, lease id) held; per lease, False when it had already expired (and is lost)."""
        flags = self._renew(
            keys=[keys.slot_leases(self.key_prefix, url) for url, _ in held],
            args=[round(lease_s * _US), *(lease_id for _, lease_id in held)],
        )
        return [bool(int(ok)) for ok in flags]

    def cool_down(self, url: str, ms: int) -> None:
        """Take `url` out of rotation for `ms` (extends a cool-down, never shortens one)."""
        self._cool(keys=[keys.slot_cooldown(self.key_prefix, url)], args=[ms])

    def status(self, urls: tuple[str, ...]) -> list[tuple[int, int]]:
        """Per host: (live leases, milliseconds of cool-down left)."""
        keys_: list[str] = []
        for url in urls:
            keys_ += [keys.slot_leases(self.key_prefix, url), keys.slot_cooldown(self.key_prefix, url)]
        raw = self._status(keys=keys_)
        return [(int(raw[2 * i]), int(raw[2 * i + 1])) for i in range(len(urls))]
