"""Fleet-wide Ollama host slots on a real redis-server: caps hold across processes, dead holders expire."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time
import uuid
from typing import Any

import pytest
import redis

from producer.local_stack import RedisServer, wait_until
from worker.flow.slots import HostSlots
from worker.settings import OLLAMA_SLOT_LEASE_S
from worker.store import keys
from worker.store.slots import SlotLeases

pytestmark = pytest.mark.integration

HOSTS = ("http://gpu1:11434", "http://gpu2:11434", "http://gpu3:11434")


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def test_least_loaded_host_first_then_full(client: redis.Redis, prefix: str) -> None:
    """3 hosts x 2 slots: the first three leases spread one per host, six fill them, the seventh waits."""
    slots = HostSlots(SlotLeases(client, prefix), HOSTS, slots_per_host=2)
    first = [slots.acquire(timeout_s=0) for _ in range(3)]
    assert sorted(lease.host for lease in first if lease) == sorted(HOSTS)
    more = [slots.acquire(timeout_s=0) for _ in range(3)]
    assert all(more)
    assert slots.in_flight() == dict.fromkeys(HOSTS, 2)
    assert slots.acquire(timeout_s=0) is None
    slots.close()
    assert slots.in_flight() == dict.fromkeys(HOSTS, 0)


def test_cool_down_is_shared_by_every_worker(client: redis.Redis, prefix: str) -> None:
    """A host one worker cools down is skipped by another worker's HostSlots, until the time is up."""
    mine = HostSlots(SlotLeases(client, prefix), HOSTS[:2], slots_per_host=1)
    theirs = HostSlots(SlotLeases(client, prefix), HOSTS[:2], slots_per_host=1)
    mine.cool_down(HOSTS[0], 0.3)
    lease = theirs.acquire(timeout_s=0)
    assert lease is not None and lease.host == HOSTS[1]
    assert theirs.acquire(timeout_s=0) is None  # the other host is cooling, this one is full
    started = time.monotonic()
    back = theirs.acquire(timeout_s=2)
    assert back is not None and back.host == HOSTS[0]
    assert time.monotonic() - started >= 0.2  # it waited for the cool-down, not a moment more than asked
    theirs.close()


def test_cool_down_extends_but_never_shortens(client: redis.Redis, prefix: str) -> None:
    slots = HostSlots(SlotLeases(client, prefix), HOSTS[:1], slots_per_host=1)
    slots.cool_down(HOSTS[0], 5)
    slots.cool_down(HOSTS[0], 0.1)
    assert slots.status()[HOSTS[0]][1] > 4


def test_excluded_hosts_are_never_picked(client: redis.Redis, prefix: str) -> None:
    slots = HostSlots(SlotLeases(client, prefix), HOSTS[:2], slots_per_host=4)
    picks = [slots.acquire(timeout_s=0, exclude={HOSTS[0]}) for _ in range(4)]
    assert {lease.host for lease in picks if lease} == {HOSTS[1]}
    assert slots.acquire(timeout_s=5, exclude=set(HOSTS)) is None  # nothing to pick: answers at once
    slots.close()


def test_a_release_wakes_a_waiter_at_once(
    client: redis.Redis, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A waiter is woken by the release itself, not by its fallback poll (made 30 s long here)."""
    import worker.flow.slots as slots_module

    monkeypatch.setattr(slots_module, "_MAX_BLOCK_S", 30.0)
    slots = HostSlots(SlotLeases(client, prefix), HOSTS[:1], slots_per_host=1, lease_s=60.0)
    held = slots.acquire(timeout_s=0)
    assert held is not None
    got: list[float] = []

    def wait() -> None:
        lease = slots.acquire(timeout_s=25)
        got.append(time.monotonic())
        assert lease is not None
        lease.release()

    waiter = threading.Thread(target=wait)
    waiter.start()
    wait_until(lambda: int(client.info("clients")["blocked_clients"]) >= 1, 10, "the waiter to block")
    released_at = time.monotonic()
    held.release()
    waiter.join(timeout=25)
    # Without the wake-up the waiter would sleep until its poll or the lease expiry (30 s / 60 s).
    assert got and got[0] - released_at < 5.0


def _hammer(url: str, prefix: str, seconds: float, seed: int) -> None:
    client = redis.Redis.from_url(url, decode_responses=True)
    slots = HostSlots(SlotLeases(client, prefix), HOSTS, slots_per_host=2)  # the shipped lease
    stop_at = time.monotonic() + seconds

    def loop(rng: random.Random) -> None:
        while time.monotonic() < stop_at:
            lease = slots.acquire(timeout_s=1)
            if lease is None:
                continue
            with lease:
                key = f"{prefix}:inflight:{lease.host}"
                if client.incr(key) > 2:
                    client.set(f"{prefix}:over:{lease.host}", 1)
                client.incr(f"{prefix}:served:{lease.host}")
                time.sleep(rng.uniform(0, 0.01))
                client.decr(key)

    threads = [threading.Thread(target=loop, args=(random.Random(seed * 10 + i),)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_in_flight_per_host_never_exceeds_its_slots_across_processes(
    redis_server: RedisServer, client: redis.Redis, prefix: str
) -> None:
    """4 processes x 4 threads on 3 hosts x 2 slots: no host ever holds a third request, all are used."""
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_hammer, args=(redis_server.url, prefix, 2.0, i)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    for host in HOSTS:
        assert client.get(f"{prefix}:over:{host}") is None, f"{host} held more than 2 requests at once"
        assert int(client.get(f"{prefix}:served:{host}") or 0) > 20


def _hold_forever(url: str, prefix: str, ready: Any) -> None:
    client = redis.Redis.from_url(url, decode_responses=True)
    slots = HostSlots(SlotLeases(client, prefix), HOSTS[:1], slots_per_host=1)  # the shipped lease
    lease = slots.acquire(timeout_s=0)
    assert lease is not None
    ready.set()
    time.sleep(600)


def test_a_killed_holder_keeps_its_slot_while_alive_and_loses_it_within_the_lease(
    redis_server: RedisServer, client: redis.Redis, prefix: str
) -> None:
    """With the shipped lease: a live holder's renewals keep its slot past the lease; once it is SIGKILLed,
    a waiter gets the slot within the lease (the script's hint wakes it when the lease runs out)."""
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_forever, args=(redis_server.url, prefix, ready))
    holder.start()
    try:
        assert ready.wait(20)
        slots = HostSlots(SlotLeases(client, prefix), HOSTS[:1], slots_per_host=1)
        # Alive: renewals keep the slot taken well past one lease.
        assert slots.acquire(timeout_s=OLLAMA_SLOT_LEASE_S * 1.5) is None
        os.kill(holder.pid, signal.SIGKILL)  # type: ignore[arg-type]
        killed_at = time.monotonic()
        lease = slots.acquire(timeout_s=OLLAMA_SLOT_LEASE_S * 2)
        assert lease is not None
        assert time.monotonic() - killed_at <= OLLAMA_SLOT_LEASE_S + 1.0
        lease.release()
    finally:
        holder.kill()
        holder.join()


def test_ready_in_says_when_a_host_comes_back(client: redis.Redis, prefix: str) -> None:
    slots = HostSlots(SlotLeases(client, prefix), HOSTS[:2], slots_per_host=1)
    slots.cool_down(HOSTS[0], 3)
    slots.cool_down(HOSTS[1], 5)
    assert 2.5 < slots.ready_in_s() <= 3
    lease = slots.acquire(timeout_s=0)
    assert lease is None


def test_a_host_failing_again_and_again_cools_down_longer_and_an_answer_starts_over(
    client: redis.Redis, prefix: str
) -> None:
    """The shipped cool-down (10 s) is the most: one failure sidelines a host 1 s, each one after it in a
    row twice as long. Ollama's 503 "server busy" carries no Retry-After: one of them from the only host
    must not stall every local job for 10 s."""
    slots = HostSlots(SlotLeases(client, prefix), HOSTS[:1], slots_per_host=1)
    waits = []
    for _ in range(5):
        slots.cool_down(HOSTS[0])
        waits.append(slots.ready_in_s())
    for wait, expected in zip(waits, (1, 2, 4, 8, 10), strict=True):
        assert expected - 0.5 < wait <= expected

    again = HostSlots(SlotLeases(client, prefix), HOSTS[1:2], slots_per_host=1)

    def cooling_s() -> float:
        return again.status()[HOSTS[1]][1]

    again.cool_down(HOSTS[1])
    wait_until(lambda: cooling_s() <= 0, 5, "the first cool-down to end")
    again.cool_down(HOSTS[1])
    assert 1 < cooling_s() <= 2  # the second failure in a row
    wait_until(lambda: cooling_s() <= 0, 5, "the second cool-down to end")
    again.answered(HOSTS[1])
    again.cool_down(HOSTS[1])
    assert 0.5 < cooling_s() <= 1  # an answer in between: the first failure again


def test_a_lost_lease_is_reported_once_and_no_longer_renewed(client: redis.Redis, prefix: str) -> None:
    """A renewal that comes too late finds its lease gone (here: dropped from Redis by hand): it says so
    once and stops renewing it; the leases still held stay renewed."""
    slots = HostSlots(SlotLeases(client, prefix), HOSTS[:1], slots_per_host=2, renew=False)
    gone, kept = slots.acquire(timeout_s=0), slots.acquire(timeout_s=0)
    assert gone is not None and kept is not None
    client.zrem(keys.slot_leases(prefix, HOSTS[0]), gone.id)
    assert slots.renew() == 1
    assert slots.renew() == 0
    assert slots.in_flight() == {HOSTS[0]: 1}
    gone.release()  # the call ends: nothing left to give back
    kept.release()
    assert slots.in_flight() == {HOSTS[0]: 0}
