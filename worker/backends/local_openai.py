"""OpenAI-compatible servers on your own hardware (vLLM, llama.cpp, SGLang, TGI), through the official
`openai` client: the local route's second kind of host (worker/backends/local.py).

These hosts are local: sensitive jobs may go to them, so there is no sensitivity guard here. The answer's
cap goes out as `max_tokens` (which they honour), structured output is negotiated per host, and a
refusal carries the server's own reason (worker/backends/openai_chat.py). GPU time: llama.cpp's server
reports `timings` (prompt and generation ms) with each answer; a server that reports none (vLLM, SGLang,
TGI) is priced by its tokens at the model's throughput (configs/pricing.yaml `local:`).
"""

from __future__ import annotations

import time
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from worker.backends.base import Completion, CompletionRequest
from worker.backends.openai_chat import ChatEndpoint, completion_of, create_chat
from worker.backends.structured import FormatMemory
from worker.errors import RetryableBackendError


class LocalOpenAIHost:
    kind = "local-openai"

    def __init__(self, url: str, timeout_s: float, api_key: str | None = None):
        self.url = url
        client = openai.OpenAI(
            base_url=url,
            api_key=api_key or "not-needed",  # most local servers need no key; the SDK insists on one
            max_retries=0,  # Celery is the one layer that retries
            timeout=timeout_s,
        )
        self._endpoint = ChatEndpoint(client, f"local server {url}", FormatMemory(), cap_param="max_tokens")

    def call(self, request: CompletionRequest, slots: int) -> Completion:
        started = time.perf_counter()
        where = f"local server {self.url}"
        try:
            response, _ = create_chat(self._endpoint, request, request.sampling.max_output_tokens)
        except openai.APITimeoutError:
            raise RetryableBackendError(f"{where} timed out", kind="timeout") from None
        except openai.APIConnectionError:
            raise RetryableBackendError(f"cannot connect to {where}", kind="connection") from None
        except (openai.APIResponseValidationError, ValueError):
            raise RetryableBackendError(
                f"malformed response from {where}", kind="malformed_response"
            ) from None
        latency_ms = (time.perf_counter() - started) * 1000
        return completion_of(
            response, request, f"{self.kind}:{self.url}", latency_ms, gpu_ms_of(response, slots)
        )

    def close(self) -> None:
        self._endpoint.client.close()


def gpu_ms_of(response: ChatCompletion, slots: int) -> float | None:
    """GPU time from llama.cpp's `timings` (prompt_ms + predicted_ms), shared by the host's slots as
    Ollama's durations are (worker/backends/ollama.py `gpu_ms_of`); None when the server reports none."""
    timings: Any = (response.model_extra or {}).get("timings")
    if not isinstance(timings, dict):
        return None
    parts = [timings.get("prompt_ms"), timings.get("predicted_ms")]
    numbers = [float(p) for p in parts if isinstance(p, int | float) and p >= 0]
    if not numbers:
        return None
    return round(sum(numbers) / max(1, slots), 3)
