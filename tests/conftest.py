"""Shared fixtures: real redis-server processes, real simulators, real Celery worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from pydantic import SecretStr

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.local_stack import RedisServer, WorkerProcess, wait_for_workers
from worker.celery_app import create_app
from worker.queues import POOLS
from worker.settings import Settings
from worker.store import Store

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def own_redis() -> Iterator[RedisServer]:
    """A Redis for one test module alone: nothing left there reaches the shared stack's workers, and
    what a test counts on it (commands, keys) is its own."""
    server = RedisServer().start()
    yield server
    server.close()


def _both_simulators() -> Iterator[tuple[OllamaSimulator, OpenAISimulator]]:
    ollama, openai = OllamaSimulator().start(), OpenAISimulator().start()
    yield ollama, openai
    ollama.stop()
    openai.stop()
    assert ollama.internal_errors == [] and openai.internal_errors == []  # no error of their own


@pytest.fixture(scope="module")
def sims() -> Iterator[tuple[OllamaSimulator, OpenAISimulator]]:
    """Both simulators for one test module; each test resets what it changes."""
    yield from _both_simulators()


@pytest.fixture
def fresh_sims() -> Iterator[tuple[OllamaSimulator, OpenAISimulator]]:
    """Both simulators for one test, and no simulator error of their own behind its result."""
    yield from _both_simulators()


@pytest.fixture
def client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """A decoded client on the session's redis-server."""
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def store(redis_server: RedisServer) -> Iterator[Store]:
    store = Store.from_url(redis_server.url)
    yield store
    store.redis.close()


@dataclass
class Stack:
    """A running Turnout deployment in miniature: Redis, both simulators and the three worker pools."""

    settings: Settings
    ollama: OllamaSimulator
    openai: OpenAISimulator
    store: Store
    workers: list[WorkerProcess] = field(default_factory=list)

    @property
    def app(self):  # type: ignore[no-untyped-def]
        return create_app(self.settings)

    def worker(self, pool: str) -> WorkerProcess:
        return next(w for w in self.workers if w.pool == pool)


def stack_settings(
    redis_url: str, ollama: OllamaSimulator, openai: OpenAISimulator, **overrides: object
) -> Settings:
    values: dict[str, object] = {
        "broker_url": redis_url,
        "ollama_hosts": (ollama.url,),
        "openai_base_url": openai.base_url,
        "openai_api_key": SecretStr("sk-test-0000000000000000"),
        "classify_concurrency": 1,
        "ollama_parallel": 2,
        "cloud_concurrency": 2,
        "log_format": "json",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


# What a test of "as users run it" may set: where things are, the key, the log format and the pools' sizes.
# Every timeout, backoff, lease and retry count stays at its shipped default (issue 16).
SHIPPED_OVERRIDABLE = frozenset(
    {
        "ollama_hosts",
        "config_dir",
        "classify_concurrency",
        "ollama_parallel",
        "cloud_concurrency",
        "log_format",
    }
)


def shipped_settings(
    redis_url: str, ollama: OllamaSimulator, openai: OpenAISimulator, **overrides: object
) -> Settings:
    """The shipped settings, pointed at this test's Redis and simulators (json logs, a small classify
    pool); anything but `SHIPPED_OVERRIDABLE` is refused, so no test can shorten a timeout by the back door."""
    timing = sorted(set(overrides) - SHIPPED_OVERRIDABLE)
    if timing:
        raise ValueError(f"shipped_settings keeps the shipped defaults; cannot override {', '.join(timing)}")
    values: dict[str, object] = {
        "broker_url": redis_url,
        "ollama_hosts": (ollama.url,),
        "openai_base_url": openai.base_url,
        "openai_api_key": SecretStr("sk-test-0000000000000000"),
        "classify_concurrency": 1,
        "log_format": "json",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def start_workers(settings: Settings, log_dir: Path, pools: tuple[str, ...] = POOLS) -> list[WorkerProcess]:
    env = settings.worker_environment()
    workers: list[WorkerProcess] = []
    try:
        for pool in pools:
            worker = WorkerProcess(pool, env, log_dir / f"worker-{pool}.log")
            workers.append(worker)  # before it starts: a SIGTERM inside its start must not orphan it
            worker.start()
        wait_for_workers(create_app(settings), [w.node_name for w in workers], timeout_s=90)
    except Exception:
        for w in workers:
            w.stop()
        logs = "\n".join(f"--- {w.pool}\n{w.log_path.read_text(errors='replace')[-3000:]}" for w in workers)
        raise RuntimeError(f"workers did not start:\n{logs}") from None
    except BaseException:  # SIGTERM (SystemExit) or Ctrl-C while they start: none outlives the caller
        for w in workers:
            w.kill()
        raise
    return workers


SECOND_LINE_OFF: dict[str, object] = {"enabled": False}


def config_dir_with(
    tmp_dir: Path, second_line: dict[str, object] = SECOND_LINE_OFF, **route_rules: object
) -> Path:
    """A copy of the shipped configs/ with some `routes:` rules changed.

    The second line is off in it unless asked for: its check adds a local call to every cloud-bound job,
    and the tests on these copies count each route's calls and costs as the task's own. Its own tests are
    tests/integration/test_second_line.py (and the shipped configs keep it on: `auto`)."""
    import shutil

    import yaml

    target = tmp_dir / "configs"
    shutil.copytree(REPO_ROOT / "configs", target)
    routing = yaml.safe_load((target / "routing.yaml").read_text())
    routing["routes"].update(route_rules)
    routing["second_line"] = second_line
    (target / "routing.yaml").write_text(yaml.safe_dump(routing))
    return target


@pytest.fixture(scope="session")
def stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    ollama = OllamaSimulator().start()
    openai = OpenAISimulator().start()
    # Moderate work goes to the cloud here, so small test batches exercise both routes whatever the
    # classifier's calibration; the shipped threshold is tested in the routing and classifier tests.
    config_dir = config_dir_with(tmp_path_factory.mktemp("stack"), cloud_min_complexity="moderate")
    settings = stack_settings(redis_server.url, ollama, openai, config_dir=config_dir)
    workers = start_workers(settings, tmp_path_factory.mktemp("workers"))
    store = Store.from_url(redis_server.url)
    yield Stack(settings=settings, ollama=ollama, openai=openai, store=store, workers=workers)
    for worker in workers:
        worker.stop()
    store.redis.close()
    ollama.stop()
    openai.stop()
