"""The chaos script (`python -m tests.chaos.run`, the README's) prints its summary line and stops what it
started however it is stopped: by a SIGTERM while its modules load (it once died there with exit 143 and
no line: Python's default action ran before any handler of its own existed), and by SIGTERMs mid-run, the
second landing while the first one's cleanup runs."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from producer.local_stack import wait_until
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

SUMMARY = "submitted 20, succeeded "


def start() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.chaos.run", "--docs", "20"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def catches_sigterm(pid: int) -> bool:
    """Whether the process has a SIGTERM handler installed (its `SigCgt` mask in /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


def descendants(pid: int) -> set[int]:
    """Every live process under `pid` (its workers, their pool children, its redis-server)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = set(), [pid]
    while todo:
        of = todo.pop()
        children = [child for child, parent in parents.items() if parent == of]
        found.update(children)
        todo.extend(children)
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def test_a_sigterm_while_the_script_loads_still_ends_in_its_summary_line() -> None:
    chaos = start()
    wait_until(lambda: catches_sigterm(chaos.pid), 30, "the script's first SIGTERM handler", interval_s=0.005)
    chaos.send_signal(signal.SIGTERM)  # it is still importing Celery, kombu and the simulators
    out, _ = chaos.communicate(timeout=120)
    assert chaos.returncode == 1, out
    assert out.strip().splitlines()[-1].startswith(SUMMARY + "0, failed 0 (none), lost 20")


def test_sigterms_mid_run_and_during_cleanup_still_print_the_summary_and_stop_everything() -> None:
    chaos = start()
    started: set[int] = set()

    def stack_up() -> bool:  # its redis-server, simulators and three worker pools
        started.update(descendants(chaos.pid))
        return len(started) >= 5

    wait_until(stack_up, 120, "the chaos stack to start", interval_s=0.2)
    chaos.send_signal(signal.SIGTERM)
    chaos.send_signal(signal.SIGTERM)  # a second one, while the first one's cleanup runs
    out, _ = chaos.communicate(timeout=120)
    assert chaos.returncode != 0
    assert out.strip().splitlines()[-1].startswith(SUMMARY), out
    wait_until(lambda: not alive(started), 30, "every process the script started to stop")
