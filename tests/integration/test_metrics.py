"""Observability of real workers: the Prometheus endpoint each `turnout worker` serves, and its log lines.

This module runs its own redis-server, simulators and three workers (each with a metrics port), so the
counters it reads are exactly the ones its batch produced.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import yaml
from prometheus_client.parser import text_string_to_metric_families

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, WorkerProcess, free_port, wait_for_workers, wait_until
from producer.submit import submit_batch
from tests.conftest import stack_settings
from worker.celery_app import create_app
from worker.flow.priority import queue_lists
from worker.metrics import BrokerCollector
from worker.queues import BATCH_QUEUE, POOLS
from worker.schema import JobResult, JobStatus, TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store

REPO_CONFIGS = Path(__file__).resolve().parents[2] / "configs"

pytestmark = pytest.mark.integration

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]

# With the test policy below, personal data keeps a job local and everything else goes to the cloud.
DOCS = {
    "email.txt": "Please update the billing contact to olivia.harrington@contoso-mail.com before Friday.",
    "faq.md": "# Delivery\n\nStandard delivery takes three to five working days across the EU.",
    "press.txt": "Contoso opens a second warehouse in Rotterdam this spring, adding 120 jobs.",
}


def cloud_for_all_public_work(config_dir: Path) -> Path:
    """The shipped configs, with non-sensitive jobs of any complexity routed to the cloud."""
    config_dir.mkdir(parents=True, exist_ok=True)
    for source in REPO_CONFIGS.glob("*.yaml"):
        (config_dir / source.name).write_text(source.read_text())
    routing_file = config_dir / "routing.yaml"
    routing = yaml.safe_load(routing_file.read_text())
    routing["routes"]["cloud_min_complexity"] = "simple"
    routing_file.write_text(yaml.safe_dump(routing, sort_keys=False))
    return config_dir


@dataclass
class MetricsStack:
    settings: Settings
    store: Store
    workers: dict[str, WorkerProcess]
    ports: dict[str, int]

    def scrape(self, pool: str) -> Samples:
        return scrape(self.ports[pool])


def scrape(port: int) -> Samples:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture(scope="module")
def metrics_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MetricsStack]:
    server = RedisServer().start()
    ollama = OllamaSimulator().start()
    openai = OpenAISimulator().start()
    log_dir = tmp_path_factory.mktemp("metrics-workers")
    config_dir = cloud_for_all_public_work(log_dir / "configs")
    settings = stack_settings(server.url, ollama, openai, config_dir=config_dir)
    ports = {pool: free_port() for pool in POOLS}
    workers = {
        pool: WorkerProcess(
            pool,
            {**settings.worker_environment(), "TURNOUT_METRICS_PORT": str(ports[pool])},
            log_dir / f"worker-{pool}.log",
        ).start()
        for pool in POOLS
    }
    store = Store.from_url(server.url)
    try:
        wait_for_workers(create_app(settings), [w.node_name for w in workers.values()], timeout_s=90)
        yield MetricsStack(settings=settings, store=store, workers=workers, ports=ports)
    finally:
        for worker in workers.values():
            worker.stop()
        store.redis.close()
        ollama.stop()
        openai.stop()
        server.close()


@pytest.fixture(scope="module")
def batch(metrics_stack: MetricsStack) -> list[JobResult]:
    summary = submit_batch(
        metrics_stack.store,
        create_app(metrics_stack.settings),
        [LoadedDocument(source=name, text=text, metadata={}) for name, text in DOCS.items()],
        TaskSpec(kind=TaskKind.SUMMARIZE),
    )
    store = metrics_stack.store
    wait_until(lambda: store.report(summary.batch_id).done, 60, f"batch {summary.batch_id} to finish")
    results = list(store.iter_results(summary.batch_id))
    assert all(r.status is JobStatus.SUCCEEDED for r in results), results
    assert {r.route.value for r in results if r.route} == {"local", "cloud"}, "the batch must use both routes"
    return results


@pytest.mark.parametrize("route", ["local", "cloud"])
def test_io_pools_export_jobs_tokens_cost_and_latency_by_route(
    metrics_stack: MetricsStack, batch: list[JobResult], route: str
) -> None:
    """Given a finished batch, the pool that ran a route exports exactly that route's jobs and usage."""
    mine = [r for r in batch if r.route is not None and r.route.value == route]

    def counted() -> bool:
        return value(
            metrics_stack.scrape(route), "turnout_jobs_total", route=route, status="succeeded"
        ) == len(mine)

    wait_until(
        counted,
        15,
        f"the {route} worker to count {len(mine)} succeeded jobs (pipeline must call metrics.observe_result)",
    )
    samples = metrics_stack.scrape(route)
    tokens_in = value(samples, "turnout_tokens_total", route=route, direction="input")
    tokens_out = value(samples, "turnout_tokens_total", route=route, direction="output")
    assert tokens_in == sum(r.usage.input_tokens for r in mine) > 0
    assert tokens_out == sum(r.usage.output_tokens for r in mine) > 0
    assert value(samples, "turnout_cost_usd_total", route=route) == pytest.approx(
        sum(r.cost_usd for r in mine)
    )
    assert value(samples, "turnout_baseline_cost_usd_total", route=route) == pytest.approx(
        sum(r.baseline_cost_usd for r in mine)
    )
    assert value(samples, "turnout_job_latency_seconds_count", route=route) == len(mine)
    other = "cloud" if route == "local" else "local"
    assert value(samples, "turnout_jobs_total", route=other, status="succeeded") == 0


def test_prefork_classify_children_are_counted_by_the_parent_endpoint(
    metrics_stack: MetricsStack, batch: list[JobResult]
) -> None:
    """The classify pool's tasks run in forked children; its one endpoint still counts every run."""

    def counted() -> bool:
        samples = metrics_stack.scrape("classify")
        return value(samples, "turnout_task_runs_total", task="turnout.classify", state="SUCCESS") == len(
            batch
        )

    wait_until(counted, 15, "the classify worker to count every classify task")
    samples = metrics_stack.scrape("classify")
    assert value(samples, "turnout_task_duration_seconds_count", task="turnout.classify") == len(batch)
    assert value(samples, "turnout_worker_info", pool="classify") == 1


def test_queue_depth_and_broker_health_are_exported(
    metrics_stack: MetricsStack, batch: list[JobResult]
) -> None:
    """Every worker reports each queue's depth (0 once the batch is done) and that Redis answers."""
    samples = metrics_stack.scrape("local")
    assert value(samples, "turnout_broker_up") == 1
    for queue in (*POOLS, BATCH_QUEUE):  # the cloud-batch route's queue has its series too
        assert ("turnout_queue_depth", frozenset({("queue", queue)})) in samples, queue
        assert value(samples, "turnout_queue_depth", queue=queue) == 0


def test_queue_depth_counts_the_celery_list_and_its_priority_lists(tmp_path: Path) -> None:
    """Queue depth is LLEN of the queue's list plus its priority lists, read live at collection time."""
    server = RedisServer().start()
    try:
        client = redis.Redis.from_url(server.url)
        client.rpush("cloud", "m1", "m2")
        client.rpush("cloud:3", "m3")
        client.rpush("cloud:6", "m4")
        client.rpush("cloud\x06\x163", "not a list of this transport")
        client.hset("unacked", "tag1", "{}")
        options = {"priority_steps": [0, 3, 6], "sep": ":"}
        assert queue_lists("cloud", options) == ["cloud", "cloud:3", "cloud:6"]
        assert queue_lists("cloud", {}) == ["cloud", "cloud\x06\x163", "cloud\x06\x166", "cloud\x06\x169"]
        collector = BrokerCollector(server.url, ("classify", "cloud"), "cloud", options)
        families = {f.name: f for f in collector.collect()}
        depth = {s.labels["queue"]: s.value for s in families["turnout_queue_depth"].samples}
        assert depth == {"classify": 0, "cloud": 4}
        assert families["turnout_broker_unacked"].samples[0].value == 1
        assert families["turnout_broker_up"].samples[0].value == 1
        client.close()
        server.stop()
        families = {f.name: f for f in collector.collect()}
        assert families["turnout_broker_up"].samples[0].value == 0
        assert "turnout_queue_depth" not in families
        collector.close()
    finally:
        server.close()


def test_job_log_lines_carry_batch_and_job_ids(metrics_stack: MetricsStack, batch: list[JobResult]) -> None:
    """Every JSON line our code logs for a job names its batch and job."""
    job_ids = {r.job_id for r in batch}
    seen: set[str] = set()
    for worker in metrics_stack.workers.values():
        for line in worker.log_path.read_text(errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            event = json.loads(line)
            if event.get("event") in ("job_routed", "job_succeeded"):
                assert event.get("batch_id") == batch[0].batch_id, event
                assert event.get("job_id") in job_ids, event
                seen.add(f"{event['event']}:{event['job_id']}")
    assert seen == {f"{e}:{j}" for e in ("job_routed", "job_succeeded") for j in job_ids}


def test_a_taken_metrics_port_stops_the_worker_with_a_clear_error(metrics_stack: MetricsStack) -> None:
    """Two workers on one host with the same metrics port: the second refuses to start, naming the setting."""
    taken = metrics_stack.ports["local"]
    env = {**metrics_stack.settings.worker_environment(), "TURNOUT_METRICS_PORT": str(taken)}
    proc = subprocess.run(
        [sys.executable, "-m", "producer.cli", "worker", "--pool", "local"],
        env={**_base_env(), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "TURNOUT_METRICS_PORT" in proc.stderr


def _base_env() -> dict[str, str]:
    import os

    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TURNOUT_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST")
    }
