"""The cloud route: any OpenAI-compatible API through the official `openai` client.

Defence in depth: before any byte leaves, the job's sensitivity is checked again here (worker/privacy.py),
independently of the router. SDK retries are off (`max_retries=0`): Celery is the one layer that retries.
The protocol details (token cap parameter, structured-output negotiation, the server's reasons) are
worker/backends/openai_chat.py's.

Budgets (worker/budget/gate.py): when a cap applies, a call reserves its worst-case cost before it is
sent and settles it with the reported usage after; an error the provider answered releases it (errors are
not billed), and a call whose outcome we cannot know (a timeout mid-request, a malformed answer) keeps its
estimate as spent.
"""

from __future__ import annotations

import time

import openai

from worker.backends.base import Completion, CompletionRequest
from worker.backends.breaker import CircuitBreaker
from worker.backends.openai_chat import (
    ChatEndpoint,
    completion_of,
    create_chat,
    token_cap_param,
)
from worker.backends.structured import FormatMemory
from worker.budget.gate import BudgetGate, Charge
from worker.errors import (
    BackendError,
    NoBackendAvailable,
    RetryableBackendError,
)
from worker.flow.ratelimit import RateLimiter, RequestTooLarge, Reservation, estimate_tokens
from worker.privacy import guard_cloud

# Failures that prove the request never reached the provider: nothing can have been billed. Matched by
# name: the SDK's HTTP library is httpx, or its fork httpx2 (openai 3.x), with the same exception classes.
_NOT_SENT_CAUSES = frozenset({"ConnectError", "ConnectTimeout"})


__all__ = ["OpenAIBackend"]


class _NotSent(RetryableBackendError):
    """The connection was never made (refused, or timed out connecting): no byte left."""


class OpenAIBackend:
    name = "openai"

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        timeout_s: float,
        limiter: RateLimiter | None = None,
        max_output_tokens: int | None = None,
        rate_wait_s: float = 30.0,
        breaker: CircuitBreaker | None = None,
        budget: BudgetGate | None = None,
    ):
        if budget is not None and max_output_tokens is None:
            raise ValueError("budget caps need max_output_tokens: it bounds what a call can cost")
        self._budget = budget
        self._breaker = breaker or CircuitBreaker("cloud API")
        self._limiter = limiter
        self._max_output_tokens = max_output_tokens
        self._rate_wait_s = rate_wait_s
        self._client = openai.OpenAI(
            base_url=base_url,
            # OpenAI-compatible local servers (vLLM, llama.cpp) often need no key; the SDK insists on one.
            api_key=api_key or "not-needed",
            max_retries=0,
            timeout=timeout_s,
        )
        self.base_url = str(self._client.base_url).rstrip("/")
        self._endpoint = ChatEndpoint(
            self._client, "OpenAI API", FormatMemory(), cap_param=token_cap_param(base_url)
        )

    def complete(self, request: CompletionRequest) -> Completion:
        guard_cloud(request.job_id, request.sensitivity)
        self._breaker.check()
        try:
            completion = self._complete(request)
        except RetryableBackendError as exc:
            # 429s are pacing, not an outage; a wait for rate or budget sent nothing at all.
            if exc.kind != "rate_limited" and not isinstance(exc, NoBackendAvailable):
                self._breaker.failed()
            raise
        self._breaker.succeeded()
        return completion

    def _complete(self, request: CompletionRequest) -> Completion:
        budget = self._budget
        charge: Charge | None = None
        if budget is not None:
            # Before the rate-limit wait: a call the budget refuses takes no slot and sleeps for nothing.
            charge = budget.reserve(
                request.model, request.messages, self._max_output_tokens or 0, batch_id=request.batch_id
            )
        if budget is None or charge is None:
            return self._send(request)
        try:
            completion = self._send(request)
        except BackendError as exc:
            if _billed(exc):
                charge.charge_unknown()
            else:
                charge.release()
            raise
        except BaseException:
            charge.charge_unknown()  # a bug or an interrupt mid-call: the provider may have billed it
            raise
        charge.settle(budget.cost_pico(request.model, completion.usage))
        return completion

    def _send(self, request: CompletionRequest) -> Completion:
        grant: Reservation | None = None
        if self._limiter is not None:
            # Waits here for budget (one exact sleep), or raises RateLimitWait to re-schedule the job.
            estimate = estimate_tokens(request.messages, self._max_output_tokens or 0)
            grant = self._limiter.acquire(estimate, timeout_s=self._rate_wait_s)
        max_tokens = _cap(request.sampling.max_output_tokens, self._max_output_tokens)
        started = time.perf_counter()
        observe = self._limiter.observe_headers if self._limiter is not None else None
        try:
            # A 429 says how far off we are: the limiter hears its headers.
            response, headers = create_chat(self._endpoint, request, max_tokens, on_status_error=observe)
        except openai.APITimeoutError as exc:
            if _never_sent(exc):
                raise _NotSent("timed out connecting to the OpenAI API", kind="timeout") from None
            raise RetryableBackendError("OpenAI API timed out", kind="timeout") from None
        except openai.APIConnectionError as exc:
            if _never_sent(exc):
                raise _NotSent("cannot connect to the OpenAI API", kind="connection") from None
            raise RetryableBackendError("cannot connect to the OpenAI API", kind="connection") from None
        except openai.APIResponseValidationError:
            raise RetryableBackendError(
                "malformed response from the OpenAI API", kind="malformed_response"
            ) from None
        except ValueError:
            raise RetryableBackendError(
                "malformed response from the OpenAI API", kind="malformed_response"
            ) from None
        latency_ms = (time.perf_counter() - started) * 1000
        completion = completion_of(response, request, f"openai:{self.base_url}", latency_ms)
        if self._limiter is not None and grant is not None:
            self._limiter.observe_headers(headers)
            grant.settle(completion.usage.input_tokens + completion.usage.output_tokens)
        return completion

    def close(self) -> None:
        self._client.close()


def _never_sent(exc: openai.APIConnectionError) -> bool:
    cause = exc.__cause__
    return cause is not None and any(c.__name__ in _NOT_SENT_CAUSES for c in type(cause).__mro__)


def _billed(error: BackendError) -> bool:
    """Whether a failed call may have been billed: only if it may have reached the provider and the
    provider did not answer it with an error status (errors are not billed)."""
    if isinstance(error, (_NotSent, NoBackendAvailable, RequestTooLarge)):
        return False
    return error.status_code is None


def _cap(task_cap: int | None, route_cap: int | None) -> int | None:
    """The tighter of the task's cap and the route's (which also bounds what budgets reserve)."""
    caps = [c for c in (task_cap, route_cap) if c is not None]
    return min(caps) if caps else None
