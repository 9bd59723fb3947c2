"""Monitoring the real workers: Flower's API (as compose runs it) and the container healthcheck's ping."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from producer.loaders import LoadedDocument
from producer.local_stack import wait_until
from producer.submit import submit_batch
from tests.conftest import Stack
from tests.integration.subprocesses import Flower, clean_env, running_flower
from worker.main import pool_arguments
from worker.queues import CLASSIFY_TASK, CLOUD_TASK, LOCAL_TASK, POOLS
from worker.schema import TaskKind, TaskSpec

pytestmark = pytest.mark.integration

USER, PASSWORD = "turnout", "flower-test-password"
DOCS = {
    "email.txt": "Please update the billing contact to olivia.harrington@contoso-mail.com before Friday.",
    "faq.md": "# Delivery\n\nStandard delivery takes three to five working days across the EU.",
}
QUEUE_OF = {CLASSIFY_TASK: "classify", LOCAL_TASK: "local", CLOUD_TASK: "cloud"}
TASK_OF = {"local": LOCAL_TASK, "cloud": CLOUD_TASK}


@pytest.fixture(scope="module")
def flower(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flower]:
    """Flower started the way compose starts it: the ops.flower.app module, auth from FLOWER_BASIC_AUTH."""
    with running_flower(
        stack.settings.worker_environment(), (USER, PASSWORD), tmp_path_factory.mktemp("flower")
    ) as f:
        yield f


@pytest.fixture(scope="module")
def batch_tasks(stack: Stack, flower: Flower) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """Run a small batch once Flower's event receiver sees every worker.

    Returns the routes the batch took and Flower's view of the batch's tasks.
    """
    nodes = [w.node_name for w in stack.workers]

    def flower_sees_workers_online() -> bool:
        status, body = flower.get("/api/workers?status=true")
        return status == 200 and all(body.get(node) is True for node in nodes)

    wait_until(flower_sees_workers_online, 30, "flower to receive heartbeats from every worker")
    summary = submit_batch(
        stack.store,
        stack.app,
        [LoadedDocument(source=name, text=text, metadata={}) for name, text in DOCS.items()],
        TaskSpec(kind=TaskKind.SUMMARIZE),
        # Run every job: another module of the session (test_pipeline) may have submitted the same texts,
        # whose reused results would send no task through the workers for Flower to see.
        force=True,
    )
    wait_until(lambda: stack.store.report(summary.batch_id).done, 60, f"batch {summary.batch_id} to finish")
    job_ids = [f"{summary.batch_id}.{n:06d}" for n in range(1, len(DOCS) + 1)]
    routes = {job.job_id: job.route for job in (stack.store.job(summary.batch_id, j) for j in job_ids)}
    expected = {f"classify:{j}" for j in job_ids} | {
        f"{route.target.value}:{j}" for j, route in routes.items() if route
    }

    def mine() -> dict[str, dict[str, Any]]:
        status, body = flower.get("/api/tasks")
        assert status == 200, body
        return {uuid: task for uuid, task in body.items() if uuid in expected}

    wait_until(
        lambda: {u for u, t in mine().items() if t.get("state") == "SUCCESS"} == expected,
        30,
        "flower to show every task of the batch as succeeded",
    )
    return {route.target.value for route in routes.values() if route}, mine()


def test_flower_api_needs_the_configured_credentials(flower: Flower) -> None:
    assert flower.get("/api/workers", auth=None)[0] == 401
    assert flower.get("/api/workers", auth=(USER, "wrong"))[0] == 401
    assert flower.get("/api/tasks", auth=None)[0] == 401
    assert flower.get("/api/workers")[0] == 200


def test_flower_health_and_metrics_need_no_login(flower: Flower) -> None:
    """Compose's healthcheck and ops/prometheus.yml reach these without credentials."""
    assert flower.get("/healthcheck", auth=None) == (200, "OK")
    status, body = flower.get("/metrics", auth=None)
    assert status == 200 and "flower_" in body


def test_flower_lists_every_worker_with_its_queue_and_tasks(stack: Stack, flower: Flower) -> None:
    status, workers = flower.get("/api/workers?refresh=true")
    assert status == 200
    for worker in stack.workers:
        info = workers[worker.node_name]
        args = pool_arguments(stack.settings, worker.pool)  # the cloud pool also serves cloud-batch
        expected = args[args.index("--queues") + 1].split(",")
        assert sorted(q["name"] for q in info["active_queues"]) == sorted(expected)
        assert expected[0] == worker.pool
        assert {CLASSIFY_TASK, LOCAL_TASK, CLOUD_TASK} <= set(info["registered"])


def test_flower_shows_the_batch_tasks_with_names_queues_and_workers(
    stack: Stack, batch_tasks: tuple[set[str], dict[str, dict[str, Any]]]
) -> None:
    routes, tasks = batch_tasks
    assert routes, "the batch must reach a worker pool after classify"
    nodes = {w.pool: w.node_name for w in stack.workers}
    names = set()
    for uuid, task in tasks.items():
        name = task["name"]
        names.add(name)
        assert uuid.startswith(QUEUE_OF[name] + ":")  # our task ids say the stage, the name must agree
        assert task["routing_key"] == QUEUE_OF[name]
        assert task["worker"] == nodes[QUEUE_OF[name]]
    assert names == {CLASSIFY_TASK} | {TASK_OF[route] for route in routes}


def test_worker_healthcheck_pings_the_named_node(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compose healthcheck exits 0 for a live worker node and 1 for a node nobody runs."""
    env = clean_env(stack.settings.worker_environment())
    node = stack.worker("local").node_name
    live = subprocess.run(
        [sys.executable, "-m", "ops.compose.healthcheck", node],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert live.returncode == 0, live.stdout + live.stderr
    for key, value in stack.settings.worker_environment().items():
        monkeypatch.setenv(key, value)
    from ops.compose.healthcheck import ping

    assert ping("local@no-such-container", timeout_s=1.0) is False
    assert set(POOLS) == {w.pool for w in stack.workers}
