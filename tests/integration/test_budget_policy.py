"""What a refused job does (wait, hold, go local, fail), and the cloud-batch route's charges, on real Redis
and the simulators without worker processes (tests/integration/test_budget_flow.py runs real workers)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.local_stack import RedisServer
from tests.conftest import stack_settings
from tests.integration.test_batch_flow import FAST_BATCH, Flow, Recorder, batch_config_dir, cloud_docs
from worker.batch.collector import advance_job, on_budget_exhausted
from worker.batch.provider import BatchProvider
from worker.budget.gate import BudgetExhausted, to_pico
from worker.budget.ledger import Denial, LedgerUse
from worker.budget.policy import on_exhausted
from worker.retry import countdown_s
from worker.runtime import build_runtime
from worker.schema import JobMessage, Route, RouteTarget
from worker.store import keys
from worker.store.batch_route import BatchState

pytestmark = pytest.mark.integration

HOUR = 3600.0


@pytest.fixture
def make_flow(
    own_redis: RedisServer, sims: tuple[OllamaSimulator, OpenAISimulator], tmp_path: Path
) -> Iterator[Any]:
    made: list[Flow] = []
    ollama, openai = sims

    def make(budgets: dict[str, Any] | None = None, **overrides: Any) -> Flow:
        config_dir = batch_config_dir(tmp_path / f"configs{len(made)}", None, **FAST_BATCH)
        (config_dir / "budgets.yaml").write_text(yaml.safe_dump(budgets or {}))
        settings = stack_settings(own_redis.url, ollama, openai, config_dir=config_dir, **overrides)
        rt = build_runtime(settings)
        provider = BatchProvider(base_url=settings.openai_base_url, api_key="sk-test", timeout_s=10)
        flow = Flow(rt, BatchState(rt.store.redis), provider, openai, Recorder())
        made.append(flow)
        return flow

    openai.batches.reset()
    openai.batches.configure(completion_s=0.2)
    openai.requests.clear()
    yield make
    for flow in made:
        flow.provider.close()
        flow.rt.close()
    assert openai.internal_errors == []


def realtime_job(flow: Flow) -> JobMessage:
    """One cloud-bound job, routed to the real-time cloud route as the classify pool would."""
    batch_id = flow.submit(cloud_docs(1, "policy"), deadline_s=60)  # short deadline: real-time
    job_id = f"{batch_id}.000001"
    route = flow.store.job(batch_id, job_id).route
    assert route is not None and route.target is RouteTarget.CLOUD
    return JobMessage(job_id=job_id, batch_id=batch_id)


def refused(
    cap: str = "day", hard: bool = True, policy: str = "hold", resets_in_s: float | None = HOUR
) -> BudgetExhausted:
    denial = Denial(
        cap, hard, resets_in_s if cap != "batch" else None, spent_pico=90, reserved_pico=5, cap_pico=100
    )
    return BudgetExhausted(denial, policy, estimate_pico=20)


def deliveries(flow: Flow, msg: JobMessage) -> int:
    flow.store.open_classify(msg.batch_id, msg.job_id, None)  # as a worker would, opening a delivery
    return int(flow.store.redis.hget(f"tn:{{{msg.batch_id}}}:job:{msg.job_id}", "deliveries"))


# ---- the policies -------------------------------------------------------------------------------------
def test_a_soft_refusal_is_a_short_wait_that_is_neither_an_attempt_nor_a_delivery(make_flow: Any) -> None:
    flow = make_flow()
    msg = realtime_job(flow)
    before = deliveries(flow, msg)
    decided = on_exhausted(flow.rt, msg, refused(hard=False), retries=3)
    assert decided.retry_in_s is not None and 0 < decided.retry_in_s <= flow.rt.settings.retry_backoff_max_s
    assert deliveries(flow, msg) == before  # this delivery was given back; the next one counts again
    assert not flow.store.has_result(msg.batch_id, msg.job_id)


def test_hold_rechecks_within_the_window_and_the_visibility_timeout(make_flow: Any) -> None:
    flow = make_flow({"hold_recheck_s": 120, "hold_max_s": 2 * 86_400})
    msg = realtime_job(flow)
    decided = on_exhausted(flow.rt, msg, refused(resets_in_s=5 * HOUR), retries=0)
    assert decided.retry_in_s == 120 and decided.target is None
    soon = on_exhausted(flow.rt, msg, refused(resets_in_s=30), retries=0)
    assert soon.retry_in_s == 31  # a moment after the reset
    long_recheck = make_flow(
        {"hold_recheck_s": 10 * HOUR, "hold_max_s": 2 * 86_400}, visibility_timeout_s=900
    )
    decided = on_exhausted(
        long_recheck.rt, realtime_job(long_recheck), refused(resets_in_s=5 * HOUR), retries=0
    )
    assert decided.retry_in_s == countdown_s(long_recheck.rt.settings, 10 * HOUR) <= 450
    assert not flow.store.has_result(msg.batch_id, msg.job_id)


def test_hold_fails_at_once_when_the_reset_is_beyond_what_a_job_may_wait(make_flow: Any) -> None:
    flow = make_flow({"hold_max_s": HOUR})
    msg = realtime_job(flow)
    decided = on_exhausted(flow.rt, msg, refused(cap="month", resets_in_s=10 * 86_400), retries=0)
    assert decided.retry_in_s is None and decided.target is None
    failure = decided.failure
    assert failure is not None and failure.kind == "budget_exhausted" and not failure.retryable
    assert "monthly cap" in str(failure) and "resets in 240h" in str(failure)
    assert not flow.store.has_result(msg.batch_id, msg.job_id)  # the policy decides; the task records


def test_a_hold_is_bounded_from_the_first_refusal(make_flow: Any) -> None:
    flow = make_flow({"hold_max_s": 2 * HOUR})
    msg = realtime_job(flow)
    assert on_exhausted(flow.rt, msg, refused(resets_in_s=HOUR), retries=0).retry_in_s is not None
    # Pretend the job has been held for 90 minutes: a reset an hour away is now beyond its allowance.
    flow.store.redis.hset(keys.budget_waiting(msg.batch_id), msg.job_id, repr(time.time() - 1.5 * HOUR))
    decided = on_exhausted(flow.rt, msg, refused(resets_in_s=HOUR), retries=0)
    assert decided.retry_in_s is None
    assert decided.failure is not None and decided.failure.kind == "budget_exhausted"


def test_local_moves_the_job_to_the_local_route_and_says_why(make_flow: Any) -> None:
    flow = make_flow()
    msg = realtime_job(flow)
    decided = on_exhausted(flow.rt, msg, refused(cap="batch", policy="local"), retries=0)
    assert decided.target is RouteTarget.LOCAL
    route = flow.store.job(msg.batch_id, msg.job_id).route
    assert (
        route is not None and route.target is RouteTarget.LOCAL and route.fallback_from is RouteTarget.CLOUD
    )
    assert route.model == flow.rt.policies.routing.models.local
    assert "budget: batch cap exhausted, moved to local" in route.reasons


def test_local_without_a_local_backend_fails_with_the_reason(make_flow: Any) -> None:
    flow = make_flow(ollama_hosts=())
    msg = realtime_job(flow)
    decided = on_exhausted(flow.rt, msg, refused(cap="batch", policy="local"), retries=0)
    assert decided.target is None
    assert decided.failure is not None and decided.failure.kind == "budget_exhausted"
    assert "no local route" in str(decided.failure)


def test_a_job_that_came_to_the_cloud_because_local_failed_does_not_bounce_back(make_flow: Any) -> None:
    flow = make_flow()
    msg = realtime_job(flow)
    job = flow.store.job(msg.batch_id, msg.job_id)
    assert job.route is not None
    flow.store.reroute(
        msg.batch_id, msg.job_id, Route(**{**job.route.model_dump(), "fallback_from": RouteTarget.LOCAL})
    )
    decided = on_exhausted(flow.rt, msg, refused(cap="day", policy="local"), retries=0)
    assert decided.target is None and decided.failure is not None


def test_fail_decides_a_failure_with_the_reason(make_flow: Any) -> None:
    flow = make_flow()
    msg = realtime_job(flow)
    decided = on_exhausted(flow.rt, msg, refused(cap="batch", policy="fail"), retries=0)
    assert decided.retry_in_s is None and decided.target is None
    failure = decided.failure
    assert failure is not None and failure.kind == "budget_exhausted" and "--max-cost-usd cap" in str(failure)


def test_a_soft_wait_that_lasts_too_long_applies_the_policy(make_flow: Any) -> None:
    flow = make_flow(backend_wait_max_s=60)
    msg = realtime_job(flow)
    flow.store.redis.hset(keys.budget_waiting(msg.batch_id), msg.job_id, repr(time.time() - 61))
    decided = on_exhausted(flow.rt, msg, refused(cap="batch", hard=False, policy="local"), retries=0)
    assert decided.target is RouteTarget.LOCAL


# ---- the cloud-batch route ----------------------------------------------------------------------------
def batch_use(flow: Flow, batch_id: str) -> LedgerUse:
    ledger = flow.rt.budget.ledger
    return ledger.use(ledger.batch_key(batch_id))


def capped(flow: Flow, docs: dict[str, str], usd: str) -> str:
    """Submit (classified, not yet staged) and cap the batch, as `--max-cost-usd` does before any job runs."""
    batch_id = flow.submit(docs)
    flow.rt.budget.ledger.set_batch_cap(batch_id, to_pico(Decimal(usd)))
    return batch_id


def test_a_staged_request_is_booked_once_and_settled_at_batch_prices_when_joined(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = capped(flow, cloud_docs(3, "cb-settle"), "1")
    todo = list(flow.dispatch.advanced)
    flow.advance_all(batch_id)
    for job_id in todo:  # a re-delivered collect stages (and books) nothing twice
        advance_job(flow.rt, flow.state, JobMessage(job_id=job_id, batch_id=batch_id))
    staged = batch_use(flow, batch_id)
    assert staged.in_flight == 3 and staged.reserved_pico == staged.reserved_total_pico > 0
    flow.run_groups(batch_id)
    flow.run(batch_id)
    results = list(flow.store.iter_results(batch_id))
    assert len(results) == 3 and all(r.route == "cloud-batch" for r in results)
    prices = flow.rt.policies.prices
    billed = sum(prices.batch_cost_pico(r.model or "", r.usage) for r in results)
    joined = batch_use(flow, batch_id)
    assert (joined.in_flight, joined.reserved_pico, joined.unknown_pico) == (0, 0, 0)
    assert joined.settled_pico == billed, "the ledger settles exactly what the results bill"


def test_unanswered_batch_requests_are_released(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = capped(flow, cloud_docs(2, "cb-release"), "1")
    failing = f"{batch_id}.000001"
    flow.openai.batches.configure(fail_custom_ids={failing})
    flow.run(batch_id)
    use = batch_use(flow, batch_id)
    assert (use.in_flight, use.reserved_pico, use.unknown_pico) == (0, 0, 0)
    assert use.settled_pico > 0 and use.granted == 2


def test_a_spent_batch_cap_refuses_to_stage_and_the_policy_moves_the_job_local(make_flow: Any) -> None:
    flow = make_flow()
    batch_id = capped(flow, cloud_docs(1, "cb-refuse"), "0.00000001")
    msg = JobMessage(job_id=f"{batch_id}.000001", batch_id=batch_id)
    with pytest.raises(BudgetExhausted) as raised:
        advance_job(flow.rt, flow.state, msg)
    assert flow.state.pending_count(batch_id) == 0, "nothing was staged"
    assert flow.rt.budget.ledger.use(flow.rt.budget.ledger.batch_key(batch_id)).in_flight == 0
    decided = on_budget_exhausted(flow.rt, flow.state, msg, raised.value, retries=0)
    assert decided.target is RouteTarget.LOCAL
    route = flow.store.job(batch_id, msg.job_id).route
    assert route is not None and route.fallback_from is RouteTarget.CLOUD_BATCH
