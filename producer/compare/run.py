"""Run each sampled document through the local model(s) and the cloud model, as production would.

Every answer comes from the real backends (worker/runtime.build_backend) through the same planning and
task code as a worker (worker/chunking.plan_job and run_task): long documents are chunked on each model's
own window, extraction answers are validated and repaired, and the calls are priced like production
(worker/calls.price_calls). Nothing is written to the store: a comparison is not a batch.

The privacy rule holds here as everywhere: a document whose sensitivity the routing policy keeps off the
cloud (worker.routing.cloud_allowed) is never sent to the cloud model; it is compared between local
models only, when two or more are given, and otherwise not run at all.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import structlog

from producer.compare.agreement import Agreement, Measure
from producer.loaders import LoadedDocument
from worker.backends.base import Backend, Completion, CompletionRequest
from worker.budget.gate import BudgetExhausted
from worker.calls import price_calls
from worker.chunking import plan_job, run_task
from worker.errors import BackendError, RetryableBackendError
from worker.extraction import InvalidOutput
from worker.prompts import output_json_schema
from worker.retry import backoff_s
from worker.routing import RoutingPolicy, cloud_allowed
from worker.runtime import Policies
from worker.schema import Tags, TaskSpec, Usage

log = structlog.get_logger("turnout.compare")


class CloudRefused(RuntimeError):
    """A document the policy keeps off the cloud reached the cloud runner: a bug, stopped before any call."""


def cloud_guard(policy: RoutingPolicy) -> Callable[[Tags], None]:
    """A check that stops a document the policy keeps off the cloud, before any call is planned."""

    def check(tags: Tags) -> None:
        if not cloud_allowed(tags.sensitivity, policy):
            raise CloudRefused(f"a {tags.sensitivity.value} document must not reach the cloud model")

    return check


@dataclass(frozen=True)
class Answered:
    """One model's answer for one document, or why there is none, with what its calls cost."""

    model: str
    output: str | None
    error: str | None = None  # the failure's kind: "invalid_output" (never validated) or a backend error
    usage: Usage = Usage(input_tokens=0, output_tokens=0)
    cost_pico: int = 0
    calls: int = 0
    chunks: int = 1

    @property
    def invalid(self) -> bool:
        return self.error == "invalid_output"


@dataclass(frozen=True)
class DocumentRun:
    """A sampled document: its tags, where it may go, every model's answer and their agreement."""

    index: int
    source: str
    tags: Tags
    cloud_allowed: bool
    reference: str | None  # the model the others are compared with: the cloud model, or the first local
    answers: dict[str, Answered] = field(default_factory=dict)
    agreement: dict[str, Agreement] = field(default_factory=dict)  # compared model -> vs the reference


@dataclass(frozen=True)
class Models:
    local: tuple[str, ...]
    cloud: str


@dataclass
class Retry:
    """How a call that failed with a retryable error (busy, 429, 5xx, timeout) is tried again."""

    attempts: int
    backoff_s: float
    backoff_max_s: float
    sleep: Callable[[float], None] = time.sleep

    def gives_up(self, attempt: int, error: RetryableBackendError) -> bool:
        """Whether to stop trying: attempts spent, or a cap whose settled spend leaves no room (only its
        reset helps, hours away: a comparison does not hold, it reports the answer as failed)."""
        return attempt >= self.attempts or (isinstance(error, BudgetExhausted) and error.hard)

    def wait(self, attempt: int, error: RetryableBackendError) -> None:
        # A budget refusal's hint is its cap's reset, not when in-flight calls will hand budget back.
        hinted = None if isinstance(error, BudgetExhausted) else error.retry_after_s
        # The workers' backoff (worker/retry.py); a server's hint is still capped: a comparison waits for
        # its answers in the foreground.
        self.sleep(
            min(self.backoff_max_s, backoff_s(attempt - 1, self.backoff_s, self.backoff_max_s, hinted))
        )


class ModelRunner:
    """Answers one document on one model through a backend, chunked and repaired as a worker would."""

    def __init__(
        self,
        backend: Backend,
        model: str,
        policies: Policies,
        task: TaskSpec,
        retry: Retry,
        guard: Callable[[Tags], None] | None = None,
    ) -> None:
        self._backend = backend
        self._policies = policies
        self._task = task
        self._retry = retry
        self._guard = guard
        self.model = model

    def run(self, job_id: str, text: str, tags: Tags) -> Answered:
        if self._guard is not None:
            self._guard(tags)  # before planning, before any byte leaves
        policies = self._policies
        plan = plan_job(policies.models, policies.prompts, self._task, text, self.model)
        completions: list[Completion] = []
        ask = functools.partial(
            self._ask, job_id, tags, completions, json_schema=output_json_schema(self._task)
        )
        output: str | None = None
        error: str | None = None
        try:
            output = run_task(self._task, plan, ask, policies.prompts)
        except InvalidOutput:
            error = "invalid_output"
        except BackendError as exc:
            error = exc.kind
        totals = price_calls(
            completions, policies.prices, completions[-1] if completions else None, self.model
        )
        return Answered(
            model=self.model,
            output=output,
            error=error,
            usage=totals.usage,
            cost_pico=totals.cost_pico,
            calls=totals.calls,
            chunks=len(plan.chunks),
        )

    def _ask(
        self,
        job_id: str,
        tags: Tags,
        completions: list[Completion],
        step: str,
        messages: list[dict[str, str]],
        json_schema: dict[str, object] | None = None,
    ) -> str:
        request = CompletionRequest(
            job_id=job_id,
            model=self.model,
            messages=messages,
            sensitivity=tags.sensitivity,
            json_schema=json_schema,
        )
        for attempt in range(1, self._retry.attempts + 1):
            try:
                completion = self._backend.complete(request)
                break
            except RetryableBackendError as exc:
                if self._retry.gives_up(attempt, exc):
                    raise
                log.info("compare_call_retry", job_id=job_id, model=self.model, error_type=exc.kind)
                self._retry.wait(attempt, exc)
        completions.append(completion)
        return completion.output


@dataclass
class Comparison:
    """Runs sampled documents side by side on the configured models and measures their agreement."""

    policies: Policies
    task: TaskSpec
    models: Models
    local_backend: Backend
    cloud_backend: Backend
    measure: Measure
    retry: Retry
    run_id: str = "compare"
    workers: int = 4
    _runners: dict[str, ModelRunner] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for model in self.models.local:
            self._runners[model] = ModelRunner(
                self.local_backend, model, self.policies, self.task, self.retry
            )
        # The cloud runner checks the policy again itself (defence in depth, as the cloud backend does).
        self._runners[self.models.cloud] = ModelRunner(
            self.cloud_backend,
            self.models.cloud,
            self.policies,
            self.task,
            self.retry,
            guard=cloud_guard(self.policies.routing),
        )

    def run(
        self,
        documents: Sequence[tuple[LoadedDocument, Tags]],
        on_done: Callable[[DocumentRun], Any] | None = None,
    ) -> list[DocumentRun]:
        """Every document's answers and agreement, in the order given (work runs on `workers` threads)."""
        with ThreadPoolExecutor(max_workers=max(1, self.workers), thread_name_prefix="compare") as pool:
            futures = [
                pool.submit(self._one, index, doc, tags) for index, (doc, tags) in enumerate(documents)
            ]
            results = []
            for future in futures:
                result = future.result()
                if on_done is not None:
                    on_done(result)
                results.append(result)
        return results

    def _one(self, index: int, doc: LoadedDocument, tags: Tags) -> DocumentRun:
        allowed = cloud_allowed(tags.sensitivity, self.policies.routing)
        local = self.models.local
        if allowed:
            order, reference = (*local, self.models.cloud), self.models.cloud
        elif len(local) >= 2:
            order, reference = local, local[0]
        else:
            order, reference = (), None
        job_id = f"{self.run_id}-{index}"
        answers = {model: self._runners[model].run(job_id, doc.text, tags) for model in order}
        agreement = {}
        ref = answers.get(reference) if reference else None
        if ref is not None and ref.output is not None:
            for model, answered in answers.items():
                if model == reference:
                    continue
                if answered.output is not None:
                    agreement[model] = self.measure.compare(ref.output, answered.output)
                elif answered.invalid:  # production would have had no usable answer from this model
                    agreement[model] = self.measure.failed()
        log.info(
            "compare_document",
            job_id=job_id,
            sensitivity=tags.sensitivity.value,
            complexity=tags.complexity.value,
            models=len(answers),
            compared=len(agreement),
        )
        return DocumentRun(
            index=index,
            source=doc.source,
            tags=tags,
            cloud_allowed=allowed,
            reference=reference,
            answers=answers,
            agreement=agreement,
        )
