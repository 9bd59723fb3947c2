"""A cloud-batch job's calls, answered by provider batches: the job is replayed until all have answers.

The chunking and extraction code asks for one answer at a time (`ask`). Here an answer comes from the
job's stored batch results; a call without one raises `AwaitingAnswer` with the request to stage, so the
job's next call goes into the next provider batch. A one-call job takes one round; a long document or an
extraction repair takes more. Each answered call is priced at the Batch API's rates.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from worker.backends.base import Completion, CompletionRequest, Sampling
from worker.calls import NO_SAMPLING_SET, CallTotals, load_completion, price_calls
from worker.pricing import PriceTable
from worker.store import JobRecord
from worker.store.batch_route import BatchState


class AwaitingAnswer(Exception):
    """The job's next call has no answer yet: stage `request` under `field` for the next provider batch."""

    def __init__(self, field: str, request: CompletionRequest):
        super().__init__(field)
        self.field = field
        self.request = request


class BatchCalls:
    """`ask` for the chunking/extraction code, answered from the job's batch results."""

    def __init__(self, state: BatchState, job: JobRecord):
        if job.tags is None or job.route is None:
            raise ValueError("a job is called only once it is routed")
        self._state = state
        self._job = job
        self._model = job.route.model
        self._sensitivity = job.tags.sensitivity
        self._answers = {
            f: load_completion(raw) for f, raw in state.answers(job.batch_id, job.job_id).items()
        }
        self._last: Completion | None = None

    @property
    def answered(self) -> int:
        return len(self._answers)

    def ask(
        self,
        step: str,
        messages: list[dict[str, str]],
        json_schema: dict[str, object] | None = None,
        sampling: Sampling = NO_SAMPLING_SET,
    ) -> str:
        request = CompletionRequest(
            job_id=self._job.job_id,
            model=self._model,
            messages=messages,
            sensitivity=self._sensitivity,
            json_schema=json_schema,
            sampling=sampling,
        )
        field = call_field(step, request)
        answer = self._answers.get(field)
        if answer is None:
            raise AwaitingAnswer(field, request)
        self._last = answer
        return answer.output

    def totals(self, prices: PriceTable, earlier: Iterable[Completion] = ()) -> CallTotals:
        """Usage and cost of the job's answered calls at batch rates (the baseline stays at list price),
        with `earlier`: its calls answered before it took this route (the second line's check, local)."""
        answers = [*earlier, *self._answers.values()]
        return price_calls(answers, prices, self._last, self._model, cost_of=prices.batch_cost_pico)

    def forget(self) -> None:
        """Drop the stored answers once the job's result is recorded."""
        self._state.forget_answers(self._job.batch_id, self._job.job_id)


def call_field(step: str, request: CompletionRequest) -> str:
    """Where one call's answer is stored: the step and a digest of exactly what was asked."""
    body = json.dumps([request.model, request.messages, request.json_schema], sort_keys=True)
    return f"{step}:{hashlib.sha256(body.encode('utf-8')).hexdigest()[:16]}"
