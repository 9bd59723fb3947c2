"""Budgets on the cloud-batch route: a request's worst case is booked when it is staged for a provider
batch, settled at batch prices when the provider's answer is joined back, and released when the request is
never sent or never answered (the provider bills only answered requests).

Each staged request has a fixed reservation id (job and call), so staging it again books nothing twice,
and the poller, in another process hours later, settles it without any state of the stager's. Its lease
covers the provider's 24-hour window plus grouping and polling; a reservation that outlives even that is
charged at its estimate until the join corrects it (worker/budget/ledger.py).
"""

from __future__ import annotations

from worker.backends.base import CompletionRequest
from worker.runtime import Runtime
from worker.schema import Usage

PROVIDER_WINDOW_S = 24 * 3600.0  # the Batch API's completion window
LEASE_MARGIN_S = 3600.0


def charge_id(job_id: str, field: str) -> str:
    return f"cb:{job_id}:{field}"


def reserve_staged(rt: Runtime, batch_id: str, job_id: str, field: str, request: CompletionRequest) -> None:
    """Book a request about to be staged; raises BudgetExhausted when a cap refuses it."""
    rules = rt.policies.routing.batch
    rt.budget.reserve(
        request.model,
        request.messages,
        rt.settings.cloud_max_output_tokens,  # what the staged request asks for (worker/batch/collector.py)
        batch_id=batch_id,
        batch_rates=True,
        reservation_id=charge_id(job_id, field),
        lease_s=PROVIDER_WINDOW_S + rules.flush_max_wait_s + rules.poll_interval_max_s + LEASE_MARGIN_S,
    )


def settle_joined(
    rt: Runtime,
    batch_id: str,
    answered: list[tuple[str, str, str, Usage]],
    unanswered: list[tuple[str, str]],
) -> None:
    """Settle answered requests (job, field, model, usage) at batch prices; release unanswered (job, field)."""
    gate = rt.budget
    if not gate.may_apply(batch_id) or not (answered or unanswered):
        return
    settles = [
        (charge_id(job_id, field), gate.cost_pico(model, usage, batch_rates=True))
        for job_id, field, model, usage in answered
    ]
    gate.ledger.finish_many(settles, [charge_id(job_id, field) for job_id, field in unanswered])


def release_unsent(rt: Runtime, batch_id: str, calls: list[tuple[str, str]]) -> None:
    """Release staged requests (job, field) that will not be sent after all."""
    settle_joined(rt, batch_id, [], calls)
