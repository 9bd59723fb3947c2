"""Running docs/own-redis.md: its commands (with free ports for the documented ones), and what it shows."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from producer.local_stack import redis_server_binary
from tests.conftest import REPO_ROOT
from tests.integration.subprocesses import clean_env

DOC = REPO_ROOT / "docs" / "own-redis.md"


def doc_blocks(language: str) -> list[list[str]]:
    """The page's fenced blocks of one language, as lists of lines."""
    blocks = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)
    return [block.strip("\n").splitlines() for block in blocks]


def doc_command(prefix: str) -> str:
    """The one documented command (a bash block line) that starts with `prefix`."""
    lines = [line for block in doc_blocks("bash") for line in block if line.startswith(prefix)]
    assert len(lines) == 1, f"one documented command starts with {prefix!r}: {lines}"
    return lines[0]


def doc_console() -> list[tuple[str, list[str]]]:
    """The page's `$ command` lines, each with the output lines shown under it."""
    shown: list[tuple[str, list[str]]] = []
    for block in doc_blocks("console"):
        for line in block:
            if line.startswith("$ "):
                shown.append((line[2:], []))
            else:
                shown[-1][1].append(line)
    return shown


def shown_under(command: str, occurrence: int = 0) -> list[str]:
    """The output the page shows under its `occurrence`th `$ command`."""
    matches = [output for shown, output in doc_console() if shown == command]
    assert len(matches) > occurrence, f"the page shows {command!r} {occurrence + 1} times"
    return matches[occurrence]


@dataclass
class Shell:
    """Runs the page's commands with the documented ports swapped for free ones; remembers what ran."""

    cwd: Path
    ports: dict[str, int]
    env: dict[str, str] = field(default_factory=dict)
    background: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ran: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.env = clean_env()
        self.env.pop("COLUMNS", None)  # rich wraps at 80 columns, as in a user's pipe
        # `turnout` and `celery` from this checkout's environment, as the user's shell finds them.
        self.env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{self.env.get('PATH', '')}"

    def local(self, text: str) -> str:
        for documented, port in self.ports.items():
            text = text.replace(documented, str(port))
        return text.replace("redis-server ", f"{redis_server_binary()} ", 1)

    def run(self, line: str, timeout_s: float = 180) -> subprocess.CompletedProcess[str]:
        self.ran.add(line)
        if line.startswith("export "):
            for assignment in shlex.split(self.local(line))[1:]:
                name, value = assignment.split("=", 1)
                self.env[name] = value
            return subprocess.CompletedProcess(line, 0, "", "")
        return subprocess.run(
            ["bash", "-c", self.local(line)],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )

    def start(self, line: str) -> subprocess.Popen[bytes]:
        """A documented `... &` line, in a session of its own (so it can be stopped with its children)."""
        assert line.endswith(" &"), line
        self.ran.add(line)
        with self.log_path(line).open("ab") as log:
            process = subprocess.Popen(
                ["bash", "-c", self.local(line[:-2])],
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.background[line] = process
        return process

    def log_path(self, line: str) -> Path:
        return self.cwd / f"{re.sub(r'[^A-Za-z0-9]+', '-', line)[:60]}.log"

    def stop(self, line: str) -> None:
        process = self.background.pop(line)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        for line in list(self.background):
            self.stop(line)


def matches_shown(output: str, shown: list[str]) -> None:
    """Each shown line (… standing for anything) matches a line of the output, in order."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    position = 0
    for expected in shown:
        pattern = re.compile(".*".join(re.escape(part) for part in expected.split("…")))
        while position < len(lines) and not pattern.fullmatch(lines[position]):
            position += 1
        assert position < len(lines), f"{expected!r} not in the output:\n{output}"
        position += 1


def answers_http(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
