"""The one backoff and the one countdown bound every task uses (worker/retry.py)."""

from __future__ import annotations

from worker.retry import backoff_s, countdown_s
from worker.settings import Settings


def test_backoff_grows_to_its_cap_with_jitter_and_never_undercuts_the_servers_hint() -> None:
    for retries in range(40):
        assert 0.0 <= backoff_s(retries, 1.0, 60.0) <= min(60.0, 2.0**retries)
    assert len({backoff_s(10, 1.0, 60.0) for _ in range(20)}) > 1  # jittered: retries do not align
    assert backoff_s(0, 1.0, 60.0, hint_s=7.0) >= 7.0
    assert backoff_s(0, 1.0, 60.0, hint_s=600.0) == 600.0  # the server asked; the countdown bound caps it


def test_a_countdown_never_reaches_the_visibility_timeout_less_the_longest_run() -> None:
    settings = Settings(visibility_timeout_s=600, request_timeout_s=60, retry_backoff_max_s=30)
    assert settings.worst_wait_and_run_s == 150
    assert countdown_s(settings, 3600) == 300  # half the visibility timeout is tighter here
    tight = Settings(visibility_timeout_s=200, request_timeout_s=60, retry_backoff_max_s=30)
    assert countdown_s(tight, 3600) == 200 - 150
    assert countdown_s(settings, 5) == 5 and countdown_s(settings, -1) == 0
