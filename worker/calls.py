"""The backend calls of one job, each made at most once and all of them billed.

A long document, or an extraction answer that needs repairs, takes several calls. Each answered call is
checkpointed in Redis under the job (with its reported usage) before the next one starts, so when a later
call fails and the job is retried or re-delivered, the calls already answered are reused rather than made
and paid for again, and the job's usage and cost are the sum of every call that was answered.

The checkpoint of an answer is written lazily: just before the job's next call, or when the delivery ends
without a result (`save`, on any exception). A delivery that records its result never writes it (the
result carries the usage, and the checkpoints are deleted in the same round trip), which spares a
single-call job a write and a delete.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from worker.backends.base import Backend, Completion, CompletionRequest, Sampling
from worker.errors import PermanentBackendError, UnknownModelError
from worker.pricing import PriceTable
from worker.schema import Usage
from worker.store import JobRecord, Store, keys
from worker.tco import JobFootprint, LocalUse

if TYPE_CHECKING:
    from worker.runtime import Policies

NO_SAMPLING_SET = Sampling()  # temperature 0, no seed, no cap: callers pass the task's (configs/prompts.yaml)


@dataclass(frozen=True)
class CallTotals:
    usage: Usage
    cost_pico: int
    baseline_pico: int
    latency_ms: float
    backend: str | None
    model: str | None
    calls: int
    local: LocalUse = LocalUse()  # the calls on local models: GPU time, tokens, cost (docs/tco.md)
    models: tuple[str, ...] = ()  # every model the calls ran on, each once, in order of first use


class JobCalls:
    """Makes one job's calls on its route's backend; `ask` is what the chunking and extraction code call."""

    def __init__(
        self, store: Store, backend: Backend, job: JobRecord, answered: dict[str, str] | None = None
    ):
        """`answered`: the job's checkpoint hash as read from Redis (read here when not given)."""
        if job.tags is None or job.route is None:
            raise ValueError("a job is called only once it is routed")
        self._store = store
        self._backend = backend
        self._job = job
        self._route = job.route
        self._sensitivity = job.tags.sensitivity
        if answered is None:
            answered = store.answered_calls(job.batch_id, job.job_id)
        self._done: dict[str, Completion] = {field: load_completion(raw) for field, raw in answered.items()}
        self._unsaved: dict[str, Completion] = {}
        self._last: Completion | None = None
        self.made = 0  # calls made (not reused) in this delivery

    def ask(
        self,
        step: str,
        messages: list[dict[str, str]],
        json_schema: dict[str, object] | None = None,
        sampling: Sampling = NO_SAMPLING_SET,
    ) -> str:
        """The answer for one step of the job: from the checkpoint if this exact call was answered before."""
        request = CompletionRequest(
            job_id=self._job.job_id,
            model=self._route.model,
            messages=messages,
            sensitivity=self._sensitivity,
            json_schema=json_schema,
            sampling=sampling,
            batch_id=self._job.batch_id,
        )
        field = f"{self._route.target.value}:{step}:{_digest(request)}"
        completion = self._done.get(field)
        if completion is None:
            self.save()  # every earlier answer is safe before the next call can fail
            completion = self._backend.complete(request)
            self.made += 1
            self._done[field] = self._unsaved[field] = completion
        self._last = completion
        return completion.output

    def totals(self, prices: PriceTable) -> CallTotals:
        """Usage and exact cost of every answered call of the job, each priced on the model it ran on."""
        return price_calls(list(self._done.values()), prices, self._last, self._route.model)

    def save(self) -> None:
        """Checkpoint the answers not written yet (one round trip; none when there are none)."""
        if not self._unsaved:
            return
        answers = {field: dump_completion(c) for field, c in self._unsaved.items()}
        self._store.save_answered_calls(self._job.batch_id, self._job.job_id, answers)
        self._unsaved.clear()


def checkpoint_key(job: JobRecord) -> str:
    """Where a job's answered calls are checkpointed (the result's write deletes them)."""
    return keys.calls(job.batch_id, job.job_id)


def load_checkpoints(store: Store, job: JobRecord) -> dict[str, Completion]:
    """The job's answered calls, from every delivery and route so far."""
    return {
        field: load_completion(raw) for field, raw in store.answered_calls(job.batch_id, job.job_id).items()
    }


def price_calls(
    completions: list[Completion],
    prices: PriceTable,
    last: Completion | None,
    default_model: str | None,
    cost_of: Callable[[str, Usage], int] | None = None,
) -> CallTotals:
    """Usage and exact cost of answered calls, each priced on the model it ran on: a local model's call
    by the GPU time it reported (else its tokens at the host's throughput), any other by `cost_of` (the
    real-time list price unless told otherwise, e.g. batch rates)."""
    cost_of = cost_of or prices.cost_pico

    def cost(c: Completion) -> int:
        if prices.is_local(c.model):
            return prices.call_cost_pico(c.model, c.usage, c.gpu_ms)
        return cost_of(c.model, c.usage)

    try:
        costs = [cost(c) for c in completions]
        baselines = [0 if c.overhead else prices.baseline_pico(c.usage) for c in completions]
    except UnknownModelError as exc:
        raise PermanentBackendError(str(exc), kind="unpriced_model") from None
    local = [i for i, c in enumerate(completions) if prices.is_local(c.model)]
    reported = [g for i in local if (g := completions[i].gpu_ms) is not None]
    return CallTotals(
        usage=Usage(
            input_tokens=sum(c.usage.input_tokens for c in completions),
            output_tokens=sum(c.usage.output_tokens for c in completions),
        ),
        cost_pico=sum(costs),
        baseline_pico=sum(baselines),
        latency_ms=round(sum(c.latency_ms for c in completions), 3),
        backend=last.backend if last else None,
        model=last.model if last else default_model,
        calls=len(completions),
        local=LocalUse(
            calls=len(local),
            gpu_ms=round(sum(reported), 3) if reported else None,
            input_tokens=sum(completions[i].usage.input_tokens for i in local),
            output_tokens=sum(completions[i].usage.output_tokens for i in local),
            cost_pico=sum(costs[i] for i in local),
            baseline_pico=sum(baselines[i] for i in local),
        ),
        models=tuple(dict.fromkeys(c.model for c in completions)),
    )


def footprint(totals: CallTotals, policies: Policies, fleet_hosts: int) -> JobFootprint:
    """What the batch's cost-of-ownership and license counters take from one job (docs/tco.md)."""
    return JobFootprint(
        local=totals.local,
        fleet_hosts=fleet_hosts if totals.local.calls else 0,
        host_pico_per_hour=policies.prices.host_pico_per_hour() if totals.local.calls else 0,
        models=tuple((model, policies.models.license_of(model) or "") for model in totals.models),
    )


def _digest(request: CompletionRequest) -> str:
    body = json.dumps([request.model, request.messages, request.json_schema], sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def dump_completion(completion: Completion) -> str:
    return json.dumps(
        {
            "output": completion.output,
            "usage": completion.usage.model_dump(),
            "model": completion.model,
            "backend": completion.backend,
            "latency_ms": completion.latency_ms,
            "gpu_ms": completion.gpu_ms,
            **({"overhead": True} if completion.overhead else {}),
        }
    )


def load_completion(raw: str) -> Completion:
    data = json.loads(raw)
    return Completion(
        output=data["output"],
        usage=Usage.model_validate(data["usage"]),
        model=data["model"],
        backend=data["backend"],
        latency_ms=float(data["latency_ms"]),
        gpu_ms=float(data["gpu_ms"]) if data.get("gpu_ms") is not None else None,  # older checkpoints: none
        overhead=bool(data.get("overhead", False)),
    )
