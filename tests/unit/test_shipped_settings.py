"""tests/conftest.py `shipped_settings`: the fault and chaos runs are run as users run Turnout."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import shipped_settings
from worker.settings import Settings

OLLAMA = SimpleNamespace(url="http://127.0.0.1:1")
OPENAI = SimpleNamespace(base_url="http://127.0.0.1:2/v1")
WHERE_AND_WHO = {"broker_url", "ollama_hosts", "openai_base_url", "openai_api_key", "log_format"}
POOL_SIZES = {"classify_concurrency", "ollama_parallel", "cloud_concurrency"}


def test_every_timeout_backoff_and_lease_is_the_shipped_default() -> None:
    settings = shipped_settings("redis://127.0.0.1:3/0", OLLAMA, OPENAI, ollama_parallel=4)  # type: ignore[arg-type]
    shipped = Settings(broker_url="redis://127.0.0.1:3/0")
    changed = {name for name in Settings.model_fields if getattr(settings, name) != getattr(shipped, name)}
    assert changed <= WHERE_AND_WHO | POOL_SIZES
    assert settings.visibility_timeout_s == 3600


def test_a_timing_override_is_refused() -> None:
    with pytest.raises(ValueError, match="request_timeout_s"):
        shipped_settings("redis://127.0.0.1:3/0", OLLAMA, OPENAI, request_timeout_s=2.0)  # type: ignore[arg-type]
