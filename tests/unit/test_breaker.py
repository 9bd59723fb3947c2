"""The cloud circuit breaker: opens after a run of failures, fails fast while open, half-opens after."""

from __future__ import annotations

import pytest

from worker.backends.breaker import CircuitBreaker
from worker.errors import NoBackendAvailable


def test_opens_after_the_threshold_and_fails_fast_with_the_time_left() -> None:
    breaker = CircuitBreaker("cloud", failure_threshold=3, open_s=60)
    for _ in range(2):
        breaker.failed()
        breaker.check()  # still closed
    breaker.failed()
    with pytest.raises(NoBackendAvailable) as info:
        breaker.check()
    assert info.value.kind == "circuit_open" and 59 < (info.value.retry_after_s or 0) <= 60


def test_a_success_resets_the_run_of_failures() -> None:
    breaker = CircuitBreaker("cloud", failure_threshold=2, open_s=60)
    breaker.failed()
    breaker.succeeded()
    breaker.failed()
    breaker.check()  # one failure since the success: still closed


def test_after_the_open_period_one_failure_reopens_it() -> None:
    breaker = CircuitBreaker("cloud", failure_threshold=3, open_s=0.0001)
    for _ in range(3):
        breaker.failed()
    breaker._open_until = 0.0  # the open period is over: half-open
    breaker.check()
    breaker.failed()
    with pytest.raises(NoBackendAvailable):
        breaker.check()
