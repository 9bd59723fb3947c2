"""`turnout worker --pool NAME`: the arguments it gives Celery, and what it warns about at start."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from worker.main import missing_backend, worker_argv
from worker.settings import Settings


def hostname_of(argv: list[str]) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv) if arg in ("--hostname", "-n")]


@pytest.mark.parametrize("pool", ["classify", "local", "cloud"])
def test_each_pool_names_its_node_after_itself(pool: str) -> None:
    """Three pools on one host are three nodes (Celery's default would make them all celery@host)."""
    assert hostname_of(worker_argv(Settings(), pool)) == [f"{pool}@%h"]


@pytest.mark.parametrize(
    "given", [["-n", "local2@%h"], ["--hostname", "local2@%h"], ["--hostname=local2@%h"]]
)
def test_a_name_given_on_the_command_line_wins(given: list[str]) -> None:
    argv = worker_argv(Settings(), "local", given)
    assert "local@%h" not in argv
    assert argv[-len(given) :] == given


def test_a_backend_pool_without_its_backend_is_named_at_start() -> None:
    nothing = Settings()
    assert "TURNOUT_OLLAMA_HOSTS" in (missing_backend(nothing, "local") or "")
    assert "OPENAI_API_KEY" in (missing_backend(nothing, "cloud") or "")
    assert missing_backend(nothing, "classify") is None
    configured = Settings(ollama_hosts=("http://gpu1:11434",), openai_api_key=SecretStr("sk-x"))
    assert missing_backend(configured, "local") is None and missing_backend(configured, "cloud") is None


def test_each_queue_has_its_own_exchange_in_the_banner() -> None:
    """The worker banner lists `exchange=<queue>(direct)`, not every queue under classify's exchange."""
    from worker.celery_app import create_app

    queues = create_app(Settings(broker_url="redis://127.0.0.1:1/0")).amqp.queues
    assert {name: (q.exchange.name, q.routing_key) for name, q in queues.items()} == {
        name: (name, name) for name in queues
    }
    assert set(queues) == {"classify", "local", "cloud", "cloud-batch"}
