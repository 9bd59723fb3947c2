"""The one small interface every LLM backend implements, and what a call returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from worker.prompts import Sampling
from worker.schema import Sensitivity, Usage


@dataclass(frozen=True)
class CompletionRequest:
    """One chat call. `sensitivity` travels with it so a backend can refuse what must not reach it, and
    `batch_id` so a cloud backend charges the call to that batch's spending cap."""

    job_id: str
    model: str
    messages: list[dict[str, str]]
    sensitivity: Sensitivity
    json_schema: dict[str, object] | None = None
    sampling: Sampling = Sampling()
    batch_id: str | None = None


@dataclass(frozen=True)
class Completion:
    output: str
    usage: Usage  # as the backend reported it, never a local guess
    model: str
    backend: (
        str  # which server answered: "ollama:http://gpu1:11434", "local-openai:http://gpu2:8000/v1",
        # or "openai:https://api.openai.com/v1"
    )
    latency_ms: float
    # GPU time charged to this call (ms), as the local backend reported it, divided by the host's parallel
    # slots (requests in flight together share the GPU; docs/tco.md). None: the backend reported none
    # (every cloud call; a local call then falls back to pricing its tokens at the host's throughput).
    gpu_ms: float | None = None
    # A call Turnout made for its own sake, not for the task (the second line's check before a document
    # leaves, worker/second_line_check.py): billed like any call, but the all-cloud baseline, which would
    # not have made it, does not count it.
    overhead: bool = False


class Backend(Protocol):
    """A route's backend. Raises RetryableBackendError / PermanentBackendError, nothing else on purpose."""

    name: str

    def complete(self, request: CompletionRequest) -> Completion: ...

    def close(self) -> None: ...
