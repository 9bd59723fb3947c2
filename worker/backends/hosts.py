"""Local host selection: least outstanding requests, each host capped at its slots, sick hosts cooled down."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _HostState:
    url: str
    in_flight: int = 0
    cool_until: float = 0.0


@dataclass
class HostPool:
    """Process-local view of the Ollama hosts. Thread-safe; the worker's threads share one."""

    urls: tuple[str, ...]
    slots_per_host: int
    cooldown_s: float = 10.0
    _hosts: list[_HostState] = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._hosts = [_HostState(url) for url in self.urls]

    def candidates(self) -> list[str]:
        """Healthy hosts with a free slot, least loaded first (ties keep config order)."""
        now = time.monotonic()
        with self._lock:
            ready = [h for h in self._hosts if h.cool_until <= now and h.in_flight < self.slots_per_host]
            return [h.url for h in sorted(ready, key=lambda h: h.in_flight)]

    @contextmanager
    def reserve(self, url: str) -> Iterator[bool]:
        """Take a slot on `url` for the duration of a call; yields False if the host filled up meanwhile."""
        host = self._host(url)
        with self._lock:
            taken = host.in_flight < self.slots_per_host
            if taken:
                host.in_flight += 1
        try:
            yield taken
        finally:
            if taken:
                with self._lock:
                    host.in_flight -= 1

    def ready_in_s(self) -> float:
        """How long until some host may take a job: the shortest cool-down left (a moment if all are busy)."""
        now = time.monotonic()
        with self._lock:
            cooling = [h.cool_until - now for h in self._hosts if h.cool_until > now]
            if len(cooling) < len(self._hosts):
                return 0.2  # some host is healthy but every slot is taken: one will free up soon
            return max(0.05, min(cooling))

    def cool_down(self, url: str, seconds: float | None = None) -> None:
        with self._lock:
            self._host(url).cool_until = time.monotonic() + (self.cooldown_s if seconds is None else seconds)

    def _host(self, url: str) -> _HostState:
        for host in self._hosts:
            if host.url == url:
                return host
        raise KeyError(url)
