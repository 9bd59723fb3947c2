"""`turnout run examples/` on embedded defaults, in a subprocess, exactly as the README says."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

CONFIG_VARS = (
    "TURNOUT_BROKER_URL",
    "TURNOUT_OLLAMA_HOSTS",
    "OLLAMA_HOST",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
)


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS and not k.startswith("TURNOUT_")}
    return subprocess.run(
        [sys.executable, "-m", "producer.cli", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_run_examples_on_embedded_defaults(tmp_path: Path) -> None:
    output = tmp_path / "results.jsonl"
    done = run_cli("run", str(REPO_ROOT / "examples"), "--output", str(output), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "SIMULATED BACKENDS" in done.stderr  # said loudly
    report = json.loads(done.stdout)
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert output.stat().st_mode & 0o777 == 0o600  # results hold document-derived text: owner only
    assert report["jobs"] == len(lines) > 10
    assert report["succeeded"] + report["failed"] + report["rejected"] == report["jobs"]
    assert report["rejected"] >= 1  # the empty ticket in examples/tickets.jsonl
    assert report["by_route"]["local"]["jobs"] > 0
    assert report["by_route"]["cloud"]["jobs"] > 0  # the examples hold complex, non-sensitive analyses
    assert report["baseline_cost_usd"] > report["cost_usd"] > 0
    assert report["savings_usd"] == pytest.approx(report["baseline_cost_usd"] - report["cost_usd"], abs=1e-9)
    assert sum(line["cost_usd"] for line in lines) == pytest.approx(report["cost_usd"], abs=1e-9)
    # Local GPUs per million tokens, busy and with idle, next to the cloud; the models and licenses used.
    local = report["local_cost"]
    assert 0 < local["busy_usd_per_mtok"] <= local["fleet_usd_per_mtok"]
    assert 0 < local["busy_usd_per_mtok"] < local["cloud_usd_per_mtok"]
    assert report["models"]["llama3.2:3b"]["license"] == "Llama-3.2-Community"
    for line in lines:
        if line["sensitivity"] in ("confidential", "restricted"):
            assert line["route"] == "local"


def test_run_refuses_a_misspelt_setting_clearly(tmp_path: Path) -> None:
    done = run_cli(
        "run", str(REPO_ROOT / "examples"), cwd=tmp_path, env={"TURNOUT_OLAMA_HOSTS": "http://x:1"}
    )
    assert done.returncode != 0
    assert "TURNOUT_OLAMA_HOSTS" in done.stderr
    assert "Traceback" not in done.stderr


def test_turnout_sim_serves_the_ollama_protocol_to_the_official_client(tmp_path: Path) -> None:
    import ollama

    from producer.local_stack import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "producer.cli", "sim", "ollama", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "listening on" in process.stdout.readline()
        reply = ollama.Client(host=f"http://127.0.0.1:{port}").chat(
            model="llama3.2:3b", messages=[{"role": "user", "content": "Summarize: the count moved."}]
        )
        assert reply.message.content and reply.eval_count and reply.prompt_eval_count
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_run_uses_exactly_the_configured_servers_and_no_simulator(tmp_path: Path) -> None:
    from ops.simulators import OllamaSimulator, OpenAISimulator

    with OllamaSimulator() as ollama, OpenAISimulator() as openai:
        env = {
            "TURNOUT_OLLAMA_HOSTS": ollama.url,
            "OPENAI_BASE_URL": openai.base_url,
            "OPENAI_API_KEY": "sk-x",
        }
        done = run_cli(
            "run",
            str(REPO_ROOT / "examples"),
            "--json",
            "--output",
            str(tmp_path / "r.jsonl"),
            cwd=tmp_path,
            env=env,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert "SIMULATED" not in done.stderr
        report = json.loads(done.stdout)
        # The shipped configs check every cloud-bound document on the local model first (the second line).
        checks = [a for a in ollama.answered if "privacy screen" in a["messages"][0]["content"]]
        assert len(ollama.answered) - len(checks) == report["by_route"]["local"]["jobs"] > 0
        assert len(openai.answered) == report["by_route"]["cloud"]["jobs"] > 0
        assert len(checks) == report["second_line"]["checked"] >= len(openai.answered)
        lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
        assert {line["backend"] for line in lines if line["route"] == "local"} == {f"ollama:{ollama.url}"}


@dataclass
class Signalled:
    returncode: int
    said: str  # its stderr
    children: list[tuple[int, str]]  # its children when the signal was sent
    port: int  # its embedded Redis's


def _signal_run_while_it_starts(tmp_path: Path, signum: int) -> Signalled:
    """A real `turnout run` of the examples, sent `signum` once its embedded Redis is up (the workers are
    still starting), then waited for; its children are then waited for too, naming any still alive."""
    from producer.local_stack import StackError, wait_until

    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS and not k.startswith("TURNOUT_")}
    log = tmp_path / "stderr.txt"
    command = [
        sys.executable,
        "-m",
        "producer.cli",
        "run",
        str(REPO_ROOT / "examples"),
        "--output",
        "out.jsonl",
    ]
    with log.open("w") as stderr:
        process = subprocess.Popen(command, cwd=tmp_path, env=clean, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            wait_until(lambda: "embedded Redis on" in log.read_text(), 60, "the embedded Redis to start")
            port = int(re.search(r"embedded Redis on 127\.0\.0\.1:(\d+)", log.read_text()).group(1))  # type: ignore[union-attr]
            children = _children(process.pid)
            process.send_signal(signum)  # the children run in sessions of their own: only it gets the signal
            returncode = process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    try:
        wait_until(lambda: not any(_alive(child) for child in children), 30, "its children to stop")
    except StackError as exc:  # say which, so that a failure can be acted on
        raise AssertionError(f"{exc}: still alive {[_described(c) for c in children if _alive(c)]}") from None
    return Signalled(returncode, log.read_text(), children, port)


def _nobody_listens_on(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_run_stopped_by_sigterm_leaves_nothing_running(tmp_path: Path) -> None:
    """`timeout`/`kill` stop `turnout run` cleanly: its embedded Redis and worker processes go with it."""
    stopped = _signal_run_while_it_starts(tmp_path, signal.SIGTERM)
    assert stopped.returncode != 0
    assert stopped.children  # the Redis server (and soon the workers) ran as its children
    assert _nobody_listens_on(stopped.port)


def test_ctrl_c_while_run_starts_says_what_it_stopped_and_leaves_nothing_running(tmp_path: Path) -> None:
    """Ctrl-C while the embedded Redis, the simulators and the workers start: one line naming what was
    stopped and that nothing was submitted, exit 130, no child left; not click's bare "Aborted!"."""
    stopped = _signal_run_while_it_starts(tmp_path, signal.SIGINT)  # what Ctrl-C sends
    said = stopped.said
    assert stopped.returncode == 130, said[-3000:]
    assert "Aborted!" not in said and "Traceback" not in said, said[-3000:]
    last = said.strip().splitlines()[-1]
    assert re.fullmatch(
        r"interrupted while starting: stopped the embedded Redis"
        r"( and the simulators|, the simulators and \d worker process(es)?) it had started; nothing was submitted",
        last,
    ), last
    assert not (tmp_path / "out.jsonl").exists()
    assert stopped.children  # the Redis server at least was running when Ctrl-C came
    assert _nobody_listens_on(stopped.port)


def _children(pid: int) -> list[tuple[int, str]]:
    """A process's children, each as (pid, start time): with pid_max at 32768 a busy machine reuses a
    pid within seconds, and a newcomer with a dead child's pid must not count as that child."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append((int(entry.name), stat[19]))  # field 22 of stat: the start time
    return found


def _described(child: tuple[int, str]) -> str:
    try:
        return f"{child[0]} {Path(f'/proc/{child[0]}/cmdline').read_text().replace(chr(0), ' ')[:200]}"
    except OSError:
        return str(child[0])


def _alive(child: tuple[int, str]) -> bool:
    """Whether that very process (not another with its pid) is still running, not a zombie."""
    pid, started = child
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return stat[0] != "Z" and stat[19] == started


def test_run_stops_at_a_local_host_of_the_wrong_kind_with_one_line(tmp_path: Path) -> None:
    """An OpenAI-compatible server listed as Ollama: one line naming it and what to set, no traceback."""
    from ops.simulators import OpenAISimulator

    with OpenAISimulator() as openai:
        done = run_cli(
            "run", str(REPO_ROOT / "examples"), cwd=tmp_path, env={"TURNOUT_OLLAMA_HOSTS": openai.url}
        )
    assert done.returncode != 0
    assert f"local host {openai.url}: is an OpenAI-compatible server, not Ollama" in done.stderr
    assert f"TURNOUT_LOCAL_OPENAI_HOSTS={openai.base_url}" in done.stderr
    assert "Traceback" not in done.stderr and "pull" not in done.stderr


def test_run_keeps_the_worker_logs_when_jobs_fall_back_and_says_where(tmp_path: Path) -> None:
    import shutil

    from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig

    broken = SimConfig(error_rate=1.0, error_kind="malformed")
    with OllamaSimulator() as ollama, OpenAISimulator(config=broken) as openai:
        env = {
            "TURNOUT_OLLAMA_HOSTS": ollama.url,
            "OPENAI_BASE_URL": openai.base_url,
            "OPENAI_API_KEY": "sk-x",
            "TURNOUT_MAX_ATTEMPTS": "2",
        }
        output = tmp_path / "r.jsonl"
        done = run_cli("run", str(REPO_ROOT / "examples"), "--output", str(output), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    fell_back = [r for r in map(json.loads, output.read_text().splitlines()) if r["fallback_from"] == "cloud"]
    assert fell_back and all(r["fallback_reason"].startswith("malformed_response: ") for r in fell_back)
    kept = re.search(r"worker logs kept \(\d+ failed, (\d+) fell back\): (\S+)", done.stderr)
    assert kept is not None, done.stderr[-2000:]
    assert int(kept.group(1)) == len(fell_back)
    log_dir = Path(kept.group(2))
    try:
        assert "job_fallback" in (log_dir / "worker-cloud.log").read_text()
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)
