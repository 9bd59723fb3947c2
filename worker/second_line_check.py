"""The second line's call: the local model's check of a cloud-bound document, made once, billed to the job.

What is asked and what an answer means are worker/second_line.py (pure); this module makes the call on
the local hosts (the same fleet-wide slots as the local route, the check's own timeout) and records it:
the answer joins the job's answered calls (worker/calls.py), so the job's usage and cost include it
wherever the job ends, and the batch's counters say what the checks decided and cost (`turnout report`).
Logs and reasons carry the verdict, categories, counts and timings: never the text or the answer.
"""

from __future__ import annotations

import dataclasses

import structlog

from worker.backends.base import Completion, CompletionRequest
from worker.calls import dump_completion, price_calls
from worker.errors import BackendError
from worker.prompts import Sampling
from worker.runtime import Runtime
from worker.schema import JobMessage, Route, Tags
from worker.second_line import (
    ANSWER_SCHEMA,
    CALL_STEP,
    CHECKED,
    CLOUD_TARGETS,
    COST_PICO,
    COUNTER_PREFIX,
    INPUT_TOKENS,
    LATENCY_US,
    OUTPUT_TOKENS,
    SENSITIVE,
    UNAVAILABLE,
    UNPARSED,
    Verdict,
    active,
    messages,
    parse_verdict,
    routed,
)

log = structlog.get_logger("turnout.second_line")


def needs_check(rt: Runtime, route: Route) -> bool:
    """Whether this route must pass the check before it is taken: a cloud route, with the second line on."""
    config = rt.policies.routing.second_line
    return route.target in CLOUD_TARGETS and active(config, rt.settings.local_configured)


def check_deferred(rt: Runtime, route: Route) -> bool:
    """Whether classify hands the check to its own stage on the local pool (worker/second_line_stage.py)
    rather than deciding it in place: always when a check is due and a local host can make it. With no
    local host there is no call to wait for: `screen` keeps the job local at once."""
    return needs_check(rt, route) and rt.settings.local_configured


def screen(rt: Runtime, message: JobMessage, text: str, tags: Tags, route: Route) -> Route:
    """The route a cloud-bound job takes once the local model has checked it; any other route as it was.

    Asked where a route to the cloud is taken: the second line's stage (cloud and cloud-batch alike,
    worker/second_line_stage.py), and a failed local job's fallback to the cloud (worker/pipeline.py),
    both on the local pool. Fails closed: a check that cannot be made or read keeps the job local.
    """
    if not needs_check(rt, route):
        return route
    config = rt.policies.routing.second_line
    local_model = rt.policies.routing.models.local
    if not rt.settings.local_configured:
        return _unavailable(rt, message, route, local_model, "no local host")
    request = CompletionRequest(
        job_id=message.job_id,
        model=config.model or local_model,
        messages=messages(text, config),
        sensitivity=tags.sensitivity,
        json_schema=ANSWER_SCHEMA,
        sampling=Sampling(temperature=0.0, max_output_tokens=config.max_output_tokens),
    )
    try:
        completion = rt.second_line_backend().complete(request)
    except BackendError as exc:
        return _unavailable(rt, message, route, local_model, exc.kind)
    verdict = parse_verdict(completion.output)
    _record(rt, message, dataclasses.replace(completion, overhead=True), verdict)
    log.info(
        "second_line_checked",
        verdict="unparseable" if verdict is None else "sensitive" if verdict.sensitive else "clear",
        categories=[c.value for c in verdict.categories] if verdict is not None else [],
        latency_ms=round(completion.latency_ms, 1),
        input_tokens=completion.usage.input_tokens,
        output_tokens=completion.usage.output_tokens,
    )
    return routed(route, local_model, verdict)


def _unavailable(rt: Runtime, message: JobMessage, route: Route, local_model: str, why: str) -> Route:
    log.warning("second_line_unavailable", error_type=why)
    rt.store.count(message.batch_id, COUNTER_PREFIX + UNAVAILABLE)
    return routed(route, local_model, None, unavailable=why)


def _record(rt: Runtime, message: JobMessage, completion: Completion, verdict: Verdict | None) -> None:
    """The answer into the job's calls and the batch's counters, in one round trip."""
    cost_pico = price_calls([completion], rt.policies.prices, completion, None).cost_pico
    counts = {
        CHECKED: 1,
        SENSITIVE: int(verdict is not None and verdict.sensitive),
        UNPARSED: int(verdict is None),
        INPUT_TOKENS: completion.usage.input_tokens,
        OUTPUT_TOKENS: completion.usage.output_tokens,
        COST_PICO: cost_pico,
        LATENCY_US: round(completion.latency_ms * 1000),
    }
    rt.store.record_check(
        message.batch_id,
        message.job_id,
        CALL_STEP,
        dump_completion(completion),
        {COUNTER_PREFIX + name: value for name, value in counts.items()},
    )
