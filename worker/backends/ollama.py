"""The local route: Ollama hosts through the official `ollama` client, on httpx's own transport."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import ollama
import pydantic

from worker.backends.base import Completion, CompletionRequest
from worker.errors import BackendError, NoBackendAvailable, PermanentBackendError, RetryableBackendError
from worker.flow.slots import HostSlots, SlotRide
from worker.schema import Usage

_RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}
# An idle connection is kept this long for the next call. Between two jobs of a batch a slot's connection
# idles for a few ms; between batches it may as well reconnect.
KEEPALIVE_EXPIRY_S = 30.0


class OllamaBackend:
    """Sends a job to the least-loaded healthy Ollama host; a failing host cools down, the next is tried."""

    name = "ollama"

    def __init__(self, hosts: HostSlots, timeout_s: float, slot_wait_s: float | None = None):
        self._hosts = hosts
        # A thread waits this long for a free slot (woken by a release), instead of bouncing the job.
        self._slot_wait_s = timeout_s if slot_wait_s is None else slot_wait_s
        self._clients = {url: _client(url, timeout_s, hosts.slots_per_host) for url in hosts.urls}

    def complete(self, request: CompletionRequest) -> Completion:
        last_error: BackendError | None = None
        tried: set[str] = set()
        while (lease := self._hosts.acquire(self._slot_wait_s, exclude=tried)) is not None:
            with lease:
                try:
                    return self._call(lease.host, request)
                except RetryableBackendError as exc:
                    # This host is sick or busy: give it a rest and let the next host try now.
                    self._hosts.cool_down(lease.host, exc.retry_after_s)
                    tried.add(lease.host)
                    last_error = exc
        if last_error is not None:
            raise last_error
        raise NoBackendAvailable(
            "no Ollama host is available (all down, cooling down or busy)",
            kind="no_local_host",
            retry_after_s=self._hosts.ready_in_s(),
        )

    def slot_ride(self) -> SlotRide:
        return self._hosts.ride()

    def _call(self, url: str, request: CompletionRequest) -> Completion:
        started = time.perf_counter()
        fmt: dict[str, Any] | None = dict(request.json_schema) if request.json_schema is not None else None
        try:
            response = self._clients[url].chat(
                model=request.model, messages=request.messages, stream=False, format=fmt
            )
        except ollama.ResponseError as exc:
            raise _translate_response_error(exc) from None
        except ConnectionError:
            raise RetryableBackendError(f"cannot connect to Ollama at {url}", kind="connection") from None
        except httpx.TimeoutException:
            raise RetryableBackendError(f"Ollama at {url} timed out", kind="timeout") from None
        except httpx.HTTPError as exc:
            raise RetryableBackendError(
                f"HTTP error talking to Ollama at {url}: {type(exc).__name__}", kind="connection"
            ) from None
        except (pydantic.ValidationError, json.JSONDecodeError, ValueError):
            raise RetryableBackendError(
                f"malformed response from Ollama at {url}", kind="malformed_response"
            ) from None
        latency_ms = (time.perf_counter() - started) * 1000
        usage = Usage(input_tokens=response.prompt_eval_count or 0, output_tokens=response.eval_count or 0)
        return Completion(
            output=response.message.content or "",
            usage=usage,
            model=request.model,
            backend=f"ollama:{url}",
            latency_ms=latency_ms,
            gpu_ms=gpu_ms_of(response, self._hosts.slots_per_host),
        )

    def close(self) -> None:
        self._hosts.close()
        for client in self._clients.values():
            client.close()


def _client(url: str, timeout_s: float, slots: int) -> ollama.Client:
    """The official client for one host. httpx keeps up to `slots` idle connections to it (one per call
    the host runs at once), so a busy host's calls reuse their connections rather than reconnect: httpx's
    default keeps 20. The slots (worker/flow/slots.py) bound how many calls are in flight, not the pool."""
    limits = httpx.Limits(
        max_connections=None, max_keepalive_connections=slots, keepalive_expiry=KEEPALIVE_EXPIRY_S
    )
    return ollama.Client(host=url, timeout=timeout_s, limits=limits)


def gpu_ms_of(response: ollama.ChatResponse, slots: int) -> float | None:
    """The GPU time to charge one answered request, in ms (microsecond resolution); None if none reported.

    Ollama reports, per request, the time spent loading the model, evaluating the prompt and generating
    (ns); `total_duration` also holds time spent queued, which is not GPU work. With `slots` parallel
    slots, requests in flight together overlap and each reports its own span of the same GPU time, so one
    request is charged its span divided by the slots: exact when the host is full (as it is while a batch
    keeps it fed), an under-charge when it is not; the report's fleet figure counts the rest as idle time.
    """
    parts = (response.load_duration, response.prompt_eval_duration, response.eval_duration)
    if all(part is None for part in parts):
        return None
    busy_ns = sum(part or 0 for part in parts)
    return round(busy_ns / max(1, slots) / 1_000_000, 3)


def _translate_response_error(exc: ollama.ResponseError) -> BackendError:
    status = exc.status_code
    message = str(exc.error)[:200]
    if status == 404:
        return PermanentBackendError(
            f"Ollama: {message} (pull the model on every host)", kind="unknown_model", status_code=status
        )
    if status in _RETRYABLE_STATUS or status == -1:
        kind = "server_busy" if status == 503 else "server_error"
        return RetryableBackendError(f"Ollama answered {status}: {message}", kind=kind, status_code=status)
    return PermanentBackendError(
        f"Ollama answered {status}: {message}", kind="bad_request", status_code=status
    )
