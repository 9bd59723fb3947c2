"""`turnout run`'s embedded Redis, as another local user would meet it: password-protected, loopback only,
nothing on disk, and the password in no process's command line (what `ps` shows every user)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from ops.simulators import OllamaSimulator, SimConfig
from producer.local_stack import RedisServer, StackError, wait_until
from tests.integration.subprocesses import clean_env

pytestmark = pytest.mark.integration


def _parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def descendants(root: int) -> set[int]:
    """Every live process below `root` (children start their own sessions, but keep their parent)."""
    parents = {int(p.name): _parent_of(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit()}
    found: set[int] = set()
    frontier = {root}
    while frontier:
        children = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= children
        frontier = children
    return found


def read_proc(pid: int, name: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return b""  # it exited meanwhile


def broker_url_of(pid: int) -> str | None:
    for entry in read_proc(pid, "environ").split(b"\0"):
        if entry.startswith(b"TURNOUT_BROKER_URL="):
            return entry.split(b"=", 1)[1].decode()
    return None


@pytest.fixture
def held_backend() -> Iterator[OllamaSimulator]:
    """An Ollama backend that holds every request until the test ends, so the whole stack stays up."""
    sim = OllamaSimulator(config=SimConfig(latency_ms=600_000)).start()
    yield sim
    sim.stop()


def test_embedded_stack_guards_its_redis_and_keeps_the_password_off_every_command_line(
    tmp_path: Path, held_backend: OllamaSimulator
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text("Patient Jane Roe, born 1971-03-02, was seen for a follow-up on Tuesday.")
    stdout, stderr = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with stdout.open("w") as out, stderr.open("w") as err:
        run = subprocess.Popen(
            [sys.executable, "-m", "producer.cli", "run", str(docs), "--output", "out.jsonl"],
            cwd=tmp_path,
            env=clean_env({"OLLAMA_HOST": held_backend.url}),
            stdout=out,
            stderr=err,
        )
    stack: set[int] = set()
    try:
        # Everything is up once a job reached the backend: Redis, the three pools and their children.
        wait_until(lambda: held_backend.in_flight >= 1, 120, "a job to reach the held backend")
        stack = descendants(run.pid)
        commands = {pid: read_proc(pid, "cmdline") for pid in stack}
        workers = [
            pid for pid, cmd in commands.items() if b"worker\0--pool" in cmd and _parent_of(pid) == run.pid
        ]  # (the classify pool's forked children show their parent's command line)
        servers = [pid for pid, cmd in commands.items() if b"redis-server" in cmd]
        assert len(workers) == 3 and len(servers) == 1, commands

        url = broker_url_of(workers[0])
        assert url is not None, "workers get the broker URL through their environment"
        parts = urlsplit(url)
        password = parts.password
        assert password and len(password) >= 32 and parts.hostname == "127.0.0.1"
        assert all(broker_url_of(pid) in (None, url) for pid in stack)

        for pid, command in {**commands, run.pid: read_proc(run.pid, "cmdline")}.items():
            assert password.encode() not in command, f"process {pid} shows the password in its argv"
        assert password not in stdout.read_text() + stderr.read_text()

        # Another local user, without the password, gets nothing but NOAUTH.
        assert parts.port is not None
        with socket.create_connection(("127.0.0.1", parts.port), timeout=10) as stranger:
            stranger.sendall(b"KEYS *\r\n")
            assert stranger.recv(4096).startswith(b"-NOAUTH")
        owner = redis.Redis.from_url(url, decode_responses=True)
        config = owner.config_get("bind") | owner.config_get("save") | owner.config_get("appendonly")
        owner.close()
        assert config == {"bind": "127.0.0.1", "save": "", "appendonly": "no"}  # loopback, nothing on disk

        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=60) != 0
        wait_until(lambda: not any(read_proc(pid, "cmdline") for pid in stack), 30, "the stack to stop")
    finally:
        stop_all(run, stack | descendants(run.pid))


def stop_all(run: subprocess.Popen[bytes], stack: set[int]) -> None:
    """After a failed check too: stop the run warmly, then whatever of its stack is still there."""
    if run.poll() is None:
        run.send_signal(signal.SIGTERM)
        try:
            run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            run.kill()
            run.wait()
    for pid in stack:
        if read_proc(pid, "cmdline"):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_a_port_taken_by_someone_else_never_receives_the_password() -> None:
    """Between picking a free port and redis-server binding it, another user may grab it: the server
    refuses to start, and the impostor never sees a byte from us (no AUTH, no PING)."""
    impostor = socket.socket()
    impostor.bind(("127.0.0.1", 0))
    impostor.listen()
    impostor.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                conn, _ = impostor.accept()
            except TimeoutError:
                continue
            conn.sendall(b"+PONG\r\n")  # answer like a Redis, to look as inviting as possible
            conn.settimeout(1)
            with contextlib.suppress(TimeoutError):
                received.append(conn.recv(65536))
            conn.close()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    server = RedisServer(port=impostor.getsockname()[1])
    try:
        with pytest.raises(StackError, match="exited at start"):
            server.start()
    finally:
        server.close()
        stop.set()
        listener.join(timeout=5)
        impostor.close()
    assert not [chunk for chunk in received if chunk], "a client connected to the impostor"


def test_the_password_reaches_redis_server_through_stdin_never_argv() -> None:
    server = RedisServer().start()
    try:
        assert server.process is not None
        assert server.password.encode() not in read_proc(server.process.pid, "cmdline")
        data_dir = server.data_dir
        assert data_dir is not None and data_dir.stat().st_mode & 0o777 == 0o700
        assert not any(server.password in p.read_text(errors="replace") for p in data_dir.iterdir())
    finally:
        server.close()
    assert data_dir is not None and not data_dir.exists()
