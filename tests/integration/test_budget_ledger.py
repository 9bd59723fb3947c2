"""The spending ledger's Lua on a real redis-server: reserve, settle, release, windows, leases, and races."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import threading
import uuid
from typing import Any

import pytest
import redis

from producer.local_stack import RedisServer, wait_until
from worker.budget.ledger import Windows
from worker.store.budget import BudgetLedger
from worker.store.keys import BUDGET_PREFIX
from worker.store.lua import source

pytestmark = pytest.mark.integration


@pytest.fixture
def ledger(client: redis.Redis) -> BudgetLedger:
    return BudgetLedger(client)


def unique(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}"


def today(ledger: BudgetLedger) -> Windows:
    return Windows.at(ledger.now())


def test_a_grant_books_the_estimate_in_every_cap_and_a_settle_replaces_it(ledger: BudgetLedger) -> None:
    batch, provider = unique("b"), unique("p")
    ledger.set_batch_cap(batch, 1000)
    caps: dict[str, Any] = {
        "batch_id": batch,
        "provider": provider,
        "day_cap_pico": 5000,
        "month_cap_pico": 9000,
    }
    assert ledger.reserve("r1", 300, lease_s=60, **caps) == []
    windows = today(ledger)
    keys = [
        ledger.batch_key(batch),
        ledger.day_key(provider, windows.day),
        ledger.month_key(provider, windows.month),
    ]
    for key, cap in zip(keys, (1000, 5000, 9000), strict=True):
        use = ledger.use(key)
        assert (use.cap_pico, use.reserved_pico, use.in_flight, use.spent_pico) == (cap, 300, 1, 0)
    assert ledger.settle("r1", 120)
    for key in keys:
        use = ledger.use(key)
        assert (use.reserved_pico, use.in_flight, use.settled_pico, use.overrun_pico) == (0, 0, 120, 0)
        assert (use.reserved_total_pico, use.peak_reserved_pico, use.granted) == (300, 300, 1)
    assert not ledger.settle("r1", 120), "a reservation settles once"
    assert ledger.use(keys[0]).settled_pico == 120


def test_usage_beyond_the_estimate_is_recorded_as_overrun(ledger: BudgetLedger) -> None:
    batch = unique("b")
    ledger.set_batch_cap(batch, 1000)
    ledger.reserve("over", 100, lease_s=60, batch_id=batch)
    ledger.settle("over", 130)
    use = ledger.use(ledger.batch_key(batch))
    assert (use.settled_pico, use.overrun_pico) == (130, 30)


def test_release_gives_everything_back_and_unknown_keeps_the_estimate(ledger: BudgetLedger) -> None:
    batch = unique("b")
    ledger.set_batch_cap(batch, 1000)
    ledger.reserve("a", 400, lease_s=60, batch_id=batch)
    ledger.reserve("b", 250, lease_s=60, batch_id=batch)
    ledger.release("a")
    ledger.charge_unknown("b")
    use = ledger.use(ledger.batch_key(batch))
    assert (use.reserved_pico, use.in_flight, use.spent_pico, use.unknown_pico) == (0, 0, 250, 250)
    assert use.left_pico == 750


def test_the_same_id_is_booked_once(ledger: BudgetLedger) -> None:
    batch = unique("b")
    ledger.set_batch_cap(batch, 1000)
    for _ in range(3):
        assert ledger.reserve("cb:job-1:summary:abc", 300, lease_s=60, batch_id=batch) == []
    assert ledger.use(ledger.batch_key(batch)).reserved_pico == 300


def test_hard_and_soft_exhaustion_and_a_refusal_books_nothing_anywhere(ledger: BudgetLedger) -> None:
    """Day cap 1000, batch cap 10_000: the day refuses and the batch ledger is not touched either."""
    batch, provider = unique("b"), unique("p")
    ledger.set_batch_cap(batch, 10_000)
    caps: dict[str, Any] = {"batch_id": batch, "provider": provider, "day_cap_pico": 1000}
    assert ledger.reserve("in-flight", 600, lease_s=60, **caps) == []
    (soft,) = ledger.reserve("next", 500, lease_s=60, **caps)
    assert (soft.cap, soft.hard, soft.spent_pico, soft.reserved_pico, soft.cap_pico) == (
        "day",
        False,
        0,
        600,
        1000,
    )
    windows = today(ledger)
    assert soft.resets_in_s == pytest.approx(windows.day_ends_at - ledger.now(), abs=2)
    assert ledger.use(ledger.batch_key(batch)).reserved_pico == 600
    ledger.settle("in-flight", 700)
    (hard,) = ledger.reserve("next", 500, lease_s=60, **caps)
    assert hard.hard and hard.spent_pico == 700
    assert ledger.use(ledger.day_key(provider, windows.day)).denied == 2
    assert ledger.reserve("small", 300, lease_s=60, **caps) == []  # what is left still fits


def test_a_batch_cap_never_resets_and_the_month_resets_at_its_end(ledger: BudgetLedger) -> None:
    batch, provider = unique("b"), unique("p")
    ledger.set_batch_cap(batch, 10)
    denials = ledger.reserve("big", 50, lease_s=60, batch_id=batch, provider=provider, month_cap_pico=20)
    by_cap = {d.cap: d for d in denials}
    assert by_cap["batch"].hard and by_cap["batch"].resets_in_s is None
    assert by_cap["month"].resets_in_s == pytest.approx(today(ledger).month_ends_at - ledger.now(), abs=2)


def test_window_ledgers_are_named_by_the_utc_date_and_expire_after_their_window(
    ledger: BudgetLedger, client: redis.Redis
) -> None:
    provider = unique("p")
    ledger.reserve("w", 5, lease_s=60, provider=provider, day_cap_pico=100, month_cap_pico=100)
    windows = today(ledger)
    day_key, month_key = ledger.day_key(provider, windows.day), ledger.month_key(provider, windows.month)
    assert day_key.startswith(BUDGET_PREFIX) and windows.day in day_key and windows.month in month_key
    now = ledger.now()
    assert client.ttl(day_key) == pytest.approx(windows.day_ends_at + ledger.keep_s - now, abs=3)
    assert client.ttl(month_key) == pytest.approx(windows.month_ends_at + ledger.keep_s - now, abs=3)


def test_the_lua_calendar_matches_pythons_for_every_day_from_1970_to_2200(client: redis.Redis) -> None:
    """Redis's Lua has no os.date: the script's civil-date arithmetic must agree with Python's, every day."""
    script = (
        source("budget_dates")
        + """
local bad = {}
for z = tonumber(ARGV[1]), tonumber(ARGV[2]) do
  local y, m, d = civil(z)
  local back = days_from_civil(y, m, d)
  local ny, nm = y, m + 1
  if nm == 13 then ny, nm = y + 1, 1 end
  local line = string.format('%04d-%02d-%02d %d', y, m, d, days_from_civil(ny, nm, 1))
  if back ~= z or line ~= ARGV[3 + z - tonumber(ARGV[1])] then bad[#bad + 1] = z end
  if #bad > 5 then break end
end
return bad
"""
    )
    first, last = 0, (dt.date(2200, 12, 31) - dt.date(1970, 1, 1)).days
    expected = []
    for z in range(first, last + 1):
        day = dt.date(1970, 1, 1) + dt.timedelta(days=z)
        following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        expected.append(f"{day:%Y-%m-%d} {(following - dt.date(1970, 1, 1)).days}")
    assert client.eval(script, 0, first, last, *expected) == []


def test_a_reservation_whose_worker_died_is_charged_at_its_estimate_and_a_late_settle_corrects_it(
    ledger: BudgetLedger,
) -> None:
    batch = unique("b")
    ledger.set_batch_cap(batch, 1000)
    ledger.reserve("lost", 400, lease_s=0.05, batch_id=batch)
    key = ledger.batch_key(batch)

    def swept() -> bool:
        ledger.reserve(unique("probe"), 1, lease_s=60)  # every reserve sweeps first; this one books nothing
        return ledger.use(key).unknown_pico == 400

    wait_until(swept, 10, "the lease to run out")
    use = ledger.use(key)
    assert (use.reserved_pico, use.in_flight, use.spent_pico) == (0, 0, 400)
    ledger.settle("lost", 90)  # the call did finish after all
    use = ledger.use(key)
    assert (use.unknown_pico, use.settled_pico, use.spent_pico) == (0, 90, 90)


# ---- races ----------------------------------------------------------------------------------------------
MAX_ESTIMATE = 150
MAX_OVERRUN = 20


def hammer(ledger: BudgetLedger, batch: str, provider: str, seed: int, out: list[tuple[int, int]]) -> None:
    """Reserve until a hard refusal; settle each call with a random actual cost, sometimes above its
    estimate (an input undercount). Records (estimate, actual) of every settled call."""
    rng = random.Random(seed)
    caps: dict[str, Any] = {"batch_id": batch, "provider": provider, "day_cap_pico": 40_000}
    while True:
        estimate = rng.randint(50, MAX_ESTIMATE)
        charge_id = uuid.uuid4().hex
        denials = ledger.reserve(charge_id, estimate, lease_s=60, **caps)
        if any(d.hard for d in denials):
            return
        if denials:
            continue  # soft: calls in flight hold the room; they settle soon
        actual = estimate + rng.randint(1, MAX_OVERRUN) if rng.random() < 0.2 else rng.randint(0, estimate)
        ledger.settle(charge_id, actual)
        out.append((estimate, actual))


def check_bound(
    ledger: BudgetLedger, batch: str, cap: int, settled: list[tuple[int, int]], in_flight: int
) -> None:
    use = ledger.use(ledger.batch_key(batch))
    spent = sum(actual for _, actual in settled)
    assert use.spent_pico == use.settled_pico == spent, "the ledger is the exact sum of the settled calls"
    assert (use.reserved_pico, use.in_flight) == (0, 0)
    assert use.overrun_pico == sum(max(0, a - e) for e, a in settled)
    # The bound: only calls in flight at the last grant can push spend past the cap, each by its overrun.
    assert spent <= cap + in_flight * MAX_OVERRUN
    assert spent <= cap + use.overrun_pico
    # And the budget was used: the last refusal was hard, so what was spent left no room for a call.
    assert spent > cap - MAX_ESTIMATE


def test_threads_racing_a_small_budget_never_exceed_cap_plus_the_in_flight_overrun(
    ledger: BudgetLedger,
) -> None:
    batch, provider, cap = unique("b"), unique("p"), 20_000
    ledger.set_batch_cap(batch, cap)
    settled: list[tuple[int, int]] = []
    threads = [threading.Thread(target=hammer, args=(ledger, batch, provider, i, settled)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check_bound(ledger, batch, cap, settled, in_flight=12)
    assert len(settled) > 100


def _process(url: str, batch: str, provider: str, seed: int, out: multiprocessing.Queue) -> None:
    client = redis.Redis.from_url(url, decode_responses=True)
    ledger = BudgetLedger(client)
    settled: list[tuple[int, int]] = []
    threads = [
        threading.Thread(target=hammer, args=(ledger, batch, provider, seed * 100 + i, settled))
        for i in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(settled)


def test_processes_share_one_budget_and_one_provider_day(
    redis_server: RedisServer, ledger: BudgetLedger
) -> None:
    """3 processes x 4 threads against a batch cap of 30_000 and a provider day of 40_000."""
    batch, provider, cap = unique("b"), unique("p"), 30_000
    ledger.set_batch_cap(batch, cap)
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    procs = [ctx.Process(target=_process, args=(redis_server.url, batch, provider, n, out)) for n in range(3)]
    for p in procs:
        p.start()
    settled = [call for _ in procs for call in out.get(timeout=60)]
    for p in procs:
        p.join(timeout=10)
    check_bound(ledger, batch, cap, settled, in_flight=12)
    day = ledger.use(ledger.day_key(provider, today(ledger).day))
    assert day.spent_pico == sum(actual for _, actual in settled) <= 40_000 + 12 * MAX_OVERRUN
