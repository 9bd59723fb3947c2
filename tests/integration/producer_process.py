"""The real `turnout submit` as a child process, to be SIGKILLed at chosen points and resumed as it says."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from producer.local_stack import wait_until

_BATCH_LINE = re.compile(r"batch (\S+): submitting; if this stops, finish it with `([^`]+)`")


def clean_env(broker_url: str | None) -> dict[str, str]:
    """This environment without Turnout's settings, plus the broker: the stack's workers do the rest."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TURNOUT_", "OLLAMA_", "OPENAI_"))}
    assert broker_url, "the stack has a broker"
    return {**env, "TURNOUT_BROKER_URL": broker_url, "TURNOUT_LOG_FORMAT": "json"}


class Producer:
    """`turnout submit ARGS` running in `cwd`; its stdin stays open (a `-` path blocks on it) until fed."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "producer.cli", "submit", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.stderr = b""
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr += line

    def announced(self, timeout_s: float = 60) -> tuple[str, str]:
        """(batch id, resume command) from the line the producer prints as soon as the batch exists."""
        found: list[re.Match[bytes]] = []

        def printed() -> bool:
            match = re.search(_BATCH_LINE.pattern.encode(), self.stderr)
            if match is not None:
                found.append(match)
            return bool(found) or self.process.poll() is not None

        wait_until(printed, timeout_s, "the producer to announce its batch")
        assert found, f"no batch line; stderr: {self.stderr.decode(errors='replace')[-2000:]}"
        return found[0].group(1).decode(), found[0].group(2).decode()

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def run_printed_command(
    command: str, cwd: Path, env: dict[str, str], stdin: bytes = b""
) -> subprocess.CompletedProcess[str]:
    """Run the resume command exactly as the producer printed it (`turnout` is `python -m producer.cli`)."""
    words = command.split()
    assert words[0] == "turnout", command
    return subprocess.run(
        [sys.executable, "-m", "producer.cli", *words[1:]],
        cwd=cwd,
        env=env,
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=300,
    )
