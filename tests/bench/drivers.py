"""Benchmark drivers that run in their own processes: many workers' worth of threads on the flow modules.

Each driver stands in for one worker process until the modules are wired into the backends: threads
that take a slot or a rate-limit reservation exactly as the backend will, call the simulator through the
official client, and report what happened.
"""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from dataclasses import dataclass

import ollama
import openai
import redis

from worker.flow.ratelimit import RateLimiter, RateLimitWait, estimate_tokens
from worker.flow.slots import HostSlots
from worker.store.ratelimit import RateLedger
from worker.store.slots import SlotLeases

SYSTEM = "Summarize the document in two sentences."


def max_in_any_window(events: list[tuple[float, int]], window_s: float) -> int:
    """The largest sum of costs over events whose times lie within any half-open window of `window_s`."""
    events = sorted((round(t * 1_000_000), cost) for t, cost in events)
    window_us = round(window_s * 1_000_000)
    best = total = start = 0
    for end in range(len(events)):
        total += events[end][1]
        while events[end][0] - events[start][0] >= window_us:
            total -= events[start][1]
            start += 1
        best = max(best, total)
    return best


@dataclass(frozen=True)
class LimiterRun:
    redis_url: str
    key_prefix: str
    rpm: int
    tpm: int
    window_s: float
    slack_s: float
    base_url: str
    threads: int
    stop_at: float  # time.time()
    acquire_timeout_s: float
    max_output_tokens: int


def limiter_process(run: LimiterRun, seed: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One 'cloud worker': threads that acquire, call the API, observe its headers and settle."""
    client = redis.Redis.from_url(run.redis_url)
    limiter = RateLimiter(
        RateLedger(client, run.key_prefix),
        rpm=run.rpm,
        tpm=run.tpm,
        window_s=run.window_s,
        slack_s=run.slack_s,
    )
    api = openai.OpenAI(base_url=run.base_url, api_key="sk-bench", max_retries=0, timeout=30)
    totals = {"calls": 0, "http_429": 0, "reschedules": 0, "booked_from_headers": 0, "max_send_delay_ms": 0}
    lock = threading.Lock()

    def loop(rng: random.Random) -> None:
        while time.time() < run.stop_at:
            document = " ".join(
                rng.choice(("alpha", "beta", "gamma", "delta")) for _ in range(rng.randint(40, 400))
            )
            messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": document}]
            try:
                grant = limiter.acquire(
                    estimate_tokens(messages, run.max_output_tokens), run.acquire_timeout_s
                )
            except RateLimitWait as wait:
                with lock:
                    totals["reschedules"] += 1
                time.sleep(wait.retry_after_s)  # what the task's countdown re-schedule amounts to
                continue
            delay_ms = round((time.time() - grant.send_at_s) * 1000)
            with lock:
                totals["max_send_delay_ms"] = max(totals["max_send_delay_ms"], delay_ms)
            try:
                raw = api.chat.completions.with_raw_response.create(
                    model="gpt-4o-mini",
                    messages=messages,  # type: ignore[arg-type]
                    max_tokens=run.max_output_tokens,
                    extra_headers={"x-bench-booked-at": repr(grant.send_at_s)},
                )
            except openai.RateLimitError:
                grant.release()  # refused: the provider did not count it
                with lock:
                    totals["http_429"] += 1
                continue
            booked = limiter.observe_headers(raw.headers)
            usage = raw.parse().usage
            grant.settle(usage.total_tokens if usage else grant.estimated_tokens)
            with lock:
                totals["calls"] += 1
                totals["booked_from_headers"] += sum(booked)

    threads = [
        threading.Thread(target=loop, args=(random.Random(seed * 100 + i),)) for i in range(run.threads)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(totals)


@dataclass(frozen=True)
class SlotsRun:
    redis_url: str
    key_prefix: str
    hosts: tuple[str, ...]
    slots_per_host: int
    threads: int
    start_at: float  # time.time()
    stop_at: float


def slots_process(run: SlotsRun, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One 'local worker': more threads than its share of slots, each call holding a fleet-wide slot."""
    client = redis.Redis.from_url(run.redis_url)
    slots = HostSlots(SlotLeases(client, run.key_prefix), run.hosts, run.slots_per_host, lease_s=5.0)
    clients = {url: ollama.Client(host=url, timeout=30) for url in run.hosts}
    totals = {"calls": 0, "busy_503": 0, "no_slot": 0}
    lock = threading.Lock()
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "A short note."}]

    def loop() -> None:
        time.sleep(max(0.0, run.start_at - time.time()))
        while time.time() < run.stop_at:
            lease = slots.acquire(timeout_s=max(0.0, run.stop_at - time.time()))
            if lease is None:
                with lock:
                    totals["no_slot"] += 1
                continue
            with lease:
                try:
                    clients[lease.host].chat(model="llama3.2:3b", messages=messages)
                    key = "calls" if time.time() <= run.stop_at else "late"
                except ollama.ResponseError as exc:
                    key = "busy_503" if exc.status_code == 503 else "errors"
            with lock:
                totals[key] = totals.get(key, 0) + 1

    threads = [threading.Thread(target=loop) for _ in range(run.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slots.close()
    out.put(totals)


def run_processes(
    target: object, args_list: list[tuple[object, ...]], timeout_s: float
) -> list[dict[str, int]]:
    """Start one spawned process per args tuple (each gets a result queue last) and collect their dicts."""
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=target, args=(*args, out)) for args in args_list]  # type: ignore[arg-type]
    for p in procs:
        p.start()
    results = [out.get(timeout=timeout_s) for _ in procs]
    for p in procs:
        p.join(timeout=10)
    return results
