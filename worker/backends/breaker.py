"""A circuit breaker for the cloud API: after a run of failures, stop calling it for a while.

While the circuit is open, calls fail fast with NoBackendAvailable (no request is made, no attempt is
spent): jobs wait, bounded by `backend_wait_max_s`, instead of hammering an API that is down. After the
open period one call goes through (half-open); success closes the circuit, failure re-opens it.
Rate limiting (429) is not a failure here: the limiter and the server's retry hints handle it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from worker.errors import NoBackendAvailable


@dataclass
class CircuitBreaker:
    name: str
    failure_threshold: int = 5
    open_s: float = 30.0
    _failures: int = field(default=0, init=False)
    _open_until: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def check(self) -> None:
        """Raise NoBackendAvailable while the circuit is open."""
        with self._lock:
            left_s = self._open_until - time.monotonic()
        if left_s > 0:
            raise NoBackendAvailable(
                f"{self.name} circuit open after {self.failure_threshold} consecutive failures",
                kind="circuit_open",
                retry_after_s=left_s,
            )

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.failure_threshold:
                self._open_until = time.monotonic() + self.open_s
                # Half-open afterwards: the first call decides; one more failure re-opens at once.
                self._failures = self.failure_threshold - 1
