"""The global cloud rate limiter on a real redis-server: budgets hold across threads and processes."""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
import uuid

import pytest
import redis

from ops.simulators.answers import prompt_tokens
from producer.local_stack import RedisServer
from worker.flow.ratelimit import (
    RateLimiter,
    RateLimitWait,
    RequestTooLarge,
    estimate_tokens,
    parse_duration_s,
)
from worker.store.ratelimit import RateLedger

pytestmark = pytest.mark.integration


def limiter(client: redis.Redis, **kwargs: object) -> RateLimiter:
    options: dict[str, object] = {"rpm": None, "tpm": None, "window_s": 1.0, "slack_s": 0.0}
    options.update(kwargs)
    return RateLimiter(RateLedger(client, f"test-{uuid.uuid4().hex[:8]}"), **options)  # type: ignore[arg-type]


def max_in_any_window(events: list[tuple[float, int]], window_s: float) -> int:
    """The largest sum of costs over events whose times lie within any half-open window of `window_s`.

    Times are compared in whole microseconds, the limiter's resolution, so float rounding cannot merge
    two bookings exactly one window apart."""
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


def test_estimate_matches_what_the_simulator_counts_plus_the_output_budget() -> None:
    messages = [
        {"role": "system", "content": "Summarize the document in two sentences."},
        {"role": "user", "content": "x" * 1001},
    ]
    assert estimate_tokens(messages, max_output_tokens=256) == prompt_tokens(messages) + 256


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("120ms", 0.12), ("1s", 1.0), ("1.5s", 1.5), ("6m0s", 360.0), ("1h2m3.5s", 3723.5), ("2", 2.0)],
)
def test_parses_openai_reset_durations(text: str, seconds: float) -> None:
    assert parse_duration_s(text) == pytest.approx(seconds)


def test_rejects_unparsable_durations() -> None:
    assert parse_duration_s("soon") is None
    assert parse_duration_s("") is None


def test_grants_up_to_the_request_budget_then_says_how_long_to_wait(client: redis.Redis) -> None:
    """Given 5 requests per 1 s window, the 6th waits until the 1st leaves the window, and says so."""
    rl = limiter(client, rpm=5)
    grants = [rl.acquire(estimated_tokens=1, timeout_s=0) for _ in range(5)]
    assert all(g.waited_s == 0 for g in grants)
    with pytest.raises(RateLimitWait) as waited:
        rl.acquire(estimated_tokens=1, timeout_s=0)
    expected = grants[0].send_at_s + 1.0 - time.time()
    assert 0 < waited.value.retry_after_s <= 1.0
    assert waited.value.retry_after_s == pytest.approx(expected, abs=0.1)


def test_a_wait_within_the_timeout_is_one_exact_sleep(client: redis.Redis) -> None:
    """Given a full window, acquire sleeps until the booked send time and returns then, not before."""
    rl = limiter(client, rpm=2, window_s=0.5)
    first = rl.acquire(1, timeout_s=0)
    rl.acquire(1, timeout_s=0)
    third = rl.acquire(1, timeout_s=2)
    assert third.send_at_s == pytest.approx(first.send_at_s + 0.5, abs=0.001)
    assert time.time() >= third.send_at_s - 0.002
    assert third.waited_s == pytest.approx(0.5, abs=0.1)


def test_tokens_budget_and_settling_to_the_reported_usage(client: redis.Redis) -> None:
    """An overestimate blocks the budget until it is settled with the real usage, which frees it."""
    rl = limiter(client, tpm=1000, window_s=30)
    big = rl.acquire(estimated_tokens=900, timeout_s=0)
    with pytest.raises(RateLimitWait):
        rl.acquire(estimated_tokens=200, timeout_s=0)
    big.settle(actual_tokens=300)
    assert rl.usage() == (1, 300)
    assert rl.acquire(estimated_tokens=700, timeout_s=0).waited_s == 0


def test_release_gives_the_request_back(client: redis.Redis) -> None:
    rl = limiter(client, rpm=1, window_s=30)
    rl.acquire(1, timeout_s=0).release()
    assert rl.usage() == (0, 0)
    assert rl.acquire(1, timeout_s=0).waited_s == 0


def test_a_request_bigger_than_the_whole_budget_is_permanent(client: redis.Redis) -> None:
    with pytest.raises(RequestTooLarge):
        limiter(client, tpm=100).acquire(estimated_tokens=101, timeout_s=10)


def test_provider_headers_with_less_left_slow_everyone_down_until_their_reset(client: redis.Redis) -> None:
    """The provider says 0 requests left for 0.8 s (someone else uses the key): we wait that long."""
    rl = limiter(client, rpm=100, window_s=5)
    rl.acquire(1, timeout_s=0)
    booked = rl.observe_headers(
        {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "800ms"}
    )
    assert booked == (99, 0)
    with pytest.raises(RateLimitWait) as waited:
        rl.acquire(1, timeout_s=0)
    assert waited.value.retry_after_s == pytest.approx(0.8, abs=0.1)


def test_provider_headers_with_more_left_change_nothing(client: redis.Redis) -> None:
    rl = limiter(client, rpm=100, tpm=10_000, window_s=5)
    rl.acquire(50, timeout_s=0)
    headers = {
        "X-RateLimit-Remaining-Requests": "9999",
        "X-RateLimit-Remaining-Tokens": "9000000",
        "X-RateLimit-Reset-Requests": "6ms",
        "X-RateLimit-Reset-Tokens": "1s",
    }
    assert rl.observe_headers(headers) == (0, 0)
    assert rl.usage() == (1, 50)


def test_threads_never_exceed_either_budget_in_any_window(client: redis.Redis) -> None:
    """8 threads with random token costs: on the limiter's timeline no window holds more than allowed."""
    rl = limiter(client, rpm=12, tpm=600, window_s=0.4)
    granted: list[tuple[float, int]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + 2.0

    def hammer(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            tokens = rng.randint(10, 120)
            grant = rl.acquire(tokens, timeout_s=5)
            with lock:
                granted.append((grant.send_at_s, tokens))

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert max_in_any_window([(t, 1) for t, _ in granted], 0.4) <= 12
    assert max_in_any_window(granted, 0.4) <= 600
    assert len(granted) >= 40  # the budget was actually used, not starved


def _process_hammer(url: str, prefix: str, seconds: float, out: multiprocessing.Queue) -> None:
    client = redis.Redis.from_url(url)
    rl = RateLimiter(RateLedger(client, prefix), rpm=20, tpm=None, window_s=0.5, slack_s=0.0)
    grants: list[float] = []
    stop_at = time.monotonic() + seconds

    def loop() -> None:
        while time.monotonic() < stop_at:
            grants.append(rl.acquire(1, timeout_s=5).send_at_s)

    threads = [threading.Thread(target=loop) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(grants)


def test_three_processes_share_one_budget_and_use_all_of_it(redis_server: RedisServer) -> None:
    """3 processes x 4 threads against 20 requests per 0.5 s: never above, and >= 90% used."""
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    prefix = f"procs-{uuid.uuid4().hex[:8]}"
    procs = [ctx.Process(target=_process_hammer, args=(redis_server.url, prefix, 3.0, out)) for _ in range(3)]
    for p in procs:
        p.start()
    grants = sorted(t for _ in procs for t in out.get(timeout=30))
    for p in procs:
        p.join(timeout=10)
    assert max_in_any_window([(t, 1) for t in grants], 0.5) <= 20
    # Utilisation on the limiter's own timeline, from the first to the last booking.
    windows = (grants[-1] - grants[0]) / 0.5
    assert len(grants) >= 0.9 * 20 * windows
