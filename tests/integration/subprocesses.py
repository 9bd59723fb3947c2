"""Processes integration tests start the way a user or compose would: a clean environment, and Flower."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from producer.local_stack import StackError, free_port, wait_until

# What configures Turnout (or Flower) from outside: none of it may leak in from the test's own shell.
CONFIG_PREFIXES = ("TURNOUT_", "FLOWER_")
CONFIG_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST")


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any Turnout/OpenAI/Ollama/Flower settings, plus `extra`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_PREFIXES) and k not in CONFIG_VARS}
    return {**base, **(extra or {})}


@dataclass
class Flower:
    """A running `celery --app ops.flower.app flower`, and its HTTP API."""

    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    login: tuple[str, str]

    def get(self, path: str, auth: tuple[str, str] | None | bool = True) -> tuple[int, Any]:
        """GET `path` with Flower's login (or `auth`, or none); the status and the JSON or text body."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        credentials = self.login if auth is True else auth
        if credentials:
            token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                body = response.read().decode()
                is_json = response.headers.get_content_type() == "application/json"
                return response.status, json.loads(body) if is_json else body
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise StackError(f"flower exited at start: {self.log_path.read_text(errors='replace')[-3000:]}")
        try:
            return self.get("/healthcheck", auth=None) == (200, "OK")
        except OSError:
            return False


@contextmanager
def running_flower(settings_env: dict[str, str], login: tuple[str, str], log_dir: Path) -> Iterator[Flower]:
    """Flower started the way compose starts it: the ops.flower.app module, its login from
    FLOWER_BASIC_AUTH, events on; stopped on exit."""
    port = free_port()
    log_path = log_dir / "flower.log"
    env = clean_env({**settings_env, "FLOWER_BASIC_AUTH": f"{login[0]}:{login[1]}"})
    command = [sys.executable, "-m", "celery", "--app", "ops.flower.app", "flower"]
    command += ["--address=127.0.0.1", f"--port={port}", "--enable_events=True"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    flower = Flower(port=port, process=process, log_path=log_path, login=login)
    try:
        wait_until(flower.answers, 60, "flower to answer /healthcheck")
        yield flower
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
