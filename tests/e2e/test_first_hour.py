"""The first hour of a new user, scripted from docs/own-redis.md: their own Redis, the simulators, three
workers and Flower started with the page's commands, the Flower pages it mentions opened, and each usual
mistake made, with its one-line message and exit code checked against what the page shows.

One Redis, one set of workers and one Flower serve the whole module; the tests run in order, each taking
the setup one step further, as the user would.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis

from producer.local_stack import free_port, wait_until
from tests.conftest import REPO_ROOT
from tests.e2e.docpage import (
    Shell,
    answers_http,
    doc_blocks,
    doc_command,
    doc_console,
    matches_shown,
    shown_under,
)
from tests.integration.subprocesses import Flower
from worker.store import Store

pytestmark = pytest.mark.integration

FLOWER_LOGIN = ("admin", "change-me")
HOST = socket.gethostname()
WORKERS = {f"{pool}@{HOST}" for pool in ("classify", "local", "cloud")}


@dataclass
class Hour:
    shell: Shell

    @property
    def redis_url(self) -> str:
        return self.shell.env["TURNOUT_BROKER_URL"]

    def turnout(self, args: str, timeout_s: float = 180) -> subprocess.CompletedProcess[str]:
        return self.shell.run(f"turnout {args}", timeout_s=timeout_s)

    def flower(self, path: str) -> tuple[int, Any]:
        """GET a Flower page or API path with the documented login: the status and the body (0: no answer)."""
        line = doc_command("FLOWER_BASIC_AUTH=")
        flower = Flower(
            port=self.shell.ports["5555"],
            process=self.shell.background[line],
            log_path=self.shell.log_path(line),
            login=FLOWER_LOGIN,
        )
        try:
            return flower.get(path)
        except OSError:
            return 0, ""

    def flower_tasks(self, batch_id: str, state: str | None = None) -> dict[str, dict[str, Any]]:
        status, tasks = self.flower("/api/tasks" + (f"?state={state}" if state else ""))
        assert status == 200, tasks
        return {uuid: task for uuid, task in tasks.items() if batch_id in uuid}

    def submit(self, args: str) -> str:
        done = self.turnout(f"submit {args}")
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def report(self, batch_id: str) -> dict[str, Any]:
        store = Store.from_url(self.redis_url)
        try:
            return store.report(batch_id).model_dump(mode="json")
        finally:
            store.redis.close()


@pytest.fixture(scope="module")
def hour(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hour]:
    """Sections 1, 2 and 4 of the page: Redis, the simulators, Flower. The workers come later."""
    cwd = tmp_path_factory.mktemp("first-hour")
    (cwd / "examples").symlink_to(REPO_ROOT / "examples")
    ports = {documented: free_port() for documented in ("6379", "11434", "8000", "5555")}
    shell = Shell(cwd=cwd, ports=ports)
    try:
        shell.start(doc_command("redis-server "))
        shell.run(doc_command("export TURNOUT_BROKER_URL="))
        probe = redis.Redis.from_url(shell.env["TURNOUT_BROKER_URL"], socket_connect_timeout=0.5)
        wait_until(lambda: _pings(probe), 20, "redis-server")
        shell.start(doc_command("turnout sim ollama "))
        shell.start(doc_command("turnout sim openai "))
        shell.run(doc_command("export TURNOUT_OLLAMA_HOSTS="))
        wait_until(lambda: answers_http(f"http://127.0.0.1:{ports['11434']}/api/tags"), 30, "ollama sim")
        wait_until(lambda: answers_http(f"http://127.0.0.1:{ports['8000']}/v1/models"), 30, "openai sim")
        shell.start(doc_command("FLOWER_BASIC_AUTH="))
        flower_health = f"http://127.0.0.1:{ports['5555']}/healthcheck"
        wait_until(lambda: answers_http(flower_health), 60, "flower")
        yield Hour(shell)
    finally:
        shell.stop_all()


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def test_a_wrong_broker_or_setting_is_one_line_and_a_non_zero_exit(hour: Hour) -> None:
    for command in (
        "TURNOUT_BROKER_URL=redis://localhost:1/0 turnout run examples/docs",
        "TURNOUT_BROKER_URL=localhost:6379 turnout status",
        "TURNOUT_BROKER_ULR=redis://localhost:6379/0 turnout status",
    ):
        started = time.monotonic()
        done = hour.shell.run(command)
        assert done.returncode == 1, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr  # one line, no traceback
        matches_shown(
            hour.shell.local(done.stderr), [hour.shell.local(line) for line in shown_under(command)]
        )
        assert time.monotonic() - started < 30  # not kombu's retries


def test_ctrl_c_during_run_writes_what_is_done_and_says_what_is_left(hour: Hour) -> None:
    """Before any worker of ours runs: the run's own workers are the only ones, and nothing is reused."""
    command = "turnout run examples/docs --output partial.jsonl"
    ollama = doc_command("turnout sim ollama ")
    hour.shell.stop(ollama)
    slow = ollama[:-2] + " --latency-ms 4000 &"  # local jobs take long enough to be interrupted
    hour.shell.start(slow)
    wait_until(
        lambda: answers_http(f"http://127.0.0.1:{hour.shell.ports['11434']}/api/tags"), 30, "ollama sim"
    )
    store = Store.from_url(hour.redis_url)
    before = store.latest_batch()
    hour.shell.ran.add(command)
    run = subprocess.Popen(
        ["bash", "-c", f"exec {hour.shell.local(command)}"],
        cwd=hour.shell.cwd,
        env=hour.shell.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:

        def some_finished() -> bool:
            latest = store.latest_batch()
            return latest != before and latest is not None and store.terminal_count(latest) > 0

        wait_until(some_finished, 120, "the run's first finished job", interval_s=0.2)
        run.send_signal(signal.SIGINT)
        _, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        store.redis.close()
    assert run.returncode == 130, stderr
    assert "Traceback" not in stderr
    matches_shown(stderr, shown_under(command))
    written = int(re.search(r"interrupted: (\d+) finished results", stderr).group(1))  # type: ignore[union-attr]
    assert 0 < written == len((hour.shell.cwd / "partial.jsonl").read_text().splitlines())
    assert int(re.search(r"(\d+) jobs were not finished", stderr).group(1)) > 0  # type: ignore[union-attr]
    hour.shell.stop(slow)
    hour.shell.start(ollama)


def test_a_path_that_does_not_exist_is_rejected_with_a_non_zero_exit(hour: Hour) -> None:
    done = hour.shell.run("turnout submit nope/")
    assert done.returncode == 1
    matches_shown(done.stderr, shown_under("turnout submit nope/"))
    assert "Traceback" not in done.stderr


def test_a_pool_without_a_worker_is_named_and_watch_stops(hour: Hour) -> None:
    """Two of the three pools run; the batch waits on `classify`, and status says so."""
    for pool in ("local", "cloud"):
        hour.shell.start(doc_command(f"turnout worker --pool {pool} "))
    wait_until(lambda: _online(hour) >= {f"local@{HOST}", f"cloud@{HOST}"}, 90, "the local and cloud workers")
    batch_id = hour.submit("examples/docs --task summarize --force")  # not the interrupted run's results
    status = hour.turnout("status")
    assert status.returncode == 0, status.stderr
    matches_shown(status.stdout, shown_under("turnout status", 0))
    watch = hour.turnout("status --watch", timeout_s=60)
    assert watch.returncode == 3, watch.stdout + watch.stderr
    matches_shown(watch.stderr, shown_under("turnout status --watch"))
    assert batch_id in status.stdout

    hour.shell.start(doc_command("turnout worker --pool classify "))
    done = hour.shell.run(doc_command("turnout status --watch"))
    assert done.returncode == 0, done.stderr
    assert hour.report(batch_id)["succeeded"] == 10


def _online(hour: Hour) -> set[str]:
    status, workers = hour.flower("/api/workers?status=true")
    return {name for name, online in workers.items() if online} if status == 200 else set()


def test_flower_shows_three_workers_the_tasks_and_the_queues(hour: Hour) -> None:
    wait_until(lambda: _online(hour) == WORKERS, 60, "flower to see the three workers online")
    status, dashboard = hour.flower("/")
    assert status == 200
    assert all(name in dashboard for name in WORKERS)
    assert hour.flower("/tasks")[0] == 200  # the page; its rows come from the datatable below
    status, rows = hour.flower(
        "/tasks/datatable?draw=1&start=0&length=1000&order[0][column]=0&columns[0][data]=name&order[0][dir]=asc"
    )
    assert status == 200, rows
    shown = {(row["name"], row["state"]) for row in rows["data"]}
    assert {("turnout.classify", "SUCCESS"), ("turnout.run_local", "SUCCESS")} <= shown, shown
    status, broker = hour.flower("/broker")
    assert status == 200, broker
    assert all(f'<tr id="{queue}">' in broker for queue in ("classify", "local", "cloud")), broker
    status, lengths = hour.flower("/api/queues/length")
    assert status == 200, lengths
    assert {q["name"] for q in lengths["active_queues"]} >= {"classify", "local", "cloud"}
    for command in (line for block in doc_blocks("bash") for line in block if line.startswith("curl ")):
        done = hour.shell.run(command)
        assert done.returncode == 0, done.stderr
        json.loads(done.stdout)
    again = hour.shell.run(doc_command("turnout submit "))  # the same documents and task: reused
    assert again.returncode == 0 and "reused 10 (use --force to run again)" in again.stderr, again.stderr
    for command in ("turnout report", "turnout results --output results.jsonl"):
        assert hour.shell.run(doc_command(command)).returncode == 0
    csv = hour.shell.run(doc_command("turnout results --format csv"))
    assert csv.returncode == 0
    assert len((hour.shell.cwd / "results.jsonl").read_text().splitlines()) == 10
    assert (hour.shell.cwd / "results.csv").read_text().count("\n") == 11


def test_retries_are_named_in_status_and_flower_while_ollama_is_down(hour: Hour) -> None:
    ollama = doc_command("turnout sim ollama ")
    hour.shell.stop(ollama)
    batch_id = hour.submit("examples/docs/board-memo.txt examples/docs/hr --sensitivity confidential --force")

    def says_retrying() -> bool:
        status = hour.turnout("status")
        return "retrying" in status.stdout

    wait_until(says_retrying, 60, "status to say the jobs are retrying", interval_s=1)
    status = hour.turnout("status")
    matches_shown(status.stdout, shown_under("turnout status", 1))
    assert (
        f"from http://localhost:{hour.shell.ports['11434']}" in status.stdout
        or "local hosts" in status.stdout
    )
    wait_until(lambda: bool(hour.flower_tasks(batch_id, "RETRY")), 30, "flower to show RETRY tasks")
    hour.shell.start(ollama)
    done = hour.turnout("status --watch", timeout_s=120)
    assert done.returncode == 0, done.stderr
    assert hour.report(batch_id)["succeeded"] == hour.report(batch_id)["jobs"]


def test_a_job_that_failed_for_good_is_a_failure_in_flower(hour: Hour) -> None:
    """The model is not pulled on the Ollama host: local-only jobs fail, and Flower says FAILURE."""
    ollama = doc_command("turnout sim ollama ")
    hour.shell.stop(ollama)
    unpulled = ollama[:-2] + " --models some-other-model:1b &"
    hour.shell.start(unpulled)
    wait_until(
        lambda: answers_http(f"http://127.0.0.1:{hour.shell.ports['11434']}/api/tags"), 30, "ollama sim"
    )
    batch_id = hour.submit("examples/docs/board-memo.txt examples/docs/hr --sensitivity confidential --force")
    done = hour.turnout("status --watch", timeout_s=120)
    assert done.returncode == 0, done.stderr
    report = hour.report(batch_id)
    assert report["failed"] == report["jobs"] > 0
    status = hour.turnout("status")
    matches_shown(status.stdout, shown_under("turnout status", 2))

    def local_tasks_failed() -> bool:
        local = {u: t for u, t in hour.flower_tasks(batch_id).items() if u.startswith("local:")}
        return bool(local) and all(t["state"] in ("FAILURE", "RETRY") for t in local.values())

    wait_until(local_tasks_failed, 30, "flower to show the failed jobs' tasks as FAILURE")
    assert not [u for u, t in hour.flower_tasks(batch_id, "SUCCESS").items() if u.startswith("local:")]
    hour.shell.stop(unpulled)
    hour.shell.start(ollama)


def test_every_command_on_the_page_was_run(hour: Hour) -> None:
    documented = {line for block in doc_blocks("bash") for line in block} | {c for c, _ in doc_console()}
    assert documented - hour.shell.ran == set()
