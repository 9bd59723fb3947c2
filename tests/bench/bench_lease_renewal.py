"""How late the slot-lease renewer runs on a busy machine: what `TURNOUT_OLLAMA_SLOT_LEASE_S` must outlast.

    .venv/bin/python -m tests.bench.bench_lease_renewal                  # shipped lease, 3 minutes
    .venv/bin/python -m tests.bench.bench_lease_renewal --seconds 600 --threads 32

A local worker (the `local` pool: one process, `--pool threads`) holds its Ollama slots as leases in Redis
and renews them from one background thread every second (worker/flow/slots.py). A renewal later
than the lease's end loses the slot; the longer the lease, the longer a killed worker's slots stay taken.

This process plays a busy local worker: it holds a lease through the real HostSlots, while `--threads`
threads compete for its GIL without pause, parsing a model's answer (`--answer-kb` of JSON, one C call
that holds the GIL throughout) and walking it in pure Python (what the pool's threads do between calls,
here with no call to wait on), and `--spinners` other processes spin on every core. A separate observer
process reads
the lease's expiry from Redis every 50 ms: each renewal sets it to Redis's `TIME` plus the lease, so the
gaps between renewals are Redis-clock exact, whatever the observer's own delays (a renewal it missed would
only make a gap look longer). A script, not a test: it reports.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import threading
import time
import uuid
from typing import Any

import redis

from producer.local_stack import RedisServer
from tests.bench.procstat import machine_line
from worker.flow.slots import RENEW_EVERY_S, HostSlots
from worker.settings import Settings
from worker.store import keys
from worker.store.slots import SlotLeases

HOST = "http://gpu1:11434"


def _spin(stop_at: float) -> None:
    while time.monotonic() < stop_at:
        pass


def _observe(url: str, key: str, lease_us: int, stop_at: float, out: Any) -> None:
    """Every renewal's Redis time (its new expiry minus the lease), until the lease is gone or time is up."""
    client = redis.Redis.from_url(url, decode_responses=True)
    seen: list[float] = []
    last = None
    while time.monotonic() < stop_at:
        score = client.zscore(key, next(iter(client.zrange(key, 0, 0)), ""))
        if score is None:
            seen.append(-1.0)  # the lease was lost
            break
        if score != last:
            seen.append((score - lease_us) / 1_000_000)
            last = score
        time.sleep(0.05)
    out.put(seen)


def _busy_thread(stop: threading.Event, answer_kb: int) -> None:
    """Parse an answer of `answer_kb` KB (one GIL-holding call) and walk it in Python, without pause."""
    rows = max(1, answer_kb * 1024 // 80)
    answer = json.dumps({"rows": [{"id": n, "text": "word " * 12} for n in range(rows)]})
    while not stop.is_set():
        parsed = json.loads(answer)
        total = 0
        for row in parsed["rows"]:
            total += len(row["text"].split()) * row["id"] % 7


def main() -> None:
    shipped = Settings.model_fields["ollama_slot_lease_s"].default
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lease-s", type=float, default=shipped, help=f"default: the shipped {shipped} s")
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--threads", type=int, default=32, help="GIL-hungry threads in the holder process")
    parser.add_argument("--answer-kb", type=int, default=16, help="size of the answer each thread parses")
    parser.add_argument("--spinners", type=int, default=multiprocessing.cpu_count(), help="busy processes")
    args = parser.parse_args()

    server = RedisServer().start()
    ctx = multiprocessing.get_context("spawn")
    stop_at = time.monotonic() + args.seconds
    try:
        client = redis.Redis.from_url(server.url, decode_responses=True)
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        leases = SlotLeases(client, prefix)
        slots = HostSlots(leases, (HOST,), slots_per_host=1, lease_s=args.lease_s)
        lease = slots.acquire(timeout_s=0)
        assert lease is not None
        lease_key = keys.slot_leases(prefix, HOST)
        spinners = [ctx.Process(target=_spin, args=(stop_at,), daemon=True) for _ in range(args.spinners)]
        out = ctx.Queue()
        observer = ctx.Process(
            target=_observe,
            args=(server.url, lease_key, round(args.lease_s * 1e6), stop_at, out),
            daemon=True,
        )
        for process in (*spinners, observer):
            process.start()
        stop = threading.Event()
        busy = [
            threading.Thread(target=_busy_thread, args=(stop, args.answer_kb)) for _ in range(args.threads)
        ]
        for thread in busy:
            thread.start()
        renewals: list[float] = out.get(timeout=args.seconds + 60)
        stop.set()
        for thread in busy:
            thread.join()
        for process in (*spinners, observer):
            process.terminate()
            process.join(timeout=10)
        lost = bool(renewals) and renewals[-1] < 0
        times = [t for t in renewals if t >= 0]
        lost_after = f" (after {len(times)} renewals, {times[-1] - times[0]:.0f} s)" if lost and times else ""
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        interval = min(RENEW_EVERY_S, args.lease_s / 3)
        print(machine_line())
        print(
            f"lease {args.lease_s:g} s, renewal every {interval:g} s; {args.threads} busy threads in the "
            f"holder ({args.answer_kb} KB answers), {args.spinners} spinning processes, {args.seconds:g} s"
        )
        if not gaps:
            print(f"fewer than two renewals seen; lease lost: {lost}{lost_after}")
            return
        late = sorted(g - interval for g in gaps)
        print(
            f"renewals {len(gaps)}: gap median {statistics.median(gaps):.3f} s, max {max(gaps):.3f} s; "
            f"lateness median {statistics.median(late) * 1000:.0f} ms, "
            f"p99 {late[int(0.99 * (len(late) - 1))] * 1000:.0f} ms, max {late[-1] * 1000:.0f} ms; "
            f"margin left at the worst renewal {args.lease_s - max(gaps):.3f} s; lease lost: {lost}{lost_after}"
        )
        lease.release()
        slots.close()
    finally:
        server.close()


if __name__ == "__main__":
    main()
