"""What a cloud job does when a budget refuses its call: wait a little, hold, move to local, or fail.

- A *soft* denial (calls in flight hold the room, and they settle within their lease) is a short wait
  with backoff, not an attempt and not a delivery, for at most `TURNOUT_BACKEND_WAIT_MAX_S`.
- A *hard* denial applies the binding cap's policy (configs/budgets.yaml):
  - `local`: the job moves to the local route. Only jobs already allowed in the cloud are ever here, and
    going local is always allowed, so the privacy invariant is untouched. No local backend (or a job that
    came to the cloud because local failed for it): the job fails with the reason instead.
  - `hold`: the job is re-scheduled, checking again every `hold_recheck_s` and at the window's reset.
    Nothing is sent and no worker thread sleeps: each check is a countdown message. A hold is bounded:
    from its first denial a job waits at most `hold_max_s`, and a job whose window resets later than that
    fails at once, saying when it would have reset, rather than waiting in vain. A countdown never comes
    near the broker's visibility timeout (Redis would deliver a message held that long a second time).
  - `fail`: the job fails with error type `budget_exhausted` and the cap, spend and estimate in the message.

The policy only decides: it returns a `Decision` and the task acts on it (re-schedules, moves the job, or
records the failure it carries), so the policy needs nothing from the pipeline or the tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from worker.budget.gate import BudgetExhausted
from worker.errors import PermanentBackendError
from worker.retry import backoff_s, countdown_s
from worker.runtime import Runtime
from worker.schema import JobMessage, Route, RouteTarget

log = structlog.get_logger("turnout.budget")

RESET_SLACK_S = 1.0  # check a moment after the reset, not at it (clocks and countdowns are not exact)


@dataclass(frozen=True)
class Decision:
    """Re-schedule the task after `retry_in_s`, move the job to `target`'s queue, or record `failure`."""

    retry_in_s: float | None = None
    target: RouteTarget | None = None
    failure: PermanentBackendError | None = None


def on_exhausted(
    rt: Runtime,
    msg: JobMessage,
    error: BudgetExhausted,
    retries: int,
    *,
    delivery_counted: bool = True,
    may_move: bool = True,
) -> Decision:
    """Decide what a job whose cloud call was refused does (a move to local is already recorded).

    `delivery_counted`: the task counted this delivery toward the poison limit (the real-time route does;
    the batch route does not). `may_move`: False when moving the job would lose calls already answered
    on its route (the batch route's answers); it fails instead."""
    settings = rt.settings
    rules = rt.policies.budgets
    waited = waited_s(rt, msg)
    if not error.hard and waited < settings.backend_wait_max_s:
        # Calls in flight hold the room: they settle within one call's time.
        delay = backoff_s(retries, settings.retry_backoff_s, settings.retry_backoff_max_s)
        return _wait(rt, msg, delay, delivery_counted, "budget_wait", error)
    if error.policy == "hold" and error.resets_in_s is not None:
        left = rules.hold_max_s - waited
        if error.resets_in_s + RESET_SLACK_S <= left:
            delay = min(error.resets_in_s + RESET_SLACK_S, rules.hold_recheck_s, left)
            return _wait(rt, msg, countdown_s(settings, delay), delivery_counted, "budget_hold", error)
        return _fail(
            f"{error}; it resets in {_duration(error.resets_in_s)}, later than the job may still be held "
            f"(budgets.yaml hold_max_s: {_duration(rules.hold_max_s)} from its first refusal)",
            error,
        )
    if error.policy == "local":
        target = _to_local(rt, msg, error) if may_move else None
        if target is not None:
            return Decision(target=target)
        return _fail(f"{error}; no local route to move it to", error)
    return _fail(str(error), error)


def waited_s(rt: Runtime, msg: JobMessage) -> float:
    """Seconds since the job's first budget denial (the clock starts on the first call)."""
    return rt.store.waited_for_budget_s(msg.batch_id, msg.job_id)


def _wait(
    rt: Runtime, msg: JobMessage, delay_s: float, delivery_counted: bool, event: str, error: BudgetExhausted
) -> Decision:
    if delivery_counted:
        rt.store.cancel_delivery(msg.batch_id, msg.job_id)
    log.info(event, cap=error.cap, hard=error.hard, delay_s=round(delay_s, 2))
    return Decision(retry_in_s=delay_s)


def _to_local(rt: Runtime, msg: JobMessage, error: BudgetExhausted) -> RouteTarget | None:
    job = rt.store.job(msg.batch_id, msg.job_id)
    if job.route is None or not rt.availability.local or job.route.fallback_from is RouteTarget.LOCAL:
        return None  # local already failed this job for good: it must not bounce back
    moved = Route(
        target=RouteTarget.LOCAL,
        model=rt.policies.routing.models.local,
        reasons=(*job.route.reasons, f"budget: {error.cap} cap exhausted, moved to local"),
        fallback_from=job.route.target,
    )
    rt.store.reroute(msg.batch_id, msg.job_id, moved)
    log.warning("job_budget_to_local", cap=error.cap, from_route=job.route.target.value)
    return RouteTarget.LOCAL


def _fail(reason: str, error: BudgetExhausted) -> Decision:
    log.warning("job_budget_exhausted", cap=error.cap, policy=error.policy)
    return Decision(failure=PermanentBackendError(reason, kind="budget_exhausted"))


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"
