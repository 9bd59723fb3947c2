"""The local route: every host on your own hardware, Ollama and OpenAI-compatible, as one pool.

Both kinds share the fleet-wide slots (worker/flow/slots.py; each host has its kind's slot count), the
least-loaded choice, cool-downs and the never-leave guarantee: these hosts are yours, so sensitive jobs may
go to any of them. Only the wire protocol differs, and that is each host's client (worker/backends/
ollama.py, worker/backends/local_openai.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from worker.backends.base import Completion, CompletionRequest
from worker.errors import BackendError, NoBackendAvailable, RetryableBackendError
from worker.flow.slots import HostSlots


class HostClient(Protocol):
    """One local host's wire protocol: one call, on a slot the route already holds."""

    kind: str  # "ollama" or "local-openai": the prefix of the `backend` results carry

    def call(self, request: CompletionRequest, slots: int) -> Completion:
        """`slots`: the host's parallel slots, which share its GPU time among the calls in flight."""
        ...

    def close(self) -> None: ...


class LocalBackend:
    """Sends a job to the least-loaded healthy local host; a failing host cools down, the next is tried."""

    name = "local"

    def __init__(self, hosts: HostSlots, clients: Mapping[str, HostClient], slot_wait_s: float):
        missing = set(hosts.urls) - set(clients)
        if missing:
            raise ValueError(f"no client for local host(s): {sorted(missing)}")
        self._hosts = hosts
        self._clients = dict(clients)
        # A thread waits this long for a free slot (woken by a release), instead of bouncing the job.
        self._slot_wait_s = slot_wait_s

    def complete(self, request: CompletionRequest) -> Completion:
        last_error: BackendError | None = None
        tried: set[str] = set()
        while (lease := self._hosts.acquire(self._slot_wait_s, exclude=tried)) is not None:
            with lease:
                try:
                    answer = self._clients[lease.host].call(request, self._hosts.slots_of(lease.host))
                except RetryableBackendError as exc:
                    # This host is sick or busy: give it a rest and let the next host try now.
                    self._hosts.cool_down(lease.host, exc.retry_after_s)
                    tried.add(lease.host)
                    last_error = exc
                    continue
                self._hosts.answered(lease.host)
                return answer
        if last_error is not None:
            raise last_error
        raise NoBackendAvailable(
            "no local host is available (all down, cooling down or busy)",
            kind="no_local_host",
            retry_after_s=self._hosts.ready_in_s(),
        )

    def close(self) -> None:
        self._hosts.close()
        for client in self._clients.values():
            client.close()
